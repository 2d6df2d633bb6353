namespace BriefingBot.Chat.Platforms;

/// <summary>How long to wait before trying again: doubling per attempt up to a ceiling, with jitter so that many clients that failed together don't retry together.</summary>
public static class Backoff
{
    /// <param name="attempt">1 for the first retry.</param>
    /// <param name="random">A number in [0, 1); the wait is between half and all of the doubled delay.</param>
    public static TimeSpan Delay(int attempt, TimeSpan first, TimeSpan max, double random)
    {
        var doubled = Math.Min(max.TotalMilliseconds, first.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempt - 1)));
        return TimeSpan.FromMilliseconds(doubled * (0.5 + (random / 2)));
    }

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
