using System.Collections.Concurrent;
using BriefingBot.Core.Diagnostics;

namespace BriefingBot.Chat.Platforms;

/// <summary>
/// Which platform connections are up, for readiness, and what the adapters went through (reconnects, resumed
/// sessions, rate-limit waits), for the metrics. A platform counts as connected while any of its connections is
/// (Slack overlaps an old and a new connection during a refresh; Discord has one per shard).
/// </summary>
public sealed class PlatformHealth(BotMetrics? metrics = null)
{
    private readonly ConcurrentDictionary<string, bool> _expected = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Platform, string Connection), bool> _up = new();

    /// <summary>A platform this run connects to: unready until it is up.</summary>
    public void Expect(string platform) => _expected[platform] = true;

    public void Up(string platform, string connection) => _up[(platform, connection)] = true;

    public void Down(string platform, string connection) => _up.TryRemove((platform, connection), out _);

    public bool IsUp(string platform) => _up.Keys.Any(k => k.Platform == platform);

    /// <summary>The expected platforms that have no connection up now.</summary>
    public IReadOnlyList<string> Disconnected => _expected.Keys.Where(p => !IsUp(p)).Order(StringComparer.Ordinal).ToList();

    public void Reconnecting(string platform) => metrics?.Reconnect(platform);

    public void Resumed(string platform) => metrics?.Resume(platform);

    public void RateLimited(string platform) => metrics?.RateLimitWait(platform);
}
