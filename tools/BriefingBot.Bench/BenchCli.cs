using System.CommandLine;
using BriefingBot.Cli;

namespace BriefingBot.Bench;

/// <summary>
/// The measuring verbs, apart from the bot: <c>bench</c>, <c>load</c>, <c>bench-feeds</c> and the <c>eval-*</c> verbs,
/// each running the bot's own services with the same setting options as the bot's command line.
/// </summary>
public static class BenchCli
{
    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("Measures BriefingBot: throughput, latency and memory (bench, load, bench-feeds) and quality on annotated sets (eval-*).");
        BriefingBotCli.AddSettingOptions(root);
        root.Subcommands.Add(BenchCommand.Create(console));
        root.Subcommands.Add(BenchCommand.CreateLoad(console));
        root.Subcommands.Add(BenchCommand.CreateFeeds(console));
        root.Subcommands.Add(BenchCommand.CreateAnswerEvaluation(console));
        root.Subcommands.Add(BenchCommand.CreateQuoteEvaluation(console));
        root.Subcommands.Add(BenchCommand.CreateEventEvaluation(console));
        root.Subcommands.Add(BenchCommand.CreatePageEvaluation(console));
        var configuration = new InvocationConfiguration { Output = console.Out, Error = console.Error };
        return await root.Parse(args).InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }
}
