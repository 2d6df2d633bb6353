using System.Text;
using BriefingBot.Core.Articles;
using Microsoft.Data.Sqlite;

namespace BriefingBot.Storage.Sqlite;

public sealed partial class SqliteCorpusStore
{
    public Task<IReadOnlyList<ScoredPassage>> SearchKeywordsAsync(IReadOnlyList<string> terms, int limit, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = Open();
        return Task.FromResult<IReadOnlyList<ScoredPassage>>(_keywords.Search(connection, terms, limit));
    }

    public Task<(IReadOnlyDictionary<string, int> Frequencies, int Passages)> GetDocumentFrequenciesAsync(
        IReadOnlyList<string> terms, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = Open();
        var (frequencies, passages) = _keywords.DocumentFrequencies(connection, terms);
        return Task.FromResult<(IReadOnlyDictionary<string, int>, int)>((frequencies, passages));
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
