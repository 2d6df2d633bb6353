using System.Data.Common;
using System.Globalization;
using BriefingBot.Core.Articles;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Microsoft.Extensions.Logging;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace BriefingBot.Storage;

/// <summary>
/// BM25 keyword search over passages in a Lucene index kept in a folder beside the database. The database stays the
/// store of record: every write of a source appends its path to <c>keyword_log</c> in the same transaction, and the
/// index records in its commit the database and the log position it reflects. Whoever finds the index behind
/// (after a write, at a search, after a crash between the two commits, in another process on the same database)
/// re-reads the sources logged since and commits the new position; an index that is missing, damaged or belongs to
/// another database is built again from the stored passages. Ranking the top passages this way costs a few
/// milliseconds where FTS5 scored every match (a third of all passages for a common word).
/// </summary>
internal sealed partial class KeywordIndex(string folder, Func<DbConnection, DbTransaction> beginSnapshot, ILogger logger) : IDisposable
{
    private const LuceneVersion Version = LuceneVersion.LUCENE_48;
    private const string DatabaseKey = "database";
    private const string PositionKey = "position";

    // Lucene holds a lock file while a writer is open; another process (or store) writing the same index waits
    // for it as SQLite's busy timeout waits for the database.
    private static readonly long WriteLockTimeout = (long)TimeSpan.FromSeconds(30).TotalMilliseconds;

    private readonly System.Threading.Lock _gate = new();
    private readonly Analyzer _analyzer = new PassageAnalyzer();
    private FSDirectory? _directory;
    private SearcherManager? _searchers;
    private IndexPosition? _searchable; // a reference, so a search outside the lock never reads half of it
    private bool _disposed;

    public string Folder { get; } = folder;

    /// <summary>The best <paramref name="limit"/> passages containing any of the terms, best first.</summary>
    public List<ScoredPassage> Search(DbConnection connection, IReadOnlyList<string> terms, int limit) =>
        WithSearcher(connection, searcher =>
        {
            var query = new BooleanQuery();
            foreach (var clause in Clauses(terms).Take(BooleanQuery.MaxClauseCount))
            {
                query.Add(clause, Occur.SHOULD);
            }

            var result = new List<ScoredPassage>(limit);
            if (query.Clauses.Count == 0 || limit <= 0)
            {
                return result;
            }

            foreach (var hit in searcher.Search(query, limit).ScoreDocs)
            {
                var document = searcher.Doc(hit.Doc);
                result.Add(new ScoredPassage(document.GetField("id").GetInt64Value()!.Value, new ArticleId(document.Get("article")), hit.Score));
            }

            return result;
        });

    /// <summary>How many passages contain each term, and how many passages there are.</summary>
    public (Dictionary<string, int> Frequencies, int Passages) DocumentFrequencies(DbConnection connection, IReadOnlyList<string> terms) =>
        WithSearcher(connection, searcher =>
        {
            var frequencies = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var term in terms.Distinct(StringComparer.Ordinal))
            {
                switch (Tokens(term))
                {
                    case []:
                        continue;
                    case [var token]:
                        frequencies[term] = searcher.IndexReader.DocFreq(new Term("text", token));
                        break;
                    case var tokens:
                        var counter = new TotalHitCountCollector();
                        searcher.Search(Phrase(tokens), counter);
                        frequencies[term] = counter.TotalHits;
                        break;
                }
            }

            return (frequencies, searcher.IndexReader.NumDocs);
        });

    /// <summary>Brings the index up to the database's log position, if it is behind: after a write (a search does it itself).</summary>
    public void CatchUp(DbConnection connection) => WithSearcher(connection, _ => true);

    public void Dispose()
    {
        lock (_gate)
        {
            Close();
            if (!_disposed)
            {
                _analyzer.Dispose();
                _disposed = true;
            }
        }
    }

    private T WithSearcher<T>(DbConnection connection, Func<IndexSearcher, T> search)
    {
        var discarded = false;
        for (var retries = 0; ; retries++)
        {
            try
            {
                var searchers = CatchUpOnce(connection);
                var searcher = searchers.Acquire();
                try
                {
                    return search(searcher);
                }
                finally
                {
                    searchers.Release(searcher);
                }
            }
            catch (ObjectDisposedException) when (retries < 3)
            {
                // Another thread replaced the searchers (a rebuild) between taking and using them: ask the new ones.
            }
            catch (Exception ex) when (!discarded && IsDamage(ex))
            {
                // A damaged or vanished index is built again from the stored passages, and the search asked again.
                discarded = true;
                Discard(ex.Message);
            }
        }
    }

    /// <summary>
    /// What a missing or damaged index can throw, after a write or at a search alike; not a write lock held too long
    /// by another writer, which is no damage.
    /// </summary>
    private static bool IsDamage(Exception exception) =>
        exception is IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException && exception is not LockObtainFailedException;

    /// <summary>Catches the index up if it is behind, and returns the searchers over it.</summary>
    private SearcherManager CatchUpOnce(DbConnection connection)
    {
        var wanted = LogPosition(connection);
        if (_searchable == wanted && _searchers is { } current)
        {
            return current;
        }

        lock (_gate)
        {
            if (_searchable == wanted && _searchers is { } caughtUp)
            {
                return caughtUp;
            }

            _directory ??= FSDirectory.Open(Folder);
            var committed = Committed(_directory);
            if (committed != wanted)
            {
                Update(connection, committed);
            }

            if (_searchers is null)
            {
                _searchers = new SearcherManager(_directory, new Bm25Searchers());
            }
            else
            {
                _searchers.MaybeRefreshBlocking();
            }

            _searchable = Committed(_directory);
            return _searchers;
        }
    }

    /// <summary>Applies the sources written since the index's position (or every passage, if it has none) and commits.</summary>
    private void Update(DbConnection connection, IndexPosition? committed)
    {
        var config = new IndexWriterConfig(Version, _analyzer)
        {
            OpenMode = OpenMode.CREATE_OR_APPEND,
            Similarity = new BM25Similarity(),
            RAMBufferSizeMB = 48,
            WriteLockTimeout = WriteLockTimeout,
        };
        using var writer = new IndexWriter(_directory, config);

        // Another writer may have moved the index on while this one waited for the lock.
        committed = Committed(_directory!);
        using var snapshot = beginSnapshot(connection);
        var target = LogPosition(connection, snapshot);
        if (committed == target)
        {
            return;
        }

        var full = committed is null || committed.Database != target.Database || committed.Position > target.Position;
        if (full)
        {
            writer.DeleteAll();
            AddPassages(connection, snapshot, writer, null);
            LogBuilt(Folder, writer.NumDocs);
        }
        else
        {
            foreach (var path in ChangedSources(connection, snapshot, committed!.Position, target.Position))
            {
                writer.DeleteDocuments(new Term("source", path));
                AddPassages(connection, snapshot, writer, path);
            }
        }

        writer.SetCommitData(new Dictionary<string, string>
        {
            [DatabaseKey] = target.Database,
            [PositionKey] = target.Position.ToString(CultureInfo.InvariantCulture),
        });
        writer.Commit();
    }

    /// <summary>Throws the index away; the next catch-up builds it again from the stored passages.</summary>
    private void Discard(string reason)
    {
        lock (_gate)
        {
            LogDamaged(Folder, reason);
            Close();
            try
            {
                System.IO.Directory.Delete(Folder, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
                // already gone
            }
        }
    }

    private void Close()
    {
        _searchers?.Dispose();
        _searchers = null;
        _directory?.Dispose();
        _directory = null;
        _searchable = null;
    }

    private static void AddPassages(DbConnection connection, DbTransaction snapshot, IndexWriter writer, string? path)
    {
        using var command = Db.Command(connection, snapshot,
            "SELECT p.id, p.article_id, a.source_path, p.text FROM passages p JOIN articles a ON a.id = p.article_id" +
            (path is null ? string.Empty : " WHERE a.source_path = @path"),
            path is null ? [] : [("@path", path)]);

        // One document object reused for every passage, as Lucene recommends for bulk indexing.
        var id = new StoredField("id", 0L);
        var article = new StoredField("article", string.Empty);
        var source = new StringField("source", string.Empty, Field.Store.NO);
        var text = new TextField("text", string.Empty, Field.Store.NO);
        var document = new Document { id, article, source, text };
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            id.SetInt64Value(reader.GetInt64(0));
            article.SetStringValue(reader.GetString(1));
            source.SetStringValue(reader.GetString(2));
            text.SetStringValue(reader.GetString(3));
            writer.AddDocument(document);
        }
    }

    private static List<string> ChangedSources(DbConnection connection, DbTransaction snapshot, long after, long upTo)
    {
        using var command = Db.Command(connection, snapshot,
            "SELECT DISTINCT source_path FROM keyword_log WHERE seq > @after AND seq <= @upTo", ("@after", after), ("@upTo", upTo));
        var paths = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            paths.Add(reader.GetString(0));
        }

        return paths;
    }

    private static IndexPosition LogPosition(DbConnection connection, DbTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT (SELECT value FROM meta WHERE key = 'database_id'), (SELECT coalesce(max(seq), 0) FROM keyword_log)";
        using var reader = command.ExecuteReader();
        reader.Read();
        return new IndexPosition(reader.GetString(0), reader.GetInt64(1));
    }

    private static IndexPosition? Committed(LuceneDirectory directory)
    {
        if (!DirectoryReader.IndexExists(directory))
        {
            return null;
        }

        var data = DirectoryReader.ListCommits(directory)[^1].UserData;
        return data.TryGetValue(DatabaseKey, out var database) && data.TryGetValue(PositionKey, out var position)
            && long.TryParse(position, CultureInfo.InvariantCulture, out var value)
            ? new IndexPosition(database, value)
            : null;
    }

    private IEnumerable<Query> Clauses(IReadOnlyList<string> terms)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var term in terms)
        {
            var tokens = Tokens(term);
            if (tokens.Count > 0 && seen.Add(string.Join(' ', tokens)))
            {
                yield return tokens.Count == 1 ? new TermQuery(new Term("text", tokens[0])) : Phrase(tokens);
            }
        }
    }

    private static PhraseQuery Phrase(List<string> tokens)
    {
        var phrase = new PhraseQuery();
        foreach (var token in tokens)
        {
            phrase.Add(new Term("text", token));
        }

        return phrase;
    }

    /// <summary>A term as the index holds it: the passage analyser's tokens (a hyphenated name gives several).</summary>
    private List<string> Tokens(string term)
    {
        var tokens = new List<string>();
        using var stream = _analyzer.GetTokenStream("text", term);
        var attribute = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            tokens.Add(attribute.ToString());
        }

        stream.End();
        return tokens;
    }

    /// <summary>The database (by its id) and the position in its <c>keyword_log</c> that an index reflects.</summary>
    private sealed record IndexPosition(string Database, long Position);

    /// <summary>Words as Unicode word breaks give them, possessives dropped, lower case, accents folded, Porter stems.</summary>
    private sealed class PassageAnalyzer : Analyzer
    {
        protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
        {
            var tokenizer = new StandardTokenizer(Version, reader);
            TokenStream stream = new EnglishPossessiveFilter(Version, tokenizer);
            stream = new LowerCaseFilter(Version, stream);
            stream = new ASCIIFoldingFilter(stream);
            stream = new PorterStemFilter(stream);
            return new TokenStreamComponents(tokenizer, stream);
        }
    }

    private sealed class Bm25Searchers : SearcherFactory
    {
        public override IndexSearcher NewSearcher(IndexReader reader) => new(reader) { Similarity = new BM25Similarity() };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The keyword index in {Folder} was built from the stored passages ({Passages} passages)")]
    private partial void LogBuilt(string folder, int passages);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The keyword index in {Folder} cannot be used ({Reason}); building it again from the stored passages")]
    private partial void LogDamaged(string folder, string reason);
}
