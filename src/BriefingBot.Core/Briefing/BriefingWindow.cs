namespace BriefingBot.Core.Briefing;

/// <summary>Where a briefing's window starts: where the last posted briefing ended, or a day before its end for the first.</summary>
public static class BriefingWindow
{
    public static (DateTimeOffset From, bool SinceLastBriefing) Before(DateTimeOffset to, DateTimeOffset? lastPostedUntil) =>
        lastPostedUntil is { } last && last < to ? (last, true) : (to - TimeSpan.FromDays(1), false);
}
