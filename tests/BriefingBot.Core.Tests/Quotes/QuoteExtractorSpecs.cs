using BriefingBot.Core.Ingestion;
using BriefingBot.Core.Quotes;

namespace BriefingBot.Core.Tests.Quotes;

public sealed class QuoteExtractorSpecs
{
    private const string HasDescription = "a lecturer on Turkish-Russian relations at Moscow State University";
    private const string SteinDescription = "senior resident fellow at the Atlantic Council in Washington";

    private static (string Text, IReadOnlyList<ExtractedQuote> Quotes) Bundled()
    {
        var raw = Assert.Single(new PlainTextFormat().Read("bundled.txt", File.ReadAllText(RepoFiles.BundledArticle))).Article!;
        var article = ArticleBuilder.Build(raw, "bundled.txt", "bundled", DateTimeOffset.UnixEpoch).Article!;
        return (article.Article.Text, article.Quotes);
    }

    private static List<ExtractedQuote> Direct(IEnumerable<ExtractedQuote> quotes) => quotes.Where(q => q.Kind == QuoteKind.Direct).ToList();

    [Fact]
    public void Every_direct_quote_of_the_bundled_article_is_found_and_attributed_as_the_article_says()
    {
        var (_, quotes) = Bundled();

        var direct = Direct(quotes).Select(q => (q.Text, q.Speaker.Name)).ToList();

        Assert.Equal(
        [
            ("Turkey can either open a corridor from Idlib to its zones of influence in Syria for the transfer of armed opposition groups that are keen on negotiations with Damascus, or organize these militants to fight and eliminate terrorist organizations there.", "Kerim Has"),
            ("In both these scenarios, de facto cooperation between the Turkish and Syrian armies is expected on the ground.", "Kerim Has"),
            ("A new, tragic humanitarian crisis would be overcome by that corridor, possibly extending further into Turkey.", "Kerim Has"),
            ("it would mean that Moscow… doesn’t fear a severe reaction from the Turkish leadership,", "Kerim Has"),
            ("Turkey’s inevitable unwillingness to disrupt ties with Russia at a time of cooling relations with the US would play into the Kremlin’s hands regarding Idlib.", "Kerim Has"),
            ("The US will try and obstruct anything that it doesn’t find to be in its interests,", "Aaron Stein"),
        ],
        direct);
    }

    [Fact]
    public void Speakers_carry_the_description_the_article_introduces_them_with()
    {
        var (_, quotes) = Bundled();

        Assert.All(quotes.Where(q => q.Speaker.Name == "Kerim Has"), q => Assert.Equal(HasDescription, q.Speaker.Description));
        Assert.All(quotes.Where(q => q.Speaker.Name == "Aaron Stein"), q => Assert.Equal(SteinDescription, q.Speaker.Description));
        Assert.Contains("Has", quotes.First(q => q.Speaker.Name == "Kerim Has").Speaker.Aliases);
    }

    [Fact]
    public void Quote_text_is_exactly_the_article_text_at_its_offsets()
    {
        var (text, quotes) = Bundled();

        Assert.All(quotes, q => Assert.Equal(q.Text, text.Substring(q.Span.Start, q.Span.Length)));
        Assert.All(quotes, q => Assert.InRange(q.Mention.End, 1, text.Length));
    }

    [Fact]
    public void A_scare_quote_is_not_a_quote_and_a_quoted_phrase_in_a_paraphrase_is_partial()
    {
        var (_, quotes) = Bundled();

        Assert.DoesNotContain(quotes, q => q.Text.Contains("de-escalation zone", StringComparison.Ordinal) && q.Kind != QuoteKind.Paraphrase);
        var partial = Assert.Single(quotes, q => q.Kind == QuoteKind.Partial);
        Assert.Equal(("peaceful silence.", "Kerim Has"), (partial.Text, partial.Speaker.Name));
    }

    [Fact]
    public void Paraphrased_statements_are_kept_apart_from_quotes()
    {
        var (_, quotes) = Bundled();

        var cavusoglu = Assert.Single(quotes, q => q.Speaker.Name == "Mevlut Cavusoglu");
        Assert.Equal(QuoteKind.Paraphrase, cavusoglu.Kind);
        Assert.Equal("Turkish Foreign Minister", cavusoglu.Speaker.Description);
        Assert.Contains(quotes, q => q.Kind == QuoteKind.Paraphrase && q.Speaker.Name == "Serhat Erkmen" && q.Text.StartsWith("If Ankara cannot prevent", StringComparison.Ordinal));
    }

    [Fact]
    public void Nothing_is_taken_from_the_comment_form_footer()
    {
        var (_, quotes) = Bundled();

        Assert.DoesNotContain(quotes, q => q.Text.Contains("email", StringComparison.OrdinalIgnoreCase) || q.Text.Contains("Comment", StringComparison.Ordinal));
    }

    [Fact]
    public void An_attribution_in_the_middle_of_a_quote_attributes_both_parts()
    {
        const string text = "Maria Zakharova, a spokeswoman for the Russian Foreign Ministry, spoke on Monday.\n\n“We warned our partners,” Zakharova said, “that provocations in Idlib are being prepared.”";

        var quotes = Direct(QuoteExtractor.Extract(text));

        Assert.Equal(["We warned our partners,", "that provocations in Idlib are being prepared."], quotes.Select(q => q.Text));
        Assert.All(quotes, q => Assert.Equal("Maria Zakharova", q.Speaker.Name));
        Assert.Equal("a spokeswoman for the Russian Foreign Ministry", quotes[0].Speaker.Description);
    }

    [Fact]
    public void A_quotation_inside_a_quote_belongs_to_the_quote()
    {
        const string text = "Staffan de Mistura, the UN envoy, addressed reporters.\n\n“Some call it a ‘final battle,’ and others speak of “liberation,” but civilians pay,” de Mistura said.";

        var quote = Assert.Single(Direct(QuoteExtractor.Extract(text)));

        Assert.StartsWith("Some call it a ‘final battle,’", quote.Text, StringComparison.Ordinal);
        Assert.EndsWith("but civilians pay,", quote.Text, StringComparison.Ordinal);
        Assert.Equal("Staffan de Mistura", quote.Speaker.Name);
    }

    [Fact]
    public void A_quote_that_runs_over_paragraphs_is_one_quote_of_one_speaker()
    {
        const string text = "Ibrahim Kalin, the presidential spokesman, told reporters: “We will not allow a new wave of refugees.\n\n“Our observation posts will stay where they are.”\n\nThe talks resume next week.";

        var quote = Assert.Single(Direct(QuoteExtractor.Extract(text)));

        Assert.Equal("We will not allow a new wave of refugees.\n\n“Our observation posts will stay where they are.", quote.Text);
        Assert.Equal(("Ibrahim Kalin", "the presidential spokesman"), (quote.Speaker.Name, quote.Speaker.Description));
    }

    [Fact]
    public void Two_people_quoted_in_one_paragraph_keep_their_own_words()
    {
        const string text = "Sergei Lavrov, Russia’s foreign minister, and Mevlut Cavusoglu, his Turkish counterpart, met in Moscow.\n\n“Terrorists must be eliminated,” Lavrov said, while Cavusoglu replied: “A military solution would be a catastrophe.”";

        var quotes = Direct(QuoteExtractor.Extract(text));

        Assert.Equal(
            [("Terrorists must be eliminated,", "Sergei Lavrov"), ("A military solution would be a catastrophe.", "Mevlut Cavusoglu")],
            quotes.Select(q => (q.Text, q.Speaker.Name)));
    }

    [Fact]
    public void A_woman_quoted_with_she_is_found_even_after_a_man_is_named()
    {
        const string text = "Federica Mogherini, the EU foreign policy chief, met Mr. Lavrov in Brussels.\n\n“The humanitarian situation is unacceptable,” she said.";

        var quote = Assert.Single(Direct(QuoteExtractor.Extract(text)));

        Assert.Equal("Federica Mogherini", quote.Speaker.Name);
        Assert.Equal("she", text.Substring(quote.Mention.Start, quote.Mention.Length));
    }

    [Fact]
    public void Straight_quotes_work_like_curly_ones()
    {
        const string text = "Aaron Stein, a fellow at the Atlantic Council, was asked about the talks.\n\n\"Washington has no serious policy on Idlib,\" Stein said. \"Ankara knows it.\"";

        var quotes = Direct(QuoteExtractor.Extract(text));

        Assert.Equal(["Washington has no serious policy on Idlib,", "Ankara knows it."], quotes.Select(q => q.Text));
        Assert.All(quotes, q => Assert.Equal("Aaron Stein", q.Speaker.Name));
    }

    [Fact]
    public void According_to_and_said_before_the_quote_are_attributions()
    {
        const string text = "According to Hamza Mustafa, a local council member, “the shelling has not stopped for three days.”\n\nSaid Omar Abu Layla: “Nobody is safe in Idlib.”";

        var quotes = Direct(QuoteExtractor.Extract(text));

        Assert.Contains(quotes, q => q.Speaker.Name == "Hamza Mustafa" && q.Speaker.Description == "a local council member");
    }

    [Fact]
    public void A_quote_nobody_is_said_to_have_said_is_not_attributed()
    {
        const string text = "The operation was dubbed “Dawn of Idlib” by state media.\n\nBanners read “Idlib is ours” across the city.";

        Assert.DoesNotContain(QuoteExtractor.Extract(text), q => q.Kind != QuoteKind.Paraphrase);
    }

    [Theory]
    [InlineData("Trump tells his supporters at a Michigan rally to “go to your place and vote” and then leaves.")]
    [InlineData("Oz is “smart as hell,” Steve Mosko wrote in an email.")]
    [InlineData("Senator Ann Reed said the nation has become “more interested in protecting the criminals than in making sure that we are strong.”")]
    [InlineData("Ann Reed says the plan is “unhinged, even for him,” her aides said.")]
    public void A_quotation_woven_into_the_writers_sentence_is_not_direct(string text) =>
        Assert.Empty(Direct(QuoteExtractor.Extract(text)));

    [Theory]
    [InlineData("“One of the reasons,” Mr. Obama said, “is that their concern tends to be growth.”", 2)] // an interrupted quotation goes on in lower case
    [InlineData("Mr. Obama said: “Growth is their concern.”", 1)]
    [InlineData("Mr. Obama said “Growth is their concern.”", 1)]
    [InlineData("“Art matters,” Ava DuVernay said. She made the film because “most people don’t know about that loophole,” she said. “We have no context for the moment.”", 2)] // after a partial quote, a quotation standing alone is direct
    public void A_quotation_that_opens_a_sentence_or_follows_its_cue_is_direct(string text, int direct) =>
        Assert.Equal(direct, Direct(QuoteExtractor.Extract(text)).Count);

    [Theory]
    [InlineData("“Because you would be in jail,” Donald Trump interjected.", "Donald Trump")]
    [InlineData("“We will never be stopped,” fumed Paul Ryan.", "Paul Ryan")]
    [InlineData("Some note the cuts are small. Said Karen Ellis: “I don’t get the sense she is interested in reform.”", "Karen Ellis")]
    [InlineData("Mike Lee, a spokesman for the network, told me, “We are a content provider for people who value our content.”", "Mike Lee")]
    [InlineData("The ad uses footage of Hillary Clinton asking, “Why aren’t I fifty points ahead?”", "Hillary Clinton")]
    [InlineData("Parents rallied on Friday. But Megan Hester said: “Nobody wants to bus their kids across the city.”", "Megan Hester")]
    [InlineData("Asked about the alliance, Trump declared “I think NATO may be obsolete. Things are different now.”", "Trump")]
    [InlineData("Donald Trump spoke in Ohio. In a Bloomberg interview Trump declared “I think NATO may be obsolete. Things are different now.”", "Donald Trump")]
    [InlineData("Donald Trump spoke in Ohio. Trump swiped at Paul Ryan in a series of tweets: “Paul Ryan should not waste time fighting the nominee.”", "Donald Trump")]
    [InlineData("“It was all rigged,” Mike Reed shot back.", "Mike Reed")]
    [InlineData("“That is simply false,” retorted Ann Cole.", "Ann Cole")]
    [InlineData("“We are not done,” Ann Cole chimed in.", "Ann Cole")]
    [InlineData("Stars included Oprah Winfrey and Stevie Wonder, who joked of the museum, “I haven’t seen it yet, but I’m going to.”", "Stevie Wonder")]
    [InlineData("“The president’s rationales to veto JASTA don’t hold weight,” said 9/11 widow Terry Strada.", "Terry Strada")]
    [InlineData("“It was the least bad outcome,” Peter Morgan of the Sierra Club said.", "Peter Morgan")]
    [InlineData("“It’s an invasion of the state regulatory domain,” Scott Pruitt, the attorney general of Oklahoma, one of the states suing the EPA, said at an event.", "Scott Pruitt")]
    [InlineData("Manhattan Supreme Court Justice Frank Nervo ruled on Thursday. “The court will not take an action that exceeds that limitation,” Nervo wrote.", "Frank Nervo")]
    [InlineData("Lamenting their luck, Mexicans often say, “Poor Mexico, so far from God and so close to the United States.”", "Mexicans")]
    [InlineData("“We live in Satan’s kingdom,” my father often said.", "My father")]
    [InlineData("“Republicans are in a frenzy,” said one Democratic source on the panel.", "One Democratic source")]
    [InlineData("It has been said before, including by the former candidate Mitt Romney -- “It is disqualifying to refuse to release tax returns” -- and by others.", "Mitt Romney")]
    public void Rarer_reporting_verbs_and_forms_attribute_the_quote(string text, string speaker)
    {
        var quote = Assert.Single(Direct(QuoteExtractor.Extract(text)));

        Assert.Equal(speaker, quote.Speaker.Name);
    }

    [Fact]
    public void A_quotation_the_writers_sentence_goes_on_after_is_not_direct()
    {
        const string text = "“This just isn’t right,” Elizabeth Warren said. “You squeezed employees to the breaking point” to drive up the stock price, she said.";

        var quotes = QuoteExtractor.Extract(text).Where(q => q.Kind != QuoteKind.Paraphrase).ToList();

        Assert.Equal(QuoteKind.Direct, quotes[0].Kind);
        Assert.Equal(QuoteKind.Partial, Assert.Single(quotes, q => q.Text.StartsWith("You squeezed", StringComparison.Ordinal)).Kind);
    }

    [Fact]
    public void A_described_speaker_named_in_commas_is_quoted_by_name_and_described_as_the_article_does()
    {
        const string text = "A spokesman for the network, Mike Lee, told me, “We are a content provider for people who value our content.”";

        var quote = Assert.Single(Direct(QuoteExtractor.Extract(text)));

        Assert.Equal("Mike Lee", quote.Speaker.Name);
        Assert.Equal("a spokesman for the network", quote.Speaker.Description);
    }

    [Theory]
    [InlineData("“It is illegal to harass a woman because she is a woman,” according to the Equal Employment Opportunity Commission.", "The Equal Employment Opportunity Commission", null)]
    [InlineData("“We have destroyed the convoy,” Russia's Defence Ministry said in a statement.", "Russia's Defence Ministry", null)]
    [InlineData("The Syrian Observatory for Human Rights, a Britain-based war monitor, said: “At least 58 people were killed.”", "The Syrian Observatory for Human Rights", "a Britain-based war monitor")]
    [InlineData("Coal firms filed. In a statement, Peabody said: “Patriot Coal was highly successful,” adding that its value quadrupled.", "Peabody", null)]
    public void Organisations_speak_as_the_article_names_and_describes_them(string text, string speaker, string? description)
    {
        var quote = Assert.Single(Direct(QuoteExtractor.Extract(text)));

        Assert.Equal(speaker, quote.Speaker.Name);
        Assert.Equal(description, quote.Speaker.Description);
    }

    [Fact]
    public void A_document_speaks_and_it_goes_on_speaking_as_it()
    {
        const string text = "He was praised. “Leaders honored Donald J. Trump yesterday,” the article read. “Mr. Trump has managed to erase much of his debt,” it added.";

        var quotes = Direct(QuoteExtractor.Extract(text));

        Assert.Equal(["The article", "The article"], quotes.Select(q => q.Speaker.Name));
    }

    [Fact]
    public void It_never_stands_for_a_person()
    {
        const string text = "“We will win,” Ann Cole, the candidate, said. “It is over,” it added.";

        Assert.Equal(["Ann Cole"], Direct(QuoteExtractor.Extract(text)).Select(q => q.Speaker.Name));
    }

    [Fact]
    public void Reactions_listed_by_name_and_medium_are_each_attributed()
    {
        const string text = "Reactions poured in. Meghan McCain, Twitter: “This is a disaster for the party.” Ana Navarro, CNN: “Shameful.”";

        Assert.Equal(["Meghan McCain", "Ana Navarro"], Direct(QuoteExtractor.Extract(text)).Select(q => q.Speaker.Name));
    }

    [Fact]
    public void A_curly_quotation_closed_by_a_straight_mark_is_still_a_quote()
    {
        const string text = "Findings raised questions. “Immunity deals should not be a requirement for cooperating with the FBI,\" Oversight Chairman Jason Chaffetz said.";

        var quote = Assert.Single(Direct(QuoteExtractor.Extract(text)));

        Assert.Equal("Immunity deals should not be a requirement for cooperating with the FBI,", quote.Text);
        Assert.Equal("Jason Chaffetz", quote.Speaker.Name);
    }

    [Theory]
    [InlineData("Clinton's plan would “lead to World War Three,” Trump said.")]
    [InlineData("“We need change,” the businessman said, arguing that he will bring a “common-sense” approach to the job.")]
    public void A_phrase_inside_a_paraphrase_is_partial(string text) =>
        Assert.All(QuoteExtractor.Extract(text).Where(q => q.Text.Contains("World War", StringComparison.Ordinal) || q.Text.Contains("common-sense", StringComparison.Ordinal)),
            q => Assert.Equal(QuoteKind.Partial, q.Kind));

    [Fact]
    public void A_pronoun_passes_over_a_name_in_a_relative_clause_for_the_subject()
    {
        const string text = "Newt Gingrich said on Sunday that the race was close. Even Mike Pence, whom Newt Gingrich praised last week, was firm on the point. “We will absolutely accept the results of the election,” he said.";

        var quote = Assert.Single(Direct(QuoteExtractor.Extract(text)));

        Assert.Equal("Mike Pence", quote.Speaker.Name);
    }

    [Fact]
    public void A_pronoun_takes_the_gender_the_article_gives_each_person()
    {
        // Neither first name is in any list: the article's own "she" and "he" after each name tell who is who.
        const string text = "Corey Wells, a Gold Star parent, spoke first. She had lost a son in Iraq. Jordan Pike, the senator, answered. He spoke for ten minutes. “It was hard to hear,” she said.";

        var quote = Assert.Single(Direct(QuoteExtractor.Extract(text)));

        Assert.Equal("Corey Wells", quote.Speaker.Name);
    }

    [Fact]
    public void The_lexicon_knows_several_hundred_reporting_verbs_in_every_form_news_uses()
    {
        Assert.True(ReportingVerbs.LemmaCount >= 300, $"{ReportingVerbs.LemmaCount} lemmas");
        Assert.All(["said", "says", "say", "quipped", "retorted", "fired back", "chimed in", "swiped at", "tweeted", "pleaded", "cried out", "summed up", "marvelled", "admitted", "denies"],
            form => Assert.True(ReportingVerbs.Reports(form), form));
        Assert.False(ReportingVerbs.Reports("walked"));
    }

    [Fact]
    public void A_date_at_the_start_of_a_sentence_is_nobody()
    {
        const string text = "In August said the company “start-up capital was less than expected.”";

        Assert.DoesNotContain(QuoteExtractor.Extract(text), q => q.Speaker.Name.Contains("August", StringComparison.Ordinal));
    }
}
