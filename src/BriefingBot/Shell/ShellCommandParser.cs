using BriefingBot.Core.Chat;

namespace BriefingBot.Shell;

/// <summary>What a line typed into the shell asks for.</summary>
public abstract record ShellInput
{
    public sealed record Request(ChatRequest ChatRequest) : ShellInput;

    public sealed record Quit : ShellInput;

    public sealed record Nothing : ShellInput;

    public sealed record Invalid(string Message) : ShellInput;
}

/// <summary>Parses shell lines: <c>/quit</c> and the end of input here, everything else as on every platform (<see cref="TextCommands"/>).</summary>
public static class ShellCommandParser
{
    public static ShellInput Parse(string? line, string conversation)
    {
        if (line is null)
        {
            return new ShellInput.Quit();
        }

        var text = line.Trim();
        if (text.Length == 0)
        {
            return new ShellInput.Nothing();
        }

        if (text.ToLowerInvariant() is "/quit" or "/exit" or "/q")
        {
            return new ShellInput.Quit();
        }

        return TextCommands.Parse(text, conversation) switch
        {
            TextCommand.Request request => new ShellInput.Request(request.ChatRequest),
            TextCommand.Invalid invalid => new ShellInput.Invalid(invalid.Message),
            _ => new ShellInput.Nothing(),
        };
    }
}
