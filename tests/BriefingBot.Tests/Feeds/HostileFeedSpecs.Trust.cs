using System.Reflection;
using BriefingBot.Core.Articles;
using BriefingBot.Core.Chat;
using BriefingBot.Core.Feeds;
using BriefingBot.Storage.Sqlite;
using BriefingBot.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace BriefingBot.Tests.Feeds;

/// <summary>What a followed feed can and cannot do to the corpus and to the people who read /sources.</summary>
public sealed partial class HostileFeedSpecs
{
    private static readonly DateTimeOffset Sept12 = new(2018, 9, 12, 9, 0, 0, TimeSpan.Zero);

    /// <summary>The same site under its other name: another host as far as addresses go.</summary>
    private string OtherHost(string path) => _site.Url(path).Replace("127.0.0.1", "localhost", StringComparison.Ordinal);

    private void ServeOutletAndImpostor()
    {
        // The outlet's own feed carries its story whole, filed under the outlet's address.
        _site.Serve("/outlet.xml", "application/rss+xml", FakeNewsSite.Rss("Outlet", new FeedEntry(
            "UN convoy reaches Idlib", OtherHost("/world/convoy"), Sept12, null,
            "<p>IDLIB — A United Nations aid convoy of 48 trucks reached Idlib province on Wednesday.</p>")));
        // Another feed links a page that claims the outlet's address as its own.
        _site.Serve("/impostor.xml", "application/rss+xml", FakeNewsSite.Rss("Impostor", new FeedEntry(
            "UN convoy reaches Idlib", _site.Url("/fake-convoy"), Sept12, "A convoy.")));
        _site.Serve("/fake-convoy", "text/html", FakeNewsSite.ArticlePage(
            "UN convoy reaches Idlib", OtherHost("/world/convoy"),
            "IDLIB — A United Nations aid convoy of 3 trucks was turned back from Idlib province on Wednesday."));
    }

    [Fact]
    public async Task A_page_that_names_another_hosts_address_as_its_own_is_stored_under_its_own_and_overwrites_nothing()
    {
        ServeOutletAndImpostor();
        using var bot = FeedBot.Start(_folder.Path);
        await bot.AddAsync(_site.Url("/outlet.xml"));
        await bot.AddAsync(_site.Url("/impostor.xml"));

        await bot.PollAsync(_site.Url("/outlet.xml"));
        var impostor = await bot.PollAsync(_site.Url("/impostor.xml"));

        Assert.Equal(1, impostor.New);
        var stored = await StoredByUrlAsync(bot);
        Assert.Contains("48 trucks", stored[OtherHost("/world/convoy")], StringComparison.Ordinal); // the outlet's text stands
        Assert.Contains("3 trucks", stored[_site.Url("/fake-convoy")], StringComparison.Ordinal); // the impostor's, under its own address
        Assert.Contains(bot.Logs.Lines, l => l.Contains(_site.Url("/fake-convoy"), StringComparison.Ordinal) && l.Contains("names an address on localhost", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_host_the_feeds_settings_allow_may_be_named_as_the_canonical_address()
    {
        _site.Serve("/mirror.xml", "application/rss+xml", FakeNewsSite.Rss("Mirror", new FeedEntry(
            "UN convoy reaches Idlib", _site.Url("/m/convoy"), Sept12, "A convoy.")));
        _site.Serve("/m/convoy", "text/html", FakeNewsSite.ArticlePage(
            "UN convoy reaches Idlib", OtherHost("/world/convoy"), "IDLIB — A United Nations aid convoy of 48 trucks reached Idlib province on Wednesday."));
        using var bot = FeedBot.Start(_folder.Path, new()
        {
            ["Feeds:Sources:0:Url"] = _site.Url("/mirror.xml"),
            ["Feeds:Sources:0:CanonicalHosts:0"] = "localhost",
        });
        await bot.Poller.AddConfiguredAsync();

        Assert.Equal(1, (await bot.PollAsync(_site.Url("/mirror.xml"))).New);

        Assert.Equal([OtherHost("/world/convoy")], (await StoredByUrlAsync(bot)).Keys);
    }

    [Fact]
    public async Task One_item_failing_for_any_reason_is_logged_and_skipped_and_the_rest_of_the_poll_and_its_etag_are_kept()
    {
        _site.Serve("/wire.xml", "application/rss+xml", FakeNewsSite.Rss(
            "Wire",
            new FeedEntry("Convoy", _site.Url("/a"), Sept12, null, "<p>A United Nations aid convoy of 48 trucks reached Idlib on Wednesday.</p>"),
            new FeedEntry("Poisoned", _site.Url("/b"), Sept12.AddHours(1), null, "<p>This item's text makes the store fail: poison.</p>"),
            new FeedEntry("Shelling", _site.Url("/c"), Sept12.AddHours(2), null, "<p>Shelling resumed in southern Idlib on Thursday, monitors said.</p>")));
        using var bot = FeedBot.Start(_folder.Path, configure: services =>
            services.AddSingleton<ICorpusStore>(sp => FailingStore.Wrap(sp.GetRequiredService<SqliteCorpusStore>())));
        await bot.AddAsync(_site.Url("/wire.xml"));

        var first = await bot.PollAsync(_site.Url("/wire.xml"));
        var second = await bot.PollAsync(_site.Url("/wire.xml"));

        Assert.Equal((2, 1, null), (first.New, first.Failed, first.Error));
        Assert.Contains(bot.Logs.Lines, l => l.Contains(_site.Url("/b"), StringComparison.Ordinal) && l.Contains("the store is away", StringComparison.Ordinal));
        Assert.Equal(2, (await bot.Store.GetStatsAsync()).Articles);
        Assert.True(second.NotModified); // the poll's ETag was kept
    }

    [Fact]
    public void Sources_shows_chat_users_a_feeds_host_and_path_and_keeps_credentials_keys_and_errors_for_operators()
    {
        var feed = new FeedState(
            new FeedSource("https://reader:hunter2@feeds.example.com:8443/world/rss?key=SECRET-KEY", "Example", TimeSpan.FromMinutes(15), true),
            null, null, null, "10.0.0.5 is a private or loopback address", DateTimeOffset.UtcNow, 3, null, 0);

        var chat = Assert.Single(ReplyLayout.ForStats(new CorpusStats(0, 0, 0, [], null, null, 0), [feed]).Cards, c => c.Title == "News feeds").Body;
        var operators = ReplyLayout.FeedLine(feed);

        Assert.Contains("feeds.example.com/world/rss", chat, StringComparison.Ordinal);
        Assert.Contains("failing since", chat, StringComparison.Ordinal);
        foreach (var secret in new[] { "hunter2", "reader", "SECRET-KEY", "10.0.0.5", "8443" })
        {
            Assert.DoesNotContain(secret, chat, StringComparison.Ordinal);
        }

        Assert.Contains("reader:hunter2@", operators, StringComparison.Ordinal);
        Assert.Contains("10.0.0.5", operators, StringComparison.Ordinal);
    }

    private static async Task<Dictionary<string, string>> StoredByUrlAsync(FeedBot bot)
    {
        var articles = await bot.Store.GetArticlesInWindowAsync(DateTimeOffset.MinValue, DateTimeOffset.MaxValue, 100);
        return articles.ToDictionary(a => a.Url!, a => a.Text);
    }

    /// <summary>A store that fails (as a store that is away does) on any article whose text says "poison".</summary>
    public class FailingStore : DispatchProxy
    {
        private ICorpusStore _inner = null!;

        public static ICorpusStore Wrap(ICorpusStore inner)
        {
            var proxy = Create<ICorpusStore, FailingStore>();
            ((FailingStore)(object)proxy)._inner = inner;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod?.Name == nameof(ICorpusStore.ReplaceSourceAsync)
                && args?[1] is IEnumerable<IngestedArticle> articles
                && articles.Any(a => a.Article.Text.Contains("poison", StringComparison.Ordinal)))
            {
                throw new InvalidOperationException("the store is away");
            }

            try
            {
                return targetMethod!.Invoke(_inner, args);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                throw ex.InnerException;
            }
        }
    }
}
