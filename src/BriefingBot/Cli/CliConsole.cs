namespace BriefingBot.Cli;

/// <summary>Where the program reads and writes: the real console, or writers a test hands in.</summary>
/// <param name="Interactive">A person is at a terminal: show prompts and progress bars.</param>
/// <param name="ContentRoot">The folder that holds appsettings.json, corpus/ and prompts/.</param>
public sealed record CliConsole(TextReader In, TextWriter Out, TextWriter Error, bool Interactive, string ContentRoot)
{
    public static CliConsole System()
    {
        Console.OutputEncoding = global::System.Text.Encoding.UTF8;
        return new CliConsole(Console.In, Console.Out, Console.Error,
            !Console.IsInputRedirected && !Console.IsErrorRedirected, ResolveContentRoot());
    }

    /// <summary>The current folder when it holds appsettings.json (a checkout), else the program's own folder.</summary>
    public static string ResolveContentRoot()
    {
        var current = Directory.GetCurrentDirectory();
        return File.Exists(Path.Combine(current, "appsettings.json")) ? current : AppContext.BaseDirectory;
    }
}
