using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using BriefingBot.Core.Feedback;
using Microsoft.Extensions.DependencyInjection;

namespace BriefingBot.Cli;

internal sealed record FeedbackDayJson(
    [property: JsonPropertyName("day")] string Day,
    [property: JsonPropertyName("platform")] string Platform,
    [property: JsonPropertyName("up")] int Up,
    [property: JsonPropertyName("down")] int Down);

/// <summary>An answer voted down, as exported: enough to write an evaluation question from it.</summary>
internal sealed record VotedDownJson(
    [property: JsonPropertyName("question")] string Question,
    [property: JsonPropertyName("answer")] string Answer,
    [property: JsonPropertyName("sources")] IReadOnlyList<string> Sources,
    [property: JsonPropertyName("generated")] bool Generated,
    [property: JsonPropertyName("comment")] string? Comment,
    [property: JsonPropertyName("platform")] string Platform,
    [property: JsonPropertyName("answeredAt")] DateTimeOffset AnsweredAt,
    [property: JsonPropertyName("votedAt")] DateTimeOffset VotedAt);

internal sealed record FeedbackJson(
    [property: JsonPropertyName("days")] IReadOnlyList<FeedbackDayJson> Days,
    [property: JsonPropertyName("votedDown")] IReadOnlyList<VotedDownJson> VotedDown);

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(FeedbackJson))]
internal sealed partial class FeedbackJsonContext : JsonSerializerContext;

[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(VotedDownJson))]
internal sealed partial class FeedbackLineContext : JsonSerializerContext;

/// <summary><c>feedback</c>: the votes on answers, by day and platform, and the answers voted down.</summary>
internal static class FeedbackCommand
{
    public static Command Create(CliConsole console)
    {
        var format = new Option<string>("--format") { Description = "text or json", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var export = new Option<string?>("--export") { Description = "Write the answers voted down to this file, one JSON object a line (to turn into evaluation questions)" };
        var command = new Command("feedback", "Votes on answers by day and platform, and the answers voted down with their questions and sources") { format, export };
        command.SetAction((parse, ct) => BriefingBotCli.Guarded(console, async () =>
        {
            using var host = BriefingBotCli.BuildHost(parse, console);
            var store = host.Services.GetRequiredService<IFeedbackStore>();
            var days = (await store.CountVotesAsync(ct).ConfigureAwait(false))
                .Select(d => new FeedbackDayJson(d.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), d.Platform, d.Up, d.Down)).ToList();
            var down = (await store.VotedDownAsync(ct).ConfigureAwait(false))
                .Select(d => new VotedDownJson(d.Answer.Question, d.Answer.Shown, d.Answer.Sources, d.Answer.Generated, d.Vote.Comment, d.Answer.Platform, d.Answer.ShownAt, d.Vote.VotedAt))
                .ToList();

            if (parse.GetValue(export) is { } file)
            {
                await File.WriteAllLinesAsync(file, down.Select(d => JsonSerializer.Serialize(d, FeedbackLineContext.Default.VotedDownJson)), ct).ConfigureAwait(false);
                await console.Error.WriteLineAsync($"Wrote {down.Count} answers voted down to {file}.").ConfigureAwait(false);
            }

            if (parse.GetValue(format) == "json")
            {
                await console.Out.WriteLineAsync(JsonSerializer.Serialize(new FeedbackJson(days, down), FeedbackJsonContext.Default.FeedbackJson)).ConfigureAwait(false);
                return 0;
            }

            if (days.Count == 0)
            {
                await console.Out.WriteLineAsync("No votes yet.").ConfigureAwait(false);
                return 0;
            }

            await console.Out.WriteLineAsync("day         platform   👍   👎").ConfigureAwait(false);
            foreach (var day in days)
            {
                await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{day.Day}  {day.Platform,-9} {day.Up,4} {day.Down,4}")).ConfigureAwait(false);
            }

            foreach (var answer in down)
            {
                await console.Out.WriteLineAsync($"\n👎 {answer.VotedAt:yyyy-MM-dd HH:mm} {answer.Platform}{(answer.Generated ? " (generated)" : string.Empty)}: {answer.Question}").ConfigureAwait(false);
                if (answer.Comment is { } comment)
                {
                    await console.Out.WriteLineAsync($"   what was wrong: {comment}").ConfigureAwait(false);
                }

                await console.Out.WriteLineAsync($"   answer: {Core.Chat.TextSplitter.Shorten(answer.Answer.ReplaceLineEndings(" "), 300)}").ConfigureAwait(false);
                foreach (var source in answer.Sources)
                {
                    await console.Out.WriteLineAsync($"   source: {source}").ConfigureAwait(false);
                }
            }

            return 0;
        }));
        return command;
    }
}
