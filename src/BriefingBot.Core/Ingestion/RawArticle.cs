namespace BriefingBot.Core.Ingestion;

/// <summary>An article as a format reader found it, before cleaning: metadata as given and body paragraphs.</summary>
/// <param name="Line">One-based line in the source file, for formats with an article per line.</param>
public sealed record RawArticle(
    string? Id,
    string? Title,
    string? Outlet,
    string? Url,
    string? Published,
    string? Author,
    IReadOnlyList<string> Paragraphs,
    int? Line = null);

/// <summary>Why a file, or one line of it, was not ingested, or what was changed to ingest it.</summary>
public sealed record IngestProblem(string Source, int? Line, string Reason)
{
    /// <summary>The article was stored all the same (under another id, say): a note, not a loss.</summary>
    public bool Stored { get; init; }

    public override string ToString() => Line is { } line ? $"{Source}:{line}: {Reason}" : $"{Source}: {Reason}";
}

/// <summary>One result of reading a source: an article, or a problem with part of it.</summary>
public readonly record struct ReadResult(RawArticle? Article, IngestProblem? Problem)
{
    public static ReadResult Ok(RawArticle article) => new(article, null);

    public static ReadResult Fail(string source, int? line, string reason) => new(null, new IngestProblem(source, line, reason));
}

/// <summary>Reads one kind of corpus file.</summary>
public interface IArticleFormat
{
    /// <summary>File name endings this format reads, with the dot (".txt").</summary>
    IReadOnlyList<string> Extensions { get; }

    IEnumerable<ReadResult> Read(string source, string content);
}
