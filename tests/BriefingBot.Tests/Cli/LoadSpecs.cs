using System.Text.RegularExpressions;
using BriefingBot.Tests.Support;
using Xunit.Abstractions;

namespace BriefingBot.Tests.Cli;

/// <summary><c>load</c>: the real adapters driven with a burst and a flood, every event followed to its acknowledgement and answer.</summary>
[Collection(TimingCollection.Name)]
public sealed class LoadSpecs(ITestOutputHelper output)
{
    [Fact]
    public async Task Load_follows_every_event_on_both_platforms_to_exactly_one_answer_and_prints_the_percentiles()
    {
        using var cli = new CliRun();

        var (exit, text, error) = await cli.RunBenchAsync(
            "load", "--no-embeddings", "--events", "20", "--people", "4", "--over", "0.5", "--model-delay", "0.3", "--flood", "15", "--flood-over", "1", "--rounds", "1");

        output.WriteLine(text);
        Assert.True(exit == 0, error);
        foreach (var platform in new[] { "slack", "discord" })
        {
            var burst = Regex.Match(text, $@"\[{platform}, round 1\] burst: event→ack p50 \d+ ms, p95 \d+ ms, p99 \d+ ms, max \d+ ms \((?<acked>\d+) of 20 acknowledged.*event→answer p50 \d+ ms, p95 \d+ ms, p99 \d+ ms.*; (?<answered>\d+) answered, 0 told to wait, 0 told busy, 0 unanswered, 0 answered twice; model calls (?<calls>\d+)");
            Assert.True(burst.Success, text);

            // Slack acknowledges every envelope; Discord the 12 commands (3 in 5), not the messages.
            Assert.Equal(platform == "slack" ? "20" : "12", burst.Groups["acked"].Value);
            Assert.Equal("20", burst.Groups["answered"].Value);
            Assert.InRange(int.Parse(burst.Groups["calls"].Value, System.Globalization.CultureInfo.InvariantCulture), 1, 20);

            // Admission:PerUserRequests (10) answers for the flooder, one notice, then silence; the other person is answered.
            Assert.Matches($@"\[{platform}, round 1\] flood: another person's answer \d+ ms alone, \d+ ms mid-flood .*the flooder got 10 answers, 1 notice\(s\) to wait, 0 busy, 4 silent", text);
        }

        Assert.Matches(@"peak memory \(working set\): \d+ MiB", text);
    }
}
