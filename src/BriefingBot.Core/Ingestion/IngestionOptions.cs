using System.ComponentModel.DataAnnotations;

namespace BriefingBot.Core.Ingestion;

/// <summary>Settings of the <c>Corpus</c> section.</summary>
public sealed class IngestionOptions
{
    public const string Section = "Corpus";

    /// <summary>The folder of article files, relative to the content root unless absolute.</summary>
    [Required(ErrorMessage = "Corpus:Path must name the folder of article files.")]
    public string Path { get; set; } = "corpus";

    /// <summary>Files larger than this are reported and skipped.</summary>
    [Range(1, long.MaxValue, ErrorMessage = "Corpus:MaxFileBytes must be a positive number of bytes.")]
    public long MaxFileBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Articles with more characters than this are reported and skipped (a runaway line, a dump).</summary>
    [Range(100, int.MaxValue, ErrorMessage = "Corpus:MaxArticleChars must be at least 100.")]
    public int MaxArticleChars { get; set; } = 500_000;

    /// <summary>
    /// A run that finds most of the files it stored gone (more than half, and at least ten) keeps their articles and
    /// says so, unless this is true: a folder mounted empty, or an instance given another folder than the others on a
    /// shared store, must not wipe the corpus. Set it for the one run that removes them on purpose.
    /// </summary>
    public bool AllowMassRemoval { get; set; }

    /// <summary>While the bot runs, files added, changed or removed in the folder are ingested without a restart.</summary>
    public bool Watch { get; set; } = true;

    /// <summary>How often the watched folder is read whole, for changes the file system did not report.</summary>
    public TimeSpan RescanInterval { get; set; } = TimeSpan.FromMinutes(5);
}
