using BriefingBot.Core.Answering;
using BriefingBot.Core.Text;

namespace BriefingBot.Core.Tests.Answering;

/// <summary>What a question asks for, and what a sentence must hold to answer it.</summary>
public sealed class QuestionAnalysisSpecs
{
    private static QuestionAnalysis Of(string question) => QuestionAnalysis.Of(question, QueryTerms.Parse(question));

    [Theory]
    [InlineData("How many policemen were among the dead?", AnswerType.Count)]
    [InlineData("What was the death toll of the bombing?", AnswerType.Count)]
    [InlineData("When will the UN envoy host the talks?", AnswerType.Date)]
    [InlineData("In which year was the zone set up?", AnswerType.Date)]
    [InlineData("Where did the blast take place?", AnswerType.Place)]
    [InlineData("Which town near the border was hit?", AnswerType.Place)]
    [InlineData("In which Aleppo neighbourhood did the shells fall?", AnswerType.Place)]
    [InlineData("Who is Serhat Erkmen?", AnswerType.Person)]
    [InlineData("Which group claimed the attack?", AnswerType.Person)]
    [InlineData("What is the name of the neighbourhood in Aleppo where a girl was killed?", AnswerType.Place)]
    [InlineData("What was the name of the Russian ambassador who was shot?", AnswerType.Person)]
    [InlineData("Why does Ankara want to prevent an assault?", AnswerType.Any)]
    [InlineData("What did the Turkish foreign minister warn?", AnswerType.Any)]
    public void A_question_is_read_for_the_kind_of_answer_it_wants(string question, AnswerType type) => Assert.Equal(type, Of(question).Type);

    [Theory]
    [InlineData("NASA was forced to reschedule its launch on Monday. Where is the mega rocket's launchpad located?", AnswerType.Place, "Where is the mega rocket's launchpad located?")]
    [InlineData("Prices rose again. How many people could be called up?", AnswerType.Count, "How many people could be called up?")]
    [InlineData("Where did the U.S. President go after the summit?", AnswerType.Place, "Where did the U.S. President go after the summit?")]
    [InlineData("Mr. Smith left. Who replaced him?", AnswerType.Person, "Who replaced him?")]
    public void A_quiz_question_is_read_for_its_asking_sentence_not_the_context_before_it(string question, AnswerType type, string asking)
    {
        Assert.Equal(asking, QuestionAnalysis.AskingSentence(question));
        Assert.Equal(type, Of(question).Type);
    }

    [Theory]
    [InlineData("Which new treat did the chain add to its menu?", true)]
    [InlineData("What was the name of the mission?", true)]
    [InlineData("Which company is accused of turning off the AC?", true)]
    [InlineData("Who brokered the ceasefire?", true)]
    [InlineData("What did the minister warn?", false)]
    [InlineData("Why does Ankara want to prevent an assault?", false)]
    public void A_question_that_wants_something_named_is_told_apart(string question, bool asksForName) =>
        Assert.Equal(asksForName, Of(question).AsksForName);

    [Theory]
    [InlineData("How many policemen were among the dead?", "17 killed, among them 13 policemen", true)]
    [InlineData("How many policemen were among the dead?", "Police said the blast killed many people", false)]
    [InlineData("How many Syrian refugees does Turkey host?", "Turkey, which hosts more than 3 million Syrian refugees, warned", true)]
    [InlineData("How many people were injured by the gas?", "At least four people died and many suffered", false)]
    [InlineData("How many people were injured by the gas?", "At least 55 people were injured by the gas", true)]
    [InlineData("How many members did the team have in 2013?", "A 20-member UN team was in Syria", true)]
    [InlineData("How many Tomahawks did the US fire?", "The United States launched 59 Tomahawk cruise missiles", true)]
    [InlineData("Which town was hit by the twin bombing?", "A twin bombing struck a crowd in a predominantly Kurdish town in northern Syria", false)]
    [InlineData("Which town was hit by the twin bombing?", "A truck blew up on the western edge of the town of Qamishli", true)]
    [InlineData("In which Aleppo neighbourhood did the shells fall?", "Shells hit the Qaterji neighbourhood of Aleppo", true)]
    [InlineData("Which town near Raqqa was hit?", "At least 10 civilians were killed in US-led coalition strikes west of Daeshs de facto capital", false)]
    [InlineData("Which town was retaken?", "The Russian-backed forces drove IS from the area", false)]
    [InlineData("When will the envoy host the talks?", "The envoy will host officials on Sept. 11-12", true)]
    public void A_sentence_answers_only_when_it_holds_that_kind_of_answer(string question, string sentence, bool holds) =>
        Assert.Equal(holds, Of(question).ShortAnswer(sentence) is not null);

    [Theory]
    [InlineData("Who carried out the chemical attack on Khan Shaykhun?", "An alleged chemical attack killed at least 58 in the rebel-held town of Khan Shaykhun in Idlib province.", null)]
    [InlineData("Who carried out the chemical attack on Khan Shaykhun?", "The attack on Khan Shaykhun in Idlib was carried out by regime jets, Human Rights Watch said.", "Human Rights Watch")]
    [InlineData("Who hosted the talks in Astana?", "Kazakhstan hosted the talks in Astana.", "Kazakhstan")]
    [InlineData("Who set up the de-escalation zone?", "Idlib is a “de-escalation zone” set up last year by Russia, Turkey and Iran through talks known as the Astana peace process.", "Russia, Turkey and Iran")]
    [InlineData("Who brokered the ceasefire?", "In Aleppo a ceasefire brokered by Moscow and Ankara took hold.", "Moscow and Ankara")]
    public void Who_is_not_answered_with_where(string question, string sentence, string? answer) =>
        Assert.Equal(answer, Of(question).ShortAnswer(sentence));

    [Theory]
    [InlineData("How many Syrian refugees does Turkey host?", "Turkey, which hosts more than 3 million Syrian refugees, warned", "3 million Syrian refugees")]
    [InlineData("How many people were injured?", "Three deaths and 22 injuries were reported", "22 injuries")]
    [InlineData("How many people were injured?", "Two hundred people were injured and 3 died", "Two hundred people were injured")]
    public void A_count_is_the_whole_number_nearest_what_it_counts(string question, string sentence, string answer) =>
        Assert.Equal(answer, Of(question).ShortAnswer(sentence));

    [Theory]
    [InlineData("Which town near the Turkish border was hit?", "Bomb blasts hit the northeastern Syrian city of Qamishli near the Turkish border.", "Qamishli")]
    [InlineData("Which village was bombed?", "Coalition aircraft bombed tents for people who fled from ISIS to Hazimah village.", "Hazimah")]
    [InlineData("Which town did the rebels take?", "Rebels led by the Nusra Front took the town of Morek in Hama province.", "Morek")]
    public void A_place_is_a_place_not_a_group_or_an_office(string question, string sentence, string answer) =>
        Assert.Equal(answer, Of(question).ShortAnswer(sentence));

    [Fact]
    public void A_headline_s_capitals_are_not_names_of_places()
    {
        const string Headline = "Flickr U.S. Department of Defense At Least 10 Civilians Die in Strikes Near Raqqa";
        const string Article = "At least 10 civilians were killed in strikes west of Raqqa. " + Headline + ". The coalition bombed Hanida village.";
        var analysis = Of("Which town near Raqqa was hit?");

        Assert.Null(analysis.ShortAnswer(Headline, Article));
        Assert.Equal("Hanida", analysis.ShortAnswer("The coalition bombed Hanida village.", Article));
        Assert.Equal("Morek", Of("Which town did the rebels take?").ShortAnswer("Rebels of the Nusra Front took the town of Morek in Hama province.",
            "Rebels of the Nusra Front took the town of Morek in Hama province. The front line moved; rebels said the town fell."));
    }

    [Theory]
    [InlineData("How many people live in Raqqa today?", true)]
    [InlineData("Who controls Idlib now?", true)]
    [InlineData("What is currently happening in Afrin?", true)]
    [InlineData("Which group is now known as Tahrir al-Sham?", false)] // a name an old article gives too
    [InlineData("How many people were killed in Raqqa in 2016?", false)]
    [InlineData("Who knows what happened in Douma?", false)]
    public void A_question_about_how_things_stand_now_is_known_as_one(string question, bool aboutNow) =>
        Assert.Equal(aboutNow, Of(question).AboutNow);

    [Fact]
    public void An_article_of_another_year_does_not_answer_a_question_that_names_a_year()
    {
        var analysis = Of("How many people died in the 2020 Idlib offensive?");

        Assert.Equal([2020], analysis.Years);
        Assert.False(analysis.YearsAgree("2018-09-07", "Talks between Ankara and Moscow over the fate of Idlib province."));
        Assert.True(analysis.YearsAgree("2020-03-01", "The offensive killed hundreds."));
        Assert.True(analysis.YearsAgree(null, "In 2020 the offensive killed hundreds."));
    }

    [Theory]
    [InlineData("What did Pope Francis say about the Khan Sheikhoun attack?", "Samples obtained from Khan Sheikhun tested positive, Pope Francis said.", true)]
    [InlineData("What did Pope Francis say about the Khan Sheikhoun attack?", "Pope Francis condemned the attack on the bus convoy.", false)]
    [InlineData("Which town in Idlib was shelled?", "Rockets hit al-Fouaa town in Idleb.", true)]
    [InlineData("What did ISIS claim?", "Daesh claimed the attack.", true)]
    [InlineData("How many refugees does Germany host?", "Turkey hosts more than 3 million Syrian refugees.", false)]
    [InlineData("Who is to blame for the Ghouta chemical attack?", "The attack killed children under the age of eight in Idlib.", false)]
    [InlineData("Who is to blame for the Ghouta chemical attack?", "Hundreds died in eastern Ghuta in August 2013.", true)]
    public void An_answers_article_must_name_what_the_question_names_in_any_spelling(string question, string article, bool names) =>
        Assert.Equal(names, Of(question).NamesIn(article));

    [Theory]
    [InlineData("When did Syria rejoin the Arab League?", "rejoin")]
    [InlineData("Who replaced Staffan de Mistura as UN envoy?", "replaced")]
    [InlineData("What is the height of the Tabqa dam?", "height")]
    [InlineData("What is the name of the neighbourhood where the shell fell?", null)] // asks for the thing itself
    [InlineData("How many people died in Douma?", null)] // a count is checked by what it counts
    public void The_predicate_is_what_the_question_says_happened(string question, string? predicate) =>
        Assert.Equal(predicate, Of(question).Predicate);

    [Fact]
    public void An_answers_article_must_say_what_the_question_says_happened_in_some_form()
    {
        var analysis = Of("Who reinforced the observation posts?");

        Assert.True(analysis.PredicateIn("Turkey’s military recently reinforced its 12 observation posts."));
        Assert.True(analysis.PredicateIn("The reinforcements reached the observation posts."));
        Assert.False(Of("When did Syria rejoin the Arab League?").PredicateIn("The Arab League called on inspectors to visit the site."));
    }
}
