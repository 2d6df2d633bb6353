using BriefingBot.Core.Answering;
using BriefingBot.Core.Chat;
using BriefingBot.Tests.Support;
using static BriefingBot.Tests.Support.ArticleLines;

namespace BriefingBot.Tests.Answering;

/// <summary>When sources attribute an attack to different parties, an answer about who did it shows each, by source, none as fact.</summary>
public sealed class ClaimsSpecs
{
    private const string Question = "Who carried out the chemical attack on Khan Shaykhun?";

    [Fact]
    public async Task Differing_accounts_of_who_did_it_are_each_shown_with_their_outlet_and_cited()
    {
        using var corpus = new TestCorpus();
        corpus.Write("claims.jsonl", string.Join('\n',
            Line("a", "Wire A", "2017-04-04T12:00:00Z", "Gas attack on Khan Shaykhun",
                "Dozens died in a chemical attack on Khan Shaykhun on Tuesday. The United States accused the Assad regime of carrying out the attack. Rescue workers searched the town."),
            Line("b", "State TV", "2017-04-05T09:00:00Z", "Army denies Khan Shaykhun attack",
                "The army denied any involvement in the chemical attack on Khan Shaykhun. Damascus blamed terrorist groups for the attack, saying they stored chemicals in the town."),
            Line("c", "Wire C", "2017-04-05T18:00:00Z", "Moscow on Khan Shaykhun",
                "Russia said the chemical attack on Khan Shaykhun was caused by gas leaking from a rebel chemical weapons depot hit in an air strike.")));
        await corpus.IngestAsync();

        var answer = await corpus.AskAsync(Question);

        Assert.False(answer.Abstained);
        Assert.Contains(answer.Claims, c => c.Actor == "the Syrian government" && c.Stance == ClaimStance.Blames && c.ClaimedBy == "the United States" && c.Article.Id.Value == "a");
        Assert.Contains(answer.Claims, c => c.Actor == "the Syrian government" && c.Stance == ClaimStance.Denies && c.Article.Id.Value == "b");
        Assert.Contains(answer.Claims, c => c.Actor == "rebels" && c.Stance == ClaimStance.Blames && c.Article.Id.Value == "b");
        Assert.Contains(answer.Claims, c => c.Actor == "rebels" && c.Stance == ClaimStance.Blames && c.ClaimedBy == "Russia" && c.Article.Id.Value == "c");
        // Every claim is cited, and the answer is made of the claims' own sentences: no account stated as fact.
        Assert.All(answer.Claims, c => Assert.Contains(answer.Citations, cit => cit.N == c.N && cit.Article.Id == c.Article.Id && cit.Sentence == c.Sentence));
        Assert.All(answer.Citations, cit => Assert.Contains(answer.Claims, c => c.Sentence == cit.Sentence));
        Assert.Null(answer.ShortAnswer);

        var body = ReplyLayout.ForAnswer(answer).Cards[0].Body;
        Assert.Contains("Sources differ on who was responsible: ", body, StringComparison.Ordinal);
        Assert.Matches(@"the Syrian government — according to the United States \(Wire A, 4 Apr 2017\) \[\d\]", body);
        Assert.Matches(@"the Syrian government denies it \(State TV, 5 Apr 2017\) \[\d\]", body);
    }

    [Fact]
    public async Task Sources_that_agree_on_who_did_it_show_no_claims_line()
    {
        using var corpus = new TestCorpus();
        corpus.Write("claims.jsonl", string.Join('\n',
            Line("a", "Wire A", "2017-04-04T12:00:00Z", "Gas attack on Khan Shaykhun",
                "The United States accused the Assad regime of carrying out the chemical attack on Khan Shaykhun."),
            Line("b", "Wire B", "2017-04-05T09:00:00Z", "France on Khan Shaykhun",
                "France blamed the Syrian government for the chemical attack on Khan Shaykhun.")));
        await corpus.IngestAsync();

        var answer = await corpus.AskAsync(Question);

        Assert.False(answer.Abstained);
        Assert.Empty(answer.Claims);
        Assert.DoesNotContain("Sources differ", ReplyLayout.ForAnswer(answer).Cards[0].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_claim_about_another_attack_in_the_same_article_is_left_out()
    {
        using var corpus = new TestCorpus();
        corpus.Write("claims.jsonl", string.Join('\n',
            Line("a", "Wire A", "2017-04-04T12:00:00Z", "Gas attack on Khan Shaykhun",
                "The United States accused the Assad regime of the chemical attack on Khan Shaykhun. Dozens of people died. Rescue workers searched the town for hours. "
                + "Hospitals across the province filled with the wounded and doctors asked for help from abroad. Many families left for the border in the night. "
                + "In a separate incident far to the east, a car bomb exploded at a checkpoint near Deir ez-Zor. Russia blamed Islamic State for that bombing."),
            Line("b", "Wire B", "2017-04-05T09:00:00Z", "France on Khan Shaykhun",
                "France blamed the Syrian government for the chemical attack on Khan Shaykhun.")));
        await corpus.IngestAsync();

        var answer = await corpus.AskAsync(Question);

        Assert.DoesNotContain(answer.Claims, c => c.Actor == "Islamic State");
    }

    [Theory]
    [InlineData("Damascus denied responsibility and blamed rebels.", "rebels", ClaimStance.Blames, "the Syrian government")]
    [InlineData("Damascus denied responsibility and blamed rebels.", "the Syrian government", ClaimStance.Denies, null)]
    [InlineData("The Syrian Observatory for Human Rights said the attack was carried out by Russian jets.", "Russia", ClaimStance.Blames, "the Syrian Observatory for Human Rights")]
    [InlineData("The West blames the attack on President Bashar al-Assad's forces.", "the Syrian government", ClaimStance.Blames, "the West")]
    [InlineData("Russian warplanes struck the town on Saturday, activists said.", "Russia", ClaimStance.Blames, "activists")]
    [InlineData("Western states said the Syrian government was responsible for that attack.", "the Syrian government", ClaimStance.Blames, "Western states")]
    [InlineData("Russia has categorically denied any involvement.", "Russia", ClaimStance.Denies, null)]
    public void Who_a_sentence_holds_responsible_and_who_says_so_are_read(string sentence, string actor, ClaimStance stance, string? by) =>
        Assert.Contains((actor, stance, by), Claims.In(sentence));

    [Theory]
    [InlineData("The attack killed 58 people in Khan Shaykhun.")]
    [InlineData("Russia said talks would resume in Astana next week.")]
    [InlineData("The US government is responsible for its own budget.")]
    public void A_sentence_that_holds_no_one_responsible_makes_no_claim(string sentence) =>
        Assert.DoesNotContain(Claims.In(sentence), c => c.Stance == ClaimStance.Blames && c.Actor == "the Syrian government");

    [Theory]
    [InlineData("Who carried out the attack on the convoy?", true)]
    [InlineData("Who was behind the sarin attack?", true)]
    [InlineData("Who is to blame for the Ghouta massacre?", true)]
    [InlineData("Which side used chemical weapons in Aleppo?", true)]
    [InlineData("Who is Staffan de Mistura?", false)]
    [InlineData("How many people died in Khan Shaykhun?", false)]
    public void A_question_about_who_did_it_is_told_apart(string question, bool asks) => Assert.Equal(asks, Claims.AsksWhoDidIt(question));
}
