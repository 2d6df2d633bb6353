using BriefingBot.Core.Briefing;

namespace BriefingBot.Storage.Sqlite;

public sealed partial class SqliteCorpusStore : IBriefingLedger
{
    public Task<bool> TryClaimAsync(string channel, DateTimeOffset occurrence, string owner, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = Open();
        using var command = connection.CreateCommand();
        // One statement: a new row, or taking over a lapsed claim (or renewing our own); never a posted one.
        command.CommandText = """
            INSERT INTO briefing_ledger (channel, occurrence, state, owner, lease_until) VALUES ($channel, $occurrence, 'claimed', $owner, $until)
            ON CONFLICT (channel, occurrence) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until
                WHERE briefing_ledger.state = 'claimed' AND (briefing_ledger.lease_until <= $now OR briefing_ledger.owner = excluded.owner);
            SELECT state = 'claimed' AND owner = $owner FROM briefing_ledger WHERE channel = $channel AND occurrence = $occurrence;
            """;
        command.Parameters.AddWithValue("$channel", channel);
        command.Parameters.AddWithValue("$occurrence", FormatInstant(occurrence));
        command.Parameters.AddWithValue("$owner", owner);
        command.Parameters.AddWithValue("$until", FormatInstant(now + lease));
        command.Parameters.AddWithValue("$now", FormatInstant(now));
        return Task.FromResult(Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 1);
    }

    public Task MarkPostedAsync(string channel, DateTimeOffset occurrence, string owner, DateTimeOffset windowFrom, DateTimeOffset windowTo, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE briefing_ledger SET state = 'posted', window_from = $from, window_to = $to, posted_at = $now
            WHERE channel = $channel AND occurrence = $occurrence AND owner = $owner
            """;
        command.Parameters.AddWithValue("$channel", channel);
        command.Parameters.AddWithValue("$occurrence", FormatInstant(occurrence));
        command.Parameters.AddWithValue("$owner", owner);
        command.Parameters.AddWithValue("$from", FormatInstant(windowFrom));
        command.Parameters.AddWithValue("$to", FormatInstant(windowTo));
        command.Parameters.AddWithValue("$now", FormatInstant(now));
        command.ExecuteNonQuery();
        return Task.CompletedTask;
    }

    public Task ReleaseAsync(string channel, DateTimeOffset occurrence, string owner, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM briefing_ledger WHERE channel = $channel AND occurrence = $occurrence AND owner = $owner AND state = 'claimed'";
        command.Parameters.AddWithValue("$channel", channel);
        command.Parameters.AddWithValue("$occurrence", FormatInstant(occurrence));
        command.Parameters.AddWithValue("$owner", owner);
        command.ExecuteNonQuery();
        return Task.CompletedTask;
    }

    public Task<bool> IsPostedAsync(string channel, DateTimeOffset occurrence, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM briefing_ledger WHERE channel = $channel AND occurrence = $occurrence AND state = 'posted'";
        command.Parameters.AddWithValue("$channel", channel);
        command.Parameters.AddWithValue("$occurrence", FormatInstant(occurrence));
        return Task.FromResult(Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0);
    }

    public Task<DateTimeOffset?> LastPostedUntilAsync(string? channel, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT max(window_to) FROM briefing_ledger WHERE state = 'posted' AND ($channel IS NULL OR channel = $channel)";
        command.Parameters.AddWithValue("$channel", (object?)channel ?? DBNull.Value);
        return Task.FromResult(command.ExecuteScalar() is string value ? ParseInstant(value) : (DateTimeOffset?)null);
    }
}
