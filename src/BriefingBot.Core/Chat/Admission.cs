using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace BriefingBot.Core.Chat;

/// <summary>Who asked, and where: what the per-user and per-channel limits count by.</summary>
public sealed record Requester(string Platform, string User, string Channel);

/// <summary>Settings of the <c>Admission</c> section: how much work the bot takes on at once, and from whom.</summary>
public sealed class AdmissionOptions
{
    public const string Section = "Admission";

    /// <summary>Requests worked on at once; 0 means one per processor core.</summary>
    [Range(0, 256, ErrorMessage = "Admission:MaxConcurrent must be between 0 (one per core) and 256.")]
    public int MaxConcurrent { get; set; }

    /// <summary>Requests that may wait for a free slot; past that the bot answers that it is busy.</summary>
    [Range(0, 10_000, ErrorMessage = "Admission:MaxQueued must be between 0 and 10000.")]
    public int MaxQueued { get; set; } = 100;

    /// <summary>How long a request may wait for a slot before it is answered with "busy".</summary>
    public TimeSpan QueueTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Requests one person may make in <see cref="PerUserWindow"/>; 0 for no limit.</summary>
    [Range(0, 10_000, ErrorMessage = "Admission:PerUserRequests must be between 0 (no limit) and 10000.")]
    public int PerUserRequests { get; set; } = 10;

    public TimeSpan PerUserWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Speaker suggestions (Discord's autocomplete, a request per keystroke) one person may ask in <see cref="PerUserWindow"/>; 0 for no limit.</summary>
    [Range(0, 100_000)]
    public int PerUserSuggestions { get; set; } = 120;

    /// <summary>Requests one channel may make in <see cref="PerChannelWindow"/>; 0 for no limit.</summary>
    [Range(0, 100_000, ErrorMessage = "Admission:PerChannelRequests must be between 0 (no limit) and 100000.")]
    public int PerChannelRequests { get; set; } = 30;

    public TimeSpan PerChannelWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Language-model calls at once; a question past it is answered extractively.</summary>
    [Range(1, 1000, ErrorMessage = "Admission:MaxModelCalls must be between 1 and 1000.")]
    public int MaxModelCalls { get; set; } = 4;

    /// <summary>Language-model calls a day (UTC); 0 for no cap. Past it, answers are extractive until midnight.</summary>
    [Range(0, 10_000_000, ErrorMessage = "Admission:DailyModelCalls must be zero (no cap) or more.")]
    public int DailyModelCalls { get; set; }

    /// <summary>The longest window an on-demand briefing covers; a longer one is cut to its most recent part.</summary>
    public TimeSpan MaxBriefingWindow { get; set; } = TimeSpan.FromDays(31);
}

/// <summary>What admission decided for a request.</summary>
public abstract record Admission
{
    /// <summary>Work on it; dispose the lease when done.</summary>
    public sealed record Admitted(IDisposable Lease) : Admission;

    /// <summary>The person or channel is over its limit; <paramref name="FirstNotice"/> is true once per stretch of refusals.</summary>
    public sealed record Throttled(TimeSpan RetryAfter, bool FirstNotice, bool Channel) : Admission;

    /// <summary>Too much is waiting already, or the wait ran out.</summary>
    public sealed record Busy : Admission;
}

/// <summary>
/// Bounds the bot's work: a fixed number of requests at once (the rest wait, up to a limit and a deadline), a
/// sliding-window limit per person and per channel, and a budget of model calls (concurrent and daily). Memory is
/// bounded: idle people and channels are forgotten.
/// </summary>
public sealed class ChatAdmission : IDisposable
{
    private readonly AdmissionOptions _options;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _slots;
    private readonly SemaphoreSlim _modelSlots;
    private readonly SlidingWindows _users;
    private readonly SlidingWindows _channels;
    private readonly SlidingWindows _suggestions;
    private readonly Lock _gate = new();
    private int _waiting;
    private DateOnly _modelDay;
    private int _modelCallsToday;

    private readonly Diagnostics.BotMetrics? _metrics;

    public ChatAdmission(IOptions<AdmissionOptions> options, TimeProvider time, Diagnostics.BotMetrics? metrics = null)
    {
        _metrics = metrics;
        metrics?.ObserveQueue(() => Waiting);
        _options = options.Value;
        _time = time;
        var slots = _options.MaxConcurrent > 0 ? _options.MaxConcurrent : Environment.ProcessorCount;
        _slots = new SemaphoreSlim(slots, slots);
        _modelSlots = new SemaphoreSlim(_options.MaxModelCalls, _options.MaxModelCalls);
        _users = new SlidingWindows(_options.PerUserRequests, _options.PerUserWindow);
        _channels = new SlidingWindows(_options.PerChannelRequests, _options.PerChannelWindow);
        _suggestions = new SlidingWindows(_options.PerUserSuggestions, _options.PerUserWindow);
    }

    public AdmissionOptions Options => _options;

    /// <summary>People and channels whose recent requests are remembered (bounded: idle ones are forgotten).</summary>
    public int Remembered => _users.Count + _channels.Count;

    /// <summary>Requests waiting for a slot now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>The per-person and per-channel limits, then a work slot: <see cref="Limit"/> and <see cref="EnterAsync"/> together.</summary>
    public async Task<Admission> AdmitAsync(Requester? from, CancellationToken cancellationToken = default)
    {
        if (Limit(from) is { } throttled)
        {
            return throttled;
        }

        return await EnterAsync(cancellationToken).ConfigureAwait(false) is { } lease ? new Admission.Admitted(lease) : new Admission.Busy();
    }

    /// <summary>Counts a request against its person's and channel's limits; the refusal when one is spent, else null.</summary>
    public Admission.Throttled? Limit(Requester? from)
    {
        if (from is null)
        {
            return null;
        }

        var now = _time.GetUtcNow();
        if (_users.TryTake($"{from.Platform}:{from.User}", now) is { } user)
        {
            return new Admission.Throttled(user.RetryAfter, user.FirstNotice, Channel: false);
        }

        return _channels.TryTake($"{from.Platform}:{from.Channel}", now) is { } channel
            ? new Admission.Throttled(channel.RetryAfter, channel.FirstNotice, Channel: true)
            : null;
    }

    /// <summary>
    /// A work slot for a suggestion as someone types, only when one is free now and the person is within their own
    /// limit of suggestions (apart from their questions'); null otherwise, and the suggestion is skipped: a keystroke's
    /// answer is worth nothing later, and must never wait in line before a question.
    /// </summary>
    public IDisposable? TrySuggest(Requester from)
    {
        if (_suggestions.TryTake($"{from.Platform}:{from.User}", _time.GetUtcNow()) is not null)
        {
            return null;
        }

        return _slots.Wait(0, CancellationToken.None) ? new Lease(_slots) : null;
    }

    /// <summary>
    /// A work slot (searching, scoring, composing: what uses the processor), waiting in line when all are taken; null
    /// when the line is full or the wait passes <see cref="AdmissionOptions.QueueTimeout"/>. Dispose it when done.
    /// </summary>
    public async Task<IDisposable?> EnterAsync(CancellationToken cancellationToken = default)
    {
        if (_slots.Wait(0, CancellationToken.None))
        {
            return new Lease(_slots);
        }

        if (Interlocked.Increment(ref _waiting) > _options.MaxQueued)
        {
            Interlocked.Decrement(ref _waiting);
            return null;
        }

        var since = _time.GetTimestamp();
        try
        {
            return await _slots.WaitAsync(_options.QueueTimeout, cancellationToken).ConfigureAwait(false) ? new Lease(_slots) : null;
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
            _metrics?.QueueWait(_time.GetElapsedTime(since));
        }
    }

    /// <summary>A model call if the budget allows one now (a free slot, and the daily cap not reached); null otherwise.</summary>
    public IDisposable? TryStartModelCall()
    {
        if (!_modelSlots.Wait(0, CancellationToken.None))
        {
            return null;
        }

        lock (_gate)
        {
            var today = DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);
            if (today != _modelDay)
            {
                (_modelDay, _modelCallsToday) = (today, 0);
            }

            if (_options.DailyModelCalls > 0 && _modelCallsToday >= _options.DailyModelCalls)
            {
                _modelSlots.Release();
                return null;
            }

            _modelCallsToday++;
        }

        return new Lease(_modelSlots);
    }

    public void Dispose()
    {
        _slots.Dispose();
        _modelSlots.Dispose();
    }

    private sealed class Lease(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }

    /// <summary>Per key, the times of the requests in the last window; keys idle for a whole window are dropped.</summary>
    private sealed class SlidingWindows(int limit, TimeSpan window)
    {
        private const int PruneAbove = 10_000;
        private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
        private readonly Lock _gate = new();

        public int Count
        {
            get
            {
                lock (_gate)
                {
                    return _entries.Count;
                }
            }
        }

        public (TimeSpan RetryAfter, bool FirstNotice)? TryTake(string key, DateTimeOffset now)
        {
            if (limit <= 0)
            {
                return null;
            }

            lock (_gate)
            {
                if (_entries.Count > PruneAbove)
                {
                    foreach (var idle in _entries.Where(e => e.Value.Times.Count == 0 || now - e.Value.Times.Last() > window).Select(e => e.Key).ToList())
                    {
                        _entries.Remove(idle);
                    }
                }

                if (!_entries.TryGetValue(key, out var entry))
                {
                    entry = new Entry();
                    _entries[key] = entry;
                }

                while (entry.Times.Count > 0 && now - entry.Times.Peek() >= window)
                {
                    entry.Times.Dequeue();
                }

                if (entry.Times.Count < limit)
                {
                    entry.Times.Enqueue(now);
                    return null;
                }

                var retryAfter = entry.Times.Peek() + window - now;
                var first = now >= entry.NoticedUntil;
                if (first)
                {
                    entry.NoticedUntil = now + retryAfter;
                }

                return (retryAfter, first);
            }
        }

        private sealed class Entry
        {
            public Queue<DateTimeOffset> Times { get; } = new();

            public DateTimeOffset NoticedUntil { get; set; }
        }
    }
}
