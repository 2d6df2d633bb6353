using System.Diagnostics;
using BriefingBot.Tests.Llm;
using BriefingBot.Tests.Support;
using Xunit.Abstractions;

namespace BriefingBot.Tests.Discord;

/// <summary>A busy server: fifty /ask commands from ten people with a slow model. Every one is deferred in time and answered once.</summary>
[Collection(TimingCollection.Name)]
public sealed class BurstSpecs(ITestOutputHelper output)
{
    private const string Question = "How many Syrian refugees does Turkey host?";

    [Fact]
    public async Task Fifty_commands_from_ten_people_with_a_slow_model_are_each_deferred_within_a_second_and_answered_once()
    {
        using var model = new FakeChatServer(call => new ChatReply($"Turkey hosts more than 3 million Syrian refugees [{call.PassageWith("3 million")}].", Delay: TimeSpan.FromSeconds(2.5)));
        await using var discord = await FakeDiscord.StartAsync();
        await using var bot = await RunningBot.StartAsync(discord.Settings(("Llm:BaseUrl", model.BaseUrl), ("Llm:Model", "slow-model"), ("Llm:TimeoutSeconds", "10")));
        var socket = await discord.AcceptIdentifiedAsync();

        // Warm: the code paths compiled and the first answer given, as in a bot that has been running a while.
        await socket.SendAsync(FakeDiscord.InteractionCreate(2, "1600000000000009999", "tok-warm", 2, "ask", $$"""[{"type": 3, "name": "question", "value": "{{Question}}"}]""", "1300000000000009999"));
        await discord.Platform.WaitForAsync(r => r.Method == "PATCH", timeout: TimeSpan.FromSeconds(30));

        var sent = new Dictionary<int, long>();
        for (var i = 0; i < 50; i++)
        {
            sent[i] = Stopwatch.GetTimestamp();
            await socket.SendAsync(FakeDiscord.InteractionCreate(3 + i, $"16000000000000{i:D5}", $"tok-burst-{i}", 2, "ask",
                $$"""[{"type": 3, "name": "question", "value": "{{Question}}"}]""", $"13000000000000{i % 10:D5}", $"10000000000000{i % 5:D5}"));
            await Task.Delay(20);
        }

        await discord.Platform.WaitForAsync(r => r.Path.Contains("/tok-burst-", StringComparison.Ordinal) && r.Method == "PATCH", count: 50, timeout: TimeSpan.FromSeconds(60));
        await Task.Delay(500);
        var requests = discord.Platform.Requests;
        var deferTimes = new List<double>();
        for (var i = 0; i < 50; i++)
        {
            var callback = Assert.Single(requests, r => r.Path == $"/api/v10/interactions/16000000000000{i:D5}/tok-burst-{i}/callback");
            deferTimes.Add(Stopwatch.GetElapsedTime(sent[i], callback.Timestamp).TotalSeconds);
            var edit = Assert.Single(requests, r => r.Method == "PATCH" && r.Path.Contains($"/tok-burst-{i}/", StringComparison.Ordinal));
            Assert.Contains("3 million", edit.Body, StringComparison.Ordinal);
        }

        deferTimes.Sort();
        output.WriteLine($"INTERACTION_CREATE → deferral: p50 {deferTimes[24] * 1000:F0} ms, max {deferTimes[^1] * 1000:F0} ms; model calls {model.Calls.Count}");
        Assert.All(deferTimes, t => Assert.InRange(t, 0, 1.0));
    }
}
