using System.Data.Common;
using BriefingBot.Chat.Platforms;
using BriefingBot.Core.Retries;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace BriefingBot.Hosting;

/// <summary>
/// How a background job rides out a store that is away for a while (PostgreSQL restarting, SQLite held by another
/// process's write past its busy timeout): the job is run again with growing waits, the outage logged once when it
/// begins and once when it ends, while <c>/readyz</c> reports the store failing. Anything else — a damaged database,
/// a refused schema, the bot's own failures — ends the job at once, for its host to report in one line.
/// </summary>
internal static partial class StoreOutages
{
    private static readonly TimeSpan FirstWait = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(30);

    /// <summary>Whether <paramref name="error"/> is a store that may come back: a dropped or refused connection, a busy or locked file, a timeout.</summary>
    public static bool Transient(Exception error) => error switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode is 5 or 6 or 10, // busy, locked, I/O (a file briefly away)
        DbException db => db.IsTransient,
        TimeoutException => true,
        _ => error.InnerException is { } inner && Transient(inner),
    };

    /// <summary>Runs <paramref name="job"/> until it returns, again after each transient store failure.</summary>
    public static async Task RunAsync(string name, Func<CancellationToken, Task> job, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var failures = 0;
        await Backoff.RetryAsync(
            async token =>
            {
                await job(token).ConfigureAwait(false);
                if (failures > 0)
                {
                    LogRecovered(logger, name, failures);
                }

                return true;
            },
            Transient,
            FirstWait,
            LongestWait,
            time,
            (error, wait) =>
            {
                if (failures++ == 0)
                {
                    LogOutage(logger, name, error.Message);
                }
                else
                {
                    LogStillAway(logger, name, failures, wait);
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Job} lost the store ({Reason}); trying again with growing waits, the chat goes on")]
    private static partial void LogOutage(ILogger logger, string job, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The {Job} still cannot reach the store ({Failures} tries); next in {Wait}")]
    private static partial void LogStillAway(ILogger logger, string job, int failures, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Information, Message = "The {Job} reaches the store again after {Failures} failed tries")]
    private static partial void LogRecovered(ILogger logger, string job, int failures);
}
