namespace BriefingBot.Core;

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
}
