using System.Diagnostics;
using System.Globalization;

namespace BriefingBot.Tests.Support;

/// <summary>
/// Sends events to the bot at a steady rate from a loopback platform and times each one to the request that answers
/// it, so a test can check every event was answered exactly once and report the latency.
/// </summary>
internal static class LoadProbe
{
    public static readonly string[] Questions =
    [
        "How many people were killed in the chemical attack in Khan Sheikhoun?", "What did Russia say about the US strikes?",
        "Who controls Idlib?", "What happened in Eastern Ghouta?", "Where did the Turkish army enter Syria?",
    ];

    /// <param name="send">Sends event <c>i</c>.</param>
    /// <param name="isAnswer">Whether a recorded request answers event <c>i</c>.</param>
    /// <returns>"p50 …, p95 …, max …" of the time from sending each event to its answer.</returns>
    public static async Task<string> RunAsync(LoopbackPlatform platform, int count, double perSecond, Func<int, Task> send, Func<RecordedRequest, int, bool> isAnswer)
    {
        var sent = new long[count];
        var gap = TimeSpan.FromSeconds(1 / perSecond);
        for (var i = 0; i < count; i++)
        {
            sent[i] = Stopwatch.GetTimestamp();
            await send(i);
            await Task.Delay(gap);
        }

        await platform.WaitForAsync(r => Enumerable.Range(0, count).Any(i => isAnswer(r, i)), count, TimeSpan.FromSeconds(60));
        await Task.Delay(300);
        var latencies = new List<double>();
        for (var i = 0; i < count; i++)
        {
            var answer = Assert.Single(platform.Requests, r => isAnswer(r, i));
            latencies.Add(Stopwatch.GetElapsedTime(sent[i], answer.Timestamp).TotalMilliseconds);
        }

        latencies.Sort();
        return string.Create(CultureInfo.InvariantCulture, $"p50 {latencies[count / 2]:F1} ms, p95 {latencies[(int)(count * 0.95)]:F1} ms, max {latencies[^1]:F1} ms");
    }
}
