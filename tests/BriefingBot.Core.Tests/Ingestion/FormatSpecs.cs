using BriefingBot.Core.Ingestion;

namespace BriefingBot.Core.Tests.Ingestion;

public sealed class FormatSpecs
{
    [Fact]
    public void Plain_text_has_its_title_on_the_first_line_and_paragraphs_after_blank_lines()
    {
        var results = new PlainTextFormat().Read("a.txt", "Turkey warns Russia\n\nANKARA: First paragraph.\n\nSecond paragraph.\n").ToList();

        var article = Assert.Single(results).Article!;
        Assert.Equal("Turkey warns Russia", article.Title);
        Assert.Equal(["ANKARA: First paragraph.", "Second paragraph."], article.Paragraphs);
    }

    [Fact]
    public void Plain_text_with_a_title_and_nothing_else_is_a_problem()
    {
        var result = Assert.Single(new PlainTextFormat().Read("a.txt", "Only a title"));

        Assert.Null(result.Article);
        Assert.Contains("no body", result.Problem!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_front_matter_gives_the_metadata_and_markup_is_removed()
    {
        const string markdown = """
            ---
            title: "Idlib talks intensify"
            outlet: Arab News
            url: https://example.org/idlib
            published: 2018-09-03
            author: [Menekse Tokyay]
            ---
            # Idlib talks intensify

            Talks between **Ankara** and [Moscow](https://example.org/m) have intensified.

            - Turkey hosts refugees.
            """;

        var article = Assert.Single(new MarkdownFormat().Read("a.md", markdown)).Article!;

        Assert.Equal("Idlib talks intensify", article.Title);
        Assert.Equal("Arab News", article.Outlet);
        Assert.Equal("https://example.org/idlib", article.Url);
        Assert.Equal("2018-09-03", article.Published);
        Assert.Equal("Menekse Tokyay", article.Author);
        Assert.Equal(["Idlib talks intensify", "Talks between Ankara and Moscow have intensified.", "Turkey hosts refugees."], article.Paragraphs);
    }

    [Fact]
    public void Markdown_without_front_matter_takes_its_first_heading_as_title()
    {
        var article = Assert.Single(new MarkdownFormat().Read("a.md", "# The headline\n\nBody text here.")).Article!;

        Assert.Equal("The headline", article.Title);
        Assert.Null(article.Outlet);
        Assert.Equal(["Body text here."], article.Paragraphs);
    }

    [Theory]
    [InlineData("---\ntitle: x\nBody without a closing line", 1, "no closing")]
    [InlineData("---\ntitle: [unclosed\n---\nBody.", 2, "bad front matter")]
    [InlineData("---\n- a\n- b\n---\nBody.", 2, "mapping")]
    public void Bad_front_matter_is_reported_with_its_line(string markdown, int line, string reason)
    {
        var problem = Assert.Single(new MarkdownFormat().Read("bad.md", markdown)).Problem!;

        Assert.Equal("bad.md", problem.Source);
        Assert.Equal(line, problem.Line);
        Assert.Contains(reason, problem.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Html_keeps_the_article_text_and_drops_navigation_share_bars_and_comment_forms()
    {
        const string html = """
            <html><head>
              <title>Site | Idlib</title>
              <meta property="og:title" content="Russian, Turkish officials step up talks on Idlib crisis">
              <meta property="og:site_name" content="Arab News">
              <meta property="article:published_time" content="2018-09-02T21:05:00+03:00">
              <link rel="canonical" href="https://example.org/idlib">
            </head><body>
              <nav><a href="/">Home</a> <a href="/world">World</a></nav>
              <article>
                <h1>Russian, Turkish officials step up talks on Idlib crisis</h1>
                <div class="share-bar"><a>Share</a><a>Tweet</a></div>
                <p>Talks between Ankara and Moscow have intensified.</p>
                <p>Turkey hosts more than 3 million Syrian refugees.</p>
                <aside class="related"><p>Related: Other story</p></aside>
                <div id="comments"><h3>Add a Comment</h3><form><p>Your email address will not be published.</p></form></div>
              </article>
              <footer><p>All rights reserved</p></footer>
              <script>var tracking = 1;</script>
            </body></html>
            """;

        var article = Assert.Single(new HtmlFormat().Read("a.html", html)).Article!;

        Assert.Equal("Russian, Turkish officials step up talks on Idlib crisis", article.Title);
        Assert.Equal("Arab News", article.Outlet);
        Assert.Equal("https://example.org/idlib", article.Url);
        Assert.Equal("2018-09-02T21:05:00+03:00", article.Published);
        Assert.Equal(["Talks between Ankara and Moscow have intensified.", "Turkey hosts more than 3 million Syrian refugees."], article.Paragraphs);
    }

    [Fact]
    public void Json_lines_read_one_article_per_line_and_report_a_broken_line_by_number()
    {
        const string jsonl = """
            {"id": "a1", "title": "One", "outlet": "sana", "url": null, "published": "2018-09-01", "author": null, "body": "First body."}
            {"id": "a2", "title": "Two", "body": "Second
            {"id": "a3", "title": "Three", "body": "Third body."}
            {"id": "a4", "title": "Four"}
            """;

        var results = new JsonLinesFormat().Read("feed.jsonl", jsonl).ToList();

        Assert.Equal(["a1", "a3"], results.Where(r => r.Article is not null).Select(r => r.Article!.Id));
        Assert.Equal([2, 4], results.Where(r => r.Problem is not null).Select(r => r.Problem!.Line!.Value));
        Assert.Contains("broken JSON", results[1].Problem!.Reason, StringComparison.Ordinal);
        Assert.Contains("body", results[3].Problem!.Reason, StringComparison.Ordinal);
        var first = results[0].Article!;
        Assert.Equal(("One", "sana", null, "2018-09-01", 1), (first.Title, first.Outlet, first.Url, first.Published, first.Line));
    }
}
