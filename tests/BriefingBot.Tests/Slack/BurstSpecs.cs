using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using BriefingBot.Tests.Llm;
using BriefingBot.Tests.Support;
using Xunit.Abstractions;

namespace BriefingBot.Tests.Slack;

/// <summary>A busy workspace: many people at once, a slow model, one person flooding. Acknowledgements never wait.</summary>
[Collection(TimingCollection.Name)]
public sealed class BurstSpecs(ITestOutputHelper output)
{
    private const string Question = "How many Syrian refugees does Turkey host?";

    /// <summary>Reads every frame the bot sends and notes when each envelope's acknowledgement came.</summary>
    private static Task CollectAcksAsync(SocketPeer socket, ConcurrentDictionary<string, (double Seconds, JsonElement Frame)> acks, Stopwatch clock, CancellationToken stop) =>
        Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var frame = await socket.ReceiveAsync(TimeSpan.FromSeconds(1));
                    if (frame.TryGetProperty("envelope_id", out var id))
                    {
                        acks.TryAdd(id.GetString()!, (clock.Elapsed.TotalSeconds, frame.Clone()));
                    }
                }
                catch (OperationCanceledException)
                {
                    // nothing this second
                }
                catch (System.Threading.Channels.ChannelClosedException)
                {
                    return;
                }
            }
        }, CancellationToken.None);

    /// <summary>A bot that has been running a while: its code paths compiled, its first answers given (by someone else).</summary>
    private static async Task WarmUpAsync(FakeSlack slack, SocketPeer socket)
    {
        await socket.SendAsync(FakeSlack.SlashCommand("warm-1", "/ask", Question, slack.Platform.Root + "/commands/T111/warm/hook", "UWARM", "CWARM"));
        await socket.SendAsync(FakeSlack.EventsApi("warm-2", "EvWarm", FakeSlack.AppMention("1515449000.000001", Question, "CWARM", user: "UWARM")));
        await slack.Platform.WaitForAsync(r => r.Path == "/api/chat.postMessage", timeout: TimeSpan.FromSeconds(30));
        await socket.ReceiveAsync(f => f.TryGetProperty("envelope_id", out var id) && id.GetString() == "warm-1", TimeSpan.FromSeconds(30));
        await Task.Delay(3000); // the warm-up's model call, if any, is done
    }

    [Fact]
    public async Task Fifty_commands_and_mentions_from_ten_people_with_a_slow_model_are_each_acknowledged_within_a_second_and_answered_once()
    {
        using var model = new FakeChatServer(call => new ChatReply($"Turkey hosts more than 3 million Syrian refugees [{call.PassageWith("3 million")}].", Delay: TimeSpan.FromSeconds(2.5)));
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await RunningBot.StartAsync(slack.Settings(("Llm:BaseUrl", model.BaseUrl), ("Llm:Model", "slow-model"), ("Llm:TimeoutSeconds", "10")));
        var socket = await slack.AcceptAsync();
        await WarmUpAsync(slack, socket);
        var acks = new ConcurrentDictionary<string, (double Seconds, JsonElement Frame)>();
        var sentAt = new ConcurrentDictionary<string, double>();
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var collecting = CollectAcksAsync(socket, acks, clock, stop.Token);

        // 50 requests from 10 people over about a second: each person 3 slash commands and 2 mentions, in 5 channels.
        for (var i = 0; i < 50; i++)
        {
            var user = $"UPERSON{i % 10}";
            var channel = $"CCHAN{i % 5}";
            var id = $"env-{i}";
            sentAt[id] = clock.Elapsed.TotalSeconds;
            if (i % 5 < 3)
            {
                await socket.SendAsync(FakeSlack.SlashCommand(id, "/ask", Question, slack.Platform.Root + $"/commands/T111/{i}/hook", user, channel));
            }
            else
            {
                await socket.SendAsync(FakeSlack.EventsApi(id, $"Ev{i:D4}", FakeSlack.AppMention($"1515449600.{i:D6}", Question, channel, user: user)));
            }

            await Task.Delay(20);
        }

        var deadline = Stopwatch.StartNew();
        // Only this burst's envelopes count: the warm-up's second acknowledgement may arrive after it returned.
        while (sentAt.Keys.Count(acks.ContainsKey) < 50 && deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50);
        }

        var ackTimes = sentAt.Select(s => acks.TryGetValue(s.Key, out var a) ? a.Seconds - s.Value : double.PositiveInfinity).Order().ToList();
        output.WriteLine($"acknowledged {sentAt.Keys.Count(acks.ContainsKey)}/50; event-to-ack p50 {ackTimes[24] * 1000:F0} ms, max {ackTimes[^1] * 1000:F0} ms");
        foreach (var (id, at) in sentAt.OrderBy(s => s.Value))
        {
            output.WriteLine($"{id} sent {at:F2} acked {(acks.TryGetValue(id, out var a) ? a.Seconds : -1):F2}");
        }

        Assert.All(ackTimes, t => Assert.InRange(t, 0, 1.0));

        // Every request answered exactly once: a slash command inline or through its response_url, a mention in its thread.
        var inline = Enumerable.Range(0, 50).Where(i => i % 5 < 3 && acks[$"env-{i}"].Frame.TryGetProperty("payload", out _)).ToHashSet();
        var throughUrl = Enumerable.Range(0, 50).Where(i => i % 5 < 3 && !inline.Contains(i)).ToList();
        var mentions = Enumerable.Range(0, 50).Where(i => i % 5 >= 3).ToList();
        await slack.Platform.WaitForAsync(r => r.Path.StartsWith("/commands/", StringComparison.Ordinal), count: throughUrl.Count, timeout: TimeSpan.FromSeconds(40));
        await slack.Platform.WaitForAsync(r => r.Path == "/api/chat.postMessage" && r.Json.GetProperty("channel").GetString() != "CWARM", count: mentions.Count, timeout: TimeSpan.FromSeconds(40));
        await Task.Delay(500);
        var requests = slack.Platform.Requests;
        foreach (var i in throughUrl)
        {
            Assert.Single(requests, r => r.Path == $"/commands/T111/{i}/hook");
        }

        foreach (var i in inline)
        {
            Assert.DoesNotContain(requests, r => r.Path == $"/commands/T111/{i}/hook");
        }

        foreach (var i in mentions)
        {
            Assert.Single(requests, r => r.Path == "/api/chat.postMessage" && r.Json.TryGetProperty("thread_ts", out var t) && t.GetString() == $"1515449600.{i:D6}");
        }

        // The model is never asked more than Admission:MaxModelCalls at once; past that, answers are extractive.
        Assert.InRange(model.Calls.Count, 1, 50);
        await stop.CancelAsync();
        await collecting;
    }

    [Fact]
    public async Task One_person_flooding_is_told_once_to_wait_and_does_not_hold_up_anyone_else()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await RunningBot.StartAsync(slack.Settings());
        var socket = await slack.AcceptAsync();
        await WarmUpAsync(slack, socket);
        var acks = new ConcurrentDictionary<string, (double Seconds, JsonElement Frame)>();
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var collecting = CollectAcksAsync(socket, acks, clock, stop.Token);

        for (var i = 0; i < 100; i++)
        {
            await socket.SendAsync(FakeSlack.EventsApi($"flood-{i}", $"EvF{i:D4}", FakeSlack.AppMention($"1515449700.{i:D6}", Question, "CFLOOD", user: "UFLOODER")));
            await Task.Delay(10);
        }

        var asked = clock.Elapsed;
        await socket.SendAsync(FakeSlack.EventsApi("other", "EvOther", FakeSlack.AppMention("1515449800.000001", Question, "COTHER", user: "UOTHER")));
        var answer = await slack.Platform.WaitForAsync(r => r.Path == "/api/chat.postMessage" && r.Json.TryGetProperty("thread_ts", out var t) && t.GetString() == "1515449800.000001", timeout: TimeSpan.FromSeconds(10));
        var waited = clock.Elapsed - asked;
        output.WriteLine($"another person's answer came {waited.TotalMilliseconds:F0} ms after the question, behind a flood of 100");
        Assert.True(waited < TimeSpan.FromSeconds(1), $"{waited.TotalMilliseconds:F0} ms");

        await Task.Delay(1000);
        var posts = slack.Platform.Requests.Where(r => r.Path == "/api/chat.postMessage" && r.Json.GetProperty("channel").GetString() == "CFLOOD").ToList();
        var told = posts.Where(p => p.Body.Contains("asking faster than I can answer", StringComparison.Ordinal)).ToList();
        Assert.Single(told);
        Assert.Equal(10 + 1, posts.Count); // Admission:PerUserRequests answers, then one notice, then silence
        Assert.Equal(101, acks.Keys.Count(k => k.StartsWith("flood-", StringComparison.Ordinal) || k == "other")); // not the warm-up's
        await stop.CancelAsync();
        await collecting;
    }
}
