using BriefingBot.Chat;
using BriefingBot.Core.Answering;
using BriefingBot.Core.Chat;
using Microsoft.Extensions.Time.Testing;

namespace BriefingBot.Tests.Chat;

/// <summary>What every platform's messages share: which conversation a question belongs to, and which threads the bot follows.</summary>
public sealed class PipelineSpecs
{
    [Theory]
    [InlineData("slack", "C1", "U1", "C1/1536300000.000100", false, "slack:thread:C1/1536300000.000100")] // a mention's thread
    [InlineData("slack", "D1", "U1", null, true, "slack:D1")] // a DM outside any thread
    [InlineData("slack", "C1", "U1", null, false, "slack:C1:U1")] // a slash command
    [InlineData("discord", "1000", "1300", "1400", false, "discord:thread:1400")] // a reply to an answer, or the thread started from it
    [InlineData("discord", "1000", "1300", null, false, "discord:1000:1300")]
    public void A_question_belongs_to_its_thread_else_its_dm_else_the_person_in_the_channel(string platform, string channel, string user, string? thread, bool direct, string expected) =>
        Assert.Equal(expected, ChatPipeline.ConversationOf(new ChatPlace(platform, channel, user, thread, direct)));

    [Fact]
    public async Task A_thread_grown_from_an_answer_is_followed_for_a_day_and_carries_the_answered_question_on()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2018-09-07T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var conversations = new Conversations(time);
        var pipeline = new ChatPipeline(router: null!, conversations, time);
        var answer = new Answer("what about russia?", "…", false, [], [], AnswerMethod.Extractive, 0.8) { Interpretation = "What are Russia's aims in Idlib?" };

        await pipeline.ContinueFromAsync(answer, "discord", "1400");

        Assert.True(pipeline.Follows("discord", "1400"));
        Assert.False(pipeline.Follows("slack", "1400"));
        Assert.Equal("What are Russia's aims in Idlib?", conversations.Previous(ChatPipeline.ConversationOf(new ChatPlace("discord", "1400", "1301", "1400"))));
        time.Advance(TimeSpan.FromHours(25));
        Assert.False(pipeline.Follows("discord", "1400"));
    }
}
