using BriefingBot.Chat.Platforms;
using BriefingBot.Core.Chat;
using BriefingBot.Core.Retries;
using Microsoft.Extensions.Time.Testing;

namespace BriefingBot.Core.Tests.Chat;

public sealed class RetrySpecs
{
    [Theory]
    [InlineData(1, 0.0, 500)]
    [InlineData(1, 0.5, 750)]
    [InlineData(3, 0.0, 2000)]
    [InlineData(10, 0.0, 15_000)]
    [InlineData(10, 0.5, 22_500)]
    public void Waits_double_per_attempt_up_to_the_ceiling_with_jitter(int attempt, double random, double expectedMs) =>
        Assert.Equal(expectedMs, Backoff.Delay(attempt, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), random).TotalMilliseconds, 0);

    [Theory]
    [InlineData(1, 15)]
    [InlineData(2, 30)]
    [InlineData(4, 120)]
    [InlineData(30, 360)]
    public void Without_jitter_a_wait_doubles_per_attempt_up_to_the_ceiling(int attempt, double expectedMinutes) =>
        Assert.Equal(TimeSpan.FromMinutes(expectedMinutes), Backoff.Doubling(attempt, TimeSpan.FromMinutes(15), TimeSpan.FromHours(6)));

    [Fact]
    public async Task A_passing_failure_is_retried_after_growing_waits_and_any_other_ends_at_once()
    {
        var time = new FakeTimeProvider();
        var calls = 0;
        var waits = new List<TimeSpan>();
        var running = Backoff.RetryAsync(
            _ => ++calls < 3 ? throw new HttpRequestException("not yet") : Task.FromResult(calls),
            ex => ex is HttpRequestException,
            TimeSpan.FromSeconds(2),
            TimeSpan.FromMinutes(1),
            time,
            (_, wait) => waits.Add(wait));
        for (var i = 0; i < 100 && !running.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(5);
        }

        Assert.Equal(3, await running);
        Assert.Equal(2, waits.Count);
        Assert.True(waits[1] > TimeSpan.FromSeconds(1.9) && waits[0] <= TimeSpan.FromSeconds(2));

        await Assert.ThrowsAsync<InvalidOperationException>(() => Backoff.RetryAsync<int>(
            _ => throw new InvalidOperationException("refused"), ex => ex is HttpRequestException, TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(1), time, (_, _) => { }));
    }

    [Fact]
    public void An_event_is_first_seen_once_and_forgotten_when_it_is_old()
    {
        var time = new FakeTimeProvider();
        var seen = new RecentEvents(time, capacity: 3, keepFor: TimeSpan.FromMinutes(10));

        Assert.True(seen.FirstTime("a"));
        Assert.False(seen.FirstTime("a"));
        Assert.True(seen.Seen("a"));
        time.Advance(TimeSpan.FromMinutes(11));
        Assert.False(seen.Seen("a"));
        Assert.True(seen.FirstTime("a"));

        // Bounded: the oldest goes when more arrive than it keeps.
        Assert.True(seen.FirstTime("b"));
        Assert.True(seen.FirstTime("c"));
        Assert.True(seen.FirstTime("d"));
        Assert.True(seen.FirstTime("a"));
    }
}
