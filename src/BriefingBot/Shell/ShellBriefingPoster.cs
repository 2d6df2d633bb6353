using BriefingBot.Core.Briefing;

namespace BriefingBot.Shell;

/// <summary>Posts scheduled briefings into the shell chat (channel "shell").</summary>
public sealed class ShellBriefingPoster(TextWriter output) : IBriefingPoster
{
    private readonly Lock _gate = new();

    public bool Handles(string channel) => channel.Equals("shell", StringComparison.OrdinalIgnoreCase);

    public Task PostAsync(string channel, Briefing briefing, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            output.WriteLine();
            output.WriteLine(TerminalFormatter.FormatBriefing(briefing));
            output.Flush();
        }

        return Task.CompletedTask;
    }
}
