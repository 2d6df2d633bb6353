using System.Globalization;

namespace BriefingBot.Core.Settings;

/// <summary>
/// A channel's own settings, over the bot's: whether answers to commands show to everyone or only the asker, and
/// its daily briefing — on or off, at what time in which time zone. Null means "as the bot's settings say".
/// </summary>
/// <param name="Channel">As briefings name channels: "discord:&lt;id&gt;", "slack:&lt;id&gt;" or "shell".</param>
public sealed record ChannelSettings(
    string Channel,
    bool? OnlyAsker = null,
    bool? BriefingOn = null,
    TimeOnly? BriefingTime = null,
    string? BriefingZone = null,
    string? UpdatedBy = null,
    DateTimeOffset UpdatedAt = default);

public interface IChannelSettingsStore
{
    Task<IReadOnlyList<ChannelSettings>> GetChannelSettingsAsync(CancellationToken cancellationToken = default);

    Task SaveChannelSettingsAsync(ChannelSettings settings, CancellationToken cancellationToken = default);
}

/// <summary>The channels' settings, read through a cache that a change empties; whoever waits on <see cref="Changed"/> hears of each change.</summary>
public sealed class ChannelSettingsService(IChannelSettingsStore store, TimeProvider time)
{
    private readonly Lock _gate = new();
    private IReadOnlyDictionary<string, ChannelSettings>? _cache;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next change of any channel's settings.</summary>
    public Task Changed
    {
        get
        {
            lock (_gate)
            {
                return _changed.Task;
            }
        }
    }

    public async Task<IReadOnlyDictionary<string, ChannelSettings>> AllAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _cache) is { } cached)
        {
            return cached;
        }

        var all = (await store.GetChannelSettingsAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(s => s.Channel, StringComparer.Ordinal);
        Volatile.Write(ref _cache, all);
        return all;
    }

    public async Task<ChannelSettings> ForAsync(string channel, CancellationToken cancellationToken = default) =>
        (await AllAsync(cancellationToken).ConfigureAwait(false)).GetValueOrDefault(channel) ?? new ChannelSettings(channel);

    public async Task SaveAsync(ChannelSettings settings, CancellationToken cancellationToken = default)
    {
        await store.SaveChannelSettingsAsync(settings with { UpdatedAt = time.GetUtcNow() }, cancellationToken).ConfigureAwait(false);
        TaskCompletionSource changed;
        lock (_gate)
        {
            Volatile.Write(ref _cache, null);
            (changed, _changed) = (_changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }

        changed.TrySetResult();
    }

    /// <summary>"07:30" or "7:30"; null when it is not a time of day.</summary>
    public static TimeOnly? ParseTime(string? text) =>
        TimeOnly.TryParseExact(text?.Trim(), ["H:mm", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? at : null;

    /// <summary>A time zone by its IANA or Windows id; null when there is no such zone.</summary>
    public static TimeZoneInfo? FindZone(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return null;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id.Trim());
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return null;
        }
    }
}
