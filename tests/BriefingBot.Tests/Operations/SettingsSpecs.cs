using BriefingBot.Chat;
using BriefingBot.Core.Chat;
using BriefingBot.Tests.Feeds;
using BriefingBot.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace BriefingBot.Tests.Operations;

public sealed class SettingsSpecs
{
    [Fact]
    public async Task Typed_settings_are_the_shell_users_to_change_but_not_a_mentioning_members()
    {
        using var folder = new TempFolder();
        using var bot = FeedBot.Start(folder.Path, configure: services =>
            services.AddSingleton<Core.Briefing.IBriefingPoster>(new Shell.ShellBriefingPoster(TextWriter.Null)));
        var pipeline = bot.Host.Services.GetRequiredService<ChatPipeline>();

        var mentioned = await pipeline.HandleMessageAsync("<@B1> /settings briefing:off", "B1", new ChatPlace("slack", "C1", "U1"));
        var shell = await pipeline.HandleAsync(TextCommands.Parse("/settings briefing:on time:7:05 timezone:UTC answers:asker", null), place: null);
        var wrong = await pipeline.HandleAsync(TextCommands.Parse("/settings time:25:99", null), place: null);

        Assert.Contains("only people who may manage", Assert.IsType<ErrorReply>(mentioned).Message, StringComparison.Ordinal);
        var saved = Assert.IsType<SettingsReply>(shell);
        Assert.Equal("only who asked", saved.Answers);
        Assert.Equal("on, daily at 07:05 (UTC)", saved.Briefing);
        Assert.Contains("time:", Assert.IsType<ErrorReply>(wrong).Message, StringComparison.Ordinal);
        Assert.Equal(new TimeSpan(7, 5, 0), (await bot.Host.Services.GetRequiredService<Core.Briefing.BriefingScheduler>().NextOccurrenceForAsync("shell"))!.Value.UtcDateTime.TimeOfDay);
    }
}
