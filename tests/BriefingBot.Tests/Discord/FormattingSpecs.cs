using System.Text.RegularExpressions;
using BriefingBot.Core.Answering;
using BriefingBot.Core.Articles;
using BriefingBot.Core.Chat;
using BriefingBot.Discord.Formatting;

namespace BriefingBot.Tests.Discord;

public sealed class FormattingSpecs
{
    private static Article Article(int n) => new(
        new ArticleId($"a{n}"), $"a{n}.txt", $"Article {n} about Idlib with a [bracketed] title", "Outlet", $"https://example.com/{n}", "2018-09-12", null, null, "text",
        DateTimeOffset.UnixEpoch);

    private static Answer Answer(string text, int sources = 3) => new(
        "q", text, false, [], Enumerable.Range(1, sources).Select(n => new Source(n, Article(n))).ToList(), AnswerMethod.Extractive, 0.8);

    private static string LongText(int length)
    {
        var sentences = new List<string>();
        for (var i = 0; sentences.Sum(s => s.Length + 1) < length; i++)
        {
            sentences.Add($"Sentence number {i} reports what officials said about the talks over Idlib province. [{(i % 3) + 1}]");
        }

        return string.Join(' ', sentences);
    }

    private static void AssertWithinLimits(IReadOnlyList<OutgoingMessage> messages)
    {
        foreach (var message in messages)
        {
            Assert.True((message.Content?.Length ?? 0) <= 2000);
            Assert.True(message.Embeds.Count <= 10);
            Assert.True(message.Embeds.Sum(e => e.Length) <= 6000);
            Assert.All(message.Embeds, e =>
            {
                Assert.True((e.Description?.Length ?? 0) <= 4096);
                Assert.True((e.Title?.Length ?? 0) <= 256);
            });
            Assert.True(message.Content is not null || message.Embeds.Count > 0);
        }
    }

    [Theory]
    [InlineData(3_000, 100)]
    [InlineData(100, 3_000)]
    [InlineData(5_000, 5_000)]
    public void A_card_with_a_title_or_link_of_thousands_of_characters_is_rendered_within_limits(int linkLength, int titleLength)
    {
        var link = "https://example.com/" + new string('a', linkLength - 20);
        var title = string.Concat(Enumerable.Repeat("Strikes and shelling ", (titleLength / 21) + 1))[..titleLength];
        var card = new ReplyCard(CardKind.Story, title, link, "context", "Body of the story [1]", [new CardSource(1, title, "Outlet", "2018-09-12", link, "excerpt")], "footer");

        var messages = DiscordFormatter.Render(new ReplyLayout(null, [card]));

        AssertWithinLimits(messages);
        var embeds = messages.SelectMany(m => m.Embeds).ToList();
        Assert.All(embeds, e => Assert.True((e.Url?.Length ?? 0) <= DiscordFormatter.MaxUrl));
        // A link is whole or absent: never cut inside its [label](address) markup.
        Assert.All(embeds.Select(e => e.Description ?? string.Empty), d => Assert.Equal(d.Count(c => c == '('), d.Count(c => c == ')')));
        Assert.Contains(embeds, e => (e.Description ?? string.Empty).Contains("Strikes and shelling", StringComparison.Ordinal));
    }

    private static string AllText(IReadOnlyList<OutgoingMessage> messages) =>
        string.Join('\n', messages.SelectMany(m => new[] { m.Content ?? string.Empty }.Concat(m.Embeds.Select(e => e.Description ?? string.Empty))));

    [Theory]
    [InlineData(2_500)]
    [InlineData(9_000)]
    [InlineData(30_000)]
    public void A_long_answer_is_split_within_Discords_limits_and_loses_no_sentence(int length)
    {
        var text = LongText(length);
        var messages = DiscordFormatter.Render(new AnswerReply(Answer(text)));

        AssertWithinLimits(messages);
        var all = AllText(messages);
        foreach (Match sentence in Regex.Matches(text, @"Sentence number (\d+)"))
        {
            Assert.Contains($"Sentence number {sentence.Groups[1].Value} reports", all, StringComparison.Ordinal);
        }

        Assert.Contains("**Sources**", all, StringComparison.Ordinal);
        if (length > 6000)
        {
            Assert.True(messages.Count > 1);
        }
    }

    [Fact]
    public void A_long_plain_message_is_split_into_messages_of_at_most_2000_characters()
    {
        var text = LongText(2_500);
        var messages = DiscordFormatter.Render(new ErrorReply(text));

        Assert.Equal(2, messages.Count);
        AssertWithinLimits(messages);
        Assert.Equal(Regex.Matches(text, "Sentence number").Count, Regex.Matches(AllText(messages), "Sentence number").Count);
    }

    [Fact]
    public void Quoted_text_can_neither_ping_nor_inject_markdown_or_links()
    {
        var answer = Answer("He said @everyone and @here should see <@123456789012345678> and <@&987654321098765432>: **not bold** [click](https://evil.example) `code`. [1]", 1);
        var description = DiscordFormatter.Render(new AnswerReply(answer)).Single().Embeds.Single().Description!;

        Assert.DoesNotContain("@everyone", description, StringComparison.Ordinal);
        Assert.DoesNotContain("@here", description, StringComparison.Ordinal);
        Assert.DoesNotContain("<@1", description, StringComparison.Ordinal);
        Assert.DoesNotContain("<@&", description, StringComparison.Ordinal);
        Assert.Contains(@"\*\*not bold\*\*", description, StringComparison.Ordinal);
        Assert.Contains(@"\[click\](https://evil.example)", description, StringComparison.Ordinal);
        Assert.Contains(@"[Article 1 about Idlib with a \[bracketed\] title](https://example.com/1)", description, StringComparison.Ordinal);
    }

    [Fact]
    public void An_abstention_looks_different_from_an_answer()
    {
        var citation = new Citation(1, Article(1), new TextSpan(0, 4), "The nearest sentence.");
        var abstention = new Answer("q", Core.Answering.Answer.AbstentionText, true, [citation], [], AnswerMethod.Extractive, 0.1);
        var answered = DiscordFormatter.Render(new AnswerReply(Answer("An answer. [1]"))).Single().Embeds.Single();
        var declined = DiscordFormatter.Render(new AnswerReply(abstention)).Single().Embeds.Single();

        Assert.NotEqual(answered.Color, declined.Color);
        Assert.Equal("Not answered by the articles", declined.Title);
        Assert.Contains("Nearest sources", declined.Description, StringComparison.Ordinal);
        Assert.Contains("The nearest sentence.", declined.Description, StringComparison.Ordinal);
        Assert.Null(declined.Footer);
    }
}
