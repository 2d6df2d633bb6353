using BriefingBot.Core.Answering;
using BriefingBot.Tests.Support;
using Xunit.Abstractions;

namespace BriefingBot.Tests.Answering;

/// <summary>
/// A check of the reader's fitted abstention (<see cref="ReaderModel.AbstainBelow"/>): questions the bundled article answers
/// and questions it does not (other wars, sport, trivia, people it never mentions). Both thresholds must keep
/// every answerable question answered and every other one abstained.
/// </summary>
[Collection(EmbedderCollection.Name)]
public sealed class AbstentionCalibrationSpecs(EmbedderFixture fixture, ITestOutputHelper output)
{
    public static readonly string[] Answerable =
    [
        "How many Syrian refugees does Turkey host?",
        "How many observation posts has Turkey reinforced?",
        "Who set up the de-escalation zone?",
        "When are the UN talks on a new constitution?",
        "What did Aaron Stein say?",
        "What did Kerim Has say about the corridor?",
        "Why does Ankara want to prevent a regime assault?",
        "What did the Turkish foreign minister warn?",
        "Is the agenda of the Russian-Turkish meetings public?",
        "What is Russia's position on Idlib?",
        "Which countries are part of the Astana process?",
        "What would a refugee influx do to host countries?",
        "What will the US try to do?",
        "Who is Serhat Erkmen?",
    ];

    public static readonly string[] Unanswerable =
    [
        "Who won the 2018 World Cup?",
        "What is the capital of France?",
        "What did Erdogan say about the Kurds?",
        "How many people died in the war in Ukraine?",
        "What did Angela Merkel say about Idlib?",
        "What is the price of oil today?",
        "Who is the president of Brazil?",
        "How tall is the Eiffel Tower?",
        "What happened in the Yemen civil war?",
        "Did Bashar al-Assad visit Moscow?",
        "What is the weather in Istanbul tomorrow?",
        "How do I bake sourdough bread?",
        "What did Donald Trump tweet about North Korea?",
        "When did the Berlin Wall fall?",
    ];

    [Fact]
    public async Task With_embeddings_every_answerable_question_is_answered_and_every_other_one_abstained()
    {
        using var corpus = new TestCorpus(fixture.Embedder);
        corpus.AddBundledArticle();
        await corpus.IngestAsync();
        await corpus.EmbedAsync();

        await AssertCalibratedAsync(corpus);
    }

    [Fact]
    public async Task With_keywords_alone_every_answerable_question_is_answered_and_every_other_one_abstained()
    {
        using var corpus = new TestCorpus();
        corpus.AddBundledArticle();
        await corpus.IngestAsync();

        await AssertCalibratedAsync(corpus);
    }

    private async Task AssertCalibratedAsync(TestCorpus corpus)
    {
        var wrong = new List<string>();
        foreach (var (question, answerable) in Answerable.Select(q => (q, true)).Concat(Unanswerable.Select(q => (q, false))))
        {
            var answer = await corpus.AskAsync(question);
            output.WriteLine($"{answer.Confidence:F3} {(answerable ? "answerable  " : "unanswerable")} {question}");
            if (answer.Abstained == answerable)
            {
                wrong.Add($"{question} (confidence {answer.Confidence:F3}, {(answerable ? "abstained" : "answered")})");
            }

            if (answer.Abstained)
            {
                Assert.Equal(Answer.AbstentionText, answer.Text);
                Assert.All(answer.Citations, c => Assert.Equal(c.Sentence, c.Article.Slice(c.Span)));
            }
        }

        Assert.True(wrong.Count == 0, "Miscalibrated:\n" + string.Join('\n', wrong));
    }
}
