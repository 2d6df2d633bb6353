using BriefingBot.Chat.Platforms;
using BriefingBot.Core.Briefing;
using BriefingBot.Core.Chat;
using BriefingBot.Core.Embeddings;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BriefingBot.Hosting;

/// <summary>
/// Posts the scheduled briefings while the bot runs. A scheduler that cannot go on stops the bot with a line that
/// says why: a bot that silently stopped posting its daily briefing would only look fine.
/// </summary>
internal sealed class BriefingHostedService(
    BriefingScheduler scheduler, IHostApplicationLifetime lifetime, PlatformFailures failures, ILogger<BriefingHostedService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await scheduler.RunAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
        catch (Exception ex)
        {
            failures.Report("scheduled briefings", ex, logger);
            lifetime.StopApplication();
        }
    }
}

/// <summary>
/// Computes the embeddings the corpus still lacks, behind the chat: questions are answered from keyword search and
/// the embeddings there are until it is done. A failure stops the bot with a line that says why.
/// </summary>
internal sealed class EmbeddingBackfillHostedService(
    IHostApplicationLifetime lifetime, PlatformFailures failures, ILogger<EmbeddingBackfillHostedService> logger, EmbeddingBackfill? backfill = null) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (backfill is null)
        {
            return; // embeddings are off (Embeddings:Enabled=false)
        }

        try
        {
            await backfill.RunAsync(null, stoppingToken).ConfigureAwait(false);
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping; the rest is computed next time. (The encoder reports a cancelled run as its own error.)
        }
        catch (Exception ex)
        {
            failures.Report("embedding backfill", ex, logger);
            lifetime.StopApplication();
        }
    }
}

public static class BackgroundJobsServiceCollectionExtensions
{
    /// <summary>The work a running bot does besides answering: scheduled briefings, and the embeddings still missing.</summary>
    public static IServiceCollection AddBackgroundJobs(this IServiceCollection services)
    {
        services.TryAddSingleton<PlatformFailures>();
        services.AddHostedService<BriefingHostedService>();
        services.AddHostedService<EmbeddingBackfillHostedService>();
        return services;
    }
}
