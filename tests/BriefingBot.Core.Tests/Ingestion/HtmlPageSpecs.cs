using System.Text;
using BriefingBot.Core.Ingestion;

namespace BriefingBot.Core.Tests.Ingestion;

/// <summary>Real article pages: their own encodings, their metadata, and the article's text among the page's furniture.</summary>
public sealed class HtmlPageSpecs
{
    private const string Korean = "서울 시민들이 광장에 모였다.";

    static HtmlPageSpecs() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static byte[] Page(Encoding encoding, string head, string body) =>
        encoding.GetBytes($"<html><head>{head}</head><body><article><p>{body}</p></article></body></html>");

    [Fact]
    public void A_page_is_decoded_in_the_charset_its_meta_tag_declares()
    {
        var (text, problem) = SourceDecoder.DecodePage(Page(Encoding.GetEncoding("euc-kr"), "<meta charset=\"euc-kr\">", Korean));

        Assert.Null(problem);
        Assert.Contains(Korean, text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_page_is_decoded_in_the_charset_its_http_equiv_content_type_declares()
    {
        const string russian = "Жители Идлиба покидают город.";
        var (text, _) = SourceDecoder.DecodePage(Page(Encoding.GetEncoding("windows-1251"), "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\">", russian));

        Assert.Contains(russian, text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_http_headers_charset_wins_over_the_pages_and_a_byte_order_mark_over_both()
    {
        var latin = Page(Encoding.Latin1, "<meta charset=\"utf-8\">", "Café à Alep");
        var marked = Encoding.UTF8.GetPreamble().Concat(Page(Encoding.UTF8, "<meta charset=\"iso-8859-1\">", "Café à Alep")).ToArray();

        Assert.Contains("Café à Alep", SourceDecoder.DecodePage(latin, "iso-8859-1").Text, StringComparison.Ordinal);
        Assert.Contains("Café à Alep", SourceDecoder.DecodePage(marked, "iso-8859-1").Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_page_that_declares_nothing_is_utf8_when_its_bytes_are_and_windows_1252_when_not()
    {
        Assert.Contains("“Idlib”", SourceDecoder.DecodePage(Page(Encoding.UTF8, string.Empty, "“Idlib”")).Text, StringComparison.Ordinal);
        Assert.Contains("“Idlib”", SourceDecoder.DecodePage(Page(Encoding.GetEncoding(1252), string.Empty, "“Idlib”")).Text, StringComparison.Ordinal);
        // A text file is still held to UTF-8: only pages are guessed.
        Assert.NotNull(SourceDecoder.Decode(Page(Encoding.GetEncoding(1252), string.Empty, "“Idlib”")).Problem);
    }

    [Fact]
    public void Metadata_comes_from_the_pages_json_ld_article_first_wherever_it_sits()
    {
        const string html = """
            <html><head>
              <meta property="og:title" content="Social headline">
              <meta property="og:site_name" content="Social name">
              <script type="application/ld+json">{ "broken": </script>
              <script type="application/ld+json">
                {"@context": "https://schema.org", "@graph": [
                  {"@type": "WebSite", "name": "Site"},
                  {"@type": ["NewsArticle"], "headline": "Turkey and Russia agree on an Idlib buffer zone",
                   "datePublished": "2018-09-17T18:40:00+03:00",
                   "author": [{"@type": "Person", "name": "Ayla Demir"}, {"@type": "Person", "name": "Ivan Petrov"}],
                   "publisher": {"@type": "Organization", "name": "Daily Wire"}}
                ]}
              </script>
            </head><body><article><p>Presidents Erdogan and Putin agreed in Sochi on a demilitarised zone around Idlib.</p></article></body></html>
            """;

        var article = Assert.Single(new HtmlFormat().Read("a.html", html)).Article!;

        Assert.Equal(
            ("Turkey and Russia agree on an Idlib buffer zone", "Daily Wire", "2018-09-17T18:40:00+03:00", "Ayla Demir, Ivan Petrov"),
            (article.Title, article.Outlet, article.Published, article.Author));
    }

    [Fact]
    public void A_page_without_an_article_element_gives_its_main_text_in_paragraphs_without_menus_lists_captions_or_comments()
    {
        var story = new[]
        {
            "ANKARA — Turkey sent more troops and armoured vehicles to its observation posts in Idlib on Sunday, officials said, days before a summit.",
            "The reinforcements crossed the border at Kilis overnight and drove south in a convoy of about fifty vehicles, a local monitor reported.",
            "Ankara fears that an offensive on the province by Syrian government forces would send hundreds of thousands of refugees north to Turkey.",
            "Presidents Erdogan and Putin are due to meet in Sochi on Monday to discuss the fate of the last rebel stronghold in Syria.",
        };
        var html = $"""
            <html><head><title>Turkey reinforces Idlib posts | Wire</title></head><body>
              <div id="top"><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a> <a href="/login">Sign in</a></div>
              <div class="wrapper">
                <div class="story-body">
                  <h1>Turkey reinforces Idlib posts</h1>
                  <p>{story[0]}</p>
                  <div class="image"><img src="a.jpg"><figcaption>Turkish armoured vehicles near Kilis. Photo: Wire</figcaption></div>
                  <p>{story[1]}</p>
                  <p>{story[2]}</p>
                  <p>{story[3]}</p>
                </div>
                <div class="most-popular"><h3>Most popular</h3><ul>
                  <li><a href="/1">Ten things to know about the Sochi summit</a></li>
                  <li><a href="/2">Football scores of the weekend</a></li>
                  <li><a href="/3">Weather: storms are coming to the coast</a></li>
                </ul></div>
              </div>
              <div id="comments"><h3>3 comments</h3><p>I think this is wrong and nobody asked me about it.</p></div>
            </body></html>
            """;

        var article = Assert.Single(new HtmlFormat().Read("wire.html", html)).Article!;

        Assert.Equal(story, article.Paragraphs);
    }

    [Fact]
    public void A_feed_items_own_html_is_read_whole_even_when_short()
    {
        var paragraphs = HtmlFormat.FragmentParagraphs("<p>Shelling resumed in Idlib.</p><script>track()</script><ul><li>Two killed</li></ul><p>Monitors said so.<br>More soon.</p>");

        Assert.Equal(["Shelling resumed in Idlib.", "Two killed", "Monitors said so.", "More soon."], paragraphs);
    }

    [Fact]
    public void A_page_nested_a_hundred_thousand_deep_is_refused_at_once_with_the_reason_and_a_deep_real_one_is_read()
    {
        static string Nested(int depth) => "<html><body>" + string.Concat(Enumerable.Repeat("<div>", depth))
            + "<p>Shelling resumed in southern Idlib on Thursday, monitors said.</p>" + string.Concat(Enumerable.Repeat("</div>", depth)) + "</body></html>";

        var hostile = Assert.Single(new HtmlFormat().Read("deep.html", Nested(100_000)));
        var deep = Assert.Single(new HtmlFormat().Read("deep.html", Nested(300) + "<script>if (a<b) { x = '<div><div><div>'; }</script>"));

        Assert.Contains("nests its elements over 1,000 deep (100,000)", hostile.Problem?.Reason, StringComparison.Ordinal);
        Assert.Contains("Shelling resumed in southern Idlib on Thursday, monitors said.", deep.Article?.Paragraphs ?? []);
        Assert.Empty(HtmlFormat.FragmentParagraphs(Nested(100_000)));
    }
}
