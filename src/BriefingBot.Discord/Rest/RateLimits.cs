using System.Globalization;
using System.Net.Http.Headers;

namespace BriefingBot.Discord.Rest;

/// <summary>
/// What Discord's rate-limit headers said: per bucket, how many requests remain and when the bucket resets; and
/// until when the global limit holds. A request waits for its bucket and the global limit before it is sent.
/// https://discord.com/developers/docs/topics/rate-limits#header-format
/// </summary>
internal sealed class RateLimits(TimeProvider time)
{
    // Discord allows 50 requests a second for a bot, interaction endpoints aside; keeping under it ahead of time
    // avoids the 429s that count toward the invalid-request ban. https://discord.com/developers/docs/topics/rate-limits#global-rate-limit
    public const int GlobalPerSecond = 50;

    // Routes keyed per channel, webhook or interaction come and go: forget expired buckets past this many.
    private const int PruneAbove = 1_000;

    private readonly Dictionary<string, string> _bucketOfRoute = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly Queue<DateTimeOffset> _globalSent = new();
    private readonly Lock _gate = new();
    private DateTimeOffset _globalUntil;

    /// <summary>Buckets remembered now (bounded: expired ones are forgotten).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _buckets.Count + _bucketOfRoute.Count;
            }
        }
    }

    public async Task WaitAsync(string route, bool global, CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            lock (_gate)
            {
                var now = time.GetUtcNow();
                var bucket = _buckets.GetValueOrDefault(_bucketOfRoute.GetValueOrDefault(route) ?? route);
                var until = global && _globalUntil > now ? _globalUntil : now;
                if (bucket is { Remaining: <= 0 } && bucket.ResetAt > until)
                {
                    until = bucket.ResetAt;
                }

                while (_globalSent.Count > 0 && now - _globalSent.Peek() >= TimeSpan.FromSeconds(1))
                {
                    _globalSent.Dequeue();
                }

                if (global && _globalSent.Count >= GlobalPerSecond && _globalSent.Peek() + TimeSpan.FromSeconds(1) > until)
                {
                    until = _globalSent.Peek() + TimeSpan.FromSeconds(1);
                }

                if (until <= now)
                {
                    // Take a request from the bucket now, so requests running side by side don't overspend it.
                    if (bucket is not null)
                    {
                        bucket.Remaining--;
                    }

                    if (global)
                    {
                        _globalSent.Enqueue(now);
                    }

                    return;
                }

                wait = until - now;
            }

            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Update(string route, HttpResponseHeaders headers)
    {
        var name = Header(headers, "X-RateLimit-Bucket");
        if (!double.TryParse(Header(headers, "X-RateLimit-Reset-After"), NumberStyles.Float, CultureInfo.InvariantCulture, out var resetAfter)
            || !int.TryParse(Header(headers, "X-RateLimit-Remaining"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var remaining))
        {
            return;
        }

        lock (_gate)
        {
            // A bucket is shared by routes with the same major parameter: keyed by the bucket hash and the route.
            var key = name is null ? route : name + "|" + MajorOf(route);
            _bucketOfRoute[route] = key;
            _buckets[key] = new Bucket { Remaining = remaining, ResetAt = time.GetUtcNow() + TimeSpan.FromSeconds(resetAfter) };
            PruneExpired();
        }
    }

    /// <summary>Forgets buckets that have reset (they hold no limit any more) once there are many; called under the lock.</summary>
    private void PruneExpired()
    {
        if (_buckets.Count + _bucketOfRoute.Count <= PruneAbove)
        {
            return;
        }

        var now = time.GetUtcNow();
        var expired = _buckets.Where(b => b.Value.ResetAt <= now).Select(b => b.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var key in expired)
        {
            _buckets.Remove(key);
        }

        foreach (var route in _bucketOfRoute.Where(r => !_buckets.ContainsKey(r.Value)).Select(r => r.Key).ToList())
        {
            _bucketOfRoute.Remove(route);
        }
    }

    public void Exceeded(string route, double retryAfterSeconds, bool global)
    {
        var until = time.GetUtcNow() + TimeSpan.FromSeconds(retryAfterSeconds);
        lock (_gate)
        {
            if (global)
            {
                _globalUntil = until;
                return;
            }

            var key = _bucketOfRoute.GetValueOrDefault(route) ?? route;
            _bucketOfRoute[route] = key;
            _buckets[key] = new Bucket { Remaining = 0, ResetAt = until };
            PruneExpired();
        }
    }

    private static string MajorOf(string route)
    {
        var parts = route.Split(' ', 2)[^1].Split('/');
        return parts.Length > 1 ? parts[0] + "/" + parts[1] : parts[0];
    }

    private static string? Header(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private sealed class Bucket
    {
        public int Remaining { get; set; }

        public DateTimeOffset ResetAt { get; set; }
    }
}
