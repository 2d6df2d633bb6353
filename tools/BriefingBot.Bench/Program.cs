using BriefingBot.Bench;
using BriefingBot.Cli;

return await BenchCli.RunAsync(args, CliConsole.System()).ConfigureAwait(false);
