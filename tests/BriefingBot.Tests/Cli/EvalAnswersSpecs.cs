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

        var (exit, output, error) = await cli.RunBenchAsync("eval-answers", "--keyword-only", "--data", data);

        Assert.True(exit == 0, error);
        Assert.Matches(new Regex(@"\[keyword-only, tuning half\] answered with the fact, cited 1/1 \(100 %\); right article cited 1/1 \(100 %\); fact in the first sentence 1/1 \(100 %\); abstained on answerable 0/1 \(0 %\); unanswerable answered 0/1 \(0 %\)"), output);
        Assert.Matches(new Regex(@"\[keyword-only, checking half\] answered with the fact, cited 1/1 \(100 %\).*unanswerable answered 0/1 \(0 %\)"), output);
        Assert.DoesNotContain("hybrid", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_quiz_set_is_asked_over_the_corpus_beside_it_and_right_only_when_its_own_article_is_cited()
    {
        using var cli = new CliRun();
        var folder = Path.Combine(cli.Folder, "quiz");
        Directory.CreateDirectory(folder);
        await File.WriteAllLinesAsync(Path.Combine(folder, "corpus.jsonl"),
        [
            """{"id": "expats", "title": "Mexico city work from home us expats", "outlet": "Wire", "url": null, "published": "2022-08-22", "author": null, "body": "Rents keep rising in American cities.\n\nA growing number of Americans are moving to Mexico City in search of cheaper rent and a better quality of life, agents said. Landlords there say demand has doubled."}""",
            """{"id": "rents", "title": "Rents in American cities", "outlet": "Wire", "url": null, "published": "2022-08-23", "author": null, "body": "Rents in American cities rose again in July. Economists expect the rise to slow next year as new buildings open."}""",
        ]);
        var data = Path.Combine(folder, "questions.jsonl");
        await File.WriteAllLinesAsync(data,
        [
            """{"question": "Rents keep rising at home. Where are many Americans moving?", "answers": ["Mexico City"], "article": "expats", "answerable": true}""",
            """{"question": "Which team won the 2030 World Cup?", "answers": ["Spain"], "answerable": false}""",
        ]);

        var (exit, output, error) = await cli.RunBenchAsync("eval-answers", "--keyword-only", "--data", data);

        Assert.True(exit == 0, error);
        Assert.Contains($"over {Path.Combine(folder, "corpus.jsonl")}", output, StringComparison.Ordinal);
        // No half is given: each question is put in one by its text; both are scored, wherever they fell.
        Assert.Matches(new Regex(@"answered with the fact, cited 1/1 \(100 %\)"), output);
        Assert.Matches(new Regex(@"unanswerable answered 0/1 \(0 %\)"), output);
    }

    [Fact]
    public async Task A_missing_set_is_named()
    {
        using var cli = new CliRun();

        var (exit, _, error) = await cli.RunBenchAsync("eval-answers", "--keyword-only", "--data", Path.Combine(cli.Folder, "none.jsonl"));

        Assert.Equal(1, exit);
        Assert.Contains("No evaluation set at", error, StringComparison.Ordinal);
    }
}
