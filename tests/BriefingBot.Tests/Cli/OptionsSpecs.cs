using BriefingBot.Hosting;
using BriefingBot.Tests.Support;
using Microsoft.Extensions.Options;

namespace BriefingBot.Tests.Cli;

public sealed class OptionsSpecs
{
    [Theory]
    [InlineData("Answering:MaxSentences", "0", "Answering:MaxSentences must be between 1 and 10.")]
    [InlineData("Retrieval:Candidates", "2", "Retrieval:Candidates must be between 5 and 1000.")]
    [InlineData("Corpus:MaxFileBytes", "0", "Corpus:MaxFileBytes must be a positive number of bytes.")]
    [InlineData("Embeddings:WaitForBacklogUpTo", "-1", "Embeddings:WaitForBacklogUpTo must be zero or more passages.")]
    public void A_bad_setting_is_refused_at_start_with_a_message_that_names_it(string key, string value, string message)
    {
        using var cli = new CliRun();
        using var host = BotHost.Build(RepoFiles.Root, new Dictionary<string, string?>
        {
            [key] = value,
            ["Storage:DatabasePath"] = cli.DatabasePath,
            ["Embeddings:Enabled"] = "false",
        });

        var ex = Assert.Throws<OptionsValidationException>(() => BotHost.ValidateOptions(host.Services));

        Assert.Contains(message, string.Join('\n', ex.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_command_line_reports_a_bad_setting_by_name_and_exits_non_zero()
    {
        using var cli = new CliRun();
        var root = Path.Combine(cli.Folder, "app");
        Directory.CreateDirectory(Path.Combine(root, "corpus"));
        await File.WriteAllTextAsync(Path.Combine(root, "appsettings.json"), """{ "Answering": { "MaxSentences": 0 } }""");
        var error = new StringWriter();
        var console = new BriefingBot.Cli.CliConsole(new StringReader(string.Empty), new StringWriter(), error, Interactive: false, root);

        var exit = await BriefingBot.Cli.BriefingBotCli.RunAsync(["ask", "--no-embeddings", "--db", cli.DatabasePath, "anything?"], console);

        Assert.Equal(1, exit);
        Assert.Equal("error: Answering:MaxSentences must be between 1 and 10.", error.ToString().Trim());
    }

    [Fact]
    public void The_defaults_in_appsettings_json_are_valid()
    {
        using var cli = new CliRun();
        using var host = BotHost.Build(RepoFiles.Root, new Dictionary<string, string?> { ["Storage:DatabasePath"] = cli.DatabasePath });

        BotHost.ValidateOptions(host.Services);
    }
}
