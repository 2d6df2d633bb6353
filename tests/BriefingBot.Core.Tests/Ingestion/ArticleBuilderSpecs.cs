using BriefingBot.Core.Articles;
using BriefingBot.Core.Ingestion;

namespace BriefingBot.Core.Tests.Ingestion;

public sealed class ArticleBuilderSpecs
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    private static IngestedArticle BuildBundled()
    {
        var raw = Assert.Single(new PlainTextFormat().Read("bundled.txt", File.ReadAllText(RepoFiles.BundledArticle))).Article!;
        var (article, problem) = ArticleBuilder.Build(raw, "bundled.txt", "bundled", Now);
        Assert.Null(problem);
        return article!;
    }

    [Fact]
    public void The_bundled_article_loses_its_comment_form_footer()
    {
        var article = BuildBundled().Article;

        Assert.DoesNotContain("Add a Comment", article.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("email address", article.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Required fields", article.Text, StringComparison.Ordinal);
        Assert.EndsWith("for talks on drafting a new Syrian constitution.", article.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_dateline_is_kept_apart_from_the_body()
    {
        var article = BuildBundled().Article;

        Assert.Equal("ANKARA", article.Dateline);
        Assert.StartsWith("Talks between Ankara and Moscow", article.Text, StringComparison.Ordinal);
        Assert.Equal("Russian, Turkish officials step up talks on Idlib crisis", article.Title);
    }

    [Fact]
    public void Missing_metadata_stays_missing()
    {
        var article = BuildBundled().Article;

        Assert.Null(article.Outlet);
        Assert.Null(article.Url);
        Assert.Null(article.Published);
        Assert.Null(article.Author);
        Assert.Equal(new ArticleId("bundled"), article.Id);
    }

    [Fact]
    public void Passages_overlap_by_a_sentence_and_their_offsets_point_into_the_article()
    {
        var (article, passages, _) = BuildBundled();

        Assert.True(passages.Count > 5);
        foreach (var passage in passages)
        {
            Assert.Equal(passage.Text, article.Slice(passage.Span));
            Assert.InRange(passage.Sentences.Count, 1, Chunker.MaxSentences);
            Assert.Equal(passage.Span.Start, passage.Sentences[0].Start);
            Assert.Equal(passage.Span.End, passage.Sentences[^1].End);
        }

        for (var i = 1; i < passages.Count; i++)
        {
            if (passages[i - 1].Sentences.Count > 1)
            {
                Assert.Equal(passages[i - 1].Sentences[^1], passages[i].Sentences[0]);
            }
        }

        var paragraphs = article.Text.Split("\n\n");
        Assert.All(passages, p => Assert.Contains(article.Slice(p.Sentences[0]), paragraphs[p.Paragraph], StringComparison.Ordinal));
    }

    [Fact]
    public void Every_sentence_of_the_article_is_in_some_passage()
    {
        var (article, passages, _) = BuildBundled();
        var covered = passages.SelectMany(p => p.Sentences).Distinct().ToList();

        var expectedSentences = article.Text.Split("\n\n").Sum(p => BriefingBot.Core.Text.SentenceSplitter.Split(p).Count);
        Assert.Equal(expectedSentences, covered.Count);
    }

    [Fact]
    public void An_article_that_is_only_boilerplate_is_a_problem()
    {
        var raw = new RawArticle(null, "Title", null, null, null, null, ["Add a Comment", "Your email address will not be published. Required fields are marked *"]);

        var (article, problem) = ArticleBuilder.Build(raw, "x.txt", "x", Now);

        Assert.Null(article);
        Assert.Contains("boilerplate", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("BEIRUT (Reuters) - Syrian forces advanced.", "BEIRUT (Reuters)")]
    [InlineData("DAMASCUS, Syria — Shelling resumed.", "DAMASCUS, Syria")]
    [InlineData("ANKARA: Talks went on.", "ANKARA")]
    [InlineData("Turkey: a key player in talks.", null)]
    [InlineData("UN officials said on Monday that aid would come.", null)]
    public void Datelines_are_recognised_in_their_usual_forms(string paragraph, string? dateline)
    {
        Assert.Equal(dateline, Dateline.Split(paragraph).Place);
    }

    [Fact]
    public void An_undated_source_date_that_does_not_parse_is_left_out_rather_than_guessed()
    {
        var raw = new RawArticle("x", "T", null, null, "sometime last week", null, ["Body sentence."]);

        var (article, _) = ArticleBuilder.Build(raw, "x.jsonl:1", "x", Now);

        Assert.Null(article!.Article.Published);
    }
}
