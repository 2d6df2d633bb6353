using System.ComponentModel.DataAnnotations;

namespace BriefingBot.Core.Briefing;

/// <summary>Settings of the <c>Briefing</c> section.</summary>
public sealed class BriefingOptions
{
    public const string Section = "Briefing";

    /// <summary>When to post, as a cron expression (minute hour day month weekday) in <see cref="TimeZone"/>.</summary>
    [Required(ErrorMessage = "Briefing:Schedule must be a cron expression such as \"0 7 * * *\".")]
    public string Schedule { get; set; } = "0 7 * * *";

    /// <summary>The IANA (or Windows) time zone the schedule is read in.</summary>
    [Required(ErrorMessage = "Briefing:TimeZone must name a time zone such as \"Europe/Istanbul\".")]
    public string TimeZone { get; set; } = "Europe/Istanbul";

    /// <summary>Where to post: "shell", or a platform channel such as "discord:123…" or "slack:C0…".</summary>
    public List<string> Channels { get; set; } = [];

    /// <summary>A briefing missed while the bot was down is posted late on start when at most this late; otherwise skipped.</summary>
    public TimeSpan GracePeriod { get; set; } = TimeSpan.FromHours(3);

    /// <summary>How long a claim on an occurrence holds before another instance (or a restart) may take it over.</summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Attempts to post before giving the occurrence up for this run.</summary>
    [Range(1, 20, ErrorMessage = "Briefing:MaxAttempts must be between 1 and 20.")]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The first retry's wait; each next one doubles it.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>At most this many stories.</summary>
    [Range(1, 50, ErrorMessage = "Briefing:MaxItems must be between 1 and 50.")]
    public int MaxItems { get; set; } = 8;

    /// <summary>At most this many notable quotes.</summary>
    [Range(0, 20, ErrorMessage = "Briefing:MaxQuotes must be between 0 and 20.")]
    public int MaxQuotes { get; set; } = 5;

    /// <summary>
    /// How alike two articles' headlines and leads must be (cosine of their weighted words) to be one story; stories
    /// worded apart still join when they report the same kind of event and share a rare name. Calibrated on the
    /// grouping fixtures in the tests (a rewrite from another outlet is one story).
    /// </summary>
    [Range(0.05, 0.95, ErrorMessage = "Briefing:SameStoryAbove must be between 0.05 and 0.95.")]
    public double SameStoryAbove { get; set; } = 0.3;
}
