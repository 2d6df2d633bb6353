namespace BriefingBot.Core.Retries;

/// <summary>
/// How long to wait before trying again, for every loop that waits and tries again (platform connections and calls,
/// briefing posts, feed polls, the store through an outage): doubling per attempt up to a ceiling, and with jitter
/// where many clients that failed together must not retry together.
/// </summary>
public static class Backoff
{
    /// <summary><paramref name="first"/> doubled for each attempt after the first, at most <paramref name="max"/>.</summary>
    /// <param name="attempt">1 for the first retry.</param>
    public static TimeSpan Doubling(int attempt, TimeSpan first, TimeSpan max) =>
        TimeSpan.FromTicks((long)Math.Min(max.Ticks, first.Ticks * Math.Pow(2, Math.Max(0, attempt - 1))));

    /// <summary>The doubled delay with jitter: between half and all of it.</summary>
    /// <param name="attempt">1 for the first retry.</param>
    /// <param name="random">A number in [0, 1).</param>
    public static TimeSpan Delay(int attempt, TimeSpan first, TimeSpan max, double random) =>
        Doubling(attempt, first, max) * (0.5 + (random / 2));

    /// <summary>
    /// Runs <paramref name="action"/> until it succeeds, waiting longer after each failure that <paramref name="transient"/>
    /// says may pass (a network not there yet); any other failure ends it at once.
    /// </summary>
    public static async Task<T> RetryAsync<T>(
        Func<CancellationToken, Task<T>> action,
        Func<Exception, bool> transient,
        TimeSpan first,
        TimeSpan max,
        TimeProvider time,
        Action<Exception, TimeSpan> onRetry,
        CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await action(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (transient(ex) && !cancellationToken.IsCancellationRequested)
            {
                var wait = Delay(attempt, first, max, Random.Shared.NextDouble());
                onRetry(ex, wait);
                await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
