using BriefingBot.Core.Briefing;

namespace BriefingBot.Shell;

/// <summary>Posts scheduled briefings and followed topics' new articles into the shell chat (channel "shell").</summary>
public sealed class ShellBriefingPoster(TextWriter output) : IBriefingPoster, Core.Follows.IChannelPoster
{
    private readonly Lock _gate = new();

    public bool Handles(string channel) => channel.Equals(Core.Briefing.BriefingChannel.Shell, StringComparison.OrdinalIgnoreCase);

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

    public Task PostAsync(string channel, Core.Chat.ChatReply reply, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            output.WriteLine();
            output.WriteLine(TerminalFormatter.Format(reply));
            output.Flush();
        }

        return Task.CompletedTask;
    }
}
