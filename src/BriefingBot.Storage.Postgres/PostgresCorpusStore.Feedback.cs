using BriefingBot.Core.Feedback;

namespace BriefingBot.Storage.Postgres;

/// <summary>👍/👎 on answers: the answers shown, votes, comments and their counts.</summary>
public sealed partial class PostgresCorpusStore : IFeedbackStore
{
    private byte[]? _voterKey;

    public Task RememberAnswerAsync(ShownAnswer answer, CancellationToken cancellationToken = default) => ExecuteAsync("""
        INSERT INTO shown_answers (id, platform, channel, question, shown, sources, generated, shown_at)
        VALUES (@id, @platform, @channel, @question, @shown, @sources, @generated, @at)
        """, [("@id", answer.Id), ("@platform", answer.Platform), ("@channel", answer.Channel), ("@question", answer.Question), ("@shown", answer.Shown),
        ("@sources", answer.Sources.ToArray()), ("@generated", answer.Generated), ("@at", Utc(answer.ShownAt))], cancellationToken);

    public async Task<byte[]> VoterKeyAsync(CancellationToken cancellationToken = default)
    {
        if (_voterKey is null)
        {
            string? key = null;
            await ReadAsync("SELECT value FROM meta WHERE key = 'voter_key'", [], reader => key = reader.GetString(0), cancellationToken).ConfigureAwait(false);
            _voterKey = Convert.FromHexString(key!);
        }

        return _voterKey;
    }

    public async Task<(bool Known, bool? Before)> VoteAsync(string answerId, string voter, bool up, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // The answer's row is locked, so two votes of one voter at once are counted as one change of mind.
        if (Db.Scalar(connection, transaction, "SELECT 1 FROM shown_answers WHERE id = @answer FOR UPDATE", ("@answer", answerId)) is null)
        {
            return (false, null);
        }

        var before = Db.Scalar(connection, transaction, "SELECT up FROM votes WHERE answer_id = @answer AND voter = @voter", ("@answer", answerId), ("@voter", voter)) as bool?;
        Db.Execute(connection, transaction, """
            INSERT INTO votes (answer_id, voter, up, voted_at) VALUES (@answer, @voter, @up, @at)
            ON CONFLICT (answer_id, voter) DO UPDATE SET up = excluded.up, voted_at = excluded.voted_at
            """, ("@answer", answerId), ("@voter", voter), ("@up", up), ("@at", Utc(now)));
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (true, before);
    }

    public async Task<bool> CommentAsync(string answerId, string voter, string comment, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        await ExecuteAsync("UPDATE votes SET comment = @comment, voted_at = @at WHERE answer_id = @answer AND voter = @voter",
            [("@answer", answerId), ("@voter", voter), ("@comment", comment), ("@at", Utc(now))], cancellationToken).ConfigureAwait(false) > 0;

    public async Task<IReadOnlyList<VoteCount>> CountVotesAsync(CancellationToken cancellationToken = default)
    {
        var result = new List<VoteCount>();
        await ReadAsync("""
            SELECT (v.voted_at AT TIME ZONE 'UTC')::date, a.platform, count(*) FILTER (WHERE v.up), count(*) FILTER (WHERE NOT v.up)
            FROM votes v JOIN shown_answers a ON a.id = v.answer_id
            GROUP BY 1, 2 ORDER BY 1, a.platform COLLATE "C"
            """, [], reader => result.Add(new VoteCount(DateOnly.FromDateTime(reader.GetDateTime(0)), reader.GetString(1), (int)reader.GetInt64(2), (int)reader.GetInt64(3))),
            cancellationToken).ConfigureAwait(false);
        return result;
    }

    public async Task<IReadOnlyList<(ShownAnswer Answer, AnswerVote Vote)>> VotedDownAsync(CancellationToken cancellationToken = default)
    {
        var result = new List<(ShownAnswer, AnswerVote)>();
        await ReadAsync("""
            SELECT a.id, a.platform, a.channel, a.question, a.shown, a.sources, a.generated, a.shown_at, v.voter, v.comment, v.voted_at
            FROM votes v JOIN shown_answers a ON a.id = v.answer_id
            WHERE NOT v.up ORDER BY v.voted_at DESC
            """, [], reader =>
        {
            var answer = new ShownAnswer(reader.GetString(0), reader.GetString(1), Db.NullableString(reader, 2), reader.GetString(3), reader.GetString(4),
                reader.GetFieldValue<string[]>(5), reader.GetBoolean(6), Instant(reader, 7));
            result.Add((answer, new AnswerVote(answer.Id, reader.GetString(8), false, Db.NullableString(reader, 9), Instant(reader, 10))));
        }, cancellationToken).ConfigureAwait(false);
        return result;
    }
}
