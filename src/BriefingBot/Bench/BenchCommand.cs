using System.CommandLine;
using BriefingBot.Cli;

namespace BriefingBot.Bench;

internal static class BenchCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("bench", "Measure ingestion throughput, embedding throughput, ask latency and peak memory");
        command.SetAction((parse, ct) => Task.FromResult(0));
        return command;
    }
}
