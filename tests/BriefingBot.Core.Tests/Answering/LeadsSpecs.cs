using BriefingBot.Core.Answering;
using BriefingBot.Core.Articles;

namespace BriefingBot.Core.Tests.Answering;

/// <summary>A sentence is quoted as a reader would quote it: without the page's date, its headline or its furniture.</summary>
public sealed class LeadsSpecs
{
    private static Article ArticleOf(string title, string text) =>
        new(new ArticleId("a"), "a.jsonl:1", title, null, null, "2016-11-24", null, null, text, DateTimeOffset.UnixEpoch);

    private static (string Quoted, bool Headline) Lead(string title, string sentence)
    {
        var article = ArticleOf(title, sentence + " The next sentence.");
        var (span, headline) = Leads.Of(article, new TextSpan(0, sentence.Length));
        return (article.Slice(span), headline);
    }

    [Theory]
    [InlineData("US-led coalition airstrikes kill at least ten civilians in Raqqa",
        "24 November 2016 US-led coalition airstrikes kill at least ten civilians in Raqqa Ten Syrian civilians were killed Wednesday in airstrikes.",
        "Ten Syrian civilians were killed Wednesday in airstrikes.")]
    [InlineData("Syrian army advances near Aleppo",
        "Published February 18 2015 The Syrian army backed by allied militia has captured several villages north of Aleppo.",
        "The Syrian army backed by allied militia has captured several villages north of Aleppo.")]
    [InlineData("Air strikes in Idlib",
        "Date of publication 12 June 2016 Dozens of civilians have been killed after Russian airstrikes targeted a market.",
        "Dozens of civilians have been killed after Russian airstrikes targeted a market.")]
    [InlineData("Civilians die in coalition strikes near Raqqa",
        "08.04.2017(updated 1456 08.04.2017) Get short URL 9427 At least 10 civilians were killed in coalition strikes.",
        "At least 10 civilians were killed in coalition strikes.")]
    [InlineData("Air strikes in Syria's Idlib kill more than 20",
        "Reuters Sunday 12 Jun 2016 Air strikes carried out by Syrian or Russian warplanes killed more than 20 people.",
        "Air strikes carried out by Syrian or Russian warplanes killed more than 20 people.")]
    public void The_dateline_and_the_headline_before_the_first_sentence_are_left_out(string title, string sentence, string quoted) =>
        Assert.Equal((quoted, false), Lead(title, sentence));

    [Theory]
    [InlineData("Car bomb kills four in Damascus", "Thu Sep 5 2013 Car bomb kills four in Damascus.", "Car bomb kills four in Damascus.")]
    [InlineData("Bomb blast kills 60 in Damascus suburb", "Bomb blast kills 60 in Damascus suburb .", "Bomb blast kills 60 in Damascus suburb .")]
    public void A_sentence_that_is_only_the_headline_is_known_as_one(string title, string sentence, string quoted) =>
        Assert.Equal((quoted, true), Lead(title, sentence));

    [Theory]
    [InlineData("Talks in Astana", "Turkey, Russia and Iran met in Astana on Friday.")]
    [InlineData("Talks in Astana", "On 12 June 2016 the talks resumed in Astana.")] // a date the sentence itself gives
    [InlineData("Talks in Astana", "5 May 2017 Talks.")] // too little would be left: kept whole
    public void Other_sentences_are_quoted_whole(string title, string sentence) =>
        Assert.Equal((sentence, false), Lead(title, sentence));
}
