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

    [Theory]
    [InlineData("""{ "Retrieval": { "TopPassages": "abc" } }""", "error: Retrieval:TopPassages is \"abc\", which is not a whole number.")]
    [InlineData("""{ "Retrieval": { "RecencyHalfLife": "banana" } }""", "error: Retrieval:RecencyHalfLife is \"banana\", which is not a duration such as 00:30:00 (30 minutes) or 14.00:00:00 (14 days).")]
    [InlineData("""{ "Llm": { "BaseUrl": "http://127.0.0.1:9/v1" } }""", "error: Llm:Model must name the model (such as gpt-4o-mini or llama3.1) when Llm:BaseUrl is set; or remove Llm:BaseUrl to answer without a model.")]
    [InlineData("""{ "Llm": { "Model": "llama3.1" } }""", "error: Llm:BaseUrl must be set (such as https://api.openai.com/v1 or http://localhost:11434/v1) when Llm:Model is set.")]
    [InlineData("""{ "Briefing": { "Channels": [ "irc:#foo" ] } }""", "error: Briefing:Channels has \"irc:#foo\": a channel is \"shell\", \"discord:<channel id>\" or \"slack:<channel id>\".")]
    [InlineData("""{ "Briefing": { "Channels": [ "slack:#general" ] } }""", "error: Briefing:Channels has \"slack:#general\": a Slack channel is slack:<channel id> such as slack:C0123456789 (not the #name).")]
    public async Task A_setting_of_the_wrong_kind_is_named_in_one_line(string appsettings, string expected)
    {
        var (exit, error) = await AskWithSettingsAsync(appsettings);

        Assert.Equal(1, exit);
        Assert.Equal(expected, error.Trim());
    }

    [Fact]
    public async Task A_briefing_channel_no_platform_of_the_run_can_post_to_is_refused_at_start()
    {
        using var cli = new CliRun();
        var root = AppFolder(cli, """{ "Briefing": { "Channels": [ "discord:123456789012345678" ] } }""");
        var error = new StringWriter();
        var console = new BriefingBot.Cli.CliConsole(new StringReader("/quit\n"), new StringWriter(), error, Interactive: false, root);

        var exit = await BriefingBot.Cli.BriefingBotCli.RunAsync(["--no-embeddings", "--db", cli.DatabasePath], console);

        Assert.Equal(1, exit);
        Assert.Equal("error: Briefing:Channels has \"discord:123456789012345678\", but Discord is not configured (set Discord__Token and Discord__ApplicationId).", error.ToString().Trim());
    }

    [Theory]
    [InlineData("shell", "shell", "")]
    [InlineData("Discord:123456789012345678", "discord", "123456789012345678")]
    [InlineData(" slack:C0123456789 ", "slack", "C0123456789")]
    public void A_briefing_channel_is_read_into_its_platform_and_id(string entry, string platform, string id) =>
        Assert.Equal(new BriefingBot.Core.Briefing.BriefingChannel(platform, id), BriefingBot.Core.Briefing.BriefingChannel.Parse(entry, [new BriefingBot.Discord.DiscordChannels(), new BriefingBot.Slack.SlackChannels()]));

    [Fact]
    public void A_briefing_channel_set_to_nothing_is_named_as_a_mistake()
    {
        using var cli = new CliRun();
        using var host = BotHost.Build(RepoFiles.Root, new Dictionary<string, string?> { ["Storage:DatabasePath"] = cli.DatabasePath, ["Briefing:Channels:0"] = null });

        var error = Assert.ThrowsAny<Exception>(() => BotHost.ValidateOptions(host.Services));

        Assert.Contains("Briefing:Channels has \"\"", error.Message, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Error)> AskWithSettingsAsync(string appsettings)
    {
        using var cli = new CliRun();
        var root = AppFolder(cli, appsettings);
        var error = new StringWriter();
        var console = new BriefingBot.Cli.CliConsole(new StringReader(string.Empty), new StringWriter(), error, Interactive: false, root);
        var exit = await BriefingBot.Cli.BriefingBotCli.RunAsync(["ask", "--no-embeddings", "--db", cli.DatabasePath, "anything?"], console);
        return (exit, error.ToString());
    }

    private static string AppFolder(CliRun cli, string appsettings)
    {
        var root = Path.Combine(cli.Folder, "app");
        Directory.CreateDirectory(Path.Combine(root, "corpus"));
        File.Copy(RepoFiles.BundledArticle, Path.Combine(root, "corpus", Path.GetFileName(RepoFiles.BundledArticle)));
        File.WriteAllText(Path.Combine(root, "appsettings.json"), appsettings);
        return root;
    }

    [Fact]
    public void The_defaults_in_appsettings_json_are_valid()
    {
        using var cli = new CliRun();
        using var host = BotHost.Build(RepoFiles.Root, new Dictionary<string, string?> { ["Storage:DatabasePath"] = cli.DatabasePath });

        BotHost.ValidateOptions(host.Services);
    }
}
