using BriefingBot.Chat;
using BriefingBot.Core.Chat;

namespace BriefingBot.Shell;

/// <summary>
/// The shell platform: a prompt where a person types questions and commands, answered from the corpus. Reads
/// until <c>/quit</c> or the end of input, so it also runs with input piped in.
/// </summary>
public sealed class ShellChat(ChatPipeline pipeline, TextReader input, TextWriter output, bool interactive)
{
    public async Task RunAsync(string greeting, CancellationToken cancellationToken = default)
    {
        await output.WriteLineAsync(greeting).ConfigureAwait(false);
        var conversation = $"shell-{Environment.ProcessId}";
        while (!cancellationToken.IsCancellationRequested)
        {
            if (interactive)
            {
                await output.WriteAsync("\n> ").ConfigureAwait(false);
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            var line = await input.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            switch (ShellCommandParser.Parse(line, conversation))
            {
                case ShellInput.Quit:
                    return;
                case ShellInput.Nothing:
                    continue;
                case ShellInput.Invalid invalid:
                    await output.WriteLineAsync(invalid.Message).ConfigureAwait(false);
                    continue;
                case ShellInput.Request request:
                    var reply = await pipeline.HandleAsync(new TextCommand.Request(request.ChatRequest), place: null, cancellationToken).ConfigureAwait(false);
                    await output.WriteLineAsync(TerminalFormatter.Format(reply)).ConfigureAwait(false);
                    if (!interactive)
                    {
                        await output.WriteLineAsync().ConfigureAwait(false);
                    }

                    break;
            }
        }
    }
}
