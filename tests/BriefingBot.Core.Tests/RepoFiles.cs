namespace BriefingBot.Core.Tests;

/// <summary>Paths in the repository, found from the test's own folder.</summary>
internal static class RepoFiles
{
    public static string Root { get; } = FindRoot();

    public static string BundledArticle => Directory.GetFiles(Path.Combine(Root, "corpus"), "*.txt").Order(StringComparer.Ordinal).First();

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
