using BriefingBot.Core.Quotes;

namespace BriefingBot.Core.Tests.Quotes;

/// <summary>Speakers are people, bodies or descriptions the article gives: never a fragment of the sentence around them.</summary>
public sealed class SpeakerRuleSpecs
{
    private static ExtractedQuote Only(string text) =>
        Assert.Single(QuoteExtractor.Extract(text), q => q.Kind is QuoteKind.Direct or QuoteKind.Partial);

    private static List<(string Text, string Speaker)> Quotes(string text) =>
        QuoteExtractor.Extract(text).Where(q => q.Kind is QuoteKind.Direct or QuoteKind.Partial).Select(q => (q.Text, q.Speaker.Name)).ToList();

    [Theory]
    [InlineData("Peter Wherry")]
    [InlineData("Barack H. Obama")]
    [InlineData("G.K. Butterfield")]
    [InlineData("Staffan de Mistura")]
    [InlineData("Russia's Defence Ministry")]
    [InlineData("SANA")]
    [InlineData("The Syrian Observatory for Human Rights")]
    [InlineData("A spokesman for the ministry")]
    [InlineData("The influential US daily")]
    [InlineData("One of the officials")]
    [InlineData("Obama's former campaign strategist")]
    [InlineData("Democrats")]
    [InlineData("The US")]
    public void People_bodies_and_descriptions_headed_by_a_person_or_group_noun_are_speakers(string name) =>
        Assert.True(SpeakerRule.Accepts(name), name);

    [Theory]
    [InlineData("The Rev")]
    [InlineData("Rev.")]
    [InlineData("P.")]
    [InlineData("G")]
    [InlineData("US")]
    [InlineData("Russian")]
    [InlineData("A new video where she")]
    [InlineData("The statement adding that")]
    [InlineData("While Russia")]
    [InlineData("A village south of Jarabulus")]
    [InlineData("Representatives James E. Clyburn")]
    [InlineData("Through Strength.\" He")]
    public void A_fragment_of_the_sentence_is_no_speaker(string name) =>
        Assert.False(SpeakerRule.Accepts(name), name);

    [Fact]
    public void A_title_stays_with_the_name_it_introduces_and_initials_stay_in_the_name()
    {
        var rev = Only("\"The city will never go back to normal,\" said the Rev. Peter Wherry, of Mayfield Memorial Church.");
        var rep = Only("\"This is a disgusting day for the country,\" said Rep. G.K. Butterfield (D-N.C.), head of the Black Caucus.");

        Assert.Equal("Peter Wherry", rev.Speaker.Name);
        Assert.Equal("G.K. Butterfield", rep.Speaker.Name);
        Assert.Equal("Rep.", rep.Speaker.Description);
    }

    [Fact]
    public void A_description_is_not_cut_down_to_a_country_and_a_clause_is_never_a_speaker()
    {
        var daily = Only("The influential US daily wrote, \"The deal is dead and everyone in Washington knows it.\"");
        var video = Only("The campaign released a new video where she said, \"We are stronger together than apart.\"");
        var named = QuoteExtractor.Extract("Senator Jane Doe told reporters on Monday that the race was close.\n\n" +
            "The campaign released a new video where she said, \"We are stronger together than apart.\"").Single(q => q.Kind == QuoteKind.Direct);

        Assert.Equal("The influential US daily", daily.Speaker.Name); // never "US"
        Assert.Equal(SpeakerRule.Unattributed, video.Speaker); // never "A new video where she": no one is named before "she"
        Assert.Equal("Jane Doe", named.Speaker.Name); // "she" stands for the senator named before
    }

    [Fact]
    public void A_title_for_several_people_before_a_name_is_that_persons_title_not_part_of_the_name()
    {
        var joint = Only("\"We are not leaving this building,\" Representatives James E. Clyburn and John Lewis said in a statement.");

        Assert.Equal("James E. Clyburn", joint.Speaker.Name);
        Assert.DoesNotContain("and", joint.Speaker.Description ?? string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public void The_subject_of_a_coordinated_clause_and_a_described_subject_speak_with_any_verb_of_the_lexicon()
    {
        const string text = """
            Senator Tom Hale returned to the stage and declared, "We will win this state in November."

            The host reiterated, "Nobody in this room is above the law."

            A man in the crowd shouted, "Lock them all up right now!"
            """;

        Assert.Equal(
        [
            ("We will win this state in November.", "Tom Hale"),
            ("Nobody in this room is above the law.", "The host"),
            ("Lock them all up right now!", "A man in the crowd"),
        ],
        Quotes(text));
    }

    [Fact]
    public void Both_parts_of_a_quote_split_by_its_attribution_belong_to_that_attributions_speaker()
    {
        const string text = """
            Mayor Anne Hidalgo spoke first. Councillor Tom Lee voted no.

            "Fine," answered Lee after the vote. "We will see what the court says."
            """;

        Assert.Equal([("Fine,", "Tom Lee"), ("We will see what the court says.", "Tom Lee")], Quotes(text));
    }

    [Theory]
    [InlineData("Mayor Anne Hidalgo said \"The deal is dead and we all know it.\"")]
    [InlineData("Later, Mayor Anne Hidalgo told reporters \"The deal is dead and we all know it.\"")]
    [InlineData("Mayor Anne Hidalgo told the crowd \"The deal is dead and we all know it.\"")]
    public void A_quote_after_only_x_said_or_told_someone_is_direct(string text)
    {
        var quote = Only(text);

        Assert.Equal((QuoteKind.Direct, "Anne Hidalgo"), (quote.Kind, quote.Speaker.Name));
    }
}
