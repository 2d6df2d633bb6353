using BriefingBot.Core.Embeddings;
using BriefingBot.Core.Ingestion;
using BriefingBot.Core.Retrieval;
using BriefingBot.Hosting;
using BriefingBot.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BriefingBot.Tests.Cli;

public sealed class WiringSpecs
{
    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    public async Task Retrieval_uses_dense_search_exactly_when_embeddings_are_on(string enabled, bool dense)
    {
        using var cli = new CliRun();
        using var host = BotHost.Build(RepoFiles.Root, new Dictionary<string, string?>
        {
            ["Storage:DatabasePath"] = cli.DatabasePath,
            ["Embeddings:Enabled"] = enabled,
        });
        var services = host.Services;
        await services.GetRequiredService<CorpusIngestor>().IngestAsync(services.GetRequiredService<IOptions<IngestionOptions>>().Value.Path);
        if (services.GetService<EmbeddingBackfill>() is { } backfill)
        {
            await backfill.RunAsync();
        }

        var retrieval = await services.GetRequiredService<HybridRetriever>().RetrieveAsync("How many Syrian refugees does Turkey host?");

        Assert.Equal(dense, retrieval.UsedDense);
    }

    [Fact]
    public void Answering_is_warmed_up_before_any_platform_connects()
    {
        using var cli = new CliRun();
        using var host = BotHost.Build(RepoFiles.Root, new Dictionary<string, string?>
        {
            ["Storage:DatabasePath"] = cli.DatabasePath,
            ["Slack:BotToken"] = "xoxb-test",
            ["Slack:AppToken"] = "xapp-test",
            ["Discord:Token"] = "test",
            ["Discord:ApplicationId"] = "1200000000000000001",
        });

        var order = host.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().Select(s => s.GetType().Name).ToList();

        Assert.Contains("AnsweringWarmUp", order);
        Assert.True(order.IndexOf("AnsweringWarmUp") < order.IndexOf("DiscordHostedService"), string.Join(", ", order));
        Assert.True(order.IndexOf("AnsweringWarmUp") < order.IndexOf("SlackHostedService"), string.Join(", ", order));
    }
}
