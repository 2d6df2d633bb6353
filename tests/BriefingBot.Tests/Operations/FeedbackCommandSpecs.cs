using System.Text.Json;
using BriefingBot.Core.Answering;
using BriefingBot.Core.Feedback;
using BriefingBot.Hosting;
using BriefingBot.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace BriefingBot.Tests.Operations;

public sealed class FeedbackCommandSpecs
{
    [Fact]
    public async Task The_feedback_command_counts_votes_by_day_and_platform_and_exports_the_answers_voted_down()
    {
        using var cli = new CliRun();
        using (var host = BotHost.Build(RepoFiles.Root, new Dictionary<string, string?> { ["Storage:DatabasePath"] = cli.DatabasePath }))
        {
            var feedback = host.Services.GetRequiredService<FeedbackRecorder>();
            var good = await feedback.RememberAsync("slack", "C1", new Answer("How many observation posts does Turkey have?", "Turkey has 12 observation posts. [1]", false, [], [], AnswerMethod.Extractive, 0.9), "Turkey has 12 observation posts. [1]");
            var bad = await feedback.RememberAsync("discord", "42", new Answer("Who shelled Jisr al-Shughur?", "Russian jets struck. [1]", false, [], [], AnswerMethod.Generated, 0.6), "Russian jets struck. [1]");
            Assert.True(await feedback.VoteAsync(good, "slack", "U1", up: true));
            Assert.True(await feedback.VoteAsync(bad, "discord", "111", up: true));
            Assert.True(await feedback.VoteAsync(bad, "discord", "111", up: false)); // changed their mind: one vote, down
            Assert.True(await feedback.VoteAsync(bad, "discord", "222", up: false));
            Assert.True(await feedback.CommentAsync(bad, "discord", "222", "It was government forces, not Russia."));
            Assert.False(await feedback.VoteAsync("no-such-answer", "discord", "111", up: true));
        }

        var text = await cli.RunAsync("feedback");
        var json = await cli.RunAsync("feedback", "--format", "json");
        var file = Path.Combine(cli.Folder, "down.jsonl");
        var export = await cli.RunAsync("feedback", "--export", file);

        Assert.Equal(0, text.ExitCode);
        Assert.Contains("discord      0    2", text.Out, StringComparison.Ordinal);
        Assert.Contains("slack        1    0", text.Out, StringComparison.Ordinal);
        Assert.Contains("what was wrong: It was government forces, not Russia.", text.Out, StringComparison.Ordinal);
        Assert.Contains("(generated): Who shelled Jisr al-Shughur?", text.Out, StringComparison.Ordinal);

        using var document = JsonDocument.Parse(json.Out);
        Assert.Equal(2, document.RootElement.GetProperty("days").GetArrayLength());
        Assert.Equal(2, document.RootElement.GetProperty("votedDown").GetArrayLength());

        Assert.Equal(0, export.ExitCode);
        var lines = await File.ReadAllLinesAsync(file);
        Assert.Equal(2, lines.Length);
        Assert.All(lines, l => Assert.Equal("Who shelled Jisr al-Shughur?", JsonDocument.Parse(l).RootElement.GetProperty("question").GetString()));
    }
}
