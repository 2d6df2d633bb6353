namespace BriefingBot.Tests.Support;

/// <summary>Paths in the repository, found from the test's own folder.</summary>
internal static class RepoFiles
{
    public static string Root { get; } = FindRoot();

    public static string BundledArticle => Directory.GetFiles(Path.Combine(Root, "corpus"), "*.txt").Order(StringComparer.Ordinal).First();

    /// <summary>The FA-KES articles bundled with the repository (<c>samples/fa-kes</c>).</summary>
    public static string FaKes => Path.Combine(Root, "samples", "fa-kes");

    /// <summary>The FA-KES articles file.</summary>
    public static string FaKesArticles => Path.Combine(FaKes, "syria-war-articles.jsonl");

    /// <summary>Two articles annotated in brat standoff, written for these tests.</summary>
    public static string AnnotatedQuotes => Path.Combine(Root, "tests", "BriefingBot.Tests", "Quotes", "Annotated");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BriefingBot.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("BriefingBot.sln not found above " + AppContext.BaseDirectory);
    }
}
