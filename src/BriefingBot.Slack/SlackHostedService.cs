using BriefingBot.Slack.Events;
using BriefingBot.Slack.SocketMode;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BriefingBot.Slack;

/// <summary>
/// Keeps the bot on Slack: learns its own ids (auth.test), then holds the Socket Mode connection when an app token is
/// set. A refused token or Socket Mode turned off fails the service, and with it the host.
/// </summary>
internal sealed partial class SlackHostedService(
    SlackBot bot,
    SocketModeClient socketMode,
    IOptions<SlackOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<SlackHostedService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await bot.IdentifyAsync(stoppingToken).ConfigureAwait(false);
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
            LogStopped(ex);
            lifetime.StopApplication();
            throw;
        }
        finally
        {
            await bot.DrainAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack: signed in as {User}")]
    private partial void LogIdentified(string user);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The Slack adapter stopped")]
    private partial void LogStopped(Exception exception);
}
