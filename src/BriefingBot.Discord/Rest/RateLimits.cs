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
    private readonly Dictionary<string, string> _bucketOfRoute = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private DateTimeOffset _globalUntil;

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

                if (until <= now)
                {
                    // Take a request from the bucket now, so requests running side by side don't overspend it.
                    if (bucket is not null)
                    {
                        bucket.Remaining--;
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
