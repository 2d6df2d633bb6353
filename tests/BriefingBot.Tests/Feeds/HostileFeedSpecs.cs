using System.Text;
using BriefingBot.Feeds;
using BriefingBot.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace BriefingBot.Tests.Feeds;

/// <summary>Feeds nobody here controls: each bad one ends in one log line with its address and reason, and the others keep flowing.</summary>
public sealed partial class HostileFeedSpecs : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private FakeNewsSite _site = null!;

    public async Task InitializeAsync()
    {
        _site = await FakeNewsSite.StartAsync();
        _site.Serve("/good.xml", "application/rss+xml", FakeNewsSite.Rss("Good Wire", new FeedEntry(
            "Aid convoy reaches Idlib", _site.Url("/aid"), new DateTimeOffset(2018, 9, 12, 9, 0, 0, TimeSpan.Zero), null,
            "<p>IDLIB — A United Nations aid convoy of 48 trucks reached Idlib province on Wednesday, the UN said.</p>")));
        _site.Serve("/dtd-bomb.xml", "application/rss+xml", """
            <?xml version="1.0"?>
            <!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
            <rss version="2.0"><channel><title>&d;</title><item><title>&d;</title><link>http://example.org/x</link></item></channel></rss>
            """);
        _site.Serve("/external-entity.xml", "application/rss+xml", """
            <?xml version="1.0"?>
            <!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
            <rss version="2.0"><channel><title>&secret;</title></channel></rss>
            """);
        _site.Handle("/huge.xml", async context =>
        {
            context.Response.ContentType = "application/rss+xml";
            var chunk = Encoding.UTF8.GetBytes("<item><title>filler filler filler filler filler filler filler filler</title></item>\n");
            await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes("<rss version=\"2.0\"><channel><title>huge</title>"));
            for (long sent = 0; sent < 50L * 1024 * 1024 && !context.RequestAborted.IsCancellationRequested; sent += chunk.Length)
            {
                await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
            }
        });
        _site.Handle("/loop.xml", context =>
        {
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = "/loop.xml?again=" + Guid.NewGuid().ToString("N");
            return Task.CompletedTask;
        });
        _site.Handle("/to-file.xml", context =>
        {
            context.Response.StatusCode = 301;
            context.Response.Headers.Location = "file:///etc/passwd";
            return Task.CompletedTask;
        });
        _site.Handle("/silent.xml", context => Task.Delay(Timeout.Infinite, context.RequestAborted));
        _site.Serve("/broken.xml", "application/rss+xml", "<rss version=\"2.0\"><channel><title>Broken</title><item><title>unclosed</channel></rss>");
        _site.Serve("/page.html", "text/html", "<html><body><p>Not a feed.</p></body></html>");
    }

    public async Task DisposeAsync()
    {
        await _site.DisposeAsync();
        _folder.Dispose();
    }

    [Theory]
    [InlineData("/dtd-bomb.xml", "DTD")]
    [InlineData("/external-entity.xml", "DTD")]
    [InlineData("/huge.xml", "too large")]
    [InlineData("/loop.xml", "redirects")]
    [InlineData("/to-file.xml", "only http and https")]
    [InlineData("/silent.xml", "no answer within")]
    [InlineData("/broken.xml", "invalid XML")]
    [InlineData("/page.html", "content type text/html")]
    [InlineData("/missing.xml", "HTTP 404")]
    public async Task A_bad_feed_ends_in_one_log_line_and_the_other_feeds_keep_flowing(string path, string reason)
    {
        using var bot = FeedBot.Start(_folder.Path);
        await bot.AddAsync(_site.Url(path));
        await bot.AddAsync(_site.Url("/good.xml"));

        var reports = await bot.Poller.PollAsync(all: true);

        var bad = Assert.Single(reports, r => r.Url == _site.Url(path));
        Assert.Contains(reason, bad.Error, StringComparison.Ordinal);
        var line = Assert.Single(bot.FeedFailures);
        Assert.Contains(_site.Url(path), line, StringComparison.Ordinal);
        Assert.Contains(reason, line, StringComparison.Ordinal);
        Assert.Equal(1, Assert.Single(reports, r => r.Url == _site.Url("/good.xml")).New);
        Assert.Contains("48 trucks", (await bot.AskAsync("How many trucks were in the aid convoy to Idlib?")).Text, StringComparison.Ordinal);

        // Tried again later, not at once, and the failure is on record for /sources.
        var state = Assert.Single(await bot.Feeds.GetFeedsAsync(), f => f.Feed.Url == _site.Url(path));
        Assert.True(state.NextPoll > DateTimeOffset.UtcNow + TimeSpan.FromMinutes(10));
        Assert.Contains(reason, state.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_feed_on_a_private_or_loopback_address_is_refused_unless_allowed()
    {
        using var bot = FeedBot.Start(_folder.Path, new() { ["Feeds:AllowPrivateAddresses"] = "false" });
        await bot.AddAsync(_site.Url("/good.xml"));

        var report = Assert.Single(await bot.Poller.PollAsync(all: true));

        Assert.Contains("private or loopback", report.Error, StringComparison.Ordinal);
        Assert.Empty(_site.Requests);
        Assert.Contains(_site.Url("/good.xml"), Assert.Single(bot.FeedFailures), StringComparison.Ordinal);
        Assert.Equal(0, (await bot.Store.GetStatsAsync()).Articles);
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("10.1.2.3", true)]
    [InlineData("172.20.0.1", true)]
    [InlineData("192.168.1.1", true)]
    [InlineData("169.254.169.254", true)]
    [InlineData("100.64.0.1", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("::1", true)]
    [InlineData("fd00::1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("::ffff:10.0.0.1", true)]
    [InlineData("::10.0.0.1", true)]
    [InlineData("::127.0.0.1", true)]
    [InlineData("64:ff9b::10.0.0.1", true)]
    [InlineData("64:ff9b::127.0.0.1", true)]
    [InlineData("64:ff9b::169.254.169.254", true)]
    [InlineData("64:ff9b:1::5db8:d822", true)]
    [InlineData("2002:a00:1::1", true)]
    [InlineData("64:ff9b::93.184.216.34", false)]
    [InlineData("::93.184.216.34", false)]
    [InlineData("93.184.216.34", false)]
    [InlineData("2606:2800:220:1:248:1893:25c8:1946", false)]
    public void Private_addresses_are_told_from_public_ones(string address, bool isPrivate) =>
        Assert.Equal(isPrivate, WebFetcher.IsPrivate(System.Net.IPAddress.Parse(address)));

    [Theory]
    [InlineData("https://News.example.com/a/b?utm_source=rss&id=7&fbclid=x#top", "https://news.example.com/a/b?id=7")]
    [InlineData("https://example.com:443/a?utm_campaign=x", "https://example.com/a")]
    [InlineData("http://example.com/a?page=2", "http://example.com/a?page=2")]
    public void Canonical_addresses_lose_tracking_parameters_and_fragments(string given, string canonical) =>
        Assert.Equal(canonical, ArticleUrls.Canonical(new Uri(given)).AbsoluteUri);
}
