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
    Core.Chat.PlatformFailures failures,
    ILogger<SlackHostedService> logger) : BackgroundService
{
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
            // Our own failures say what to fix; anything else is a bug and keeps its stack trace.
            if (ex is Core.BriefingBotException)
            {
                LogStopped(ex.Message);
            }
            else
            {
                LogCrashed(ex);
            }

            failures.Report("Slack", ex);
            lifetime.StopApplication();
        }
        finally
        {
            await bot.DrainAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Signs in, waiting out a network that is not there yet; a refused token ends it at once.</summary>
    private async Task IdentifyAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await bot.IdentifyAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or SlackApiException { TokenRefused: false } && !cancellationToken.IsCancellationRequested)
            {
                var wait = Core.Backoff.Delay(attempt, TimeSpan.FromSeconds(2), options.Value.MaxReconnectDelay, Random.Shared.NextDouble());
                LogSignInRetry(ex.Message, wait);
                await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Signing in to Slack failed ({Reason}); trying again in {Wait}")]
    private partial void LogSignInRetry(string reason, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack: signed in as {User}")]
    private partial void LogIdentified(string user);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The Slack adapter stopped: {Reason}")]
    private partial void LogStopped(string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The Slack adapter failed")]
    private partial void LogCrashed(Exception exception);
}
