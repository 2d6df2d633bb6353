using BriefingBot.Core.Text;

namespace BriefingBot.Core.Tests.Text;

public sealed class SentenceSplitterSpecs
{
    private static string[] Sentences(string text) => SentenceSplitter.Split(text).Select(s => text.Substring(s.Start, s.Length)).ToArray();

    [Fact]
    public void Abbreviations_do_not_end_a_sentence()
    {
        var sentences = Sentences("The talks are on Sept. 11-12 in Geneva. Dr. Smith of the U.S. State Department will attend. Gen. Ali was not invited.");

        Assert.Equal(
            ["The talks are on Sept. 11-12 in Geneva.", "Dr. Smith of the U.S. State Department will attend.", "Gen. Ali was not invited."],
            sentences);
    }

    [Fact]
    public void A_dotted_abbreviation_ends_a_sentence_when_a_new_one_plainly_starts()
    {
        var sentences = Sentences("Ankara's ties are cooling with the U.S. The Kremlin stands to gain.");

        Assert.Equal(["Ankara's ties are cooling with the U.S.", "The Kremlin stands to gain."], sentences);
    }

    [Fact]
    public void Initials_stay_with_the_name()
    {
        var sentences = Sentences("The report was written by J. R. Smith and Mary K. Jones. It was published on Monday.");

        Assert.Equal(["The report was written by J. R. Smith and Mary K. Jones.", "It was published on Monday."], sentences);
    }

    [Fact]
    public void An_ellipsis_that_runs_on_does_not_split()
    {
        var text = "If an assault begins, “it would mean that Moscow… doesn’t fear a severe reaction from the Turkish leadership,” said Has.";

        Assert.Equal([text], Sentences(text));
    }

    [Fact]
    public void Full_stops_inside_a_quotation_that_closes_in_the_paragraph_do_not_split()
    {
        var sentences = Sentences("“We will not leave. Our posts stay where they are,” the minister said. Talks resume Friday.");

        Assert.Equal(["“We will not leave. Our posts stay where they are,” the minister said.", "Talks resume Friday."], sentences);
    }

    [Fact]
    public void Straight_quotes_protect_their_full_stops_too()
    {
        var sentences = Sentences("\"We will not leave. Our posts stay,\" he said. Then he left.");

        Assert.Equal(["\"We will not leave. Our posts stay,\" he said.", "Then he left."], sentences);
    }

    [Fact]
    public void A_quotation_that_ends_the_sentence_closes_it()
    {
        var sentences = Sentences("He added: “A new crisis would follow.” Moscow may still wait until November.");

        Assert.Equal(["He added: “A new crisis would follow.”", "Moscow may still wait until November."], sentences);
    }

    [Fact]
    public void Question_and_exclamation_marks_end_sentences()
    {
        Assert.Equal(["Will Russia wait?", "Nobody knows!", "Talks go on."], Sentences("Will Russia wait? Nobody knows! Talks go on."));
    }

    [Fact]
    public void Decimal_numbers_and_lowercase_continuations_do_not_split()
    {
        Assert.Equal(["About 3.5 million people fled, i.e. more than half.", "Aid came later."],
            Sentences("About 3.5 million people fled, i.e. more than half. Aid came later."));
    }

    [Fact]
    public void Offsets_point_into_the_text()
    {
        const string text = "First one.  Second one.";

        var spans = SentenceSplitter.Split(text);

        Assert.Equal([(0, 10), (12, 11)], spans.Select(s => (s.Start, s.Length)));
    }
}
