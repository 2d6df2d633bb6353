using BriefingBot.Core.Text;

namespace BriefingBot.Core.Tests.Text;

public sealed class TermsSpecs
{
    [Theory]
    [InlineData("refugees", "refugee")]
    [InlineData("hosts", "hosting")]
    [InlineData("talks", "talk")]
    [InlineData("countries", "country")]
    public void Inflections_meet_on_one_stem(string a, string b) => Assert.Equal(Terms.Stem(b), Terms.Stem(a));

    [Fact]
    public void Accents_are_folded_so_names_match_however_they_are_spelled()
    {
        Assert.Equal(Terms.Of("Mevlut Cavusoglu"), Terms.Of("Mevlüt Çavuşoğlu"));
    }

    [Fact]
    public void Question_words_and_possessives_are_not_content()
    {
        Assert.Equal(["un", "talk"], Terms.Of("When are the UN’s talks?"));
    }

    [Fact]
    public void A_capitalised_stopword_inside_a_question_is_kept_as_a_name()
    {
        var terms = QueryTerms.Parse("What did Kerim Has say about the corridor?");

        Assert.Equal(["kerim", "has", "corridor"], terms.Select(t => t.Word));
    }
}
