using BriefingBot.Core.Chat;
using BriefingBot.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace BriefingBot.Tests.Cli;

public sealed class FollowUpSpecs
{
    [Theory]
    [InlineData("What are Turkey's aims in Idlib?", "what about Russia?", "What are Russia's aims in Idlib?")]
    [InlineData("What are Turkey's aims in Idlib?", "And Iran?", "What are Iran's aims in Idlib?")]
    [InlineData("Who hosts Syrian refugees?", "how about Jordan?", "Who hosts Jordan refugees?")]
    [InlineData("How many observation posts does Turkey have?", "What did Kerim Has say?", "What did Kerim Has say?")]
    public void A_follow_up_is_read_in_the_context_of_the_question_before(string previous, string question, string expected)
    {
        Assert.Equal(expected, FollowUps.Rewrite(question, previous));
    }

    [Fact]
    public void A_pronoun_carries_over_the_names_the_follow_up_does_not_repeat()
    {
        var rewritten = FollowUps.Rewrite("What did he say about the corridor?", "What did Kerim Has say?");

        Assert.StartsWith("What did he say about the corridor?", rewritten, StringComparison.Ordinal);
        Assert.Contains("Kerim Has", rewritten, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_an_earlier_question_nothing_is_rewritten() =>
        Assert.Equal("what about Russia?", FollowUps.Rewrite("what about Russia?", null));

    [Fact]
    public void History_is_kept_per_conversation_and_forgotten_when_old()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var conversations = new Conversations(time);
        conversations.Remember("thread-a", "What are Turkey's aims in Idlib?");

        Assert.Equal("What are Turkey's aims in Idlib?", conversations.Previous("thread-a"));
        Assert.Null(conversations.Previous("thread-b"));

        time.Advance(Conversations.MaxAge + TimeSpan.FromMinutes(1));
        Assert.Null(conversations.Previous("thread-a"));
    }

    [Fact]
    public void A_conversation_keeps_a_bounded_number_of_turns()
    {
        var conversations = new Conversations(new FakeTimeProvider(DateTimeOffset.UnixEpoch));
        for (var i = 0; i < Conversations.MaxTurns * 3; i++)
        {
            conversations.Remember("thread", $"question {i}");
        }

        Assert.Equal($"question {(Conversations.MaxTurns * 3) - 1}", conversations.Previous("thread"));
    }

    [Fact]
    public async Task A_follow_up_about_another_subject_is_answered_about_it_or_not_at_all()
    {
        using var cli = new CliRun();

        var (_, output, _) = await cli.RunWithInputAsync("How many observation posts does Turkey have?\nwhat about Russia?\n", "--no-embeddings");

        var followUp = output[output.IndexOf("(Taking this as: How many observation posts does Russia have?)", StringComparison.Ordinal)..];
        Assert.Contains("The articles I have don't answer that.", followUp, StringComparison.Ordinal);
        Assert.DoesNotContain("reinforced its 12 observation posts in the province with ballistic equipment and concrete walls. [1]", followUp, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("what about it?")]
    [InlineData("WHAT ABOUT THEM?")]
    public void A_follow_up_about_it_names_no_new_subject(string question)
    {
        var (_, subject) = FollowUps.Read(question, "How many observation posts does Turkey have?");

        Assert.Null(subject);
    }

    [Theory]
    [InlineData("WHAT ABOUT IT?")]
    [InlineData("AND OR")]
    [InlineData("what about it?")]
    public async Task A_question_of_filler_words_is_declined_in_capitals_too(string question)
    {
        using var cli = new CliRun();

        var (exit, output, _) = await cli.RunAsync("ask", "--no-embeddings", question);

        Assert.Equal(0, exit);
        Assert.StartsWith("The articles I have don't answer that.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_question_in_capitals_is_answered_like_the_same_question_in_lowercase()
    {
        using var cli = new CliRun();

        var (_, output, _) = await cli.RunAsync("ask", "--no-embeddings", "HOW MANY OBSERVATION POSTS DOES TURKEY HAVE?");

        Assert.Contains("12 observation posts", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_the_shell_the_next_question_is_understood_in_context()
    {
        using var cli = new CliRun();

        var (_, output, _) = await cli.RunWithInputAsync("What are Turkey's aims in Idlib?\nwhat about Russia?\n", "--no-embeddings");

        Assert.Contains("(Taking this as: What are Russia's aims in Idlib?)", output, StringComparison.Ordinal);
        Assert.Contains("Russia’s position is clear", output, StringComparison.Ordinal);
    }
}
