using System.ComponentModel.DataAnnotations;

namespace BriefingBot.Feeds;

/// <summary>One entry of <c>Feeds:Sources</c>.</summary>
public sealed class FeedSourceOptions
{
    [Required(ErrorMessage = "Feeds:Sources:N:Url must be the feed's address.")]
    public string Url { get; set; } = string.Empty;

    /// <summary>The outlet the feed's articles are credited to; the feed's own title when not given.</summary>
    public string? Outlet { get; set; }

    public TimeSpan Interval { get; set; } = FeedOptions.DefaultInterval;

    /// <summary>Read an item's linked page when the feed does not carry the article's full text.</summary>
    public bool FetchArticles { get; set; } = true;

    /// <summary>
    /// Other hosts (and their subdomains) whose address a page of this feed may name as its canonical one; by default
    /// only the item's own host, so that no page can file itself under another outlet's address.
    /// </summary>
    public List<string> CanonicalHosts { get; set; } = [];
}

/// <summary>Settings of the <c>Feeds</c> section: the feeds polled while the bot runs, and how carefully.</summary>
public sealed class FeedOptions
{
    public const string Section = "Feeds";

    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMinutes(15);

    public List<FeedSourceOptions> Sources { get; set; } = [];

    /// <summary>Allow feeds and pages on private, loopback and link-local addresses (off: a feed must not reach into the bot's network).</summary>
    public bool AllowPrivateAddresses { get; set; }

    [Range(1024, 1L << 30, ErrorMessage = "Feeds:MaxFeedBytes must be between 1 KiB and 1 GiB.")]
    public long MaxFeedBytes { get; set; } = 10L * 1024 * 1024;

    [Range(1024, 1L << 30, ErrorMessage = "Feeds:MaxPageBytes must be between 1 KiB and 1 GiB.")]
    public long MaxPageBytes { get; set; } = 5L * 1024 * 1024;

    /// <summary>How long one request may take, headers and body together.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Items read from one poll of a feed (the newest first, as feeds list them).</summary>
    [Range(1, 10_000, ErrorMessage = "Feeds:MaxItems must be between 1 and 10000.")]
    public int MaxItems { get; set; } = 200;

    /// <summary>The longest wait between attempts at a failing feed.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromHours(6);

    public string UserAgent { get; set; } = "BriefingBot/1.0 (news feed reader)";
}
