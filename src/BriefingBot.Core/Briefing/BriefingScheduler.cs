using Cronos;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BriefingBot.Core.Briefing;

/// <summary>
/// Posts the briefing to every configured channel at each occurrence of the schedule, in its time zone (daylight
/// saving included). Each post is claimed in the ledger first and marked posted after, so a restart, a crash in the
/// middle or a second instance never posts twice; a failed post is retried with backoff under the same claim, and
/// one failing channel does not hold up the others. On start, an occurrence missed while the bot was down is posted
/// late once if within the grace period, otherwise skipped with a log line.
/// </summary>
public sealed partial class BriefingScheduler
{
    private readonly BriefingComposer _composer;
    private readonly IBriefingLedger _ledger;
    private readonly IReadOnlyList<IBriefingPoster> _posters;
    private readonly BriefingOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<BriefingScheduler> _logger;
    private readonly CronExpression _schedule;
    private readonly TimeZoneInfo _zone;
    private readonly Diagnostics.BotMetrics? _metrics;
    private readonly Settings.ChannelSettingsService? _settings;
    private readonly List<IPlatformChannels> _platforms;

    public BriefingScheduler(
        BriefingComposer composer,
        IBriefingLedger ledger,
        IEnumerable<IBriefingPoster> posters,
        IOptions<BriefingOptions> options,
        TimeProvider time,
        ILogger<BriefingScheduler> logger,
        Diagnostics.BotMetrics? metrics = null,
        Settings.ChannelSettingsService? settings = null,
        IEnumerable<IPlatformChannels>? platforms = null)
    {
        _platforms = platforms?.ToList() ?? [];
        _metrics = metrics;
        _settings = settings;
        _composer = composer;
        _ledger = ledger;
        _posters = posters.ToList();
        _options = options.Value;
        _time = time;
        _logger = logger;
        (_schedule, _zone) = Parse(_options);
    }

    private static string PlatformOf(string channel) => channel.Split(':')[0];

    /// <summary>
    /// Checks that a platform of this run can post to every channel of <c>Briefing:Channels</c>, so a channel no
    /// one can serve is reported at start, not when the briefing is due.
    /// </summary>
    public void EnsureChannelsCanBePosted()
    {
        foreach (var entry in _options.Channels)
        {
            var channel = BriefingChannel.Parse(entry, _platforms);
            if (_posters.Any(p => p.Handles(channel.ToString())))
            {
                continue;
            }

            throw new BriefingBotException(_platforms.FirstOrDefault(p => p.Platform == channel.Platform) is { } platform
                ? $"Briefing:Channels has \"{entry}\", but {platform.NotConfigured}."
                : $"Briefing:Channels has \"{entry}\", which only the shell chat can post to; run the bot without platform tokens, or remove it.");
        }
    }

    /// <summary>The occurrence the scheduler is waiting for, once it waits.</summary>
    public DateTimeOffset? NextOccurrence { get; private set; }

    /// <summary>Identifies this instance in the ledger's claims.</summary>
    public string InstanceId { get; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}";

    /// <summary>Reads the schedule and time zone, or says which setting is wrong.</summary>
    public static (CronExpression Schedule, TimeZoneInfo Zone) Parse(BriefingOptions options)
    {
        CronExpression schedule;
        try
        {
            schedule = CronExpression.Parse(options.Schedule);
        }
        catch (CronFormatException ex)
        {
            throw new BriefingBotException($"Briefing:Schedule \"{options.Schedule}\" is not a cron expression: {ex.Message}", ex);
        }

        try
        {
            return (schedule, TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone));
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new BriefingBotException($"Briefing:TimeZone \"{options.TimeZone}\" is not a known time zone.", ex);
        }
    }

    /// <summary>A channel the scheduler posts to, with its own schedule and time zone.</summary>
    public sealed record PlannedChannel(string Channel, CronExpression Schedule, TimeZoneInfo Zone);

    /// <summary>
    /// The channels to post to: those of <c>Briefing:Channels</c> on the bot's schedule, as each channel's own
    /// settings change them (off, or at its own time in its own zone), and those whose settings turned it on.
    /// </summary>
    public async Task<IReadOnlyList<PlannedChannel>> PlanAsync(CancellationToken cancellationToken = default)
    {
        var own = _settings is null ? new Dictionary<string, Settings.ChannelSettings>() : await _settings.AllAsync(cancellationToken).ConfigureAwait(false);
        var channels = _options.Channels.Select(c => c.Trim()).ToList();
        channels.AddRange(own.Values.Where(s => s.BriefingOn == true && !channels.Contains(s.Channel, StringComparer.Ordinal) && _posters.Any(p => p.Handles(s.Channel)))
            .Select(s => s.Channel).Order(StringComparer.Ordinal));
        var plan = new List<PlannedChannel>();
        foreach (var channel in channels.Distinct(StringComparer.Ordinal))
        {
            var settings = own.GetValueOrDefault(channel);
            if (settings?.BriefingOn == false)
            {
                continue;
            }

            var schedule = settings?.BriefingTime is { } at ? CronExpression.Parse($"{at.Minute} {at.Hour} * * *") : _schedule;
            plan.Add(new PlannedChannel(channel, schedule, Settings.ChannelSettingsService.FindZone(settings?.BriefingZone) ?? _zone));
        }

        return plan;
    }

    /// <summary>When <paramref name="channel"/> gets its next briefing after now; null when it gets none.</summary>
    public async Task<DateTimeOffset?> NextOccurrenceForAsync(string channel, CancellationToken cancellationToken = default) =>
        (await PlanAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(p => p.Channel == channel) is { } planned
            ? planned.Schedule.GetNextOccurrence(_time.GetUtcNow(), planned.Zone)
            : null;

    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        if (_options.Channels.Count == 0 && _settings is null)
        {
            return;
        }

        var catchUp = CatchUpAsync(cancellationToken);
        while (!cancellationToken.IsCancellationRequested)
        {
            // A channel's settings changing (its time, on or off) plans again at once.
            var changed = _settings?.Changed ?? Task.Delay(Timeout.Infinite, cancellationToken);
            var now = _time.GetUtcNow();
            var upcoming = (await PlanAsync(cancellationToken).ConfigureAwait(false))
                .Select(p => (p.Channel, Next: p.Schedule.GetNextOccurrence(now, p.Zone)))
                .Where(p => p.Next is not null)
                .ToList();
            if (upcoming.Count == 0 && _settings is null)
            {
                LogNoMoreOccurrences(_options.Schedule);
                return;
            }

            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var occurrence = upcoming.Count == 0 ? (DateTimeOffset?)null : upcoming.Min(p => p.Next!.Value);
            NextOccurrence = occurrence;
            var delay = occurrence is { } at ? Task.Delay(at - now, _time, wait.Token) : Task.Delay(Timeout.Infinite, wait.Token);
            if (occurrence is { } next)
            {
                LogNext(next);
            }

            if (await Task.WhenAny(delay, changed).ConfigureAwait(false) != delay)
            {
                await wait.CancelAsync().ConfigureAwait(false);
                continue;
            }

            await delay.ConfigureAwait(false);
            foreach (var (channel, _) in upcoming.Where(p => p.Next == occurrence))
            {
                await PostChannelAsync(channel, occurrence!.Value, cancellationToken).ConfigureAwait(false);
            }
        }

        await catchUp.ConfigureAwait(false);
    }

    private enum Outcome
    {
        Posted,
        Taken,
        Failed,
    }

    /// <summary>
    /// Posts the latest occurrence before now, if it is unposted and within the grace period; never older ones. A
    /// claim left by an instance that died mid-post is taken over once its lease lapses.
    /// </summary>
    public async Task CatchUpAsync(CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        var pending = new List<(string Channel, DateTimeOffset Last)>();
        foreach (var planned in await PlanAsync(cancellationToken).ConfigureAwait(false))
        {
            var channel = planned.Channel;
            var last = planned.Schedule.GetOccurrences(now - _options.GracePeriod - TimeSpan.FromDays(2), now, planned.Zone, fromInclusive: true, toInclusive: true)
                .LastOrDefault();
            if (last == default || await _ledger.IsPostedAsync(channel, last, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            if (now - last > _options.GracePeriod)
            {
                LogSkipped(channel, last, _options.GracePeriod);
                continue;
            }

            LogCatchUp(channel, last);
            if (await PostChannelAsync(channel, last, cancellationToken).ConfigureAwait(false) == Outcome.Taken)
            {
                pending.Add((channel, last));
            }
        }

        while (pending.Count > 0)
        {
            await Task.Delay(_options.ClaimLease, _time, cancellationToken).ConfigureAwait(false);
            foreach (var (channel, last) in pending.ToList())
            {
                if (await _ledger.IsPostedAsync(channel, last, cancellationToken).ConfigureAwait(false) || _time.GetUtcNow() - last > _options.GracePeriod)
                {
                    pending.Remove((channel, last));
                }
                else if (await PostChannelAsync(channel, last, cancellationToken).ConfigureAwait(false) != Outcome.Taken)
                {
                    pending.Remove((channel, last));
                }
            }
        }
    }

    public async Task RunOccurrenceAsync(DateTimeOffset occurrence, CancellationToken cancellationToken = default)
    {
        foreach (var planned in await PlanAsync(cancellationToken).ConfigureAwait(false))
        {
            await PostChannelAsync(planned.Channel, occurrence, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<Outcome> PostChannelAsync(string channel, DateTimeOffset occurrence, CancellationToken cancellationToken)
    {
        var poster = _posters.FirstOrDefault(p => p.Handles(channel));
        if (poster is null)
        {
            LogNoPoster(channel);
            return Outcome.Failed;
        }

        if (!await _ledger.TryClaimAsync(channel, occurrence, InstanceId, _time.GetUtcNow(), _options.ClaimLease, cancellationToken).ConfigureAwait(false))
        {
            LogAlreadyTaken(channel, occurrence);
            return Outcome.Taken;
        }

        try
        {
            var since = await _ledger.LastPostedUntilAsync(channel, cancellationToken).ConfigureAwait(false);
            var (from, sinceLast) = BriefingWindow.Before(occurrence, since);
            var briefing = await _composer.ComposeAsync(from, occurrence, sinceLast, cancellationToken).ConfigureAwait(false);

            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await poster.PostAsync(channel, briefing, cancellationToken).ConfigureAwait(false);
                    await _ledger.MarkPostedAsync(channel, occurrence, InstanceId, briefing.From, briefing.To, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                    LogPosted(channel, occurrence, briefing.Items.Count);
                    _metrics?.BriefingPost(PlatformOf(channel), "posted");
                    return Outcome.Posted;
                }
                catch (ChannelUnavailableException ex)
                {
                    LogChannelUnavailable(ex, channel);
                    break;
                }
                catch (Exception ex) when (ex is not OperationCanceledException && attempt < _options.MaxAttempts)
                {
                    var delay = Retries.Backoff.Doubling(attempt, _options.RetryDelay, TimeSpan.MaxValue);
                    LogRetry(ex, channel, attempt, delay);
                    await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);

                    // Keep the claim alive across long backoffs.
                    await _ledger.TryClaimAsync(channel, occurrence, InstanceId, _time.GetUtcNow(), _options.ClaimLease, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(ex, channel, occurrence);
        }

        _metrics?.BriefingPost(PlatformOf(channel), "failed");

        await _ledger.ReleaseAsync(channel, occurrence, InstanceId, CancellationToken.None).ConfigureAwait(false);
        return Outcome.Failed;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Next briefing at {Occurrence:u}")]
    private partial void LogNext(DateTimeOffset occurrence);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Briefing:Schedule \"{Schedule}\" has no further occurrence; scheduled briefings stop")]
    private partial void LogNoMoreOccurrences(string schedule);

    [LoggerMessage(Level = LogLevel.Information, Message = "Posting the briefing missed at {Occurrence:u} to {Channel} late, within the grace period")]
    private partial void LogCatchUp(string channel, DateTimeOffset occurrence);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped the briefing of {Occurrence:u} for {Channel}: missed by more than Briefing:GracePeriod ({Grace})")]
    private partial void LogSkipped(string channel, DateTimeOffset occurrence, TimeSpan grace);

    [LoggerMessage(Level = LogLevel.Error, Message = "No platform can post to briefing channel {Channel}; check Briefing:Channels")]
    private partial void LogNoPoster(string channel);

    [LoggerMessage(Level = LogLevel.Information, Message = "The briefing of {Occurrence:u} for {Channel} is posted or being posted by another instance")]
    private partial void LogAlreadyTaken(string channel, DateTimeOffset occurrence);

    [LoggerMessage(Level = LogLevel.Information, Message = "Posted the briefing of {Occurrence:u} to {Channel} ({Items} stories)")]
    private partial void LogPosted(string channel, DateTimeOffset occurrence, int items);

    [LoggerMessage(Level = LogLevel.Error, Message = "Briefing channel {Channel} cannot take posts; the other channels go on")]
    private partial void LogChannelUnavailable(Exception exception, string channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Posting the briefing to {Channel} failed (attempt {Attempt}); retrying in {Delay}")]
    private partial void LogRetry(Exception exception, string channel, int attempt, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "The briefing of {Occurrence:u} for {Channel} was not posted")]
    private partial void LogFailed(Exception exception, string channel, DateTimeOffset occurrence);
}
