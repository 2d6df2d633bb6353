namespace BriefingBot.Core.Text;

/// <summary>
/// The calendar words every reader of text uses, once: month and weekday names and their abbreviations, as lists
/// and as regular-expression alternations (constants, so the generated expressions are built from them). The words of
/// reporting ("said", "told") are in <see cref="Quotes.ReportingVerbs"/>; the crisis's names in its profile.
/// </summary>
public static class Lexicon
{
    /// <summary>The months, capitalised, January first.</summary>
    public const string MonthAlternation = "January|February|March|April|May|June|July|August|September|October|November|December";

    /// <summary>The weekdays, capitalised, Monday first.</summary>
    public const string WeekdayAlternation = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday";

    /// <summary>Each month's first three letters, as datelines abbreviate them ("Apr", "May").</summary>
    public const string MonthPrefixAlternation = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec";

    /// <summary>Each weekday's first three letters ("Mon", "Thu").</summary>
    public const string WeekdayPrefixAlternation = "Mon|Tue|Wed|Thu|Fri|Sat|Sun";

    /// <summary>The months, capitalised, January first.</summary>
    public static IReadOnlyList<string> Months { get; } = MonthAlternation.Split('|');

    /// <summary>The weekdays, capitalised, Monday first.</summary>
    public static IReadOnlyList<string> Weekdays { get; } = WeekdayAlternation.Split('|');

    /// <summary>Months written short with a full stop ("Sept."), lower case; May has none.</summary>
    public static IReadOnlyList<string> MonthAbbreviations { get; } = ["jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"];

    /// <summary>Weekdays written short with a full stop ("Thurs."), lower case.</summary>
    public static IReadOnlyList<string> WeekdayAbbreviations { get; } = ["mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun"];
}
