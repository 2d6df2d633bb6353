using System.Text;
using BriefingBot.Core.Articles;
using Microsoft.Data.Sqlite;

namespace BriefingBot.Storage.Sqlite;

public sealed partial class SqliteCorpusStore
{
    public async Task<IReadOnlyList<ScoredPassage>> SearchKeywordsAsync(IReadOnlyList<string> terms, int limit, CancellationToken cancellationToken = default)
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
            // bm25() is lower for better matches; the score is negated so that higher is better everywhere.
            command.CommandText = """
            SELECT f.rowid, p.article_id, -bm25(passages_fts) AS score
            FROM passages_fts f JOIN passages p ON p.id = f.rowid
            WHERE passages_fts MATCH $match
            ORDER BY bm25(passages_fts)
            LIMIT $limit
            """;
            command.Parameters.AddWithValue("$match", match);
            command.Parameters.AddWithValue("$limit", limit);
            var result = new List<ScoredPassage>(limit);
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                result.Add(new ScoredPassage(reader.GetInt64(0), new ArticleId(reader.GetString(1)), reader.GetDouble(2)));
            }

            return (IReadOnlyList<ScoredPassage>)result;
        }).ConfigureAwait(false);
    }

    public async Task<(IReadOnlyDictionary<string, int> Frequencies, int Passages)> GetDocumentFrequenciesAsync(
        IReadOnlyList<string> terms, CancellationToken cancellationToken = default)
    {
        return await WithSearchIndexAsync(async () =>
        {
            using var connection = Open();
            var frequencies = new Dictionary<string, int>(StringComparer.Ordinal);
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM passages_fts WHERE passages_fts MATCH $match";
            var parameter = command.Parameters.Add("$match", SqliteType.Text);
            foreach (var term in terms.Distinct(StringComparer.Ordinal))
            {
                var match = MatchExpression([term]);
                if (match is null)
                {
                    continue;
                }

                parameter.Value = match;
                frequencies[term] = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            }

            using var count = connection.CreateCommand();
            count.CommandText = "SELECT count(*) FROM passages";
            var passages = Convert.ToInt32(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            return ((IReadOnlyDictionary<string, int>)frequencies, passages);
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// An FTS5 query matching any of the terms. Each term is reduced to letters and digits and quoted, so nothing
    /// a user types can be read as FTS5 syntax (NEAR, column filters, unbalanced quotes).
    /// </summary>
    internal static string? MatchExpression(IReadOnlyList<string> terms)
    {
        var parts = new List<string>();
        foreach (var term in terms)
        {
            var sb = new StringBuilder();
            foreach (var c in term)
            {
                if (char.IsLetterOrDigit(c))
                {
                    sb.Append(c);
                }
            }

            if (sb.Length > 0)
            {
                parts.Add($"\"{sb}\"");
            }
        }

        return parts.Count == 0 ? null : string.Join(" OR ", parts.Distinct(StringComparer.Ordinal));
    }
}
