using System.Text.RegularExpressions;
using BriefingBot.Core.Articles;
using BriefingBot.Core.Text;

namespace BriefingBot.Core.Answering;

/// <summary>
/// A sentence as a reader would quote it. News bodies often open with a dateline and the headline run into the first
/// sentence ("24 November 2016 US-led coalition airstrikes kill at least ten civilians in Raqqa Ten Syrian civilians
/// were killed …", "Published June 12 2016 At least 39 people …"); the answer quotes the sentence, not the page's furniture.
/// </summary>
public static partial class Leads
{
    /// <summary>
    /// <paramref name="span"/> without the dateline it opens with and, where it repeats the article's headline before
    /// its own words, without the headline; <c>Headline</c> is true when nothing but a headline (and its dateline) is
    /// there — a summary of the article, not a sentence that reports.
    /// </summary>
    public static (TextSpan Span, bool Headline) Of(Article article, TextSpan span)
    {
        var text = article.Slice(span);
        var start = 0;
        if (Dateline().Match(text) is { Success: true } dateline)
        {
            start = dateline.Length;
        }

        if (Furniture().Match(text, start) is { Success: true } furniture)
        {
            start = furniture.Index + furniture.Length;
        }

        var title = article.Title.Trim().TrimEnd('.', ' ');
        if (title.Length >= 12)
        {
            var at = text.IndexOf(title, start, StringComparison.OrdinalIgnoreCase);
            if (at >= 0 && at <= start + 2)
            {
                var after = at + title.Length;
                while (after < text.Length && (char.IsWhiteSpace(text[after]) || text[after] is '.' or ':' or '-' or '|'))
                {
                    after++;
                }

                if (Words(text[after..]) < MinimumWords)
                {
                    return (Trimmed(span, start), true);
                }

                // The place and agency of a dateline after the headline ("Aleppo SANA-Terrorist …") stay: they are
                // the first sentence's own words in these outlets' style.
                start = after;
            }
        }

        return Words(text[start..]) < MinimumWords ? (span, false) : (Trimmed(span, start), false);
    }

    /// <summary>
    /// Whether the sentence at <paramref name="index"/> is a photograph's caption, not the story: a credit ("(Reuters
    /// Photo)", "(TRT World and Agencies)") closes it or opens the sentence after it.
    /// </summary>
    public static bool Caption(Article article, IReadOnlyList<TextSpan> sentences, int index) =>
        CreditAtEnd().IsMatch(article.Slice(sentences[index]))
        || (index + 1 < sentences.Count && CreditAtStart().IsMatch(article.Slice(sentences[index + 1])));

    private const int MinimumWords = 4;

    private static TextSpan Trimmed(TextSpan span, int start) => TextSpan.FromBounds(span.Start + start, span.End);

    private static int Words(string text) => WordPattern().Count(text);

    // "Published June 12 2016", "Date of publication 7 October 2016", "Thu Sep 5 2013", "05-09-2013", "24.08.2013",
    // "Saturday 15 April 2017", "Last updated at Apr 232017" — a date the page sets before the story.
    [GeneratedRegex(@"^\s*(?:(?:Reuters|AFP|AP|Anadolu|SANA|TRT World|dpa)\s+)?(?:(?:Published|Date of publication|Last updated(?: at)?|Updated)\s*:?\s*)?(?:(?:" + Lexicon.WeekdayPrefixAlternation + @")[a-z]*\.?,?\s+)?(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{1,2}\s+(?:" + Lexicon.MonthPrefixAlternation + @")[a-z]*\.?,?\s+\d{4}|(?:" + Lexicon.MonthPrefixAlternation + @")[a-z]*\.?\s+\d{1,2},?\s+\d{4}|(?:" + Lexicon.MonthPrefixAlternation + @")[a-z]*\.?\s+\d{5,6})(?:\s*\((?:updated|update)[^)]{0,40}\))?\s*[.,:|-]?\s+")]
    private static partial Regex Dateline();

    // What a page sets between the date and the story: "Get short URL 9427", a photograph's credit.
    [GeneratedRegex(@"\G\s*(?:Get short URL\s*\d*|" + Credit + @")\s+")]
    private static partial Regex Furniture();

    private const string Credit = @"\((?:[^()]{0,40}\b)?(?:[Pp]hoto|Agencies|Archive|Getty Images)\b[^()]{0,30}\)";

    [GeneratedRegex(@"^\s*" + Credit)]
    private static partial Regex CreditAtStart();

    [GeneratedRegex(Credit + @"\s*\.?\s*$")]
    private static partial Regex CreditAtEnd();

    [GeneratedRegex(@"[\p{L}\d]+")]
    private static partial Regex WordPattern();
}
