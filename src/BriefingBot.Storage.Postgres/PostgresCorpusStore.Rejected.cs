using BriefingBot.Core.Ingestion;

namespace BriefingBot.Storage.Postgres;

/// <summary>The files ingestion could not read, remembered until they change.</summary>
public sealed partial class PostgresCorpusStore : IRejectedSources
{
    public async Task<IReadOnlyDictionary<string, RejectedSource>> GetRejectedAsync(CancellationToken cancellationToken = default)
    {
        var result = new Dictionary<string, RejectedSource>(StringComparer.Ordinal);
        await ReadAsync("SELECT path, length, modified_ticks, problems FROM rejected_sources", [], reader =>
        {
            var path = reader.GetString(0);
            result[path] = new RejectedSource(path, reader.GetInt64(1), new DateTimeOffset(reader.GetInt64(2), TimeSpan.Zero), StoredForm.DecodeProblems(path, reader.GetString(3)));
        }, cancellationToken).ConfigureAwait(false);
        return result;
    }

    public Task RememberRejectedAsync(RejectedSource source, CancellationToken cancellationToken = default) => ExecuteAsync("""
        INSERT INTO rejected_sources (path, length, modified_ticks, problems) VALUES (@path, @length, @ticks, @problems)
        ON CONFLICT (path) DO UPDATE SET length = excluded.length, modified_ticks = excluded.modified_ticks, problems = excluded.problems
        """, [("@path", source.Path), ("@length", source.Length), ("@ticks", source.Modified.UtcTicks), ("@problems", StoredForm.EncodeProblems(source.Problems))],
        cancellationToken);

    public Task ForgetRejectedAsync(string path, CancellationToken cancellationToken = default) =>
        ExecuteAsync("DELETE FROM rejected_sources WHERE path = @path", [("@path", path)], cancellationToken);
}
