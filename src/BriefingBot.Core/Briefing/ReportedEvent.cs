using System.Globalization;
using System.Text.RegularExpressions;
using BriefingBot.Core.Answering;
using BriefingBot.Core.Articles;
using BriefingBot.Core.Crisis;
using BriefingBot.Core.Quotes;
using BriefingBot.Core.Text;

namespace BriefingBot.Core.Briefing;

/// <summary>
/// The event an article reports, as its headline and lead say it: what kind of event, where (the most specific place
/// they name: a town or district before a province or main city), on which day, and who is said to have done it.
/// Two reports of one kind whose places or days disagree are two events, however alike their words.
/// </summary>
/// <param name="Kind">The kind of event (<see cref="EventKinds"/>), when the lead says.</param>
/// <param name="Place">The place as the article writes it, when it names one.</param>
/// <param name="PlaceKey">The place's spelling-blind key (see <see cref="QuestionAnalysis.NameKey"/>): "Shaykhun" and "Sheikhoun" meet.</param>
/// <param name="Specific">Whether the place is a town, village or district, not one of the crisis's provinces, main cities or neighbours.</param>
/// <param name="Mentioned">The keys of every place the article names, lead or body.</param>
/// <param name="Day">The day the lead says the event happened ("on Tuesday", "on 4 April"), when it says; else the day of publication.</param>
/// <param name="DayStated">Whether the lead states the day; when it does not, the event may be a day older than the article.</param>
/// <param name="Span">When the event may have happened, in quarters of a day from <see cref="DateOnly.DayNumber"/> 0 (see <see cref="DaySpan"/>).</param>
/// <param name="Actors">The parties of the crisis the lead names (<see cref="CrisisProfile.Parties"/>).</param>
public sealed record ReportedEvent(
    string? Kind,
    string? Place,
    string? PlaceKey,
    bool Specific,
    IReadOnlySet<string> Mentioned,
    DateOnly Day,
    bool DayStated,
    DaySpan Span,
    IReadOnlyList<string> Actors)
{
    /// <summary>
    /// Whether this event's place is <paramref name="other"/>'s: the same, or each names the other's; or this one is a
    /// town or district that <paramref name="other"/>, whose lead names no place, names further down.
    /// </summary>
    public bool PlaceMeets(ReportedEvent other) =>
        PlaceKey is not null
        && (other.PlaceKey is null ? Specific && other.Mentioned.Contains(PlaceKey)
            : PlaceKey == other.PlaceKey || (other.Mentioned.Contains(PlaceKey) && (Mentioned.Contains(other.PlaceKey) || !Specific)));

    /// <summary>Whether this event's days and <paramref name="other"/>'s meet.</summary>
    public bool DayAgrees(ReportedEvent other) =>
        Span.From <= other.Span.To && other.Span.From <= Span.To;

    /// <summary>
    /// Whether this event's place and <paramref name="other"/>'s cannot be one: both name a town or district, they
    /// differ, and <paramref name="other"/> (the smaller: the report that would join a story) never names this one's.
    /// </summary>
    public bool PlaceDisagrees(ReportedEvent other) =>
        Specific && other.Specific && PlaceKey != other.PlaceKey && !other.Mentioned.Contains(PlaceKey!);
}

/// <summary>
/// When an event may have happened, in quarters of a day (day <c>d</c> runs from <c>4d</c> to <c>4d + 3</c>): "on Monday"
/// is the whole day; "Monday night" and "late on Monday" its last quarter up to the next day's start; "early on Tuesday"
/// Tuesday's first quarter, so it meets Monday night but not Monday; an article that states no day, the day before it
/// and its own.
/// </summary>
public readonly record struct DaySpan(int From, int To)
{
    public static DaySpan Whole(DateOnly day) => new(4 * day.DayNumber, (4 * day.DayNumber) + 3);

    public static DaySpan Late(DateOnly day) => new((4 * day.DayNumber) + 3, (4 * day.DayNumber) + 4);

    public static DaySpan Early(DateOnly day) => new(4 * day.DayNumber, (4 * day.DayNumber) + 1);

    public static DaySpan Through(DateOnly first, DateOnly last) => new(4 * first.DayNumber, (4 * last.DayNumber) + 3);
}

/// <summary>Reads the <see cref="ReportedEvent"/> of an article from its headline and first sentences.</summary>
public static partial class EventReader
{
    /// <summary>How many days before its publication an article that states no day may report (follow-ups, new tolls).</summary>
    private const int UnstatedDays = 1;

    /// <summary>How many of the article's first sentences say what happened, after its headline.</summary>
    private const int LeadSentences = 2;

    /// <summary>The event <paramref name="article"/> reports; <paramref name="sentences"/> are its sentences as split for reading.</summary>
    public static ReportedEvent Read(Article article, IReadOnlyList<TextSpan> sentences, CrisisProfile? profile = null)
    {
        profile ??= CrisisProfile.Active;
        // The first sentences that are not the headline again (many pages repeat it under their date).
        // Each up to a clause that looks elsewhere ("… hours after a gas attack in Khan Sheikhun"): the place and day of
        // another event.
        // A photograph's caption is passed over: it shows the story's scene, often another day's.
        var story = sentences.Where((_, i) => !Leads.Caption(article, sentences, i)).ToList();
        var lead = story.Select(s => Leads.Of(article, s)).Where(l => !l.Headline).Take(LeadSentences)
            .Select(l => article.Slice(l.Span)).Select(s => Elsewhere().Match(s) is { Success: true } m ? s[..m.Index] : s).ToList();
        var head = string.Join(' ', [article.Title, .. lead]);
        var ordinary = LowerWords().Matches($"{article.Title} {article.Text}").Select(m => m.Value.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);

        // The first town or district the lead names is where it happened (a headline is often broader: "kills 15 in
        // Syria's Idlib"), else the headline's; a province or main city only when no town is named.
        // A headline in title case ("Syrian Forces Foil Raid on Castello Kill 29 Militants") capitalises ordinary words:
        // its capitals name nothing, and a place it names counts only where the body (not its copy of the headline) does too.
        var copy = article.Text.IndexOf(article.Title, StringComparison.Ordinal);
        var body = copy < 0 ? article.Text : article.Text.Remove(copy, article.Title.Length);
        var titled = (QuestionAnalysis.TitleCase(article.Title, article.Text) ? [] : QuestionAnalysis.PlacesIn(article.Title, profile, ordinary, where: true))
            .Where(p => body.Contains(p, StringComparison.Ordinal)).ToList();
        var led = lead.SelectMany(s => QuestionAnalysis.PlacesIn(s, profile, ordinary, where: true)).ToList();
        var specific = led.Concat(titled).FirstOrDefault(p => !IsRegion(p, profile));
        var place = specific ?? titled.Concat(led).FirstOrDefault();
        var mentioned = sentences.Select(article.Slice).Prepend(article.Title)
            .SelectMany(s => QuestionAnalysis.PlacesIn(s, profile, ordinary))
            .Distinct(StringComparer.Ordinal)
            .Select(Key)
            .ToHashSet(StringComparer.Ordinal);

        var published = DateOnly.FromDateTime(article.ReportedAt.UtcDateTime);
        var (day, stated, span) = DayOf(head, published);
        var actors = profile.PartyPatterns.Where(p => p.Words.IsMatch(head)).Select(p => p.Party).ToList();
        // The headline says what the news is; the lead (captions aside), when the headline names no kind.
        var kind = EventKinds.Of(article.Title)
            ?? EventKinds.Of(string.Join(' ', story.Take(3).Select(article.Slice)));
        return new ReportedEvent(kind, place, place is null ? null : Key(place), specific is not null,
            mentioned, day, stated, span, actors);
    }

    /// <summary>
    /// A place's key: its words' skeletons, particles left out and y taken for the vowel it is in transliterations
    /// ("Tariq al-Bab" and "Tareeq al Bab", "Khan Shaykhun" and "Khan Sheikhoun" meet).
    /// </summary>
    public static string Key(string place) =>
        string.Join(' ', place.Split([' ', '-'], StringSplitOptions.RemoveEmptyEntries)
            .Where(w => !Particles.Contains(w.ToLowerInvariant()))
            .Select(w => QuestionAnalysis.NameKey(w) is { Length: > 1 } key ? key[0] + key[1..].Replace("y", string.Empty, StringComparison.Ordinal) : w.ToLowerInvariant()));

    private static readonly HashSet<string> Particles = new(StringComparer.Ordinal) { "al", "el", "ad", "as", "ar", "ash", "ez", "az", "an", "at" };

    /// <summary>Whether <paramref name="place"/> is one of the profile's regions, in any spelling, or one with its kind ("Idlib Province").</summary>
    private static bool IsRegion(string place, CrisisProfile profile)
    {
        var regions = RegionKeys.GetValue(profile, p => p.Regions.Select(Key).ToHashSet(StringComparer.Ordinal));
        var key = Key(place);
        if (regions.Contains(key))
        {
            return true;
        }

        var words = place.Split(' ');
        return words.Length == 2 && words[1] is "City" or "Province" or "Governorate" or "Countryside" && regions.Contains(Key(words[0]));
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<CrisisProfile, HashSet<string>> RegionKeys = new();

    /// <summary>
    /// The first day <paramref name="text"/> says something happened on, read against <paramref name="published"/>: a
    /// weekday is the last one on or before it, a date of a month this year's (last year's if that is after it).
    /// </summary>
    private static (DateOnly Day, bool Stated, DaySpan Span) DayOf(string text, DateOnly published)
    {
        // "… on Tuesday", not "a monitor said on Tuesday" nor "on Wednesday condemned": the day a statement was made is
        // not the event's.
        var match = DayPhrase().Matches(text).FirstOrDefault(m => !ReportedBefore().IsMatch(text.AsSpan(0, m.Index))
            && !ReportedAfter().IsMatch(text.AsSpan(m.Index + m.Length)));
        if (match is null)
        {
            return (published, false, DaySpan.Through(published.AddDays(-UnstatedDays), published));
        }

        DateOnly day;
        if (match.Groups["weekday"].Success)
        {
            var weekday = Enum.Parse<DayOfWeek>(match.Groups["weekday"].Value, ignoreCase: true);
            day = published.AddDays(-(((int)published.DayOfWeek - (int)weekday + 7) % 7));
        }
        else if (match.Groups["month"].Success)
        {
            var month = DateTime.ParseExact(match.Groups["month"].Value[..3], "MMM", CultureInfo.InvariantCulture).Month;
            var date = int.Parse(match.Groups["date"].Success ? match.Groups["date"].Value : match.Groups["date2"].Value, CultureInfo.InvariantCulture);
            if (date > DateTime.DaysInMonth(published.Year, month))
            {
                return (published, false, DaySpan.Through(published.AddDays(-UnstatedDays), published));
            }

            day = new DateOnly(published.Year, month, date);
            if (day > published.AddDays(1))
            {
                day = day.AddYears(-1);
            }
        }
        else
        {
            day = match.Groups["yesterday"].Success ? published.AddDays(-1) : published;
        }

        var span = match.Groups["late"].Success || match.Groups["part"].Value is "night" or "evening" ? DaySpan.Late(day)
            : match.Groups["early"].Success || match.Groups["part"].Value is "morning" ? DaySpan.Early(day)
            : DaySpan.Whole(day);
        return (day, true, span);
    }

    // "on Tuesday", "early on Wednesday", "late Monday", "Monday night", "on 4 April", "on April 4", "yesterday", "last
    // night" — not a weekday opening a date ("Tuesday 19 Jul 2016": the page's dateline).
    [GeneratedRegex(@"\b(?:(?:(?<early>early)|(?<late>late)|earlier|later|overnight)\s+(?:on\s+)?|on\s+|since\s+)?(?:(?<weekday>" + Lexicon.WeekdayAlternation + @")(?:\s+(?<part>morning|night|evening|afternoon))?\b(?!\s*,?\s*\d)|(?<=\bon\s+)(?:(?<date>\d{1,2})\s+(?<month>" + Lexicon.MonthAlternation + @")|(?<month>" + Lexicon.MonthAlternation + @")\s+(?<date2>\d{1,2}))\b(?!\s*\d{4})|(?<yesterday>yesterday)|(?<late>last night)|(?<early>overnight))", RegexOptions.ExplicitCapture)]
    private static partial Regex DayPhrase();

    [GeneratedRegex(@"\b(?:after|following|since|before|amid|ahead of)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Elsewhere();

    // A reporting verb just after a day ("on Wednesday condemned", "on Monday claimed responsibility").
    [GeneratedRegex(@"^\s*(?:[\p{L}\d'’-]+\s+){0,2}(?:" + ReportingVerbs.Statements + @")\b", RegexOptions.IgnoreCase)]
    private static partial Regex ReportedAfter();

    // A reporting verb just before a day ("said on Wednesday", "told SANA late on Tuesday", "announced Sunday"), or a
    // toll's update ("rose to 86 on Wednesday"): the day of the report, not of the event.
    [GeneratedRegex(@"\b(?:" + ReportingVerbs.Statements + @"|say|tells|reports|according|rose|risen|climbed|increased)\b(?:\s+[\p{L}\d'’-]+){0,3}\s*$", RegexOptions.IgnoreCase | RegexOptions.RightToLeft)]
    private static partial Regex ReportedBefore();

    [GeneratedRegex(@"\b\p{Ll}[\p{L}]*")]
    private static partial Regex LowerWords();
}
