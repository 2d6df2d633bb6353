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
    public void The_defaults_in_appsettings_json_are_valid()
    {
        using var cli = new CliRun();
        using var host = BotHost.Build(RepoFiles.Root, new Dictionary<string, string?> { ["Storage:DatabasePath"] = cli.DatabasePath });

        BotHost.ValidateOptions(host.Services);
    }
}
