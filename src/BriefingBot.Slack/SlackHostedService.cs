using BriefingBot.Chat.Platforms;
using BriefingBot.Core.Retries;
using BriefingBot.Slack.Events;
using BriefingBot.Slack.SocketMode;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BriefingBot.Slack;

/// <summary>
/// Keeps the bot on Slack: learns its own ids (auth.test), then holds the Socket Mode connection when an app token is
/// set. A refused token or Socket Mode turned off is reported and stops the host.
/// </summary>
internal sealed partial class SlackHostedService(
    SlackBot bot,
    SocketModeClient socketMode,
    IOptions<SlackOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    PlatformFailures failures,
    ILogger<SlackHostedService> logger,
    PlatformHealth? health = null) : BackgroundService
{
    /// <summary>With Socket Mode, unready from the start until a connection is up (it opens later, on the service's own thread).</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.SocketMode)
        {
            health?.Expect(SlackChannels.Name);
        }

        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await IdentifyAsync(stoppingToken).ConfigureAwait(false);
            LogIdentified(bot.BotUserId ?? "?");
            if (options.Value.SocketMode)
            {
                await socketMode.RunAsync(bot.HandleEnvelopeAsync, stoppingToken).ConfigureAwait(false);
            }
            else
            {
                await Task.Delay(Timeout.Infinite, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
        catch (Exception ex)
        {
            failures.Report("Slack", ex, logger);
            lifetime.StopApplication();
        }
        finally
        {
            await bot.DrainAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Signs in, waiting out a network that is not there yet; a refused token ends it at once.</summary>
    private Task<bool> IdentifyAsync(CancellationToken cancellationToken) => Backoff.RetryAsync(
        async ct =>
        {
            await bot.IdentifyAsync(ct).ConfigureAwait(false);
            return true;
        },
        ex => ex is HttpRequestException or SlackApiException { TokenRefused: false },
        TimeSpan.FromSeconds(2),
        options.Value.MaxReconnectDelay,
        time,
        (ex, wait) => LogSignInRetry(ex.Message, wait),
        cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Signing in to Slack failed ({Reason}); trying again in {Wait}")]
    private partial void LogSignInRetry(string reason, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack: signed in as {User}")]
    private partial void LogIdentified(string user);
}
