using BriefingBot.Tests.Support;

namespace BriefingBot.Tests.Cli;

/// <summary>Every text a person gives is capped before any work is done for it, and the reply names the cap.</summary>
public sealed class TextCapSpecs
{
    [Fact]
    public async Task A_quote_lookup_with_a_speaker_or_topic_past_its_cap_is_refused_naming_the_cap_and_the_chat_goes_on()
    {
        using var cli = new CliRun();
        var speaker = new string('x', 5_000);
        var topic = string.Join(' ', Enumerable.Repeat("refugees", 100));

        var (_, output, _) = await cli.RunWithInputAsync($"/quote speaker:{speaker}\n/quote {topic}\n/quote speaker:Has\n", "--no-embeddings");

        Assert.Contains("That speaker is 5000 characters long; a name is at most 100.", output, StringComparison.Ordinal);
        Assert.Contains($"That topic is {topic.Length} characters long; please keep it to 200.", output, StringComparison.Ordinal);
        Assert.Contains("Kerim Has", output, StringComparison.Ordinal); // the next lookup is answered as ever
    }

    [Fact]
    public async Task A_followed_topic_past_its_cap_is_refused_however_it_arrives()
    {
        await using var bot = await RunningBot.StartAsync(new Dictionary<string, string?>());
        var router = bot.Get<Core.Chat.ChatRouter>();

        var follow = await router.HandleAsync(new Core.Chat.FollowRequest(new string('x', 500)));
        var setting = await router.HandleAsync(new Core.Chat.SettingsRequest(MayManage: true, Zone: new string('z', 500)));

        Assert.Equal(Core.Chat.ChatRouter.FollowTooLong, Assert.IsType<Core.Chat.ErrorReply>(follow).Message);
        Assert.Contains("at most 64 characters", Assert.IsType<Core.Chat.ErrorReply>(setting).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_followed_topic_or_a_setting_past_its_cap_is_refused_naming_the_cap_and_nothing_is_stored()
    {
        using var cli = new CliRun();
        var topic = string.Join(' ', Enumerable.Repeat("idlib", 100));
        var zone = new string('z', 300);

        var (_, output, _) = await cli.RunWithInputAsync($"/follow {topic}\n/unfollow {topic}\n/settings timezone:{zone}\n/following\n", "--no-embeddings");

        Assert.Equal(2, output.Split("A followed topic is a few words (at most 100 characters).").Length - 1);
        Assert.Contains("A setting's value is at most 64 characters long.", output, StringComparison.Ordinal);
        Assert.Contains("This channel follows no topics.", output, StringComparison.Ordinal);
        Assert.DoesNotContain(zone, output, StringComparison.Ordinal);
    }
}
