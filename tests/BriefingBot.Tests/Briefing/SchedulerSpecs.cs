using System.Collections.Concurrent;
using BriefingBot.Core.Briefing;
using BriefingBot.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using CoreBriefing = BriefingBot.Core.Briefing.Briefing;

namespace BriefingBot.Tests.Briefing;

/// <summary>Records what it posts, and when by the scheduler's clock; can be told to fail.</summary>
internal sealed class RecordingPoster(TimeProvider time, string prefix = "") : IBriefingPoster
{
    public ConcurrentQueue<(string Channel, DateTimeOffset At, CoreBriefing Briefing)> Posts { get; } = new();

    public Func<string, int, Exception?> Failure { get; set; } = (_, _) => null;

    private int _attempts;

    public bool Handles(string channel) => channel.StartsWith(prefix, StringComparison.Ordinal);

    public Task PostAsync(string channel, CoreBriefing briefing, CancellationToken cancellationToken = default)
    {
        var attempt = Interlocked.Increment(ref _attempts);
        if (Failure(channel, attempt) is { } failure)
        {
            throw failure;
        }

        Posts.Enqueue((channel, time.GetUtcNow(), briefing));
        return Task.CompletedTask;
    }
}

public sealed class SchedulerSpecs : IDisposable
{
    private readonly TestCorpus _corpus = new();
    private readonly List<CancellationTokenSource> _running = [];

    private BriefingScheduler Scheduler(FakeTimeProvider time, IBriefingPoster poster, BriefingOptions options) =>
        new(new BriefingComposer(_corpus.Store, Options.Create(options)), _corpus.Store, [poster], Options.Create(options), time, NullLogger<BriefingScheduler>.Instance);

    private Task Start(BriefingScheduler scheduler)
    {
        var cts = new CancellationTokenSource();
        _running.Add(cts);
        return Task.Run(async () =>
        {
            try
            {
                await scheduler.RunAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
            }
        });
    }

    private static async Task Until(Func<bool> condition, string what)
    {
        for (var i = 0; i < 400 && !condition(); i++)
        {
            await Task.Delay(25);
        }

        Assert.True(condition(), $"timed out waiting for {what}");
    }

    /// <summary>Lets the clock run to <paramref name="instant"/> once the scheduler waits for it.</summary>
    private static async Task RunTo(FakeTimeProvider time, BriefingScheduler scheduler, DateTimeOffset instant)
    {
        await Until(() => scheduler.NextOccurrence == instant, $"the scheduler to wait for {instant:u}");
        time.SetUtcNow(instant);
    }

    [Fact]
    public async Task Briefings_go_out_at_the_local_time_across_a_daylight_saving_change()
    {
        // Berlin moves its clocks forward on 29 March 2026: 07:00 is 06:00 UTC before and 05:00 UTC after.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 27, 12, 0, 0, TimeSpan.Zero));
        var poster = new RecordingPoster(time);
        var scheduler = Scheduler(time, poster, new BriefingOptions { TimeZone = "Europe/Berlin", Channels = ["news"] });
        _ = Start(scheduler);

        DateTimeOffset[] expected =
        [
            new(2026, 3, 28, 6, 0, 0, TimeSpan.Zero),
            new(2026, 3, 29, 5, 0, 0, TimeSpan.Zero),
            new(2026, 3, 30, 5, 0, 0, TimeSpan.Zero),
        ];
        for (var i = 0; i < expected.Length; i++)
        {
            await RunTo(time, scheduler, expected[i]);
            await Until(() => poster.Posts.Count == i + 1, $"post {i + 1}");
        }

        Assert.Equal(expected, poster.Posts.Select(p => p.At));
        Assert.Equal(expected[0], poster.Posts.ElementAt(1).Briefing.From); // each window starts where the last ended
    }

    [Fact]
    public async Task A_crash_between_composing_and_posting_leaves_the_briefing_to_the_restart_which_posts_it_once()
    {
        var occurrence = new DateTimeOffset(2026, 11, 25, 4, 0, 0, TimeSpan.Zero); // 07:00 in Istanbul
        var time = new FakeTimeProvider(occurrence + TimeSpan.FromMinutes(1));
        var options = new BriefingOptions { Channels = ["news"] };

        // The instance that died had claimed the occurrence and composed, but never posted.
        Assert.True(await _corpus.Store.TryClaimAsync("news", occurrence, "crashed-instance", occurrence, options.ClaimLease));

        var poster = new RecordingPoster(time);
        var restarted = Scheduler(time, poster, options);
        var catchUp = restarted.CatchUpAsync();
        await Task.Delay(100);
        Assert.Empty(poster.Posts); // the dead instance's claim still holds

        time.Advance(options.ClaimLease);
        await catchUp.WaitAsync(TimeSpan.FromSeconds(10));

        var post = Assert.Single(poster.Posts);
        Assert.Equal("news", post.Channel);
        Assert.True(await _corpus.Store.IsPostedAsync("news", occurrence));
        await restarted.CatchUpAsync();
        Assert.Single(poster.Posts);
    }

    [Fact]
    public async Task Instances_catching_up_at_once_on_one_store_post_each_channels_briefing_once_between_them()
    {
        var occurrence = new DateTimeOffset(2026, 11, 25, 4, 0, 0, TimeSpan.Zero);
        var time = new FakeTimeProvider(occurrence + TimeSpan.FromMinutes(1));
        var options = new BriefingOptions { Channels = ["news", "desk"] };
        var posters = Enumerable.Range(0, 3).Select(_ => new RecordingPoster(time)).ToList();
        var instances = posters.Select(poster => Scheduler(time, poster, options)).ToList();
        Assert.Equal(3, instances.Select(i => i.InstanceId).Distinct().Count());

        // An instance that finds a channel claimed checks again after the claim's lease: the clock is moved on until
        // every instance is done.
        var all = Task.WhenAll(instances.Select(i => Task.Run(() => i.CatchUpAsync())));
        for (var step = 0; !all.IsCompleted && step < 200; step++)
        {
            await Task.Delay(25);
            time.Advance(options.ClaimLease / 4);
        }

        await all.WaitAsync(TimeSpan.FromSeconds(10));

        var posts = posters.SelectMany(p => p.Posts).ToList();
        Assert.Equal(["desk", "news"], posts.Select(p => p.Channel).Order(StringComparer.Ordinal));
        Assert.True(await _corpus.Store.IsPostedAsync("news", occurrence));
    }

    [Fact]
    public async Task A_briefing_missed_while_down_is_posted_late_once_within_the_grace_period()
    {
        var occurrence = new DateTimeOffset(2026, 11, 25, 4, 0, 0, TimeSpan.Zero);
        var time = new FakeTimeProvider(occurrence + TimeSpan.FromHours(1));
        var poster = new RecordingPoster(time);
        var scheduler = Scheduler(time, poster, new BriefingOptions { Channels = ["news"], GracePeriod = TimeSpan.FromHours(3) });

        await scheduler.CatchUpAsync();
        await scheduler.CatchUpAsync();

        Assert.Equal(occurrence + TimeSpan.FromHours(1), Assert.Single(poster.Posts).At);
    }

    [Fact]
    public async Task A_briefing_missed_by_more_than_the_grace_period_is_skipped_and_older_ones_never_burst_out()
    {
        var occurrence = new DateTimeOffset(2026, 11, 25, 4, 0, 0, TimeSpan.Zero);
        var time = new FakeTimeProvider(occurrence + TimeSpan.FromHours(4));
        var poster = new RecordingPoster(time);
        var scheduler = Scheduler(time, poster, new BriefingOptions { Channels = ["news"], GracePeriod = TimeSpan.FromHours(3) });

        await scheduler.CatchUpAsync();

        Assert.Empty(poster.Posts);
        Assert.False(await _corpus.Store.IsPostedAsync("news", occurrence));
    }

    [Fact]
    public async Task Two_schedulers_sharing_one_store_post_each_briefing_once()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
        var options = new BriefingOptions { Channels = ["news"] };
        var first = new RecordingPoster(time);
        var second = new RecordingPoster(time);
        var a = Scheduler(time, first, options);
        var b = Scheduler(time, second, options);
        _ = Start(a);
        _ = Start(b);
        var occurrence = new DateTimeOffset(2026, 11, 25, 4, 0, 0, TimeSpan.Zero);

        await Until(() => a.NextOccurrence == occurrence && b.NextOccurrence == occurrence, "both schedulers to wait");
        time.SetUtcNow(occurrence);
        await Until(() => first.Posts.Count + second.Posts.Count >= 1, "a post");
        await Until(() => a.NextOccurrence > occurrence && b.NextOccurrence > occurrence, "both schedulers to move on");

        Assert.Equal(1, first.Posts.Count + second.Posts.Count);
    }

    [Fact]
    public async Task A_transient_failure_is_retried_with_backoff_and_posted_once()
    {
        var occurrence = new DateTimeOffset(2026, 11, 25, 4, 0, 0, TimeSpan.Zero);
        var time = new FakeTimeProvider(occurrence);
        var poster = new RecordingPoster(time) { Failure = (_, attempt) => attempt <= 2 ? new HttpRequestException("503 Service Unavailable") : null };
        var scheduler = Scheduler(time, poster, new BriefingOptions { Channels = ["news"], RetryDelay = TimeSpan.FromSeconds(30) });

        var run = scheduler.CatchUpAsync();
        await Task.Delay(100);
        time.Advance(TimeSpan.FromSeconds(30));
        await Task.Delay(100);
        time.Advance(TimeSpan.FromSeconds(60));
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        var post = Assert.Single(poster.Posts);
        Assert.Equal(occurrence + TimeSpan.FromSeconds(90), post.At);
        Assert.True(await _corpus.Store.IsPostedAsync("news", occurrence));
    }

    [Fact]
    public async Task A_channel_that_cannot_take_posts_does_not_stop_the_others()
    {
        var occurrence = new DateTimeOffset(2026, 11, 25, 4, 0, 0, TimeSpan.Zero);
        var time = new FakeTimeProvider(occurrence);
        var poster = new RecordingPoster(time)
        {
            Failure = (channel, _) => channel == "deleted" ? new ChannelUnavailableException(channel, "404 Unknown Channel") : null,
        };
        var scheduler = Scheduler(time, poster, new BriefingOptions { Channels = ["deleted", "news"] });

        await scheduler.CatchUpAsync();

        Assert.Equal("news", Assert.Single(poster.Posts).Channel);
        Assert.False(await _corpus.Store.IsPostedAsync("deleted", occurrence));
    }

    [Theory]
    [InlineData("every morning", "Europe/Istanbul", "Briefing:Schedule")]
    [InlineData("0 7 * * *", "Mars/Olympus_Mons", "Briefing:TimeZone")]
    public void A_bad_schedule_or_time_zone_names_its_setting(string schedule, string zone, string setting)
    {
        var ex = Assert.Throws<Core.BriefingBotException>(() => BriefingScheduler.Parse(new BriefingOptions { Schedule = schedule, TimeZone = zone }));

        Assert.StartsWith(setting, ex.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        foreach (var cts in _running)
        {
            cts.Cancel();
        }

        _corpus.Dispose();
    }
}
