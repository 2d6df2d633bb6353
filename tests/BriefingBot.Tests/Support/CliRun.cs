using BriefingBot.Cli;

namespace BriefingBot.Tests.Support;

/// <summary>Runs the real command line in-process, with the repository as content root and a database of its own.</summary>
internal sealed class CliRun : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "briefingbot-cli", Guid.NewGuid().ToString("N"));

    public CliRun() => Directory.CreateDirectory(_folder);

    public string DatabasePath => Path.Combine(_folder, "bot.db");

    public string Folder => _folder;

    public Task<(int ExitCode, string Out, string Error)> RunWithInputAsync(string input, params string[] args) =>
        RunAsync(BriefingBotCli.RunAsync, input, args);

    public Task<(int ExitCode, string Out, string Error)> RunAsync(params string[] args) => RunWithInputAsync(string.Empty, args);

    /// <summary>Runs the measuring tool's command line (<c>tools/BriefingBot.Bench</c>) in-process, as <see cref="RunAsync(string[])"/> runs the bot's.</summary>
    public Task<(int ExitCode, string Out, string Error)> RunBenchAsync(params string[] args) => RunAsync(Bench.BenchCli.RunAsync, string.Empty, args);

    private async Task<(int ExitCode, string Out, string Error)> RunAsync(
        Func<string[], CliConsole, CancellationToken, Task<int>> commandLine, string input, string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var console = new CliConsole(new StringReader(input), output, error, Interactive: false, RepoFiles.Root);
        var exit = await commandLine([.. args, "--db", DatabasePath], console, CancellationToken.None);
        return (exit, output.ToString(), error.ToString());
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // cleaned with the temp folder later
        }
    }
}
