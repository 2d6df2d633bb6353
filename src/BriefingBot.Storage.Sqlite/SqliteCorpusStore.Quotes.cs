using BriefingBot.Core.Articles;
using BriefingBot.Core.Quotes;
using Microsoft.Data.Sqlite;

namespace BriefingBot.Storage.Sqlite;

public sealed partial class SqliteCorpusStore
{
    public async Task<IReadOnlyList<SpeakerSummary>> GetSpeakersAsync(CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        // The name and description are those of the speaker's longest-described mention.
        command.CommandText = """
            SELECT speaker_key,
                   (SELECT q2.speaker FROM quotes q2 WHERE q2.speaker_key = q.speaker_key ORDER BY length(q2.speaker) DESC LIMIT 1),
                   (SELECT q3.description FROM quotes q3 WHERE q3.speaker_key = q.speaker_key AND q3.description IS NOT NULL
                       ORDER BY length(q3.description) DESC LIMIT 1),
                   group_concat(DISTINCT aliases),
                   sum(kind = 'direct'), sum(kind = 'partial'), sum(kind = 'paraphrase')
            FROM quotes q
            GROUP BY speaker_key
            ORDER BY sum(kind <> 'paraphrase') DESC, speaker_key
            """;
        var result = new List<SpeakerSummary>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var aliases = reader.IsDBNull(3) ? [] : reader.GetString(3).Split([',', '|'], StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();
            result.Add(new SpeakerSummary(
                reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), aliases,
                reader.GetInt32(4), reader.GetInt32(5), reader.GetInt32(6)));
        }

        return result;
    }

    public async Task<IReadOnlyList<StoredQuote>> GetQuotesAsync(QuoteFilter filter, CancellationToken cancellationToken = default)
    {
        // SQLite takes at most 32,766 parameters a statement: a long list of articles (a briefing over a month of a
        // large archive) is asked for in parts.
        if (filter.ArticleIds is { Count: > 500 } many)
        {
            var parts = new List<StoredQuote>();
            foreach (var chunk in many.Chunk(500))
            {
                parts.AddRange(await GetQuotesAsync(filter with { ArticleIds = chunk }, cancellationToken).ConfigureAwait(false));
            }

            return parts.OrderBy(q => q.ArticleId.Value, StringComparer.Ordinal).ThenBy(q => q.Span.Start).ToList();
        }

        using var connection = Open();
        using var command = connection.CreateCommand();
        var where = new List<string>();
        if (filter.SpeakerKeys is { } keys)
        {
            where.Add($"speaker_key IN ({Parameters(command, keys.Select(k => (object)k))})");
        }

        if (filter.ArticleIds is { } articles)
        {
            where.Add($"article_id IN ({Parameters(command, articles.Select(a => (object)a.Value), "$a")})");
        }

        if (filter.Ids is { } ids)
        {
            where.Add($"id IN ({Parameters(command, ids.Select(i => (object)i), "$i")})");
        }

        command.CommandText =
            $"SELECT {StoredForm.QuoteColumns} FROM quotes" +
            (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : string.Empty) + " ORDER BY article_id, start";
        var result = new List<StoredQuote>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(StoredForm.ReadQuote(reader));
        }

        return result;
    }

    public async Task<IReadOnlyList<(long QuoteId, double Score)>> SearchQuotesAsync(IReadOnlyList<string> terms, int limit, CancellationToken cancellationToken = default)
    {
        var match = MatchExpression(terms);
        if (match is null)
        {
            return [];
        }

        return await WithSearchIndexAsync(async () =>
        {
            using var connection = Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT rowid, -bm25(quotes_fts) FROM quotes_fts WHERE quotes_fts MATCH $match ORDER BY bm25(quotes_fts) LIMIT $limit";
            command.Parameters.AddWithValue("$match", match);
            command.Parameters.AddWithValue("$limit", limit);
            var result = new List<(long, double)>();
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                result.Add((reader.GetInt64(0), reader.GetDouble(1)));
            }

            return (IReadOnlyList<(long QuoteId, double Score)>)result;
        }).ConfigureAwait(false);
    }
}
