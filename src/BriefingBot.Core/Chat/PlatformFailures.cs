using System.Collections.Concurrent;

namespace BriefingBot.Core.Chat;

/// <summary>
/// The chat platforms that had to stop (a refused token, disallowed intents, Socket Mode turned off), so the host
/// can say why and exit with an error instead of running on half-connected.
/// </summary>
public sealed class PlatformFailures
{
    private readonly ConcurrentQueue<(string Platform, Exception Error)> _failures = new();

    public IReadOnlyList<(string Platform, Exception Error)> All => _failures.ToList();

    public void Report(string platform, Exception error) => _failures.Enqueue((platform, error));
}
