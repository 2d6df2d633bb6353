using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using BriefingBot.Core.Articles;
using Microsoft.Data.Sqlite;

namespace BriefingBot.Storage.Sqlite;

/// <summary>
/// Passage vectors held in memory as one contiguous matrix for brute-force cosine search (unit vectors, so a dot
/// product). Reloaded whole when the corpus changes; vectors added by the embedding backfill are appended.
/// </summary>
internal sealed class VectorIndex
{
    private readonly Lock _gate = new();
    private float[] _matrix = [];
    private long[] _passageIds = [];
    private string[] _articleIds = [];
    private int _count;
    private int _dimensions;
    private long _corpusVersion = -1;
    private long _lastVectorRow;
    private string? _model;

    public void Refresh(SqliteConnection connection, string model, long corpusVersion)
    {
        lock (_gate)
        {
            if (corpusVersion != _corpusVersion || model != _model)
            {
                _count = 0;
                _lastVectorRow = 0;
                _corpusVersion = corpusVersion;
                _model = model;
                Reserve(connection, model);
            }

            using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT p.id, p.article_id, v.vector, v.rowid FROM vectors v JOIN passages p ON p.text_hash = v.text_hash
                WHERE v.model = $model AND v.rowid > $last
                """;
            command.Parameters.AddWithValue("$model", model);
            command.Parameters.AddWithValue("$last", _lastVectorRow);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var bytes = (byte[])reader.GetValue(2);
                var vector = MemoryMarshal.Cast<byte, float>(bytes);
                if (_count == 0)
                {
                    _dimensions = vector.Length;
                }

                if (vector.Length != _dimensions)
                {
                    continue;
                }

                Append(reader.GetInt64(0), reader.GetString(1), vector);
                _lastVectorRow = Math.Max(_lastVectorRow, reader.GetInt64(3));
            }
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

            var best = new PriorityQueue<int, float>(limit + 1);
            var matrix = _matrix.AsSpan();
            for (var row = 0; row < _count; row++)
            {
                var score = TensorPrimitives.Dot(query, matrix.Slice(row * _dimensions, _dimensions));
                if (best.Count < limit)
                {
                    best.Enqueue(row, score);
                }
                else if (best.TryPeek(out _, out var lowest) && score > lowest)
                {
                    best.DequeueEnqueue(row, score);
                }
            }

            var result = new List<ScoredPassage>(best.Count);
            while (best.TryDequeue(out var row, out var score))
            {
                result.Add(new ScoredPassage(_passageIds[row], new ArticleId(_articleIds[row]), score));
            }

            result.Reverse();
            return result;
        }
    }

    /// <summary>Sizes the matrix for every passage once, so a full load allocates it once instead of doubling.</summary>
    private void Reserve(SqliteConnection connection, string model)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*), max(length(v.vector)) FROM vectors v JOIN passages p ON p.text_hash = v.text_hash WHERE v.model = $model";
        command.Parameters.AddWithValue("$model", model);
        using var reader = command.ExecuteReader();
        reader.Read();
        var rows = reader.GetInt32(0);
        var dimensions = reader.IsDBNull(1) ? 0 : reader.GetInt32(1) / sizeof(float);
        _passageIds = [];
        _articleIds = [];
        _matrix = [];
        if (rows > 0 && dimensions > 0)
        {
            _dimensions = dimensions;
            Grow(rows);
        }
    }

    private void Grow(int capacity)
    {
        Array.Resize(ref _passageIds, capacity);
        Array.Resize(ref _articleIds, capacity);
        Array.Resize(ref _matrix, capacity * _dimensions);
    }

    private void Append(long passageId, string articleId, ReadOnlySpan<float> vector)
    {
        if (_count == _passageIds.Length)
        {
            var capacity = Math.Max(1024, _passageIds.Length + (_passageIds.Length / 2));
            Grow(capacity);
        }

        _passageIds[_count] = passageId;
        _articleIds[_count] = articleId;
        vector.CopyTo(_matrix.AsSpan(_count * _dimensions, _dimensions));
        _count++;
    }
}
