using System.Text.Json;
using BriefingBot.Tests.Support;

namespace BriefingBot.Tests.Cli;

public sealed class CommandLineSpecs
{
    [Fact]
    public async Task Ask_in_json_prints_exactly_the_documented_shape_with_verbatim_sentences()
    {
        using var cli = new CliRun();

        var (exit, output, error) = await cli.RunAsync("ask", "--format", "json", "--no-embeddings", "How many Syrian refugees does Turkey host?");

        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(["question", "answer", "abstained", "citations", "figures", "claims"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Array, root.GetProperty("figures").ValueKind);
        Assert.Equal(JsonValueKind.Array, root.GetProperty("claims").ValueKind);
        Assert.Equal("How many Syrian refugees does Turkey host?", root.GetProperty("question").GetString());
        Assert.False(root.GetProperty("abstained").GetBoolean());
        var citation = root.GetProperty("citations")[0];
        Assert.Equal(["n", "articleId", "title", "outlet", "url", "published", "sentence"], citation.EnumerateObject().Select(p => p.Name));
        Assert.Equal(1, citation.GetProperty("n").GetInt32());
        Assert.Equal("000_2db221335312afa3", citation.GetProperty("articleId").GetString());
        Assert.Equal("Russian, Turkish officials step up talks on Idlib crisis", citation.GetProperty("title").GetString());
        Assert.Equal(JsonValueKind.Null, citation.GetProperty("outlet").ValueKind);
        Assert.Equal(JsonValueKind.Null, citation.GetProperty("url").ValueKind);
        Assert.Equal(JsonValueKind.Null, citation.GetProperty("published").ValueKind);

        var article = await File.ReadAllTextAsync(RepoFiles.BundledArticle);
        foreach (var c in root.GetProperty("citations").EnumerateArray())
        {
            var sentence = c.GetProperty("sentence").GetString()!;
            Assert.Contains(sentence, article, StringComparison.Ordinal);
            Assert.Contains($"{sentence} [{c.GetProperty("n").GetInt32()}]", root.GetProperty("answer").GetString(), StringComparison.Ordinal);
        }

        Assert.Contains("3 million Syrian refugees", root.GetProperty("answer").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ask_abstains_in_json_and_lists_the_nearest_sources()
    {
        using var cli = new CliRun();

        var (exit, output, _) = await cli.RunAsync("ask", "--format", "json", "--no-embeddings", "What did Angela Merkel say about Idlib?");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        Assert.True(json.RootElement.GetProperty("abstained").GetBoolean());
        Assert.Equal("The articles I have don't answer that.", json.RootElement.GetProperty("answer").GetString());
        Assert.NotEqual(0, json.RootElement.GetProperty("citations").GetArrayLength());
    }

    [Fact]
    public async Task Ask_in_text_shows_the_answer_then_its_numbered_sources_with_the_file_standing_in_for_a_url()
    {
        using var cli = new CliRun();

        var (exit, output, _) = await cli.RunAsync("ask", "--no-embeddings", "Who", "set", "up", "the", "de-escalation", "zone?");

        Assert.Equal(0, exit);
        Assert.Contains("set up last year by Russia, Turkey and Iran", output, StringComparison.Ordinal);
        Assert.Contains("Sources:", output, StringComparison.Ordinal);
        Assert.Contains("[1] Russian, Turkish officials step up talks on Idlib crisis — 000_2db221335312afa3.txt", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_run_reuses_the_database_instead_of_ingesting_again()
    {
        using var cli = new CliRun();
        await cli.RunAsync("ingest", "--no-embeddings");

        var (exit, output, _) = await cli.RunAsync("ingest", "--no-embeddings");

        Assert.Equal(0, exit);
        Assert.Contains("0 files added, 0 updated, 1 unchanged", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_keeps_the_articles_of_a_folder_that_comes_up_nearly_empty_and_says_how_to_remove_them()
    {
        using var cli = new CliRun();
        var corpus = Path.Combine(cli.Folder, "corpus");
        Directory.CreateDirectory(corpus);
        for (var i = 0; i < 11; i++)
        {
            await File.WriteAllTextAsync(Path.Combine(corpus, $"story-{i}.txt"), $"Story {i}\n\nShelling was reported near Idlib, report {i}.");
        }

        await cli.RunAsync("ingest", "--no-embeddings", "--corpus", corpus);
        foreach (var file in Directory.GetFiles(corpus).Skip(1))
        {
            File.Delete(file);
        }

        var (exit, output, error) = await cli.RunAsync("ingest", "--no-embeddings", "--corpus", corpus);

        Assert.Equal(0, exit);
        Assert.Contains("0 removed", output, StringComparison.Ordinal);
        Assert.Contains("The corpus holds 11 articles", output, StringComparison.Ordinal);
        Assert.Contains("warning: 10 files stored before are missing from the corpus folder", error, StringComparison.Ordinal);
        Assert.Contains("Corpus__AllowMassRemoval=true", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_exits_non_zero_only_when_nothing_could_be_ingested()
    {
        using var cli = new CliRun();
        var corpus = Path.Combine(cli.Folder, "corpus");
        Directory.CreateDirectory(corpus);
        await File.WriteAllBytesAsync(Path.Combine(corpus, "broken.jsonl"), "{\"id\": 1, \"body\": \n"u8.ToArray());

        var (failed, _, failedError) = await cli.RunAsync("ingest", "--no-embeddings", "--corpus", corpus);
        await File.WriteAllTextAsync(Path.Combine(corpus, "good.txt"), "A title\n\nA body sentence about Idlib.");
        var (succeeded, _, succeededError) = await cli.RunAsync("ingest", "--no-embeddings", "--corpus", corpus);

        Assert.Equal(1, failed);
        Assert.Contains("broken.jsonl:1: broken JSON", failedError, StringComparison.Ordinal);
        Assert.Equal(0, succeeded);
        Assert.Contains("broken.jsonl:1: broken JSON", succeededError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_corpus_folder_is_a_clear_error_naming_the_setting()
    {
        using var cli = new CliRun();

        var (exit, _, error) = await cli.RunAsync("ask", "--no-embeddings", "--corpus", Path.Combine(cli.Folder, "nowhere"), "anything?");

        Assert.Equal(1, exit);
        Assert.Contains("Corpus:Path", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sources_describes_the_corpus()
    {
        using var cli = new CliRun();

        var (exit, output, _) = await cli.RunAsync("sources", "--no-embeddings");

        Assert.Equal(0, exit);
        Assert.StartsWith("1 article, ", output, StringComparison.Ordinal);
        Assert.Contains("1 article without a publication date", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_shell_answers_questions_and_commands_typed_one_per_line()
    {
        using var cli = new CliRun();
        const string input = "/help\n/sources\nHow many observation posts does Turkey have?\n/quote speaker:Stein\n/briefing\n/bogus\n\nWho won the 2018 World Cup?\n/quit\nnever read\n";

        var (exit, output, error) = await cli.RunWithInputAsync(input, "--no-embeddings");

        Assert.True(exit == 0, error);
        Assert.StartsWith("BriefingBot — 1 article.", output, StringComparison.Ordinal);
        Assert.Contains("/quote speaker:<name> topic:<words>", output, StringComparison.Ordinal);
        Assert.Contains("1 article, ", output, StringComparison.Ordinal);
        Assert.Contains("its 12 observation posts", output, StringComparison.Ordinal);
        Assert.Contains("— Aaron Stein, senior resident fellow at the Atlantic Council in Washington", output, StringComparison.Ordinal);
        Assert.Contains("1. Russian, Turkish officials step up talks on Idlib crisis", output, StringComparison.Ordinal);
        Assert.Contains("Unknown command /bogus.", output, StringComparison.Ordinal);
        Assert.Contains("The articles I have don't answer that.", output, StringComparison.Ordinal);
        Assert.DoesNotContain("never read", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_shell_ends_at_the_end_of_its_input()
    {
        using var cli = new CliRun();

        var (exit, output, _) = await cli.RunWithInputAsync("Who set up the de-escalation zone?", "--no-embeddings");

        Assert.Equal(0, exit);
        Assert.Contains("Astana peace process", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_the_encoder_the_first_run_computes_embeddings_and_answers_with_them()
    {
        using var cli = new CliRun();

        var (exit, output, error) = await cli.RunAsync("ask", "--format", "json", "What did Aaron Stein say about Washington?");
        var (_, sources, _) = await cli.RunAsync("sources");

        Assert.True(exit == 0, error);
        Assert.Contains("outreach to Washington", output, StringComparison.Ordinal);
        Assert.Matches(@"\((\d+) with embeddings\)", sources);
        var counts = System.Text.RegularExpressions.Regex.Match(sources, @"(\d+) passages \((\d+) with embeddings\)");
        Assert.Equal(counts.Groups[1].Value, counts.Groups[2].Value);
    }

    [Fact]
    public async Task Json_output_keeps_apostrophes_offsets_and_accents_as_they_are()
    {
        using var cli = new CliRun();

        var (exit, output, _) = await cli.RunAsync("ask", "--no-embeddings", "--format", "json", "What did Kerim Has say about Russia's position?");

        Assert.Equal(0, exit);
        Assert.DoesNotContain("\\u00", output, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u20", output, StringComparison.Ordinal);
        Assert.Contains("Russia’s", output, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(output).RootElement.ValueKind);
    }

    [Fact]
    public async Task Counts_of_one_are_singular()
    {
        using var cli = new CliRun();

        var (_, output, _) = await cli.RunAsync("ingest", "--no-embeddings");

        Assert.Contains("1 file added", output, StringComparison.Ordinal);
        Assert.Contains("1 article stored.", output, StringComparison.Ordinal);
        Assert.Contains("The corpus holds 1 article in", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bare_quote_lists_who_is_quoted_and_how_to_ask()
    {
        using var cli = new CliRun();

        var (exit, output, _) = await cli.RunAsync("quote", "--no-embeddings");

        Assert.Equal(0, exit);
        Assert.Contains("--speaker NAME", output, StringComparison.Ordinal);
        Assert.Contains("Kerim Has", output, StringComparison.Ordinal);
        Assert.DoesNotContain("/quote", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_briefing_window_fails_like_any_other_error()
    {
        using var cli = new CliRun();

        var (exit, _, error) = await cli.RunAsync("briefing", "--no-embeddings", "--since", "2020-01-01", "--until", "2019-01-01");

        Assert.Equal(1, exit);
        Assert.Equal("error: The briefing's start must be before its end.", error.Trim());
    }

    [Theory]
    [InlineData("Turkey hosts refugees.", "“Turkey hosts refugees.”")]
    [InlineData("“We will not allow it,” he said, “not now.”", "“We will not allow it,” he said, “not now.”")]
    [InlineData("\"It is over.\"", "\"It is over.\"")]
    public void An_excerpt_that_is_a_quotation_keeps_its_own_marks(string sentence, string shown) =>
        Assert.Equal(shown, BriefingBot.Core.Chat.Excerpts.Quoted(sentence));

    [Fact]
    public async Task Every_stored_quote_comes_out_with_offsets_into_its_article()
    {
        using var cli = new CliRun();

        var (exit, output, _) = await cli.RunAsync("quote", "--all", "--format", "json", "--no-embeddings");

        Assert.Equal(0, exit);
        var quotes = JsonDocument.Parse(output).RootElement.EnumerateArray().ToList();
        Assert.NotEmpty(quotes);
        var text = File.ReadAllText(RepoFiles.BundledArticle);
        var direct = quotes.First(q => q.GetProperty("kind").GetString() == "direct");
        Assert.Contains(direct.GetProperty("text").GetString()!, text, StringComparison.Ordinal);
        Assert.True(direct.GetProperty("start").GetInt32() >= 0 && direct.GetProperty("length").GetInt32() == direct.GetProperty("text").GetString()!.Length);
        Assert.False(string.IsNullOrEmpty(direct.GetProperty("speaker").GetProperty("name").GetString()));
    }
}
