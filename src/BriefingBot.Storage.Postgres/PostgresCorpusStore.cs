using System.Data;
using System.Data.Common;
using BriefingBot.Core;
using BriefingBot.Core.Articles;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace BriefingBot.Storage.Postgres;

/// <summary>
/// The shared store for several instances: PostgreSQL holds articles, passages, vectors, quotes, the briefing ledger,
/// the events already handled and the leases. Search stays in each process — a Lucene index in
/// <see cref="PostgresOptions.IndexFolder"/> and the quantised vectors in memory — brought up to date from the
/// change logs every write appends to. Writes that append to those logs take one advisory lock, so log positions are
/// given out in commit order and no reader ever skips one that commits late.
/// </summary>
public sealed partial class PostgresCorpusStore : ICorpusStore, IDisposable
{
    /// <summary>The advisory lock key of corpus writes ("BBcorpus").</summary>
    private const long CorpusWriteLock = 0x4242_636F_7270_7573;

    private readonly NpgsqlDataSource _dataSource;
    private readonly KeywordIndex _keywords;
    private readonly VectorIndex _vectors;
    private readonly ILogger _logger;

    public PostgresCorpusStore(string connectionString, string indexFolder, ILogger? logger = null)
    {
        _logger = logger ?? NullLogger.Instance;
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!string.IsNullOrEmpty(builder.Password))
        {
            throw new StoreException("Storage:ConnectionString must not hold the password: set PGPASSWORD (or a PGPASSFILE) in the environment instead.");
        }

        Describe = $"PostgreSQL database '{builder.Database ?? builder.Username}' on {builder.Host}:{builder.Port}";
        builder.ApplicationName ??= "BriefingBot";
        _dataSource = NpgsqlDataSource.Create(builder);
        IndexFolder = Path.GetFullPath(indexFolder);
        Directory.CreateDirectory(IndexFolder);
        _keywords = new KeywordIndex(Path.Combine(IndexFolder, "keywords"), ReadSnapshot, _logger);
        _vectors = new VectorIndex(IndexFolder);
        try
        {
            using var connection = Open();
            PostgresSchema.Migrate(connection);
        }
        catch (Exception ex) when (ex is NpgsqlException or PostgresException)
        {
            throw new StoreException($"The {Describe} (Storage:ConnectionString) cannot be used: {ex.Message}", ex);
        }
    }

    /// <summary>Which database this is, without credentials, for messages.</summary>
    public string Describe { get; }

    public string IndexFolder { get; }

    public void Dispose()
    {
        _keywords.Dispose();
        _vectors.Dispose();
        _dataSource.Dispose();
    }

    internal NpgsqlConnection Open() => _dataSource.OpenConnection();

    /// <summary>A read-only snapshot: every statement in it sees the same committed state.</summary>
    private static DbTransaction ReadSnapshot(DbConnection connection) => ((NpgsqlConnection)connection).BeginTransaction(IsolationLevel.RepeatableRead);

    /// <summary>Serialises the writes that append to the change logs, until the transaction ends.</summary>
    private static void LockCorpusWrites(NpgsqlConnection connection, NpgsqlTransaction transaction) =>
        Db.Execute(connection, transaction, "SELECT pg_advisory_xact_lock(@key)", ("@key", CorpusWriteLock));

    public async Task<IReadOnlyDictionary<string, SourceRecord>> GetSourcesAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Db.Command(connection, null, "SELECT path, hash, length, ingested_at FROM sources");
        var result = new Dictionary<string, SourceRecord>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var path = reader.GetString(0);
            result[path] = new SourceRecord(path, reader.GetString(1), reader.GetInt64(2), Instant(reader, 3));
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

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Db.Command(connection, null, $"SELECT {ArticleRows.Columns} FROM articles WHERE id = ANY(@ids)",
            ("@ids", ids.Select(id => id.Value).ToArray()));
        var articles = new List<Article>(ids.Count);
        await Db.ReadAllAsync(command, ReadArticle, articles, cancellationToken).ConfigureAwait(false);
        foreach (var article in articles)
        {
            result[article.Id] = article;
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

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Db.Command(connection, null,
            $"SELECT {StoredForm.PassageColumns} FROM passages WHERE id = ANY(@ids)",
            ("@ids", ids.ToArray()));
        await Db.ReadAllAsync(command, StoredForm.ReadPassage, result, cancellationToken).ConfigureAwait(false);
        return result;
    }

    public async Task<CorpusStats> GetStatsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Db.Command(connection, null, """
            SELECT (SELECT count(*) FROM articles),
                   (SELECT count(*) FROM passages),
                   (SELECT count(*) FROM passages p WHERE EXISTS (SELECT 1 FROM vectors v WHERE v.text_hash = p.text_hash)),
                   (SELECT min(published_utc) FROM articles),
                   (SELECT max(published_utc) FROM articles),
                   (SELECT count(*) FROM articles WHERE published_utc IS NULL);
            SELECT outlet, count(*) AS n FROM articles GROUP BY outlet ORDER BY n DESC, outlet COLLATE "C";
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        int articles = (int)reader.GetInt64(0), passages = (int)reader.GetInt64(1), embedded = (int)reader.GetInt64(2), undated = (int)reader.GetInt64(5);
        var earliest = reader.IsDBNull(3) ? null : Day(Instant(reader, 3));
        var latest = reader.IsDBNull(4) ? null : Day(Instant(reader, 4));
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var outlets = new List<OutletCount>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            outlets.Add(new OutletCount(reader.IsDBNull(0) ? null : reader.GetString(0), (int)reader.GetInt64(1)));
        }

        return new CorpusStats(articles, passages, embedded, outlets, earliest, latest, undated);

        static string Day(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
    }

    private const string InWindow = """
        ((published_utc >= @from AND published_utc < @to) OR (published_utc IS NULL AND first_ingested >= @from AND first_ingested < @to))
        """;

    public async Task<IReadOnlyList<Article>> GetArticlesInWindowAsync(DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // The newest are chosen on their dates alone; only they are read whole (a window can hold the whole archive).
        await using var command = Db.Command(connection, null, $"""
            SELECT {ArticleRows.Columns} FROM articles WHERE id IN (
                SELECT id FROM articles WHERE {InWindow} ORDER BY coalesce(published_utc, first_ingested) DESC, id COLLATE "C" DESC LIMIT @limit)
            ORDER BY coalesce(published_utc, first_ingested), id COLLATE "C"
            """, ("@from", Utc(from)), ("@to", Utc(to)), ("@limit", limit));
        var result = new List<Article>();
        await Db.ReadAllAsync(command, ReadArticle, result, cancellationToken).ConfigureAwait(false);
        return result;
    }

    public async Task<(int Articles, int Undated)> CountArticlesInWindowAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Db.Command(connection, null,
            $"SELECT count(*), count(*) FILTER (WHERE published_utc IS NULL) FROM articles WHERE {InWindow}", ("@from", Utc(from)), ("@to", Utc(to)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return ((int)reader.GetInt64(0), (int)reader.GetInt64(1));
    }

    private static Article ReadArticle(DbDataReader reader) => ArticleRows.Read(reader, Instant);

    /// <summary>An instant as timestamptz takes it: UTC.</summary>
    internal static DateTime Utc(DateTimeOffset instant) => instant.UtcDateTime;

    internal static DateTimeOffset Instant(DbDataReader reader, int ordinal) => new(DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc));
}
