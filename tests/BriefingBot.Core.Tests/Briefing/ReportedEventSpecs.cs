using BriefingBot.Core.Articles;
using BriefingBot.Core.Briefing;
using BriefingBot.Core.Text;

namespace BriefingBot.Core.Tests.Briefing;

/// <summary>The event an article reports, read from its headline and lead: where, on which day, what kind.</summary>
public sealed class ReportedEventSpecs
{
    private static ReportedEvent Read(string title, string text, string published = "2017-04-05")
    {
        var article = new Article(new ArticleId("a"), "a.jsonl", title, "Wire", null, published, null, null, text, DateTimeOffset.UnixEpoch);
        return EventReader.Read(article, SentenceSplitter.SplitArticle(text));
    }

    [Fact]
    public void The_town_named_where_it_happened_is_the_place_before_the_province_the_headline_names()
    {
        var reported = Read("Strike kills 15 in Syria's Idlib",
            "An air strike on the village of Urum al-Joz in Idlib province killed 15 civilians on Tuesday, a monitor said. The market was destroyed.");

        Assert.Equal("air strike", reported.Kind);
        Assert.Equal("Urum al-Joz", reported.Place);
        Assert.True(reported.Specific);
        Assert.Equal(new DateOnly(2017, 4, 4), reported.Day); // the Tuesday before a Wednesday's article
        Assert.True(reported.DayStated);
    }

    [Fact]
    public void A_place_and_day_of_another_event_or_of_a_statement_are_not_this_ones()
    {
        var reported = Read("Shelling near capital kills 19",
            "At least 19 people were killed near the capital, hours after a gas attack left dozens dead in Khan Shaykhun on Tuesday. Rescuers came from the Damascus suburb of Douma, a monitor said on Wednesday.");

        Assert.False(reported.Specific);
        Assert.False(reported.DayStated);
        Assert.Contains(EventReader.Key("Khan Sheikhoun"), reported.Mentioned); // spellings meet
    }

    [Fact]
    public void Early_on_a_day_meets_the_night_before_but_not_the_whole_day_before()
    {
        var early = Read("Strikes on Manbij", "Coalition strikes killed 56 civilians early on Tuesday near Manbij, a monitor said.", "2016-07-19");
        var night = Read("Strikes on Manbij", "Coalition strikes killed dozens of civilians on Monday night near Manbij, a monitor said.", "2016-07-19");
        var monday = Read("Strikes on Manbij", "Coalition strikes killed 21 civilians near Manbij on Monday, a monitor said.", "2016-07-19");
        var unstated = Read("Strikes on Manbij", "Coalition strikes killed 21 civilians near Manbij, a monitor said.", "2016-07-19");
        var later = Read("Strikes on Manbij", "Coalition strikes killed 21 civilians near Manbij, a monitor said.", "2016-07-20");

        Assert.True(early.DayAgrees(night));
        Assert.False(early.DayAgrees(monday));
        Assert.True(monday.DayAgrees(unstated)); // an article that states no day may report the day before it
        Assert.True(early.DayAgrees(unstated));
        Assert.False(monday.DayAgrees(later)); // but not two days back
    }

    [Fact]
    public void Two_towns_disagree_unless_the_report_names_the_other()
    {
        var tokhar = Read("Strikes on Tokhar", "Coalition strikes on the village of Tokhar killed 56 civilians on Tuesday, a monitor said. The village lies near Manbij.");
        var manbij = Read("Strikes on Manbij", "Coalition strikes on the town of Manbij killed 21 civilians on Tuesday, a monitor said.");
        var toll = Read("Toll rises", "The toll from the strikes on the village of Tokhar rose to 85, a monitor said. Rescuers reached Manbij.");

        Assert.True(tokhar.PlaceDisagrees(manbij)); // a Manbij report never names Tokhar: it cannot join Tokhar's story
        Assert.False(manbij.PlaceDisagrees(tokhar)); // the Tokhar report names Manbij: its place does not keep it out (its day may)
        Assert.False(tokhar.PlaceDisagrees(toll));
    }

    [Fact]
    public void A_photographs_caption_is_not_the_lead_and_the_headline_says_the_kind()
    {
        // The caption shows the town of the week's chemical attack; the story is Saturday's air strikes on another town.
        var reported = Read("Air strikes kill at least 18 in northwestern Syria",
            "9 Apr 2017 A hospital in Khan Shaykhun a rebel-held town in Idlib province after the toxic gas attack on Tuesday. (TRT World and Agencies) Air strikes have struck the town of Urum al-Joz in Idlib province on Saturday, a monitor said. The toxic gas attack had killed 87.",
            "2017-04-09");

        Assert.Equal("air strike", reported.Kind);
        Assert.Equal("Urum al-Joz", reported.Place);
        Assert.Equal(new DateOnly(2017, 4, 8), reported.Day);
    }

    [Theory]
    [InlineData("US-led strikes kill 56 civilians in Syria", "air strike")]
    [InlineData("Motorbike bomber kills 16 outside bakery", "bombing")]
    [InlineData("Regime bombardment of Aleppo goes on", "air strike")]
    public void A_headlines_words_name_the_kind(string title, string kind) =>
        Assert.Equal(kind, Read(title, "Many people were killed, a monitor said. Rescuers searched the rubble.").Kind);

    [Fact]
    public void A_report_whose_lead_names_no_place_meets_the_town_it_names_further_down()
    {
        var camp = Read("Bomb hits refugee camp", "A suicide bomber struck a bus near the Atmeh border crossing in Idlib province, killing 15 people, a monitor said.", "2016-08-15");
        var blast = Read("Rebels killed in suicide blast", "More than 30 rebels were killed in a suicide blast, a militant group said. It had claimed the attack in a statement. The blast struck a bus at the Atmeh border crossing between Turkey and Syria, a monitor said.", "2016-08-15");
        var elsewhere = Read("Rebels killed in suicide blast", "More than 30 rebels were killed in a suicide blast, a militant group said. It had claimed the attack in a statement. The fighters had come from Azaz, a monitor said.", "2016-08-15");

        Assert.True(camp.PlaceMeets(blast));
        Assert.False(camp.PlaceMeets(elsewhere));
        Assert.False(blast.PlaceMeets(camp)); // a report without a place has none to meet
    }
}
