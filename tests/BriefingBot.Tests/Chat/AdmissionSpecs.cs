using BriefingBot.Chat;
using BriefingBot.Core.Chat;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BriefingBot.Tests.Chat;

/// <summary>How much work the bot takes on, from whom, and what a refused person is told.</summary>
public sealed class AdmissionSpecs
{
    private static readonly Requester Alice = new("slack", "UALICE", "CNEWS");
    private static readonly Requester Bob = new("slack", "UBOB", "CNEWS");

    private static ChatAdmission Admission(FakeTimeProvider time, AdmissionOptions? options = null) => new(Options.Create(options ?? new AdmissionOptions()), time);

    [Fact]
    public void A_person_over_their_limit_is_told_once_when_to_ask_again_and_others_are_unaffected()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        using var admission = Admission(time, new AdmissionOptions { PerUserRequests = 3, PerUserWindow = TimeSpan.FromMinutes(1), PerChannelRequests = 0 });

        for (var i = 0; i < 3; i++)
        {
            Assert.Null(admission.Limit(Alice));
            time.Advance(TimeSpan.FromSeconds(10));
        }

        var first = admission.Limit(Alice);
        var second = admission.Limit(Alice);
        Assert.NotNull(first);
        Assert.True(first.FirstNotice);
        Assert.Equal(TimeSpan.FromSeconds(30), first.RetryAfter); // the first of the three leaves the window then
        Assert.NotNull(second);
        Assert.False(second.FirstNotice);
        Assert.Null(admission.Limit(Bob));

        time.Advance(TimeSpan.FromSeconds(31));
        Assert.Null(admission.Limit(Alice));
    }

    [Fact]
    public void A_channel_has_a_limit_of_its_own()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        using var admission = Admission(time, new AdmissionOptions { PerUserRequests = 0, PerChannelRequests = 2 });

        Assert.Null(admission.Limit(Alice));
        Assert.Null(admission.Limit(Bob));
        var refused = admission.Limit(new Requester("slack", "UCAROL", "CNEWS"));

        Assert.NotNull(refused);
        Assert.True(refused.Channel);
        Assert.Null(admission.Limit(new Requester("slack", "UCAROL", "COTHER")));
    }

    [Fact]
    public async Task Work_past_the_slots_waits_in_a_bounded_line_and_past_the_line_the_bot_is_busy()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        using var admission = Admission(time, new AdmissionOptions { MaxConcurrent = 1, MaxQueued = 1, QueueTimeout = TimeSpan.FromSeconds(30) });

        var first = await admission.EnterAsync();
        Assert.NotNull(first);
        var second = admission.EnterAsync();
        await Task.Delay(50);
        Assert.False(second.IsCompleted);
        Assert.Equal(1, admission.Waiting);

        Assert.Null(await admission.EnterAsync()); // the line is full: busy at once, not after a wait

        first.Dispose();
        using var admitted = await second.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.NotNull(admitted);
    }

    [Fact]
    public async Task A_wait_longer_than_the_queue_timeout_is_busy()
    {
        using var admission = Admission(new FakeTimeProvider(DateTimeOffset.UnixEpoch), new AdmissionOptions { MaxConcurrent = 1, QueueTimeout = TimeSpan.FromMilliseconds(100) });
        using var held = await admission.EnterAsync();

        Assert.Null(await admission.EnterAsync());
    }

    [Fact]
    public void Model_calls_are_bounded_at_once_and_per_day()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 23, 0, 0, TimeSpan.Zero));
        using var admission = Admission(time, new AdmissionOptions { MaxModelCalls = 1, DailyModelCalls = 2 });

        var first = admission.TryStartModelCall();
        Assert.NotNull(first);
        Assert.Null(admission.TryStartModelCall()); // one at a time
        first.Dispose();
        admission.TryStartModelCall()!.Dispose();
        Assert.Null(admission.TryStartModelCall()); // two today

        time.Advance(TimeSpan.FromHours(2));
        Assert.NotNull(admission.TryStartModelCall()); // a new day
    }

    [Fact]
    public void People_who_stopped_asking_are_forgotten()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        using var admission = Admission(time, new AdmissionOptions { PerUserRequests = 1, PerChannelRequests = 0, PerUserWindow = TimeSpan.FromMinutes(1) });
        for (var i = 0; i < 25_000; i++)
        {
            admission.Limit(new Requester("discord", $"user-{i}", "c"));
            time.Advance(TimeSpan.FromMilliseconds(10));
        }

        Assert.InRange(admission.Remembered, 1, 12_000);
    }

    [Theory]
    [InlineData("<@U0LAN0Z89> How many refugees?", "U0LAN0Z89", "How many refugees?")]
    [InlineData("<@U0LAN0Z89|briefingbot> How many refugees?", "U0LAN0Z89", "How many refugees?")]
    [InlineData("<@!1200000000000000001> How many refugees? cc <@1300000000000000001>", "1200000000000000001", "How many refugees? cc <@1300000000000000001>")]
    [InlineData("How many refugees?", null, "How many refugees?")]
    public void The_bots_mention_is_taken_out_the_same_way_for_every_platform(string text, string? bot, string expected) =>
        Assert.Equal(expected, ChatPipeline.StripMention(text, bot));
}
