using BriefingBot.Cli;

return await BriefingBotCli.RunAsync(args, CliConsole.System()).ConfigureAwait(false);
