using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace BriefingBot.Core.Briefing;

/// <summary>Where a briefing's window starts: where the last posted briefing ended, or a day before its end for the first.</summary>
public static class BriefingWindow
{
    public static (DateTimeOffset From, bool SinceLastBriefing) Before(DateTimeOffset to, DateTimeOffset? lastPostedUntil) =>
        lastPostedUntil is { } last && last < to ? (last, true) : (to - TimeSpan.FromDays(1), false);

    /// <summary>
    /// A short key naming the briefing of one channel and window, the same on every attempt to post it: platforms
    /// use it to recognise a post that went out before a crash kept the ledger from recording it.
    /// </summary>
    public static string PostKey(string channel, DateTimeOffset to) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{channel}|{to.UtcDateTime:O}"))), 0, 8);
}
