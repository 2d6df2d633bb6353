using System.Text.Json;
using BriefingBot.Core.Feedback;
using Microsoft.Data.Sqlite;

namespace BriefingBot.Storage.Sqlite;

public sealed partial class SqliteCorpusStore : IFeedbackStore
{
    private byte[]? _voterKey;

    public Task RememberAnswerAsync(ShownAnswer answer, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO shown_answers (id, platform, channel, question, shown, sources, generated, shown_at)
            VALUES ($id, $platform, $channel, $question, $shown, $sources, $generated, $at)
            """;
        command.Parameters.AddWithValue("$id", answer.Id);
        command.Parameters.AddWithValue("$platform", answer.Platform);
        command.Parameters.AddWithValue("$channel", (object?)answer.Channel ?? DBNull.Value);
        command.Parameters.AddWithValue("$question", answer.Question);
        command.Parameters.AddWithValue("$shown", answer.Shown);
        command.Parameters.AddWithValue("$sources", JsonSerializer.Serialize(answer.Sources, StoreJsonContext.Default.IReadOnlyListString));
        command.Parameters.AddWithValue("$generated", answer.Generated ? 1 : 0);
        command.Parameters.AddWithValue("$at", FormatInstant(answer.ShownAt));
        command.ExecuteNonQuery();
        return Task.CompletedTask;
    }

    public Task<byte[]> VoterKeyAsync(CancellationToken cancellationToken = default)
    {
        if (_voterKey is null)
        {
            using var connection = Open();
            _voterKey = Convert.FromHexString((string)Scalar(connection, null, "SELECT value FROM meta WHERE key = 'voter_key'")!);
        }

        return Task.FromResult(_voterKey);
    }

    public Task<(bool Known, bool? Before)> VoteAsync(string answerId, string voter, bool up, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction(deferred: false);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.Parameters.AddWithValue("$answer", answerId);
        command.Parameters.AddWithValue("$voter", voter);
        command.Parameters.AddWithValue("$up", up ? 1 : 0);
        command.Parameters.AddWithValue("$at", FormatInstant(now));
        command.CommandText = "SELECT count(*) FROM shown_answers WHERE id = $answer";
        if (Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            return Task.FromResult<(bool, bool?)>((false, null));
        }

        command.CommandText = "SELECT up FROM votes WHERE answer_id = $answer AND voter = $voter";
        bool? before = command.ExecuteScalar() is long previous ? previous != 0 : null;
        command.CommandText = """
            INSERT INTO votes (answer_id, voter, up, voted_at) VALUES ($answer, $voter, $up, $at)
            ON CONFLICT (answer_id, voter) DO UPDATE SET up = excluded.up, voted_at = excluded.voted_at
            """;
        command.ExecuteNonQuery();
        transaction.Commit();
        return Task.FromResult<(bool, bool?)>((true, before));
    }

    public Task<bool> CommentAsync(string answerId, string voter, string comment, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE votes SET comment = $comment, voted_at = $at WHERE answer_id = $answer AND voter = $voter";
        command.Parameters.AddWithValue("$answer", answerId);
        command.Parameters.AddWithValue("$voter", voter);
        command.Parameters.AddWithValue("$comment", comment);
        command.Parameters.AddWithValue("$at", FormatInstant(now));
        return Task.FromResult(command.ExecuteNonQuery() > 0);
    }

    public Task<IReadOnlyList<VoteCount>> CountVotesAsync(CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT substr(v.voted_at, 1, 10), a.platform, sum(v.up), sum(1 - v.up)
            FROM votes v JOIN shown_answers a ON a.id = v.answer_id
            GROUP BY 1, 2 ORDER BY 1, 2
            """;
        var result = new List<VoteCount>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            result.Add(new VoteCount(DateOnly.ParseExact(reader.GetString(0), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                reader.GetString(1), reader.GetInt32(2), reader.GetInt32(3)));
        }

        return Task.FromResult<IReadOnlyList<VoteCount>>(result);
    }

    public Task<IReadOnlyList<(ShownAnswer Answer, AnswerVote Vote)>> VotedDownAsync(CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT a.id, a.platform, a.channel, a.question, a.shown, a.sources, a.generated, a.shown_at, v.voter, v.comment, v.voted_at
            FROM votes v JOIN shown_answers a ON a.id = v.answer_id
            WHERE v.up = 0 ORDER BY v.voted_at DESC
            """;
        var result = new List<(ShownAnswer, AnswerVote)>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var answer = new ShownAnswer(reader.GetString(0), reader.GetString(1), Db.NullableString(reader, 2), reader.GetString(3), reader.GetString(4),
                JsonSerializer.Deserialize(reader.GetString(5), StoreJsonContext.Default.IReadOnlyListString) ?? [], reader.GetInt64(6) != 0, ParseInstant(reader.GetString(7)));
            result.Add((answer, new AnswerVote(answer.Id, reader.GetString(8), false, Db.NullableString(reader, 9), ParseInstant(reader.GetString(10)))));
        }

        return Task.FromResult<IReadOnlyList<(ShownAnswer, AnswerVote)>>(result);
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class StoreJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
