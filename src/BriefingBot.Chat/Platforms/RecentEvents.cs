namespace BriefingBot.Chat.Platforms;

/// <summary>
/// Remembers the ids of events already handled, so an event a platform delivers twice (a replay after a resume, a
/// redelivered envelope, an HTTP retry) is answered once. Bounded in count and age.
/// </summary>
public sealed class RecentEvents(TimeProvider time, int capacity = 10_000, TimeSpan? keepFor = null)
{
    private readonly TimeSpan _keepFor = keepFor ?? TimeSpan.FromHours(1);
    private readonly Dictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);
    private readonly Queue<(string Id, DateTimeOffset At)> _order = new();
    private readonly Lock _gate = new();

    /// <summary>True when <paramref name="id"/> was offered before and is still remembered; remembers nothing new.</summary>
    public bool Seen(string id)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            return _seen.TryGetValue(id, out var at) && now - at <= _keepFor;
        }
    }

    /// <summary>True the first time <paramref name="id"/> is offered, false on every later offer while it is remembered.</summary>
    public bool FirstTime(string id)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            while (_order.Count > 0 && (_order.Count >= capacity || now - _order.Peek().At > _keepFor))
            {
                var (old, at) = _order.Dequeue();
                if (_seen.TryGetValue(old, out var stamp) && stamp == at)
                {
                    _seen.Remove(old);
                }
            }

            if (_seen.ContainsKey(id))
            {
                return false;
            }

            _seen[id] = now;
            _order.Enqueue((id, now));
            return true;
        }
    }
}
