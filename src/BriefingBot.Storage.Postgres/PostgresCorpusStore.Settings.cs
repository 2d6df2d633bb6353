using System.Globalization;
using BriefingBot.Core.Settings;

namespace BriefingBot.Storage.Postgres;

/// <summary>Per-channel settings.</summary>
public sealed partial class PostgresCorpusStore : IChannelSettingsStore
{
    public async Task<IReadOnlyList<ChannelSettings>> GetChannelSettingsAsync(CancellationToken cancellationToken = default)
    {
        var result = new List<ChannelSettings>();
        await ReadAsync("SELECT channel, only_asker, briefing_on, briefing_time, briefing_zone, updated_by, updated_at FROM channel_settings", [], reader =>
            result.Add(new ChannelSettings(
                reader.GetString(0),
                reader.IsDBNull(1) ? null : reader.GetBoolean(1),
                reader.IsDBNull(2) ? null : reader.GetBoolean(2),
                reader.IsDBNull(3) ? null : TimeOnly.ParseExact(reader.GetString(3), "HH:mm", CultureInfo.InvariantCulture),
                Db.NullableString(reader, 4),
                Db.NullableString(reader, 5),
                Instant(reader, 6))), cancellationToken).ConfigureAwait(false);
        return result;
    }

    public Task SaveChannelSettingsAsync(ChannelSettings settings, CancellationToken cancellationToken = default) => ExecuteAsync("""
        INSERT INTO channel_settings (channel, only_asker, briefing_on, briefing_time, briefing_zone, updated_by, updated_at)
        VALUES (@channel, @asker, @on, @time, @zone, @by, @at)
        ON CONFLICT (channel) DO UPDATE SET only_asker = excluded.only_asker, briefing_on = excluded.briefing_on, briefing_time = excluded.briefing_time,
            briefing_zone = excluded.briefing_zone, updated_by = excluded.updated_by, updated_at = excluded.updated_at
        """, [("@channel", settings.Channel), ("@asker", settings.OnlyAsker), ("@on", settings.BriefingOn),
        ("@time", settings.BriefingTime?.ToString("HH:mm", CultureInfo.InvariantCulture)), ("@zone", settings.BriefingZone), ("@by", settings.UpdatedBy),
        ("@at", Utc(settings.UpdatedAt))], cancellationToken);
}
