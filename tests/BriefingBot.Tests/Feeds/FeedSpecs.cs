using System.Diagnostics;
using BriefingBot.Core.Articles;
using BriefingBot.Hosting;
using BriefingBot.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BriefingBot.Tests.Feeds;

/// <summary>News feeds on a loopback site: items become articles that answer questions, and polls cost only what changed.</summary>
public sealed class FeedSpecs : IAsyncLifetime
{
    private static readonly DateTimeOffset Sept10 = new(2018, 9, 10, 8, 0, 0, TimeSpan.Zero);

    private readonly TempFolder _folder = new();
    private FakeNewsSite _site = null!;

    public async Task InitializeAsync() => _site = await FakeNewsSite.StartAsync();

    public async Task DisposeAsync()
    {
        await _site.DisposeAsync();
        _folder.Dispose();
    }

    private void ServeTroopsStory(string vehicles = "40")
    {
        _site.Serve("/feed.xml", "application/rss+xml; charset=utf-8", FakeNewsSite.Rss("The Wire",
            new FeedEntry("Turkey reinforces its Idlib observation posts", _site.Url("/world/idlib-troops?utm_source=rss&utm_medium=feed"), Sept10, "Turkey sends troops.")));
        _site.Serve("/world/idlib-troops", "text/html; charset=utf-8", FakeNewsSite.ArticlePage(
            "Turkey reinforces its Idlib observation posts", _site.Url("/world/idlib-troops"),
            $"ANKARA (Wire) — Turkey sent {vehicles} armoured vehicles and hundreds of commandos to its twelve observation posts in Idlib on Sunday, officials said.",
            "The reinforcements arrived days before the Sochi summit between Presidents Erdogan and Putin."), gzip: true);
    }

    [Fact]
    public async Task A_new_item_is_answerable_within_seconds_of_the_poll_with_the_pages_main_text_and_canonical_address()
    {
        ServeTroopsStory();
        using var bot = FeedBot.Start(_folder.Path);
        await bot.AddAsync(_site.Url("/feed.xml"));

        var watch = Stopwatch.StartNew();
        var report = await bot.PollAsync(_site.Url("/feed.xml"));
        var answer = await bot.AskAsync("How many armoured vehicles did Turkey send to its Idlib observation posts?");
        watch.Stop();

        Assert.Equal(1, report.New);
        Assert.False(answer.Abstained);
        Assert.Contains("40 armoured vehicles", answer.Text, StringComparison.Ordinal);
        var article = Assert.Single(answer.Sources).Article;
        Assert.Equal(_site.Url("/world/idlib-troops"), article.Url); // tracking parameters gone, the page's canonical address
        Assert.Equal("The Wire", article.Outlet);
        Assert.Equal(Sept10, article.PublishedAt);
        Assert.DoesNotContain("Share on Twitter", article.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Home", article.Text, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"answerable {watch.Elapsed.TotalSeconds:F1} s after the poll began");
        Assert.Contains(_site.Requests, r => r.Path == "/world/idlib-troops" && r.AcceptEncoding!.Contains("gzip", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_atom_feed_with_full_text_is_stored_without_fetching_the_pages()
    {
        _site.Serve("/atom.xml", "application/atom+xml", FakeNewsSite.Atom("Agency feed",
            new FeedEntry("Russia and Turkey agree on a buffer zone", _site.Url("/sochi"), Sept10.AddDays(7), null,
                "<p>SOCHI — Russia and Turkey agreed on Monday to set up a demilitarised zone in Idlib, 15 to 20 kilometres deep, by October 15.</p>")));
        using var bot = FeedBot.Start(_folder.Path);
        await bot.AddAsync(_site.Url("/atom.xml"));

        var report = await bot.PollAsync(_site.Url("/atom.xml"));
        var answer = await bot.AskAsync("How deep is the demilitarised zone in Idlib?");

        Assert.Equal(1, report.New);
        Assert.Contains("15 to 20 kilometres", answer.Text, StringComparison.Ordinal);
        Assert.Equal("Agency feed", Assert.Single(answer.Sources).Article.Outlet);
        Assert.Equal("Wire Staff", answer.Sources[0].Article.Author);
        Assert.Equal(0, _site.RequestsFor("/sochi"));
    }

    [Fact]
    public async Task A_feed_another_instance_is_polling_is_left_to_it_and_polled_here_once_that_poll_is_over()
    {
        ServeTroopsStory();
        using var bot = FeedBot.Start(_folder.Path);
        await bot.AddAsync(_site.Url("/feed.xml"));
        var leases = bot.Host.Services.GetRequiredService<Core.Coordination.ILeaseStore>();
        Assert.True(await leases.TryAcquireAsync("feed/" + _site.Url("/feed.xml"), "other-instance", DateTimeOffset.UtcNow, TimeSpan.FromMinutes(10)));

        Assert.Empty(await bot.Poller.PollAsync(all: true));
        Assert.Empty(_site.Requests);

        await leases.ReleaseAsync("feed/" + _site.Url("/feed.xml"), "other-instance");
        Assert.Single(await bot.Poller.PollAsync(all: true));
        Assert.Equal(1, _site.RequestsFor("/feed.xml"));
        Assert.Empty(await leases.GetLeasesAsync("feed/", DateTimeOffset.UtcNow)); // given up after the poll
    }

    [Fact]
    public async Task A_304_fetches_nothing_more_and_stores_nothing()
    {
        ServeTroopsStory();
        using var bot = FeedBot.Start(_folder.Path);
        await bot.AddAsync(_site.Url("/feed.xml"));
        await bot.PollAsync(_site.Url("/feed.xml"));
        _site.ClearRequests();

        var report = await bot.PollAsync(_site.Url("/feed.xml"));

        Assert.True(report.NotModified);
        var request = Assert.Single(_site.Requests);
        Assert.Equal("/feed.xml", request.Path);
        Assert.NotNull(request.IfNoneMatch);
        Assert.Equal(1, (await bot.Store.GetStatsAsync()).Articles);
    }

    [Fact]
    public async Task An_updated_item_replaces_its_article_in_place()
    {
        ServeTroopsStory("40");
        using var bot = FeedBot.Start(_folder.Path);
        await bot.AddAsync(_site.Url("/feed.xml"));
        await bot.PollAsync(_site.Url("/feed.xml"));
        var first = Assert.Single((await bot.AskAsync("How many armoured vehicles did Turkey send to Idlib?")).Sources).Article;

        // A correction: the page changes and the feed says so with a new date.
        _site.Serve("/feed.xml", "application/rss+xml", FakeNewsSite.Rss("The Wire",
            new FeedEntry("Turkey reinforces its Idlib observation posts (corrected)", _site.Url("/world/idlib-troops?utm_source=rss"), Sept10.AddHours(3), "Corrected.")));
        ServePage("55");
        var report = await bot.PollAsync(_site.Url("/feed.xml"));
        var answer = await bot.AskAsync("How many armoured vehicles did Turkey send to Idlib?");

        Assert.Equal(1, report.Updated);
        Assert.Equal(0, report.New);
        Assert.Equal(1, (await bot.Store.GetStatsAsync()).Articles);
        var updated = Assert.Single(answer.Sources).Article;
        Assert.Equal(first.Id, updated.Id);
        Assert.Equal(first.FirstIngested, updated.FirstIngested);
        Assert.Contains("55 armoured vehicles", answer.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("40 armoured", answer.Text, StringComparison.Ordinal);

        void ServePage(string vehicles) => _site.Serve("/world/idlib-troops", "text/html", FakeNewsSite.ArticlePage(
            "Turkey reinforces its Idlib observation posts", _site.Url("/world/idlib-troops"),
            $"ANKARA (Wire) — Turkey sent {vehicles} armoured vehicles and hundreds of commandos to its twelve observation posts in Idlib on Sunday, officials said."));
    }

    [Fact]
    public async Task After_a_restart_unchanged_items_are_neither_fetched_nor_stored_again()
    {
        ServeTroopsStory();
        DateTimeOffset firstSeen;
        using (var bot = FeedBot.Start(_folder.Path))
        {
            await bot.AddAsync(_site.Url("/feed.xml"));
            await bot.PollAsync(_site.Url("/feed.xml"));
            firstSeen = (await bot.AskAsync("How many armoured vehicles did Turkey send to Idlib?")).Sources[0].Article.FirstIngested;
        }

        // The feed server forgets its validators (a new deployment): the feed comes whole, its item is known.
        _site.Serve("/feed.xml", "application/rss+xml", FakeNewsSite.Rss("The Wire",
            new FeedEntry("Turkey reinforces its Idlib observation posts", _site.Url("/world/idlib-troops?utm_source=rss&utm_medium=feed"), Sept10, "Turkey sends troops."))
            + " ");
        _site.ClearRequests();
        using var restarted = FeedBot.Start(_folder.Path);
        var report = await restarted.PollAsync(_site.Url("/feed.xml"));

        Assert.Equal((0, 0, 1), (report.New, report.Updated, report.Unchanged));
        Assert.Equal(0, _site.RequestsFor("/world/idlib-troops"));
        Assert.Equal(firstSeen, (await restarted.AskAsync("How many armoured vehicles did Turkey send to Idlib?")).Sources[0].Article.FirstIngested);
    }

    [Fact]
    public async Task The_same_text_under_another_address_is_stored_once_with_both_addresses()
    {
        const string Text = "<p>DAMASCUS — Syrian government forces shelled the town of Jisr al-Shughur on Tuesday, a monitor said, killing three civilians.</p>";
        _site.Serve("/a.xml", "application/rss+xml", FakeNewsSite.Rss("Outlet A", new FeedEntry("Shelling hits Jisr al-Shughur", _site.Url("/a/shelling"), Sept10, null, Text)));
        _site.Serve("/b.xml", "application/rss+xml", FakeNewsSite.Rss("Outlet A", new FeedEntry("Shelling hits Jisr al-Shughur", _site.Url("/syndicated/b-shelling"), Sept10, null, Text)));
        using var bot = FeedBot.Start(_folder.Path);
        await bot.Feeds.AddFeedAsync(new Core.Feeds.FeedSource(_site.Url("/a.xml"), "Outlet A", TimeSpan.FromMinutes(15), true), DateTimeOffset.UtcNow);
        await bot.Feeds.AddFeedAsync(new Core.Feeds.FeedSource(_site.Url("/b.xml"), "Outlet A", TimeSpan.FromMinutes(15), true), DateTimeOffset.UtcNow);

        var a = await bot.PollAsync(_site.Url("/a.xml"));
        var b = await bot.PollAsync(_site.Url("/b.xml"));

        Assert.Equal((1, 0), (a.New, a.Syndicated));
        Assert.Equal((0, 1), (b.New, b.Syndicated));
        Assert.Equal(1, (await bot.Store.GetStatsAsync()).Articles);
        Assert.Equal(
            [_site.Url("/a/shelling"), _site.Url("/syndicated/b-shelling")],
            (await bot.Feeds.GetItemUrlsAsync(_site.Url("/a/shelling"))).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Folder_ingestion_leaves_the_articles_from_feeds_alone()
    {
        ServeTroopsStory();
        using var bot = FeedBot.Start(_folder.Path);
        await bot.AddAsync(_site.Url("/feed.xml"));
        await bot.PollAsync(_site.Url("/feed.xml"));
        File.Copy(RepoFiles.BundledArticle, Path.Combine(_folder.Path, "corpus", "bundled.txt"));

        var ingestor = (Core.Ingestion.CorpusIngestor)bot.Host.Services.GetService(typeof(Core.Ingestion.CorpusIngestor))!;
        var report = await ingestor.IngestAsync(Path.Combine(_folder.Path, "corpus"));

        Assert.Equal(0, report.FilesRemoved);
        Assert.Equal(2, (await bot.Store.GetStatsAsync()).Articles);
    }

    [Fact]
    public async Task A_429_with_retry_after_puts_the_next_poll_off_at_least_that_long()
    {
        _site.Handle("/busy.xml", context =>
        {
            context.Response.StatusCode = 429;
            context.Response.Headers.RetryAfter = "7200";
            return Task.CompletedTask;
        });
        using var bot = FeedBot.Start(_folder.Path);
        await bot.AddAsync(_site.Url("/busy.xml"));

        var report = await bot.PollAsync(_site.Url("/busy.xml"));
        var state = Assert.Single(await bot.Feeds.GetFeedsAsync());

        Assert.Contains("429", report.Error, StringComparison.Ordinal);
        Assert.True(state.NextPoll >= DateTimeOffset.UtcNow + TimeSpan.FromMinutes(119), $"next poll {state.NextPoll}");
        Assert.Equal(1, state.Failures);
        Assert.Contains("429", state.LastError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/rss+xml; charset=windows-1252", "utf-8")] // the header names it; the declaration is wrong
    [InlineData("application/rss+xml", "iso-8859-1")] // only the declaration names it
    public async Task The_character_set_comes_from_the_header_or_else_the_xml_declaration(string contentType, string declared)
    {
        var xml = $"""
            <?xml version="1.0" encoding="{declared}"?>
            <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Le Monde Arabe</title>
            <item><title>Réunion à Téhéran sur Idlib</title><link>{_site.Url("/teheran")}</link><pubDate>Fri, 07 Sep 2018 12:00:00 GMT</pubDate>
            <content:encoded><![CDATA[<p>TÉHÉRAN — Les présidents turc, russe et iranien se sont réunis vendredi à Téhéran pour parler d'Idlib.</p>]]></content:encoded></item>
            </channel></rss>
            """;
        _site.Serve("/latin.xml", contentType, System.Text.Encoding.Latin1.GetBytes(xml));
        using var bot = FeedBot.Start(_folder.Path);
        await bot.AddAsync(_site.Url("/latin.xml"));

        Assert.Equal(1, (await bot.PollAsync(_site.Url("/latin.xml"))).New);
        var article = (await bot.Store.GetArticlesInWindowAsync(DateTimeOffset.MinValue, DateTimeOffset.MaxValue, 10)).Single();
        Assert.Equal("Réunion à Téhéran sur Idlib", article.Title);
        Assert.Contains("Les présidents turc, russe et iranien se sont réunis vendredi à Téhéran", article.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_feeds_command_adds_lists_polls_and_removes_feeds()
    {
        ServeTroopsStory();
        using var cli = new CliRun();

        var added = await cli.RunAsync("feeds", "add", _site.Url("/feed.xml"), "--outlet", "The Wire", "--interval", "30m");
        var polled = await cli.RunAsync("feeds", "poll"); // the shipped settings refuse loopback addresses
        var listed = await cli.RunAsync("feeds", "list");
        var sources = await cli.RunAsync("sources", "--no-embeddings");
        var removed = await cli.RunAsync("feeds", "remove", _site.Url("/feed.xml"));
        var bad = await cli.RunAsync("feeds", "add", "ftp://example.org/feed");
        var empty = await cli.RunAsync("feeds", "list");

        Assert.Equal(0, added.ExitCode);
        Assert.Contains("00:30:00", added.Out, StringComparison.Ordinal);
        Assert.Equal(1, polled.ExitCode);
        Assert.Contains("failed: 127.0.0.1 is a private or loopback address", polled.Out, StringComparison.Ordinal);
        Assert.Empty(_site.Requests);
        Assert.Contains("The Wire — " + _site.Url("/feed.xml") + ": 0 articles, not read yet; failing since", listed.Out, StringComparison.Ordinal);
        Assert.Contains("News feeds:", sources.Out, StringComparison.Ordinal);
        Assert.Contains("Removed", removed.Out, StringComparison.Ordinal);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("http or https", bad.Error, StringComparison.Ordinal);
        Assert.Contains("No feeds", empty.Out, StringComparison.Ordinal);
    }

    private sealed class HashEncoder : Core.Embeddings.ITextEmbedder
    {
        public string Model => "hash-encoder";

        public int Dimensions => 32;

        public Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken = default) =>
            Task.FromResult(texts.Select(t =>
            {
                var random = new Random(StringComparer.Ordinal.GetHashCode(t) & 0x7fffffff);
                var v = Enumerable.Range(0, Dimensions).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
                var norm = MathF.Sqrt(v.Sum(x => x * x));
                return v.Select(x => x / norm).ToArray();
            }).ToArray());
    }

    [Fact]
    public async Task Articles_from_a_poll_while_the_bot_runs_get_their_embeddings_in_the_background()
    {
        ServeTroopsStory();
        var encoder = new HashEncoder();
        using var bot = FeedBot.Start(_folder.Path, configure: services =>
        {
            services.AddSingleton<Core.Embeddings.ITextEmbedder>(encoder);
            services.AddSingleton<Core.Embeddings.EmbeddingBackfill>();
            services.AddBackgroundJobs();
        });
        await bot.Host.StartAsync();
        try
        {
            await bot.AddAsync(_site.Url("/feed.xml"));
            await bot.Poller.PollAsync(all: true);

            var backfill = bot.Host.Services.GetRequiredService<Core.Embeddings.EmbeddingBackfill>();
            for (var waited = 0; await backfill.PendingAsync() > 0; waited += 50)
            {
                Assert.True(waited < 10_000, "the new passages had no embeddings 10 s after the poll");
                await Task.Delay(50);
            }

            var passage = (await bot.AskAsync("How many armoured vehicles did Turkey send to Idlib?")).Citations[0].Sentence;
            var hits = await bot.Store.SearchVectorAsync((await encoder.EmbedAsync([passage]))[0], 20);
            Assert.NotEmpty(hits);
            Assert.All(hits, h => Assert.StartsWith("127.0.0.1", h.ArticleId.Value, StringComparison.Ordinal));
        }
        finally
        {
            await bot.Host.StopAsync();
        }
    }
}
