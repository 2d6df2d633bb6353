using System.Data.Common;
using System.Globalization;
using BriefingBot.Core;
using BriefingBot.Core.Articles;
using BriefingBot.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BriefingBot.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file holds articles, passages, quotes and passage embeddings, with the keyword
/// index (Lucene, stemmed, BM25) in the folder beside it (<c>&lt;file&gt;.keywords</c>). Every write is one transaction;
/// the file is in WAL mode so readers never wait for the embedding backfill.
/// </summary>
public sealed partial class SqliteCorpusStore : ICorpusStore, IDisposable
{
    private readonly string _connectionString;
    private readonly VectorIndex _vectors;
    private readonly KeywordIndex _keywords;
    private readonly ILogger _logger;
    private readonly int _busyMilliseconds;

    public SqliteCorpusStore(IOptions<SqliteOptions> options, ILogger<SqliteCorpusStore> logger)
        : this(options.Value.DatabasePath, logger, options.Value.BusyTimeout)
    {
    }

    public SqliteCorpusStore(string databasePath, ILogger? logger = null, TimeSpan? busyTimeout = null)
    {
        _logger = logger ?? NullLogger.Instance;
        _busyMilliseconds = (int)(busyTimeout ?? TimeSpan.FromSeconds(30)).TotalMilliseconds;
        DatabasePath = Path.GetFullPath(databasePath);
        _keywords = new KeywordIndex(DatabasePath + ".keywords", ReadSnapshot, _logger);
        var folder = Path.GetDirectoryName(DatabasePath);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        _vectors = new VectorIndex(folder);

        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = Math.Max(1, _busyMilliseconds / 1000),
        }.ToString();

        try
        {
            using var connection = Open();
            Execute(connection, "PRAGMA journal_mode = WAL;");
            Schema.Migrate(connection);
            EnsureSearchIndexes(connection);
        }
        catch (SqliteException ex)
        {
            throw new StoreException(DescribeFailure(DatabasePath, ex), ex);
        }
    }

    public string DatabasePath { get; }

    /// <summary>One sentence on what is wrong with the database and what to do about it.</summary>
    public static string DescribeFailure(string? databasePath, SqliteException exception)
    {
        var database = databasePath is null ? "The database (Storage:DatabasePath)" : $"The database '{databasePath}' (Storage:DatabasePath)";
        return exception.SqliteErrorCode switch
        {
            11 or 26 => $"{database} is damaged or not a BriefingBot database ({exception.Message}). " +
                "Move it aside and run 'ingest' to build a new one from the corpus; the briefing ledger starts afresh.",
            5 or 6 => $"{database} is locked by another program ({exception.Message}).",
            8 or 13 or 14 => $"{database} cannot be written: {exception.Message}",
            _ => $"{database} failed: {exception.Message}",
        };
    }

    public void Dispose()
    {
        _keywords.Dispose();
        _vectors.Dispose();
        SqliteConnection.ClearPool(new SqliteConnection(_connectionString));
    }

    /// <summary>A read transaction: in WAL mode every statement in it sees the same state of the database, and no writer waits for it.</summary>
    private static SqliteTransaction ReadSnapshot(System.Data.Common.DbConnection connection) => ((SqliteConnection)connection).BeginTransaction(deferred: true);

    internal SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Execute(connection, $"PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {_busyMilliseconds};");
        return connection;
    }

    public async Task<IReadOnlyDictionary<string, SourceRecord>> GetSourcesAsync(CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT path, hash, length, ingested_at FROM sources";
        var result = new Dictionary<string, SourceRecord>(StringComparer.Ordinal);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var path = reader.GetString(0);
            result[path] = new SourceRecord(path, reader.GetString(1), reader.GetInt64(2), ParseInstant(reader.GetString(3)));
        }

        return result;
    }

    public async Task<IReadOnlyDictionary<ArticleId, Article>> GetArticlesAsync(IReadOnlyCollection<ArticleId> ids, CancellationToken cancellationToken = default)
    {
        var result = new Dictionary<ArticleId, Article>();
        if (ids.Count == 0)
        {
            return result;
        }

        using var connection = Open();
        foreach (var chunk in ids.Chunk(500))
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {ArticleRows.Columns} FROM articles WHERE id IN ({Parameters(command, chunk.Select(id => (object)id.Value))})";
            var articles = new List<Article>(chunk.Length);
            await Db.ReadAllAsync(command, ReadArticle, articles, cancellationToken).ConfigureAwait(false);
            foreach (var article in articles)
            {
                result[article.Id] = article;
            }
        }

        return result;
    }

    public async Task<IReadOnlyList<Passage>> GetPassagesAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default)
    {
        var result = new List<Passage>(ids.Count);
        if (ids.Count == 0)
        {
            return result;
        }

        using var connection = Open();
        foreach (var chunk in ids.Chunk(500))
        {
            using var command = connection.CreateCommand();
            command.CommandText =
                $"SELECT {StoredForm.PassageColumns} FROM passages WHERE id IN ({Parameters(command, chunk.Select(id => (object)id))})";
            await Db.ReadAllAsync(command, StoredForm.ReadPassage, result, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    public async Task<CorpusStats> GetStatsAsync(CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT (SELECT count(*) FROM articles),
                   (SELECT count(*) FROM passages),
                   (SELECT count(*) FROM passages p WHERE EXISTS (SELECT 1 FROM vectors v WHERE v.text_hash = p.text_hash)),
                   (SELECT min(published_utc) FROM articles),
                   (SELECT max(published_utc) FROM articles),
                   (SELECT count(*) FROM articles WHERE published_utc IS NULL);
            SELECT outlet, count(*) AS n FROM articles GROUP BY outlet ORDER BY n DESC, outlet;
            """;
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        int articles = reader.GetInt32(0), passages = reader.GetInt32(1), embedded = reader.GetInt32(2), undated = reader.GetInt32(5);
        var earliest = reader.IsDBNull(3) ? null : reader.GetString(3)[..10];
        var latest = reader.IsDBNull(4) ? null : reader.GetString(4)[..10];
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var outlets = new List<OutletCount>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            outlets.Add(new OutletCount(reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetInt32(1)));
        }

        return new CorpusStats(articles, passages, embedded, outlets, earliest, latest, undated);
    }

    private const string InWindow = """
        ((published_utc >= $from AND published_utc < $to) OR (published_utc IS NULL AND first_ingested >= $from AND first_ingested < $to))
        """;

    public async Task<IReadOnlyList<Article>> GetArticlesInWindowAsync(DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        // The newest are chosen on their dates alone; only they are read whole (a window can hold the whole archive).
        command.CommandText = $"""
            SELECT {ArticleRows.Columns} FROM articles WHERE id IN (
                SELECT id FROM articles WHERE {InWindow} ORDER BY coalesce(published_utc, first_ingested) DESC, id DESC LIMIT $limit)
            ORDER BY coalesce(published_utc, first_ingested), id
            """;
        command.Parameters.AddWithValue("$from", FormatInstant(from));
        command.Parameters.AddWithValue("$to", FormatInstant(to));
        command.Parameters.AddWithValue("$limit", limit);
        var result = new List<Article>();
        await Db.ReadAllAsync(command, ReadArticle, result, cancellationToken).ConfigureAwait(false);
        return result;
    }

    public async Task<(int Articles, int Undated)> CountArticlesInWindowAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*), coalesce(sum(published_utc IS NULL), 0) FROM articles WHERE {InWindow}";
        command.Parameters.AddWithValue("$from", FormatInstant(from));
        command.Parameters.AddWithValue("$to", FormatInstant(to));
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return (reader.GetInt32(0), reader.GetInt32(1));
    }

    private static Article ReadArticle(DbDataReader reader) => ArticleRows.Read(reader, (row, ordinal) => ParseInstant(row.GetString(ordinal)));

    internal static string FormatInstant(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    internal static DateTimeOffset ParseInstant(string value) =>
        DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    internal static string Parameters(SqliteCommand command, IEnumerable<object> values, string prefix = "$p")
    {
        var names = new List<string>();
        foreach (var value in values)
        {
            var name = prefix + names.Count.ToString(CultureInfo.InvariantCulture);
            command.Parameters.AddWithValue(name, value);
            names.Add(name);
        }

        return string.Join(',', names);
    }

    internal static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    internal static object? Scalar(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
