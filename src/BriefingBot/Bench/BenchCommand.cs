using System.CommandLine;
using BriefingBot.Cli;

namespace BriefingBot.Bench;

/// <summary><c>bench</c>: the figures the targets are checked against, printed, never asserted.</summary>
internal static class BenchCommand
{
    public static Command Create(CliConsole console)
    {
        var source = new Option<string?>("--source")
        {
            Description = "JSON Lines articles to build the corpora from (default: ../shared/data/fa-kes/syria-war-articles.jsonl)",
        };
        var sizes = new Option<int[]>("--sizes")
        {
            Description = "Corpus sizes in articles",
            DefaultValueFactory = _ => [1000, 10000],
            AllowMultipleArgumentsPerToken = true,
        };
        var repeats = new Option<int>("--repeats") { Description = "Times each question is asked when measuring latency", DefaultValueFactory = _ => 5 };
        var command = new Command("bench", "Measure ingestion throughput, embedding throughput, ask latency and peak memory") { source, sizes, repeats };
        command.SetAction((parse, ct) => BriefingBotCli.Guarded(console, () =>
        {
            var path = parse.GetValue(source) ?? Path.Combine(console.ContentRoot, "..", "shared", "data", "fa-kes", "syria-war-articles.jsonl");
            var benchmark = new Benchmark(console, Path.GetFullPath(path), parse.GetValue(sizes)!, parse.GetValue(repeats), BriefingBotCli.Overrides(parse));
            return benchmark.RunAsync(ct);
        }));
        return command;
    }
}
