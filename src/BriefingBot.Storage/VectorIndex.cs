using System.Data.Common;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using BriefingBot.Core.Articles;
using Microsoft.Win32.SafeHandles;

namespace BriefingBot.Storage;

/// <summary>
/// Passage vectors for cosine search in two tiers. In memory, one sign bit a dimension (48 bytes for 384 dimensions):
/// a scan of the question's components summed over each passage's positive dimensions picks candidates, reading an
/// eighth of what a byte a dimension would. The candidates are then scored with the vectors quantised to one signed
/// byte a dimension with a scale per vector, kept in a file beside the database that only this process's handle holds
/// (read by offset, so the operating system's cache holds them, not the process's memory). The vectors are unit
/// length, so a dot product ranks them; the result keeps the top ten of the exact one (measured by <c>bench</c> as
/// recall@10). Rows live in fixed blocks, so growing never copies what is there. Kept in step without reloading:
/// new passages and new vectors are appended, removed passages (logged by the store) are dropped in place; loaded
/// whole only at first, for another model, when stored vectors were deleted, or when a quarter of the rows are
/// dropped ones.
/// </summary>
/// <param name="folder">Where the byte vectors' file is made (beside the database, not a temporary folder that may be memory).</param>
internal sealed class VectorIndex(string? folder = null) : IDisposable
{
    private const int BlockRows = 16_384;

    /// <summary>Candidates the bit scan passes on for each result wanted, and at least this many in all.</summary>
    internal const int CandidatesPerResult = 20;

    internal const int MinCandidates = 1000;

    private readonly Lock _gate = new();
    private readonly List<ulong[]> _signs = [];
    private SafeFileHandle? _bytes;
    private int _words;
    private readonly List<float[]> _scales = [];
    private readonly List<long[]> _passageIds = [];
    private readonly List<int[]> _articles = [];
    private readonly List<string> _articleIds = [];
    private readonly Dictionary<string, int> _articleNumbers = new(StringComparer.Ordinal);
    private readonly Dictionary<long, int> _rows = [];
    private int _count;
    private int _dropped;
    private int _dimensions;
    private long _lastVectorRow;
    private long _lastPassage;
    private long _lastRemoval;
    private string? _resets;
    private string? _model;

    /// <summary>Rows searched, dropped ones included; for tests and the benchmark.</summary>
    internal int Rows
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    /// <summary>How many times the index was loaded whole; for tests.</summary>
    internal int FullLoads { get; private set; }

    /// <summary>Brings the index up to the stored vectors, read in one snapshot <paramref name="beginSnapshot"/> opens.</summary>
    public void Refresh(DbConnection connection, Func<DbConnection, DbTransaction> beginSnapshot, string model)
    {
        lock (_gate)
        {
            // One read transaction: every statement below sees the same state of the database.
            using var transaction = beginSnapshot(connection);
            var resets = Db.Scalar(connection, transaction, "SELECT value FROM meta WHERE key = 'vector_resets'") as string;
            var oldestRemoval = Db.Scalar(connection, transaction, "SELECT min(seq) FROM removed_passages") is long oldest ? oldest : 0;
            var lastRemoval = Db.Scalar(connection, transaction, "SELECT max(seq) FROM removed_passages") is long removal ? removal : 0;
            var lastPassage = Db.Scalar(connection, transaction, "SELECT max(id) FROM passages") is long passage ? passage : 0;
            var lastVector = Db.Scalar(connection, transaction, "SELECT max(rowid) FROM vectors") is long vector ? vector : 0;
            var whole = model != _model || resets != _resets || oldestRemoval > _lastRemoval + 1 || (_dropped > 1024 && _dropped * 4 > _count);
            if (whole)
            {
                Clear();
                FullLoads++;
                (_model, _resets) = (model, resets);
                Load(connection, transaction, """
                    SELECT p.id, p.article_id, v.vector FROM passages p JOIN vectors v ON v.text_hash = p.text_hash AND v.model = @model
                    WHERE p.id <= @passage AND v.rowid <= @vector
                    """, model, lastPassage, lastVector);
            }
            else
            {
                using (var removed = Db.Command(connection, transaction,
                           "SELECT passage_id FROM removed_passages WHERE seq > @after AND seq <= @last", ("@after", _lastRemoval), ("@last", lastRemoval)))
                {
                    using var reader = removed.ExecuteReader();
                    while (reader.Read())
                    {
                        Drop(reader.GetInt64(0));
                    }
                }

                // Vectors the backfill stored since, for whichever passages use them; then passages stored since
                // whose text already had a vector.
                Load(connection, transaction, $"""
                    SELECT p.id, p.article_id, v.vector FROM vectors v JOIN passages p ON p.text_hash = v.text_hash
                    WHERE v.model = @model AND v.rowid > {_lastVectorRow} AND v.rowid <= @vector AND p.id <= @passage
                    """, model, lastPassage, lastVector);
                Load(connection, transaction, $"""
                    SELECT p.id, p.article_id, v.vector FROM passages p JOIN vectors v ON v.text_hash = p.text_hash AND v.model = @model
                    WHERE p.id > {_lastPassage} AND p.id <= @passage AND v.rowid <= @vector
                    """, model, lastPassage, lastVector);
            }

            (_lastRemoval, _lastPassage, _lastVectorRow) = (lastRemoval, lastPassage, lastVector);
        }
    }

    private void Load(DbConnection connection, DbTransaction transaction, string sql, string model, long lastPassage, long lastVector)
    {
        using var command = Db.Command(connection, transaction, sql, ("@model", model), ("@passage", lastPassage), ("@vector", lastVector));
        using var reader = command.ExecuteReader();
        // One buffer for every row: a load reads hundreds of thousands of 1.5 KB vectors, each garbage once quantised.
        var buffer = new byte[4096];
        while (reader.Read())
        {
            var length = (int)reader.GetBytes(2, 0, null, 0, 0);
            if (length > buffer.Length)
            {
                buffer = new byte[length];
            }

            reader.GetBytes(2, 0, buffer, 0, length);
            var vector = MemoryMarshal.Cast<byte, float>(buffer.AsSpan(0, length));
            if (!_rows.ContainsKey(reader.GetInt64(0)) && (_count == 0 || vector.Length == _dimensions))
            {
                Add(reader.GetInt64(0), reader.GetString(1), vector);
            }
        }
    }

    /// <summary>
    /// Recall@<paramref name="k"/> of this (quantised) search against exact float32 search over every stored vector
    /// of <paramref name="model"/>, for the given queries: the share of the exact top <paramref name="k"/> the index
    /// also returns. One pass over the stored vectors, however many queries.
    /// </summary>
    public double MeasureRecall(DbConnection connection, Func<DbConnection, DbTransaction> beginSnapshot, string model, IReadOnlyList<float[]> queries, int k)
    {
        if (queries.Count == 0)
        {
            return double.NaN;
        }

        var exact = queries.Select(_ => new PriorityQueue<long, float>(k + 1)).ToList();
        using (var command = Db.Command(connection, null, "SELECT p.id, v.vector FROM vectors v JOIN passages p ON p.text_hash = v.text_hash WHERE v.model = @model", ("@model", model)))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var vector = MemoryMarshal.Cast<byte, float>((byte[])reader.GetValue(1));
                for (var q = 0; q < queries.Count; q++)
                {
                    Keep(exact[q], k, reader.GetInt64(0), TensorPrimitives.Dot(queries[q], vector));
                }
            }
        }

        Refresh(connection, beginSnapshot, model);
        var found = 0;
        var wanted = 0;
        for (var q = 0; q < queries.Count; q++)
        {
            var truth = exact[q].UnorderedItems.Select(i => i.Element).ToHashSet();
            wanted += truth.Count;
            found += Search(queries[q], k).Count(hit => truth.Contains(hit.PassageId));
        }

        return wanted == 0 ? double.NaN : (double)found / wanted;
    }

    /// <summary>Takes a removed passage out of the search: its row stays, with a scale of zero, until the next whole load.</summary>
    private void Drop(long passageId)
    {
        if (_rows.Remove(passageId, out var row))
        {
            _scales[row / BlockRows][row % BlockRows] = 0;
            _dropped++;
        }
    }

    public List<ScoredPassage> Search(ReadOnlySpan<float> query, int limit)
    {
        lock (_gate)
        {
            if (_count == 0 || query.Length != _dimensions || limit <= 0)
            {
                return [];
            }

            // Candidates by the question's byte vector summed over the dimensions where a passage's is positive: the
            // dot product with the passage's signs, up to a constant. A table per byte of signs makes it one look-up
            // per eight dimensions.
            var quantised = new sbyte[_dimensions];
            var queryScale = Quantise(query, quantised);
            var table = SignTable(quantised, _words * sizeof(ulong));
            var wanted = Math.Min(_count, Math.Max(limit * CandidatesPerResult, MinCandidates));
            var nearest = new PriorityQueue<int, int>(wanted + 1);
            for (var row = 0; row < _count; row++)
            {
                var (block, offset) = (row / BlockRows, row % BlockRows);
                if (_scales[block][offset] == 0)
                {
                    continue; // a dropped passage (or a zero vector, which matches nothing)
                }

                var signs = MemoryMarshal.AsBytes(_signs[block].AsSpan(offset * _words, _words));
                var score = 0;
                for (var b = 0; b < signs.Length; b++)
                {
                    score += table[(b << 8) | signs[b]];
                }

                Keep(nearest, wanted, row, score);
            }

            // Then scored by their byte vectors, read in file order.
            var candidates = nearest.UnorderedItems.Select(item => item.Element).Order().ToList();
            var vector = new sbyte[_dimensions];
            var best = new PriorityQueue<int, float>(limit + 1);
            foreach (var row in candidates)
            {
                ReadRow(row, vector);
                var (block, offset) = (row / BlockRows, row % BlockRows);
                Keep(best, limit, row, Dot(quantised, vector) * queryScale * _scales[block][offset]);
            }

            var result = new List<ScoredPassage>(best.Count);
            while (best.TryDequeue(out var row, out var score))
            {
                var (block, offset) = (row / BlockRows, row % BlockRows);
                result.Add(new ScoredPassage(_passageIds[block][offset], new ArticleId(_articleIds[_articles[block][offset]]), score));
            }

            result.Reverse();
            return result;
        }
    }

    /// <summary>One bit a dimension: set where the component is positive.</summary>
    private static void Signs(ReadOnlySpan<float> vector, Span<ulong> into)
    {
        into.Clear();
        for (var i = 0; i < vector.Length; i++)
        {
            if (vector[i] > 0)
            {
                into[i / 64] |= 1UL << (i % 64);
            }
        }
    }

    /// <summary>For each byte of a passage's signs and each of its 256 values, the sum of the question's components it marks.</summary>
    private static int[] SignTable(ReadOnlySpan<sbyte> query, int bytes)
    {
        var table = new int[bytes << 8];
        for (var b = 0; b < bytes; b++)
        {
            for (var value = 1; value < 256; value++)
            {
                // A value's sum is its value without the lowest bit's, plus that bit's component.
                var low = BitOperations.TrailingZeroCount(value);
                var dimension = (b * 8) + low;
                table[(b << 8) | value] = table[(b << 8) | (value & (value - 1))] + (dimension < query.Length ? query[dimension] : 0);
            }
        }

        return table;
    }

    /// <summary>
    /// A file of this process's own, removed from its folder as soon as it is open: the handle keeps it while the
    /// process lives, and nothing is left behind when it ends, however it ends.
    /// </summary>
    private SafeFileHandle OpenRowFile()
    {
        var path = Path.Combine(folder ?? Path.GetTempPath(), $".briefingbot-vectors-{Guid.NewGuid():N}.bin");
        var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Delete, FileOptions.DeleteOnClose);
        File.Delete(path);
        return handle;
    }

    private void ReadRow(int row, Span<sbyte> into)
    {
        var bytes = MemoryMarshal.AsBytes(into);
        for (var read = 0; read < bytes.Length;)
        {
            var n = RandomAccess.Read(_bytes!, bytes[read..], ((long)row * _dimensions) + read);
            read += n > 0 ? n : throw new IOException("The vector file ended before a row it holds.");
        }
    }

    /// <summary>Offers <paramref name="item"/> to <paramref name="best"/>, which keeps the <paramref name="limit"/> highest scores (lowest first).</summary>
    internal static void Keep<T, TScore>(PriorityQueue<T, TScore> best, int limit, T item, TScore score)
    {
        if (best.Count < limit)
        {
            best.Enqueue(item, score);
        }
        else if (best.TryPeek(out _, out var lowest) && best.Comparer.Compare(score, lowest) > 0)
        {
            best.DequeueEnqueue(item, score);
        }
    }

    /// <summary>Adds one vector; <see cref="Refresh"/> does this for every stored vector.</summary>
    internal void Add(long passageId, string articleId, ReadOnlySpan<float> vector)
    {
        lock (_gate)
        {
            if (_count == 0)
            {
                _dimensions = vector.Length;
                _words = (vector.Length + 63) / 64;
                _bytes ??= OpenRowFile();
            }

            var (block, offset) = (_count / BlockRows, _count % BlockRows);
            if (block == _signs.Count)
            {
                _signs.Add(new ulong[BlockRows * _words]);
                _scales.Add(new float[BlockRows]);
                _passageIds.Add(new long[BlockRows]);
                _articles.Add(new int[BlockRows]);
            }

            if (!_articleNumbers.TryGetValue(articleId, out var article))
            {
                article = _articleIds.Count;
                _articleIds.Add(articleId);
                _articleNumbers[articleId] = article;
            }

            Span<sbyte> bytes = stackalloc sbyte[_dimensions];
            _scales[block][offset] = Quantise(vector, bytes);
            RandomAccess.Write(_bytes!, MemoryMarshal.AsBytes(bytes), (long)_count * _dimensions);
            Signs(vector, _signs[block].AsSpan(offset * _words, _words));
            _passageIds[block][offset] = passageId;
            _articles[block][offset] = article;
            _rows[passageId] = _count;
            _count++;
        }
    }

    /// <summary>Writes <paramref name="vector"/> as bytes scaled so its largest component is ±127; returns the scale back.</summary>
    internal static float Quantise(ReadOnlySpan<float> vector, Span<sbyte> into)
    {
        var largest = MathF.Abs(TensorPrimitives.MaxMagnitude(vector)); // the component of largest magnitude, with its sign
        if (!(largest > 0) || !float.IsFinite(largest))
        {
            into.Clear();
            return 0;
        }

        var scale = largest / 127f;
        for (var i = 0; i < vector.Length; i++)
        {
            into[i] = (sbyte)Math.Clamp(MathF.Round(vector[i] / scale), -127, 127);
        }

        return scale;
    }

    /// <summary>The dot product of two byte vectors, 32 components at a time where the processor allows.</summary>
    internal static int Dot(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b)
    {
        var i = 0;
        var total = 0;
        if (Vector256.IsHardwareAccelerated && a.Length >= Vector256<sbyte>.Count)
        {
            var sum = Vector256<int>.Zero;
            for (; i <= a.Length - Vector256<sbyte>.Count; i += Vector256<sbyte>.Count)
            {
                // Products of two bytes fit a short (127 × 127); their sums are taken in ints.
                var (aLow, aHigh) = Vector256.Widen(Vector256.Create(a.Slice(i, Vector256<sbyte>.Count)));
                var (bLow, bHigh) = Vector256.Widen(Vector256.Create(b.Slice(i, Vector256<sbyte>.Count)));
                var (p1, p2) = Vector256.Widen(aLow * bLow);
                var (p3, p4) = Vector256.Widen(aHigh * bHigh);
                sum += (p1 + p2) + (p3 + p4);
            }

            total = Vector256.Sum(sum);
        }

        for (; i < a.Length; i++)
        {
            total += a[i] * b[i];
        }

        return total;
    }

    private void Clear()
    {
        _signs.Clear();
        _scales.Clear();
        _passageIds.Clear();
        _articles.Clear();
        _articleIds.Clear();
        _articleNumbers.Clear();
        _rows.Clear();
        _count = 0;
        _dropped = 0;
        _lastVectorRow = 0;
        _lastPassage = 0;
        _lastRemoval = 0;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _bytes?.Dispose();
            _bytes = null;
        }
    }
}
