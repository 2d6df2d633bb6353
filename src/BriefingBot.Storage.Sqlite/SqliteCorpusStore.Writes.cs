using BriefingBot.Core.Articles;
using BriefingBot.Core.Ingestion;
using BriefingBot.Core.Quotes;
using Microsoft.Data.Sqlite;

namespace BriefingBot.Storage.Sqlite;

public sealed partial class SqliteCorpusStore
{
    public Task<SourceWriteResult> ReplaceSourceAsync(SourceRecord source, IReadOnlyList<IngestedArticle> articles, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = Open();
        using var transaction = connection.BeginTransaction();

        // An article keeps the instant it was first seen when its file changes.
        var firstSeen = new Dictionary<string, string>(StringComparer.Ordinal);
        using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "SELECT id, first_ingested FROM articles WHERE source_path = $path";
            command.Parameters.AddWithValue("$path", source.Path);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                firstSeen[reader.GetString(0)] = reader.GetString(1);
            }
        }

        DeleteSource(connection, transaction, source.Path);

        // Passage ids are never used twice, so the vector index can tell a new passage from a removed one.
        var nextPassage = 1 + Convert.ToInt64(Scalar(connection, transaction,
            "SELECT max(coalesce((SELECT max(id) FROM passages), 0), coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'passage_high'), 0))"),
            System.Globalization.CultureInfo.InvariantCulture);
        var problems = new List<IngestProblem>();
        using var owner = Command(connection, transaction, "SELECT source, text FROM articles WHERE id = $id", "$id");
        using var insertArticle = Command(connection, transaction,
            "INSERT INTO articles (id, source_path, source, title, outlet, url, published, published_utc, author, dateline, text, first_ingested) " +
            "VALUES ($id, $path, $source, $title, $outlet, $url, $published, $publishedUtc, $author, $dateline, $text, $first)",
            "$id", "$path", "$source", "$title", "$outlet", "$url", "$published", "$publishedUtc", "$author", "$dateline", "$text", "$first");
        using var insertPassage = Command(connection, transaction,
            "INSERT INTO passages (id, article_id, ordinal, paragraph, start, length, sentences, text, own_start, text_hash) " +
            "VALUES ($id, $article, $ordinal, $paragraph, $start, $length, $sentences, $text, $ownStart, $hash)",
            "$id", "$article", "$ordinal", "$paragraph", "$start", "$length", "$sentences", "$text", "$ownStart", "$hash");
        using var insertQuote = Command(connection, transaction,
            "INSERT INTO quotes (article_id, kind, start, length, text, speaker, speaker_key, description, aliases, mention_start, mention_length) " +
            "VALUES ($article, $kind, $start, $length, $text, $speaker, $key, $description, $aliases, $mentionStart, $mentionLength) RETURNING id",
            "$article", "$kind", "$start", "$length", "$text", "$speaker", "$key", "$description", "$aliases", "$mentionStart", "$mentionLength");
        using var insertQuoteFts = Command(connection, transaction, "INSERT INTO quotes_fts (rowid, text) VALUES ($id, $text)", "$id", "$text");

        var stored = 0;
        foreach (var candidate in articles)
        {
            var ingested = candidate;
            var article = ingested.Article;
            var (other, otherText) = Owner(owner, article.Id);
            if (other is not null && otherText == article.Text)
            {
                problems.Add(new IngestProblem(article.Source, null, $"article id '{article.Id}' is already used by {other} for the same text; this copy is skipped"));
                continue;
            }

            if (other is not null)
            {
                // A different article under an id another file uses: kept under an id of its own, never lost.
                var id = article.Id;
                for (var n = 2; Owner(owner, id).Source is not null; n++)
                {
                    id = new ArticleId($"{article.Id.Value}~{n}");
                }

                problems.Add(new IngestProblem(article.Source, null, $"article id '{article.Id}' is used by {other} for a different article; this one is kept as '{id}'") { Stored = true });
                ingested = ingested.WithId(id);
                article = ingested.Article;
            }

            var (passages, quotes) = (ingested.Passages, ingested.Quotes);

            Bind(insertArticle, article.Id.Value, source.Path, article.Source, article.Title, article.Outlet, article.Url, article.Published,
                article.PublishedAt is { } at ? FormatInstant(at) : null, article.Author, article.Dateline, article.Text,
                firstSeen.GetValueOrDefault(article.Id.Value) ?? FormatInstant(article.FirstIngested));
            insertArticle.ExecuteNonQuery();

            foreach (var passage in passages)
            {
                Bind(insertPassage, nextPassage++, article.Id.Value, passage.Ordinal, passage.Paragraph, passage.Span.Start, passage.Span.Length,
                    StoredForm.EncodeSpans(passage.Sentences), passage.Text, passage.OwnStart, StoredForm.TextHash(passage.OwnText));
                insertPassage.ExecuteNonQuery();
            }

            foreach (var quote in quotes)
            {
                Bind(insertQuote, article.Id.Value, quote.Kind.ToString().ToLowerInvariant(), quote.Span.Start, quote.Span.Length, quote.Text,
                    quote.Speaker.Name, Speaker.KeyOf(quote.Speaker.Name), quote.Speaker.Description, string.Join('|', quote.Speaker.Aliases),
                    quote.Mention.Start, quote.Mention.Length);
                var id = (long)insertQuote.ExecuteScalar()!;
                Bind(insertQuoteFts, id, quote.Text);
                insertQuoteFts.ExecuteNonQuery();
            }

            stored++;
        }

        using (var upsert = Command(connection, transaction,
                   "INSERT INTO sources (path, hash, length, ingested_at) VALUES ($path, $hash, $length, $at) " +
                   "ON CONFLICT (path) DO UPDATE SET hash = excluded.hash, length = excluded.length, ingested_at = excluded.ingested_at",
                   "$path", "$hash", "$length", "$at"))
        {
            Bind(upsert, source.Path, source.ContentHash, source.Length, FormatInstant(source.IngestedAt));
            upsert.ExecuteNonQuery();
        }

        using (var high = Command(connection, transaction,
                   "INSERT INTO meta (key, value) VALUES ('passage_high', $high) ON CONFLICT (key) DO UPDATE SET value = excluded.value", "$high"))
        {
            Bind(high, (nextPassage - 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
            high.ExecuteNonQuery();
        }

        MarkChanged(connection, transaction, source.Path);
        transaction.Commit();
        _keywords.CatchUp(connection);
        return Task.FromResult(new SourceWriteResult(stored, problems));
    }

    public Task RemoveSourceAsync(string path, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        DeleteSource(connection, transaction, path);
        using (var command = Command(connection, transaction, "DELETE FROM sources WHERE path = $path", "$path"))
        {
            Bind(command, path);
            command.ExecuteNonQuery();
        }

        // Vectors no passage uses any more. Their rows may be used again, so the vector index loads whole next time.
        if (Convert.ToInt64(Scalar(connection, transaction,
                "DELETE FROM vectors WHERE NOT EXISTS (SELECT 1 FROM passages p WHERE p.text_hash = vectors.text_hash); SELECT changes()"),
                System.Globalization.CultureInfo.InvariantCulture) > 0)
        {
            Execute(connection, "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'vector_resets'", transaction);
        }
        MarkChanged(connection, transaction, path);
        transaction.Commit();
        _keywords.CatchUp(connection);
        return Task.CompletedTask;
    }

    private static (string? Source, string? Text) Owner(SqliteCommand owner, ArticleId id)
    {
        owner.Parameters["$id"].Value = id.Value;
        using var reader = owner.ExecuteReader();
        return reader.Read() ? (reader.GetString(0), reader.GetString(1)) : (null, null);
    }

    private static void DeleteSource(SqliteConnection connection, SqliteTransaction transaction, string path)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.Parameters.AddWithValue("$path", path);
        command.CommandText = """
            INSERT INTO quotes_fts (quotes_fts, rowid, text)
                SELECT 'delete', q.id, q.text FROM quotes q JOIN articles a ON a.id = q.article_id WHERE a.source_path = $path;
            DELETE FROM quotes WHERE article_id IN (SELECT id FROM articles WHERE source_path = $path);
            DELETE FROM article_stories WHERE article_id IN (SELECT id FROM articles WHERE source_path = $path);
            INSERT INTO removed_passages (passage_id)
                SELECT id FROM passages WHERE article_id IN (SELECT id FROM articles WHERE source_path = $path);
            DELETE FROM removed_passages WHERE seq <= (SELECT max(seq) FROM removed_passages) - 200000;
            DELETE FROM passages WHERE article_id IN (SELECT id FROM articles WHERE source_path = $path);
            DELETE FROM articles WHERE source_path = $path;
            """;
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Marks <paramref name="path"/> as a source the keyword index must read again. (The vector index follows the
    /// passage ids and the log of removed passages instead of a corpus version.)
    /// </summary>
    private static void MarkChanged(SqliteConnection connection, SqliteTransaction transaction, string path)
    {
        using var log = Command(connection, transaction, "INSERT INTO keyword_log (source_path) VALUES ($path)", "$path");
        Bind(log, path);
        log.ExecuteNonQuery();
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Prepare();
        return command;
    }

    private static void Bind(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }
}
