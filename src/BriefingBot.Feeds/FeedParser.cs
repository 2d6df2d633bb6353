using System.Globalization;
using System.ServiceModel.Syndication;
using System.Text;
using System.Xml;

namespace BriefingBot.Feeds;

/// <summary>An item of a feed as it was read.</summary>
/// <param name="FullHtml">The article's full text when the feed carries it (<c>content:encoded</c>, Atom <c>content</c>).</param>
public sealed record FeedItem(string? Link, string? Title, string? Author, DateTimeOffset? Published, string? FullHtml, string? SummaryHtml);

/// <summary>A feed as it was read: its title and items, in the feed's order.</summary>
public sealed record ParsedFeed(string? Title, IReadOnlyList<FeedItem> Items);

/// <summary>
/// Reads RSS 2.0 and Atom 1.0. Hostile input is refused, not obeyed: no DTD (so no external entities and no
/// entity expansion), no resolver. The character set comes from the HTTP header when it names one, otherwise from
/// the XML declaration or byte-order mark.
/// </summary>
public static class FeedParser
{
    private const string ContentNamespace = "http://purl.org/rss/1.0/modules/content/";

    /// <exception cref="FetchException">The body is not a feed this reads, with the reason.</exception>
    public static ParsedFeed Parse(byte[] body, string? charset, int maxItems)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersFromEntities = 1024,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
        };

        SyndicationFeed feed;
        try
        {
            using var reader = Core.Ingestion.SourceDecoder.EncodingOf(charset) is { } encoding
                ? XmlReader.Create(new StringReader(StripDeclaration(encoding.GetString(body))), settings)
                : XmlReader.Create(new MemoryStream(body), settings);
            reader.MoveToContent();
            SyndicationFeedFormatter formatter = reader.LocalName switch
            {
                "rss" => new Rss20FeedFormatter(),
                "feed" => new Atom10FeedFormatter(),
                _ => throw new FetchException($"not an RSS or Atom feed (root element <{reader.LocalName}>)"),
            };
            formatter.DateTimeParser = LenientDate;
            formatter.ReadFrom(reader);
            feed = formatter.Feed;
        }
        catch (XmlException ex) when (ex.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase))
        {
            throw new FetchException("the feed declares a DTD, which is refused (entity expansion)");
        }
        catch (XmlException ex)
        {
            throw new FetchException($"invalid XML: {ex.Message}");
        }

        var items = new List<FeedItem>();
        foreach (var item in feed.Items.Take(maxItems))
        {
            var link = item.Links.FirstOrDefault(l => l.RelationshipType is null or "alternate")?.Uri
                ?? (Uri.TryCreate(item.Id, UriKind.Absolute, out var id) ? id : null);
            var full = item.ElementExtensions.Where(e => e.OuterName == "encoded" && e.OuterNamespace == ContentNamespace)
                .Select(e => e.GetObject<string>()).FirstOrDefault()
                ?? (item.Content as TextSyndicationContent)?.Text;
            var published = item.PublishDate != DateTimeOffset.MinValue ? item.PublishDate
                : item.LastUpdatedTime != DateTimeOffset.MinValue ? item.LastUpdatedTime
                : (DateTimeOffset?)null;
            var author = item.Authors.Select(a => a.Name ?? a.Email).FirstOrDefault(a => !string.IsNullOrWhiteSpace(a));
            items.Add(new FeedItem(
                link is null ? null : link.IsAbsoluteUri ? link.AbsoluteUri : (feed.BaseUri is { } root ? new Uri(root, link).AbsoluteUri : null),
                item.Title?.Text, author, published, string.IsNullOrWhiteSpace(full) ? null : full, item.Summary?.Text));
        }

        return new ParsedFeed(feed.Title?.Text, items);
    }

    /// <summary>The text is decoded already: a declaration naming another encoding must not be obeyed again.</summary>
    private static string StripDeclaration(string xml)
    {
        xml = xml.TrimStart('\uFEFF');
        return xml.StartsWith("<?xml", StringComparison.Ordinal) && xml.IndexOf("?>", StringComparison.Ordinal) is var end and > 0 ? xml[(end + 2)..] : xml;
    }

    /// <summary>Feeds write dates every way; one the parser cannot read is left unknown, never the feed's failure.</summary>
    private static bool LenientDate(XmlDateTimeData data, out DateTimeOffset value)
    {
        var text = data.DateTimeString?.Trim() ?? string.Empty;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AssumeUniversal, out value))
        {
            return true;
        }

        // RFC 822 with a zone name .NET does not know ("EST", "GMT+3"): without the zone, as UTC.
        var lastSpace = text.LastIndexOf(' ');
        if (lastSpace > 0 && DateTimeOffset.TryParse(text[..lastSpace], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value))
        {
            return true;
        }

        value = DateTimeOffset.MinValue;
        return true;
    }
}
