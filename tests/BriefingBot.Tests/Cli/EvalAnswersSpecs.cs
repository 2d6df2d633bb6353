using System.Text.RegularExpressions;
using BriefingBot.Tests.Support;

namespace BriefingBot.Tests.Cli;

/// <summary><c>eval-answers</c>: a question set asked as people ask it, scored per half.</summary>
public sealed class EvalAnswersSpecs
{
    [Fact]
    public async Task Each_half_is_scored_on_its_own_questions()
    {
        using var cli = new CliRun();
        var data = Path.Combine(cli.Folder, "set.jsonl");
        await File.WriteAllLinesAsync(data,
        [
            """{"question": "Where does Aaron Stein work?", "answerable": true, "fact": "Atlantic Council", "half": "tuning"}""",
            """{"question": "Who won the 2018 World Cup?", "answerable": false, "half": "tuning"}""",
            """{"question": "How many observation posts does Turkey have in Idlib?", "answerable": true, "fact": "\\b12\\b", "half": "checking"}""",
            """{"question": "How many refugees does Germany host?", "answerable": false, "half": "checking"}""",
        ]);

        var (exit, output, error) = await cli.RunAsync("eval-answers", "--keyword-only", "--data", data);

        Assert.True(exit == 0, error);
        Assert.Matches(new Regex(@"\[keyword-only, tuning half\] answered with the fact 1/1 \(100 %\); right article cited 1/1 \(100 %\); fact in the first sentence 1/1 \(100 %\); abstained on answerable 0/1 \(0 %\); unanswerable answered 0/1 \(0 %\)"), output);
        Assert.Matches(new Regex(@"\[keyword-only, checking half\] answered with the fact 1/1 \(100 %\).*unanswerable answered 0/1 \(0 %\)"), output);
        Assert.DoesNotContain("hybrid", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_set_is_named()
    {
        using var cli = new CliRun();

        var (exit, _, error) = await cli.RunAsync("eval-answers", "--keyword-only", "--data", Path.Combine(cli.Folder, "none.jsonl"));

        Assert.Equal(1, exit);
        Assert.Contains("No evaluation set at", error, StringComparison.Ordinal);
    }
}
