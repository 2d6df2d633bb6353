using System.Globalization;
using BriefingBot.Core.Settings;

namespace BriefingBot.Storage.Sqlite;

public sealed partial class SqliteCorpusStore : IChannelSettingsStore
{
    public Task<IReadOnlyList<ChannelSettings>> GetChannelSettingsAsync(CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT channel, only_asker, briefing_on, briefing_time, briefing_zone, updated_by, updated_at FROM channel_settings";
        var result = new List<ChannelSettings>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            result.Add(new ChannelSettings(
                reader.GetString(0),
                reader.IsDBNull(1) ? null : reader.GetInt64(1) != 0,
                reader.IsDBNull(2) ? null : reader.GetInt64(2) != 0,
                reader.IsDBNull(3) ? null : TimeOnly.ParseExact(reader.GetString(3), "HH:mm", CultureInfo.InvariantCulture),
                Db.NullableString(reader, 4),
                Db.NullableString(reader, 5),
                ParseInstant(reader.GetString(6))));
        }

        return Task.FromResult<IReadOnlyList<ChannelSettings>>(result);
    }

    public Task SaveChannelSettingsAsync(ChannelSettings settings, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO channel_settings (channel, only_asker, briefing_on, briefing_time, briefing_zone, updated_by, updated_at)
            VALUES ($channel, $asker, $on, $time, $zone, $by, $at)
            ON CONFLICT (channel) DO UPDATE SET only_asker = excluded.only_asker, briefing_on = excluded.briefing_on, briefing_time = excluded.briefing_time,
                briefing_zone = excluded.briefing_zone, updated_by = excluded.updated_by, updated_at = excluded.updated_at
            """;
        command.Parameters.AddWithValue("$channel", settings.Channel);
        command.Parameters.AddWithValue("$asker", settings.OnlyAsker is { } asker ? asker ? 1 : 0 : DBNull.Value);
        command.Parameters.AddWithValue("$on", settings.BriefingOn is { } on ? on ? 1 : 0 : DBNull.Value);
        command.Parameters.AddWithValue("$time", settings.BriefingTime is { } time ? time.ToString("HH:mm", CultureInfo.InvariantCulture) : DBNull.Value);
        command.Parameters.AddWithValue("$zone", (object?)settings.BriefingZone ?? DBNull.Value);
        command.Parameters.AddWithValue("$by", (object?)settings.UpdatedBy ?? DBNull.Value);
        command.Parameters.AddWithValue("$at", FormatInstant(settings.UpdatedAt));
        command.ExecuteNonQuery();
        return Task.CompletedTask;
    }
}
