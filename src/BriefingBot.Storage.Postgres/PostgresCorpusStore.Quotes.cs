using BriefingBot.Core.Articles;
using BriefingBot.Core.Quotes;

namespace BriefingBot.Storage.Postgres;

public sealed partial class PostgresCorpusStore
{
    public async Task<IReadOnlyList<SpeakerSummary>> GetSpeakersAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // The name and description are those of the speaker's longest-described mention (the first stored, on a tie).
        await using var command = Db.Command(connection, null, """
            SELECT speaker_key,
                   (SELECT q2.speaker FROM quotes q2 WHERE q2.speaker_key = q.speaker_key ORDER BY length(q2.speaker) DESC, q2.id LIMIT 1),
                   (SELECT q3.description FROM quotes q3 WHERE q3.speaker_key = q.speaker_key AND q3.description IS NOT NULL
                       ORDER BY length(q3.description) DESC, q3.id LIMIT 1),
                   string_agg(DISTINCT aliases, ','),
                   count(*) FILTER (WHERE kind = 'direct'), count(*) FILTER (WHERE kind = 'partial'), count(*) FILTER (WHERE kind = 'paraphrase')
            FROM quotes q
            GROUP BY speaker_key
            ORDER BY count(*) FILTER (WHERE kind <> 'paraphrase') DESC, speaker_key COLLATE "C"
            """);
        var result = new List<SpeakerSummary>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var aliases = reader.IsDBNull(3) ? [] : reader.GetString(3).Split([',', '|'], StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();
            result.Add(new SpeakerSummary(
                reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), aliases,
                (int)reader.GetInt64(4), (int)reader.GetInt64(5), (int)reader.GetInt64(6)));
        }

        return result;
    }

    public async Task<IReadOnlyList<StoredQuote>> GetQuotesAsync(QuoteFilter filter, CancellationToken cancellationToken = default)
    {
        // Lists travel as arrays: a briefing over a month of a large archive asks for any number of articles.
        var where = new List<string>();
        var parameters = new List<(string, object?)>();
        if (filter.SpeakerKeys is { } keys)
        {
            where.Add("speaker_key = ANY(@keys)");
            parameters.Add(("@keys", keys.ToArray()));
        }

        if (filter.ArticleIds is { } articles)
        {
            where.Add("article_id = ANY(@articles)");
            parameters.Add(("@articles", articles.Select(a => a.Value).ToArray()));
        }

        if (filter.Ids is { } ids)
        {
            where.Add("id = ANY(@ids)");
            parameters.Add(("@ids", ids.ToArray()));
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Db.Command(connection, null,
            $"SELECT {StoredForm.QuoteColumns} FROM quotes" +
            (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : string.Empty) + " ORDER BY article_id COLLATE \"C\", start",
            [.. parameters]);
        var result = new List<StoredQuote>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(StoredForm.ReadQuote(reader));
        }

        return result;
    }

    /// <summary>
    /// PostgreSQL's full-text search over quote text (English stemming, ranked by cover density). Each term is read as
    /// plain words, never as query syntax.
    /// </summary>
    public async Task<IReadOnlyList<(long QuoteId, double Score)>> SearchQuotesAsync(IReadOnlyList<string> terms, int limit, CancellationToken cancellationToken = default)
    {
        var words = terms.Where(t => t.Any(char.IsLetterOrDigit)).Distinct(StringComparer.Ordinal).ToArray();
        if (words.Length == 0 || limit <= 0)
        {
            return [];
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var any = string.Join(" || ", words.Select((_, i) => $"phraseto_tsquery('english', @w{i})"));
        await using var command = Db.Command(connection, null, $"""
            SELECT id, ts_rank_cd(search, q) AS score FROM quotes, (SELECT {any} AS q) query
            WHERE search @@ q
            ORDER BY score DESC, id
            LIMIT @limit
            """, [.. words.Select((w, i) => ($"@w{i}", (object?)w)), ("@limit", limit)]);
        var result = new List<(long, double)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add((reader.GetInt64(0), reader.GetFloat(1)));
        }

        return result;
    }
}
