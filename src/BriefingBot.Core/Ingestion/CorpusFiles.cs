namespace BriefingBot.Core.Ingestion;

/// <summary>A file of the corpus folder: where it is, its path relative to the folder, and its size and modification time.</summary>
public sealed record CorpusFile(string FullPath, string RelativePath, long Length, DateTimeOffset Modified);

/// <summary>
/// Lists the files of a corpus folder, subfolders included. Links are followed, but every real folder is walked
/// once and every real file listed once: a link to a parent folder (a loop) or a second link to the same place
/// adds nothing. Names starting with a dot are skipped, and so is a folder that cannot be read (reported).
/// </summary>
public static class CorpusFiles
{
    // Linux gives up resolving a path after 40 links (ELOOP); so do we.
    private const int MaxLinks = 40;

    public static (IReadOnlyList<CorpusFile> Files, IReadOnlyList<IngestProblem> Problems) List(string root)
    {
        var files = new List<CorpusFile>();
        var problems = new List<IngestProblem>();
        var walked = new HashSet<string>(PathComparer);
        var listed = new HashSet<string>(PathComparer);
        var pending = new Stack<string>();
        pending.Push(Path.GetFullPath(root));
        while (pending.Count > 0)
        {
            var folder = pending.Pop();
            var relativeFolder = Relative(root, folder);
            var real = RealPath(folder);
            if (real is null || !walked.Add(real))
            {
                continue; // a loop, a second link to a folder already walked, or a broken link
            }

            IEnumerable<FileSystemInfo> entries;
            try
            {
                entries = new DirectoryInfo(folder).EnumerateFileSystemInfos().ToList();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                problems.Add(new IngestProblem(relativeFolder.Length == 0 ? "." : relativeFolder, null, $"cannot list the folder: {ex.Message}"));
                continue;
            }

            var subfolders = new List<string>();
            foreach (var entry in entries.OrderBy(e => e.Name, StringComparer.Ordinal))
            {
                if (entry.Name.StartsWith('.'))
                {
                    continue;
                }

                if (IsFolder(entry))
                {
                    subfolders.Add(entry.FullName);
                    continue;
                }

                var target = entry.LinkTarget is null ? entry : entry.ResolveLinkTarget(returnFinalTarget: true);
                var realFile = target is null || !target.Exists ? null : RealPath(target.FullName);
                if (realFile is null)
                {
                    problems.Add(new IngestProblem(Relative(root, entry.FullName), null, "a link to nothing (broken link)"));
                    continue;
                }

                if (listed.Add(realFile))
                {
                    var info = (FileInfo)target!;
                    files.Add(new CorpusFile(entry.FullName, Relative(root, entry.FullName), info.Length, info.LastWriteTimeUtc));
                }
            }

            // Depth first, in name order: the listing's order is stable from run to run.
            for (var i = subfolders.Count - 1; i >= 0; i--)
            {
                pending.Push(subfolders[i]);
            }
        }

        files.Sort((a, b) => StringComparer.Ordinal.Compare(a.RelativePath, b.RelativePath));
        return (files, problems);
    }

    private static StringComparer PathComparer => OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

    private static string Relative(string root, string path)
    {
        var relative = Path.GetRelativePath(root, path).Replace('\\', '/');
        return relative == "." ? string.Empty : relative;
    }

    private static bool IsFolder(FileSystemInfo entry)
    {
        if (entry is DirectoryInfo)
        {
            return true;
        }

        return entry.LinkTarget is not null && entry.ResolveLinkTarget(returnFinalTarget: true) is DirectoryInfo { Exists: true };
    }

    /// <summary>The path with every link in it resolved (what realpath(3) gives), or null for a broken link or a loop.</summary>
    internal static string? RealPath(string path)
    {
        var links = 0;
        return Resolve(Path.GetFullPath(path), ref links);
    }

    private static string? Resolve(string full, ref int links)
    {
        var root = Path.GetPathRoot(full) ?? "/";
        var resolved = root;
        var parts = full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        foreach (var part in parts)
        {
            var next = Path.Combine(resolved, part);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (info.LinkTarget is not { } target)
            {
                resolved = next;
                continue;
            }

            if (++links > MaxLinks)
            {
                return null;
            }

            var targetPath = Path.GetFullPath(target, resolved);
            var again = Resolve(targetPath, ref links);
            if (again is null)
            {
                return null;
            }

            resolved = again;
        }

        return resolved;
    }
}
