namespace BriefingBot.Feeds;

/// <summary>An article's address as it is stored: fragment and tracking parameters removed, host in lower case.</summary>
public static class ArticleUrls
{
    private static readonly string[] TrackingPrefixes = ["utm_", "mc_", "pk_", "hsa_", "__hs", "_hs"];

    private static readonly HashSet<string> TrackingNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "twclid", "ocid", "cmpid", "icid",
        "ncid", "smid", "smtyp", "_ga", "_gl", "ref", "ref_src", "referrer", "ito", "ns_mchannel", "ns_source", "ns_campaign",
        "ns_linkname", "ns_fee", "sr_share", "spm", "s_cid", "cid", "rss", "taid", "soc_src", "soc_trk", "at_medium", "at_campaign",
    };

    public static Uri Canonical(Uri url)
    {
        var builder = new UriBuilder(url) { Fragment = string.Empty, Host = url.Host.ToLowerInvariant() };
        if (builder.Query.Length > 1)
        {
            var kept = builder.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Where(pair => !IsTracking(Uri.UnescapeDataString(pair.Split('=')[0])))
                .ToList();
            builder.Query = kept.Count == 0 ? string.Empty : string.Join('&', kept);
        }

        if ((builder.Scheme == Uri.UriSchemeHttp && builder.Port == 80) || (builder.Scheme == Uri.UriSchemeHttps && builder.Port == 443))
        {
            builder.Port = -1;
        }

        return builder.Uri;
    }

    public static bool IsTracking(string name) =>
        TrackingNames.Contains(name) || TrackingPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));

    /// <summary>An article id from its address: host and path, readable in a citation, bounded in length.</summary>
    public static string IdFor(Uri url)
    {
        var id = (url.Host.StartsWith("www.", StringComparison.Ordinal) ? url.Host[4..] : url.Host) + url.AbsolutePath.TrimEnd('/');
        if (url.Query.Length > 1)
        {
            id += url.Query;
        }

        if (id.Length <= 120)
        {
            return id;
        }

        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(url.AbsoluteUri)))[..10];
        return $"{id[..108]}~{hash}";
    }
}
