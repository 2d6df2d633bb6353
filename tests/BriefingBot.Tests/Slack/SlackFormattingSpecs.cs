using BriefingBot.Core.Answering;
using BriefingBot.Core.Articles;
using BriefingBot.Core.Chat;
using BriefingBot.Slack;
using BriefingBot.Slack.Blocks;

namespace BriefingBot.Tests.Slack;

public sealed class SlackFormattingSpecs
{
    private static Article Article(int n) => new(
        new ArticleId($"a{n}"), $"a{n}.txt", $"Article {n} <about> Idlib & more", "Outlet", $"https://example.com/{n}", "2018-09-12", null, null, "text", DateTimeOffset.UnixEpoch);

    private static Answer Answer(string text, int sources = 3) => new(
        "q", text, false, [], Enumerable.Range(1, sources).Select(n => new Source(n, Article(n))).ToList(), AnswerMethod.Extractive, 0.8);

    private static IEnumerable<string> Texts(SlackMessage message) =>
        message.Blocks.SelectMany(b => new[] { b.Text?.Text }.Concat(b.Elements?.OfType<TextObject>().Select(e => e.Text) ?? [])).OfType<string>();

    [Fact]
    public void Mentions_and_markup_in_quoted_text_are_neutralised()
    {
        var message = SlackFormatter.Render(new AnswerReply(Answer("Officials told <!channel> and <!here> and <!everyone> that <@U123ABC> & <https://evil.example|click> agreed. [1]", 1))).Single();
        var all = string.Join('\n', Texts(message).Append(message.Text));

        Assert.DoesNotContain("<!", all, StringComparison.Ordinal);
        Assert.DoesNotContain("<@", all, StringComparison.Ordinal);
        Assert.DoesNotContain("<https://evil", all, StringComparison.Ordinal);
        Assert.Contains("&lt;!channel&gt;", all, StringComparison.Ordinal);
        Assert.Contains("&lt;@U123ABC&gt; &amp; &lt;https://evil.example|click&gt;", all, StringComparison.Ordinal);
        Assert.Contains("<https://example.com/1|[1]>", all, StringComparison.Ordinal);
        Assert.Contains("<https://example.com/1|Article 1 &lt;about&gt; Idlib &amp; more>", all, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3_000, 100)]
    [InlineData(2_990, 3_000)]
    [InlineData(100, 3_000)]
    [InlineData(5_000, 5_000)]
    public void A_card_with_a_title_or_link_of_thousands_of_characters_is_rendered_within_limits(int linkLength, int titleLength)
    {
        var link = "https://example.com/" + new string('a', linkLength - 20);
        var title = string.Concat(Enumerable.Repeat("Strikes & shelling ", (titleLength / 19) + 1))[..titleLength];
        var card = new ReplyCard(CardKind.Story, title, link, "context", "Body of the story [1]", [new CardSource(1, title, "Outlet", "2018-09-12", link, "excerpt")], "footer");

        var messages = SlackFormatter.Render(new ReplyLayout(null, [card]));

        var blocks = messages.SelectMany(m => m.Blocks).ToList();
        Assert.All(blocks.Where(b => b.Text is not null), b => Assert.InRange(b.Text!.Text.Length, 1, SlackFormatter.MaxSectionText));
        Assert.All(blocks.SelectMany(b => b.Elements?.OfType<TextObject>() ?? []), e => Assert.InRange(e.Text.Length, 1, SlackFormatter.MaxContextText));
        // A link is whole or absent: never cut inside its <…|…> markup.
        Assert.All(messages.SelectMany(Texts), t => Assert.Equal(t.Count(c => c == '<'), t.Count(c => c == '>')));
        Assert.Contains(messages.SelectMany(Texts), t => t.Contains("Strikes &amp; shelling", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(7_000)]
    [InlineData(200_000)]
    public void A_long_answer_is_split_into_sections_and_messages_within_limits(int length)
    {
        var sentences = new List<string>();
        for (var i = 0; sentences.Sum(s => s.Length + 1) < length; i++)
        {
            sentences.Add($"Sentence {i} says what the officials said about Idlib. [{(i % 3) + 1}]");
        }

        var messages = SlackFormatter.Render(new AnswerReply(Answer(string.Join(' ', sentences))));
        Assert.All(messages, m =>
        {
            Assert.InRange(m.Blocks.Count, 1, 50);
            Assert.All(m.Blocks.Where(b => b.Text is not null), b => Assert.InRange(b.Text!.Text.Length, 1, 3000));
            Assert.All(m.Blocks.Where(b => b.Elements is not null), b => Assert.InRange(b.Elements!.Count, 1, 10));
            Assert.False(string.IsNullOrWhiteSpace(m.Text));
        });
        var all = string.Join('\n', messages.SelectMany(Texts));
        Assert.All(Enumerable.Range(0, sentences.Count), i => Assert.Contains($"Sentence {i} says", all, StringComparison.Ordinal));
        Assert.True(messages.SelectMany(m => m.Blocks).Count(b => b.Type == "section") > 2);
        if (length > 100_000)
        {
            Assert.True(messages.Count > 1);
        }
    }

    [Fact]
    public void Every_text_object_stays_within_slacks_limits_after_escaping()
    {
        var interpreted = Answer("Turkey hosts more than 3 million Syrian refugees. [1]") with { Interpretation = string.Concat(Enumerable.Repeat("<&> ", 900)) };

        foreach (var message in SlackFormatter.Render(new AnswerReply(interpreted)))
        {
            foreach (var block in message.Blocks)
            {
                Assert.True((block.Text?.Text.Length ?? 0) <= SlackFormatter.MaxSectionText);
                Assert.All(block.Elements?.OfType<TextObject>() ?? [], e => Assert.True(e.Text.Length <= SlackFormatter.MaxContextText, $"{e.Text.Length} characters"));
            }
        }
    }
}
