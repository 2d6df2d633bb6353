using BriefingBot.Core.Answering;
using BriefingBot.Tests.Support;

namespace BriefingBot.Tests.Answering;

/// <summary>Factual questions about the bundled article, answered with the real encoder and with keywords alone.</summary>
[Collection(EmbedderCollection.Name)]
public sealed class BundledArticleSpecs(EmbedderFixture fixture)
{
    public static TheoryData<string, string> Questions => new()
    {
        { "How many Syrian refugees does Turkey host?", "hosts more than 3 million Syrian refugees" },
        { "How many observation posts does Turkey have in Idlib?", "its 12 observation posts" },
        { "Who set up the de-escalation zone in Idlib?", "set up last year by Russia, Turkey and Iran" },
        { "When will the UN envoy hold talks on the Syrian constitution?", "on Sept. 11-12 for talks on drafting a new Syrian constitution" },
        { "What did Aaron Stein say about US policy on Idlib?", "the US does not have a serious policy on Idlib" },
        { "What does Kerim Has say Russia's position is?", "Russia’s position is clear" },
        { "What did Serhat Erkmen tell Arab News?", "Ankara wants to prevent a regime assault" },
        { "What did Cavusoglu warn about an assault on Idlib?", "a military assault on Idlib would be disastrous" },
        { "When might Moscow launch the assault?", "late October or November" },
    };

    [Theory]
    [MemberData(nameof(Questions))]
    public async Task A_factual_question_is_answered_with_the_sentence_that_says_it(string question, string expected)
    {
        using var corpus = new TestCorpus(fixture.Embedder);
        corpus.AddBundledArticle();
        await corpus.IngestAsync();
        await corpus.EmbedAsync();

        var answer = await corpus.AskAsync(question);

        AssertAnswered(answer, expected);
    }

    [Theory]
    [MemberData(nameof(Questions))]
    public async Task The_same_questions_are_answered_from_keywords_alone_before_embeddings_exist(string question, string expected)
    {
        using var corpus = new TestCorpus();
        corpus.AddBundledArticle();
        await corpus.IngestAsync();

        var answer = await corpus.AskAsync(question);

        AssertAnswered(answer, expected);
    }

    private static void AssertAnswered(Answer answer, string expected)
    {
        Assert.False(answer.Abstained, $"abstained (confidence {answer.Confidence:F2})");
        Assert.Contains(answer.Citations, c => c.Sentence.Contains(expected, StringComparison.Ordinal));
        Assert.InRange(answer.Citations.Count, 1, 4);
        foreach (var citation in answer.Citations)
        {
            Assert.Equal(citation.Sentence, citation.Article.Slice(citation.Span)); // verbatim
            Assert.Contains($"{citation.Sentence} [{citation.N}]", answer.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("Add a Comment", citation.Sentence, StringComparison.Ordinal);
        }
    }
}
