using System.Collections.Concurrent;
using BriefingBot.Core;
using Microsoft.Extensions.Logging;

namespace BriefingBot.Chat.Platforms;

/// <summary>
/// The chat platforms that had to stop (a refused token, disallowed intents, Socket Mode turned off), so the host
/// can say why and exit with an error instead of running on half-connected.
/// </summary>
public sealed partial class PlatformFailures
{
    private readonly ConcurrentQueue<(string Platform, Exception Error)> _failures = new();

    public IReadOnlyList<(string Platform, Exception Error)> All => _failures.ToList();

    /// <summary>Records why <paramref name="platform"/> stopped and logs it: the bot's own failures in one line that says what to fix, anything else with its stack trace.</summary>
    public void Report(string platform, Exception error, ILogger logger)
    {
        if (error is BriefingBotException)
        {
            LogStopped(logger, platform, error.Message);
        }
        else
        {
            LogCrashed(logger, error, platform);
        }

        _failures.Enqueue((platform, error));
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "The {Platform} adapter stopped: {Reason}")]
    private static partial void LogStopped(ILogger logger, string platform, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The {Platform} adapter failed")]
    private static partial void LogCrashed(ILogger logger, Exception exception, string platform);
}
