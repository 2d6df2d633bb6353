using System.Threading.Channels;
using BriefingBot.Core.Retries;

namespace BriefingBot.Chat.Platforms;

/// <summary>
/// Keeps a platform connection up, for the Discord gateway and Slack's Socket Mode alike. A connection asks for its
/// successor once, saying whether it was healthy: at its end (a dropped socket, a resume), or while it still runs so
/// the two overlap and no event falls in a gap (Slack's refresh). After a healthy connection the next one starts at
/// once; after failures it waits longer each time, with jitter. A connection that throws ends them all: the platform
/// refused the bot for good, and the exception says why.
/// </summary>
/// <param name="random">A number in [0, 1) for the jitter (fixed in tests).</param>
/// <param name="onWait">Told of each wait before a reconnection and its attempt number, to log it.</param>
public sealed class ReconnectLoop(TimeSpan firstDelay, TimeSpan maxDelay, TimeProvider time, Func<double> random, Action<TimeSpan, int> onWait)
{
    /// <param name="connection">Runs one connection; calls its first argument with whether it was healthy to have the next one started (later calls are ignored; returning without a call counts as unhealthy).</param>
    public async Task RunAsync(Func<Action<bool>, CancellationToken, Task> connection, CancellationToken cancellationToken)
    {
        var successors = Channel.CreateUnbounded<bool>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = new List<Task>();
        var failures = 0;
        successors.Writer.TryWrite(true);
        try
        {
            while (await successors.Reader.WaitToReadAsync(stop.Token).ConfigureAwait(false))
            {
                successors.Reader.TryRead(out var healthy);
                failures = healthy ? 0 : failures + 1;
                if (failures > 0)
                {
                    var delay = Backoff.Delay(failures, firstDelay, maxDelay, random());
                    onWait(delay, failures);
                    await Task.Delay(delay, time, stop.Token).ConfigureAwait(false);
                }

                running.RemoveAll(t => t.IsCompleted);
                running.Add(RunOneAsync(connection, successors.Writer, stop));
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // stopping, or a connection ended them all
        }

        await stop.CancelAsync().ConfigureAwait(false);

        // The first connection that failed for good says why, once the others have wound down.
        await Task.WhenAll(running).ConfigureAwait(false);
    }

    private static async Task RunOneAsync(Func<Action<bool>, CancellationToken, Task> connection, ChannelWriter<bool> successors, CancellationTokenSource stop)
    {
        var asked = 0;
        void Next(bool healthy)
        {
            if (Interlocked.Exchange(ref asked, 1) == 0 && !stop.IsCancellationRequested)
            {
                successors.TryWrite(healthy);
            }
        }

        try
        {
            await connection(Next, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return;
        }
        catch
        {
            // No successor for a connection the platform refused: stop the loop and the connections beside it.
            Interlocked.Exchange(ref asked, 1);
            await stop.CancelAsync().ConfigureAwait(false);
            throw;
        }

        Next(false);
    }
}
