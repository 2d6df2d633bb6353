using System.Collections.Concurrent;
using BriefingBot.Core.Chat;
using BriefingBot.Core.Follows;
using BriefingBot.Hosting;
using BriefingBot.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BriefingBot.Tests.Feeds;

/// <summary>Followed topics: new articles on a channel's topic are posted there as they arrive, each once, within the hour's budget.</summary>
public sealed class FollowSpecs : IAsyncLifetime
{
    private static readonly DateTimeOffset Sept12 = new(2018, 9, 12, 9, 0, 0, TimeSpan.Zero);
    private static readonly Requester Moderator = new("discord", "2001", "4242");

    private readonly TempFolder _folder = new();
    private FakeNewsSite _site = null!;

    private sealed class RecordingPoster : IChannelPoster
    {
        public ConcurrentQueue<(string Channel, NewArticlesReply Reply)> Posts { get; } = new();

        public bool Handles(string channel) => channel.StartsWith("discord:", StringComparison.Ordinal);

        public Task PostAsync(string channel, ChatReply reply, CancellationToken cancellationToken = default)
        {
            Posts.Enqueue((channel, Assert.IsType<NewArticlesReply>(reply)));
            return Task.CompletedTask;
        }
    }

    public async Task InitializeAsync() => _site = await FakeNewsSite.StartAsync();

    public async Task DisposeAsync()
    {
        await _site.DisposeAsync();
        _folder.Dispose();
    }

    private static FeedEntry Convoy(int n) => new(
        $"Aid convoy {n} reaches Idlib", $"http://news.example/convoy-{n}", Sept12.AddDays(10 * n), null,
        $"<p>IDLIB — United Nations aid convoy number {n}, of {40 + n} trucks, reached Idlib province, the UN said.</p>");

    private static readonly FeedEntry Unrelated = new(
        "Oil prices rise", "http://news.example/oil", Sept12, null, "<p>LONDON — Oil prices rose on Wednesday on supply worries in the Gulf.</p>");

    private (FeedBot Bot, RecordingPoster Poster) Start(Dictionary<string, string?>? settings = null)
    {
        var poster = new RecordingPoster();
        var bot = FeedBot.Start(_folder.Path, settings, services =>
        {
            services.AddSingleton<IChannelPoster>(poster);
            services.AddBackgroundJobs();
        });
        return (bot, poster);
    }

    private static async Task WaitForAsync(Func<bool> done, string what)
    {
        for (var waited = 0; !done(); waited += 50)
        {
            Assert.True(waited < 15_000, $"waited 15 s for {what}");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task A_followed_topic_posts_each_matching_article_once_across_a_restart()
    {
        _site.Serve("/feed.xml", "application/rss+xml", FakeNewsSite.Rss("UN Wire", Convoy(1), Unrelated));
        var (bot, poster) = Start();
        using (bot)
        {
            var reply = await bot.Router.HandleAsync(new FollowRequest("idlib aid convoy") { From = Moderator });
            Assert.Contains("Following", Assert.IsType<FollowsReply>(reply).Message, StringComparison.Ordinal);
            await bot.AddAsync(_site.Url("/feed.xml"));
            await bot.Host.StartAsync();
            await WaitForAsync(() => !poster.Posts.IsEmpty, "the first post");
            await bot.Host.StopAsync();

            // Nothing else is waiting to be matched or posted: a pass now would post it.
            var notifier = bot.Host.Services.GetRequiredService<FollowNotifier>();
            Assert.Equal(0, await notifier.CatchUpAsync());
            Assert.Equal(0, await notifier.PostQueuedAsync());
        }

        var (channel, first) = Assert.Single(poster.Posts);
        Assert.Equal("discord:4242", channel);
        Assert.Equal("Aid convoy 1 reaches Idlib", Assert.Single(first.Articles).Title);
        Assert.False(first.Digest);

        // After a restart the feed lists the old article again, and a new one.
        _site.Serve("/feed.xml", "application/rss+xml", FakeNewsSite.Rss("UN Wire", Convoy(2), Convoy(1), Unrelated));
        var (restarted, again) = Start();
        using (restarted)
        {
            // Polled from the command line while the bot is down: the bot posts what arrived when it starts.
            await restarted.Poller.PollAsync(all: true);
            await restarted.Host.StartAsync();
            await WaitForAsync(() => !again.Posts.IsEmpty, "the new article's post");
            await restarted.Host.StopAsync();

            var notifier = restarted.Host.Services.GetRequiredService<FollowNotifier>();
            Assert.Equal(0, await notifier.CatchUpAsync());
            Assert.Equal(0, await notifier.PostQueuedAsync());
        }

        var (_, second) = Assert.Single(again.Posts);
        Assert.Equal("Aid convoy 2 reaches Idlib", Assert.Single(second.Articles).Title);
    }

    [Fact]
    public async Task Beyond_the_hours_budget_the_rest_goes_into_one_digest_and_then_waits()
    {
        _site.Serve("/feed.xml", "application/rss+xml", FakeNewsSite.Rss("UN Wire", Convoy(1), Convoy(2), Convoy(3), Convoy(4), Convoy(5)));
        var (bot, poster) = Start(new() { ["Follows:MaxPostsPerHour"] = "3" });
        using (bot)
        {
            await bot.Router.HandleAsync(new FollowRequest("aid convoy idlib") { From = Moderator });
            var notifier = await PollNewsAsync(bot);

            Assert.Equal(5, await notifier.CatchUpAsync());
            var ids = (await bot.Store.GetArticlesInWindowAsync(DateTimeOffset.MinValue, DateTimeOffset.MaxValue, 100)).Select(a => a.Id).ToList();
            Assert.Equal(0, await notifier.MatchAsync(ids)); // queued once, whatever asks again
            Assert.Equal(3, await notifier.PostQueuedAsync());

            _site.Serve("/feed.xml", "application/rss+xml", FakeNewsSite.Rss("UN Wire", Convoy(6)));
            await bot.Poller.PollAsync(all: true);
            Assert.Equal(1, await notifier.CatchUpAsync());
            Assert.Equal(0, await notifier.PostQueuedAsync()); // the hour's three posts are spent: it waits
        }

        var posts = poster.Posts.Select(p => p.Reply).ToList();
        Assert.Equal([false, false, true], posts.Select(p => p.Digest));
        Assert.Equal(5, posts.Sum(p => p.Articles.Count));
        Assert.Equal(3, posts[2].Articles.Count);
    }

    /// <summary>The feed added and polled while the bot runs (so what it stores is news to the followed topics); the bot's notifier.</summary>
    private async Task<FollowNotifier> PollNewsAsync(FeedBot bot)
    {
        await bot.AddAsync(_site.Url("/feed.xml"));
        var notifier = bot.Host.Services.GetRequiredService<FollowNotifier>();
        Assert.Equal(0, await notifier.CatchUpAsync()); // the bot was running before the news came
        await bot.Poller.PollAsync(all: true);
        return notifier;
    }

    private static FeedEntry Report(string slug, string title, int hours, string text) =>
        new(title, $"http://news.example/{slug}", Sept12.AddHours(hours), null, $"<p>{text}</p>");

    [Fact]
    public async Task The_reports_of_one_event_that_wait_together_go_as_one_post_and_spend_one_of_the_hours_posts()
    {
        _site.Serve("/feed.xml", "application/rss+xml", FakeNewsSite.Rss("Wires",
            Report("a", "Air strike on Urum al-Joz kills 15", 1, "An air strike on the village of Urum al-Joz in Idlib province killed 15 civilians on Tuesday, a monitor said."),
            Report("b", "Strike on Idlib village kills 18", 2, "An air strike hit the village of Urum al-Joz in Idlib on Tuesday, killing at least 18 people, rescuers said."),
            Report("c", "Russian strike kills 18 civilians in Idlib", 3, "A Russian air strike on Urum al-Joz in Idlib province on Tuesday killed 18 civilians, a monitor said."),
            Report("d", "Air strike hits market in Maarat al-Numan", 120, "An air strike hit the market of Maarat al-Numan in Idlib province on Sunday, killing nine people, a monitor said.")));
        var (bot, poster) = Start(new() { ["Follows:MaxPostsPerHour"] = "2" });
        using (bot)
        {
            await bot.Router.HandleAsync(new FollowRequest("idlib air strike") { From = Moderator });
            var notifier = await PollNewsAsync(bot);

            Assert.Equal(4, await notifier.CatchUpAsync());
            Assert.Equal(2, await notifier.PostQueuedAsync());
        }

        var posts = poster.Posts.Select(p => p.Reply).ToList();
        Assert.All(posts, p => Assert.False(p.Digest)); // two stories, two posts: within the budget of two
        var story = Assert.Single(posts, p => p.Articles.Count > 1);
        Assert.Equal(["Air strike on Urum al-Joz kills 15", "Strike on Idlib village kills 18", "Russian strike kills 18 civilians in Idlib"], Assert.Single(story.Stories).Select(a => a.Title));
        Assert.Equal("New on “idlib air strike”: 3 reports of one story", ReplyLayout.For(story).Header);
        Assert.Equal("Air strike hits market in Maarat al-Numan", Assert.Single(Assert.Single(posts, p => p.Articles.Count == 1).Articles).Title);
    }

    [Fact]
    public async Task Following_unfollowing_and_listing_are_per_channel()
    {
        var (bot, _) = Start();
        using (bot)
        {
            var elsewhere = Moderator with { Channel = "999" };
            await bot.Router.HandleAsync(new FollowRequest("idlib ceasefire") { From = Moderator });
            var twice = Assert.IsType<FollowsReply>(await bot.Router.HandleAsync(new FollowRequest("idlib ceasefire") { From = Moderator }));
            await bot.Router.HandleAsync(new FollowRequest("astana talks") { From = elsewhere });

            var here = Assert.IsType<FollowsReply>(await bot.Router.HandleAsync(new FollowingRequest { From = Moderator }));
            var gone = Assert.IsType<FollowsReply>(await bot.Router.HandleAsync(new UnfollowRequest("idlib ceasefire") { From = Moderator }));
            var notFollowed = Assert.IsType<FollowsReply>(await bot.Router.HandleAsync(new UnfollowRequest("idlib ceasefire") { From = Moderator }));

            Assert.Contains("already", twice.Message, StringComparison.Ordinal);
            Assert.Equal(["idlib ceasefire"], here.Follows.Select(f => f.Words));
            Assert.Empty(gone.Follows);
            Assert.Contains("does not follow", notFollowed.Message, StringComparison.Ordinal);
            Assert.Equal(["astana talks"], (await bot.Host.Services.GetRequiredService<IFollowStore>().GetFollowsAsync("discord:999")).Select(f => f.Words));
        }
    }

    [Theory]
    [InlineData("/follow words: Idlib  Ceasefire", "idlib ceasefire")]
    [InlineData("/follow \"Astana talks\"", "astana talks")]
    public void Typed_follow_commands_name_one_topic_whatever_the_spelling(string typed, string words) =>
        Assert.Equal(words, Assert.IsType<FollowRequest>(Assert.IsType<TextCommand.Request>(TextCommands.Parse(typed, null)).ChatRequest).Words);
}
