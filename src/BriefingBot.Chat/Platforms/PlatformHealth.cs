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
    private readonly ConcurrentDictionary<string, IReadOnlyList<string>> _assigned = new(StringComparer.Ordinal);

    /// <summary>A platform this run connects to: unready until it is up.</summary>
    public void Expect(string platform) => _expected[platform] = true;

    public void Up(string platform, string connection) => _up[(platform, connection)] = true;

    public void Down(string platform, string connection) => _up.TryRemove((platform, connection), out _);

    /// <summary>
    /// The connections this instance is to keep for a platform whose connections are shared out among instances
    /// (Discord's shards, under leases): the platform counts as up when each of them is, or when it holds none.
    /// </summary>
    public void Assign(string platform, IReadOnlyList<string> connections) => _assigned[platform] = connections;

    public bool IsUp(string platform) => _assigned.TryGetValue(platform, out var mine)
        ? mine.All(c => _up.ContainsKey((platform, c)))
        : _up.Keys.Any(k => k.Platform == platform);

    /// <summary>What this instance holds of each platform whose connections are shared out, e.g. "discord: shards 0, 2".</summary>
    public IReadOnlyList<string> Holdings => _assigned.OrderBy(a => a.Key, StringComparer.Ordinal)
        .Select(a => $"{a.Key}: {(a.Value.Count == 0 ? "none held" : string.Join(", ", a.Value))}")
        .ToList();

    /// <summary>The expected platforms that have no connection up now.</summary>
    public IReadOnlyList<string> Disconnected => _expected.Keys.Where(p => !IsUp(p)).Order(StringComparer.Ordinal).ToList();

    public void Reconnecting(string platform) => metrics?.Reconnect(platform);

    public void Resumed(string platform) => metrics?.Resume(platform);

    public void RateLimited(string platform) => metrics?.RateLimitWait(platform);
}
