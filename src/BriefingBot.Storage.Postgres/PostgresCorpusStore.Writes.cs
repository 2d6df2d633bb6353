using BriefingBot.Core.Articles;
using BriefingBot.Core.Ingestion;
using BriefingBot.Core.Quotes;
using Npgsql;
using NpgsqlTypes;

namespace BriefingBot.Storage.Postgres;

public sealed partial class PostgresCorpusStore
{
    public async Task<SourceWriteResult> ReplaceSourceAsync(SourceRecord source, IReadOnlyList<IngestedArticle> articles, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        LockCorpusWrites(connection, transaction);

        // An article keeps the instant it was first seen when its file changes.
        var firstSeen = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        await using (var command = Db.Command(connection, transaction, "SELECT id, first_ingested FROM articles WHERE source_path = @path", ("@path", source.Path)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                firstSeen[reader.GetString(0)] = Instant(reader, 1).UtcDateTime;
            }
        }

        DeleteSource(connection, transaction, source.Path);

        // Which ids other sources use, asked once for the whole source; ids taken within it are added as they are.
        var owners = Owners(connection, transaction, articles.Select(a => a.Article.Id.Value));
        var problems = new List<IngestProblem>();
        var kept = new List<IngestedArticle>(articles.Count);
        foreach (var candidate in articles)
        {
            var ingested = candidate;
            var article = ingested.Article;
            var other = owners.GetValueOrDefault(article.Id.Value);
            if (other is not null && other.Value.Text == article.Text)
            {
                problems.Add(new IngestProblem(article.Source, null, $"article id '{article.Id}' is already used by {other.Value.Source} for the same text; this copy is skipped"));
                continue;
            }

            if (other is not null)
            {
                // A different article under an id another article uses: kept under an id of its own, never lost.
                var id = article.Id;
                for (var n = 2; owners.ContainsKey(id.Value) || Owners(connection, transaction, [id.Value]).Count > 0; n++)
                {
                    id = new ArticleId($"{article.Id.Value}~{n}");
                }

                problems.Add(new IngestProblem(article.Source, null, $"article id '{article.Id}' is used by {other.Value.Source} for a different article; this one is kept as '{id}'") { Stored = true });
                ingested = ingested.WithId(id);
                article = ingested.Article;
            }

            owners[article.Id.Value] = (article.Source, article.Text);
            kept.Add(ingested);
        }

        // Passage ids are never used twice, so the vector index can tell a new passage from a removed one.
        var nextPassage = 1 + Convert.ToInt64(Db.Scalar(connection, transaction,
            "SELECT greatest(coalesce((SELECT max(id) FROM passages), 0), (SELECT value::bigint FROM meta WHERE key = 'passage_high'))"),
            System.Globalization.CultureInfo.InvariantCulture);
        nextPassage = await CopyAsync(connection, source, kept, firstSeen, nextPassage, cancellationToken).ConfigureAwait(false);

        Db.Execute(connection, transaction, """
            INSERT INTO sources (path, hash, length, ingested_at) VALUES (@path, @hash, @length, @at)
            ON CONFLICT (path) DO UPDATE SET hash = excluded.hash, length = excluded.length, ingested_at = excluded.ingested_at
            """, ("@path", source.Path), ("@hash", source.ContentHash), ("@length", source.Length), ("@at", Utc(source.IngestedAt)));
        Db.Execute(connection, transaction, "UPDATE meta SET value = @high WHERE key = 'passage_high'",
            ("@high", (nextPassage - 1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Db.Execute(connection, transaction, "INSERT INTO keyword_log (source_path) VALUES (@path)", ("@path", source.Path));
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        _keywords.CatchUp(connection);
        return new SourceWriteResult(kept.Count, problems);
    }

    public async Task RemoveSourceAsync(string path, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        LockCorpusWrites(connection, transaction);
        DeleteSource(connection, transaction, path);
        Db.Execute(connection, transaction, "DELETE FROM sources WHERE path = @path", ("@path", path));

        // Vectors no passage uses any more. Their rows may be used again, so the vector indexes load whole next time.
        if (Db.Execute(connection, transaction, "DELETE FROM vectors v WHERE NOT EXISTS (SELECT 1 FROM passages p WHERE p.text_hash = v.text_hash)") > 0)
        {
            Db.Execute(connection, transaction, "UPDATE meta SET value = (value::bigint + 1)::text WHERE key = 'vector_resets'");
        }

        Db.Execute(connection, transaction, "INSERT INTO keyword_log (source_path) VALUES (@path)", ("@path", path));
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        _keywords.CatchUp(connection);
    }

    /// <summary>Who holds each of <paramref name="ids"/> now: the source it came from and its text.</summary>
    private static Dictionary<string, (string Source, string Text)?> Owners(NpgsqlConnection connection, NpgsqlTransaction transaction, IEnumerable<string> ids)
    {
        var owners = new Dictionary<string, (string Source, string Text)?>(StringComparer.Ordinal);
        using var command = Db.Command(connection, transaction, "SELECT id, source, text FROM articles WHERE id = ANY(@ids)", ("@ids", ids.Distinct().ToArray()));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            owners[reader.GetString(0)] = (reader.GetString(1), reader.GetString(2));
        }

        return owners;
    }

    private static void DeleteSource(NpgsqlConnection connection, NpgsqlTransaction transaction, string path) =>
        Db.Execute(connection, transaction, """
            DELETE FROM quotes WHERE article_id IN (SELECT id FROM articles WHERE source_path = @path);
            DELETE FROM article_stories WHERE article_id IN (SELECT id FROM articles WHERE source_path = @path);
            INSERT INTO removed_passages (passage_id)
                SELECT id FROM passages WHERE article_id IN (SELECT id FROM articles WHERE source_path = @path);
            DELETE FROM removed_passages WHERE seq <= (SELECT max(seq) FROM removed_passages) - 200000;
            DELETE FROM passages WHERE article_id IN (SELECT id FROM articles WHERE source_path = @path);
            DELETE FROM articles WHERE source_path = @path;
            """, ("@path", path));

    /// <summary>Writes the articles, their passages and their quotes with COPY; returns the next free passage id.</summary>
    private static async Task<long> CopyAsync(
        NpgsqlConnection connection, SourceRecord source, List<IngestedArticle> articles, Dictionary<string, DateTime> firstSeen, long nextPassage,
        CancellationToken cancellationToken)
    {
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY articles (id, source_path, source, title, outlet, url, published, published_utc, author, dateline, text, first_ingested) FROM STDIN (FORMAT BINARY)",
            cancellationToken).ConfigureAwait(false))
        {
            foreach (var article in articles.Select(a => a.Article))
            {
                await copy.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(article.Id.Value, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(source.Path, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(article.Source, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(article.Title, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await WriteNullableAsync(copy, article.Outlet, cancellationToken).ConfigureAwait(false);
                await WriteNullableAsync(copy, article.Url, cancellationToken).ConfigureAwait(false);
                await WriteNullableAsync(copy, article.Published, cancellationToken).ConfigureAwait(false);
                if (article.PublishedAt is { } published)
                {
                    await copy.WriteAsync(Utc(published), NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await copy.WriteNullAsync(cancellationToken).ConfigureAwait(false);
                }

                await WriteNullableAsync(copy, article.Author, cancellationToken).ConfigureAwait(false);
                await WriteNullableAsync(copy, article.Dateline, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(article.Text, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(firstSeen.TryGetValue(article.Id.Value, out var first) ? first : Utc(article.FirstIngested), NpgsqlDbType.TimestampTz, cancellationToken)
                    .ConfigureAwait(false);
            }

            await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY passages (id, article_id, ordinal, paragraph, start, length, sentences, text, own_start, text_hash) FROM STDIN (FORMAT BINARY)",
            cancellationToken).ConfigureAwait(false))
        {
            foreach (var (article, passage) in articles.SelectMany(a => a.Passages.Select(p => (a.Article, p))))
            {
                await copy.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(nextPassage++, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(article.Id.Value, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(passage.Ordinal, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(passage.Paragraph, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(passage.Span.Start, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(passage.Span.Length, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(StoredForm.EncodeSpans(passage.Sentences), NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(passage.Text, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(passage.OwnStart, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(StoredForm.TextHash(passage.OwnText), NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
            }

            await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY quotes (article_id, kind, start, length, text, speaker, speaker_key, description, aliases, mention_start, mention_length) FROM STDIN (FORMAT BINARY)",
            cancellationToken).ConfigureAwait(false))
        {
            foreach (var (article, quote) in articles.SelectMany(a => a.Quotes.Select(q => (a.Article, q))))
            {
                await copy.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(article.Id.Value, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(quote.Kind.ToString().ToLowerInvariant(), NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(quote.Span.Start, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(quote.Span.Length, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(quote.Text, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(quote.Speaker.Name, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(Speaker.KeyOf(quote.Speaker.Name), NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await WriteNullableAsync(copy, quote.Speaker.Description, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(string.Join('|', quote.Speaker.Aliases), NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(quote.Mention.Start, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(quote.Mention.Length, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            }

            await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        return nextPassage;
    }

    private static Task WriteNullableAsync(NpgsqlBinaryImporter copy, string? value, CancellationToken cancellationToken) =>
        value is null ? copy.WriteNullAsync(cancellationToken) : copy.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);
}
