using System.Text.RegularExpressions;
using BriefingBot.Tests.Support;

namespace BriefingBot.Tests.Cli;

public sealed class EvalEventsSpecs
{
    [Fact]
    public async Task The_grouping_is_scored_pairwise_per_half_against_annotated_events()
    {
        using var cli = new CliRun();
        var data = Path.Combine(cli.Folder, "events.jsonl");
        await File.WriteAllLinesAsync(data,
        [
            // Two reports of one shelling, worded alike; and a chemical attack's reports kept apart from it.
            """{"half": "tuning", "since": "2017-04-04", "until": "2017-04-05", "events": [["fakes-1923102874", "fakes-1923848145"]]}""",
            """{"half": "checking", "since": "2017-04-04", "until": "2017-04-05", "events": [["fakes-1923102874", "fakes-1923848145"], ["fakes-1918150030", "fakes-1923848146"]]}""",
        ]);

        var (exit, output, error) = await cli.RunBenchAsync("eval-events", "--data", data);

        Assert.True(exit == 0, error);
        Assert.Matches(new Regex(@"\[tuning half\] pairwise precision [01]\.\d\d \(\d+/\d+\), recall 1\.00 \(1/1\) over 1 windows"), output);
        Assert.Matches(new Regex(@"\[checking half\] pairwise precision [01]\.\d\d \(\d+/\d+\), recall 1\.00 \(2/2\) over 1 windows"), output);
    }
}
