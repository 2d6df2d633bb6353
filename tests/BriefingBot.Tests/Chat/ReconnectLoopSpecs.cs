using System.Collections.Concurrent;
using BriefingBot.Chat.Platforms;
using Microsoft.Extensions.Time.Testing;

namespace BriefingBot.Tests.Chat;

/// <summary>The one reconnect loop of the Discord gateway and Slack's Socket Mode.</summary>
public sealed class ReconnectLoopSpecs
{
    private readonly FakeTimeProvider _time = new();
    private readonly ConcurrentQueue<(TimeSpan Delay, int Attempt)> _waits = new();

    private ReconnectLoop Loop() => new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), _time, () => 0.999, (delay, attempt) => _waits.Enqueue((delay, attempt)));

    private static async Task Until(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }

    [Fact]
    public async Task After_a_healthy_connection_the_next_starts_at_once_and_after_failures_it_waits_longer_each_time()
    {
        var started = 0;
        using var stop = new CancellationTokenSource();
        var run = Loop().RunAsync((next, _) =>
        {
            var n = Interlocked.Increment(ref started);
            next(n == 1); // the first was healthy, the rest drop before they are
            return Task.CompletedTask;
        }, stop.Token);

        // The second started with the clock standing still; the third waits for it.
        await Until(() => started == 2 && _waits.Count == 1);
        await Task.Delay(50);
        Assert.Equal(2, started);
        _time.Advance(TimeSpan.FromSeconds(1));
        await Until(() => started == 3 && _waits.Count == 2);
        _time.Advance(TimeSpan.FromSeconds(2));
        await Until(() => started == 4 && _waits.Count == 3);

        Assert.Equal([1, 2, 3], _waits.Select(w => w.Attempt));
        Assert.Equal([1.0, 2.0, 4.0], _waits.Select(w => Math.Round(w.Delay.TotalSeconds)));
        await stop.CancelAsync();
        await run; // stopping is not a failure
    }

    [Fact]
    public async Task A_connection_that_asks_for_its_successor_early_runs_beside_it_and_only_one_successor_is_started()
    {
        var running = 0;
        var most = 0;
        var started = 0;
        using var stop = new CancellationTokenSource();
        var run = Loop().RunAsync(async (next, token) =>
        {
            var n = Interlocked.Increment(ref started);
            var now = Interlocked.Increment(ref running);
            most = Math.Max(most, now);
            if (n == 1)
            {
                next(true);
                next(true); // a second disconnect notice on the same connection
                await Task.Delay(Timeout.Infinite, token).ContinueWith(_ => { });
            }
            else
            {
                await Task.Delay(Timeout.Infinite, token).ContinueWith(_ => { });
            }

            Interlocked.Decrement(ref running);
        }, stop.Token);

        await Until(() => started == 2);
        await Task.Delay(100);
        Assert.Equal(2, started);
        Assert.Equal(2, most);
        await stop.CancelAsync();
        await run;
        Assert.Equal(0, running);
    }

    [Fact]
    public async Task A_connection_refused_for_good_stops_the_others_and_its_reason_comes_out()
    {
        var started = 0;
        var otherStopped = false;
        var run = Loop().RunAsync(async (next, token) =>
        {
            if (Interlocked.Increment(ref started) == 1)
            {
                next(true);
                await Task.Delay(Timeout.Infinite, token).ContinueWith(_ => otherStopped = true);
                return;
            }

            throw new InvalidOperationException("token refused");
        }, CancellationToken.None);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => run.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("token refused", error.Message);
        Assert.True(otherStopped);
        Assert.Equal(2, started);
    }
}
