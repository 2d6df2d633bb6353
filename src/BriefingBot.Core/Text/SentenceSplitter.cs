using System.Collections.Frozen;
using BriefingBot.Core.Articles;

namespace BriefingBot.Core.Text;

/// <summary>
/// Splits news prose into sentences without breaking on abbreviations (Sept., U.S., Dr.), initials (J. Smith),
/// ellipses that run on (<c>Moscow… doesn’t</c>), or full stops inside a quotation that closes in the same
/// paragraph (<c>“We will go. They stay,” he said.</c>).
/// </summary>
public static class SentenceSplitter
{
    private static readonly FrozenSet<string> Abbreviations = ((string[])
    [
        "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gen", "col", "lt", "sgt", "capt", "cmdr", "adm", "maj",
        "gov", "pres", "st", "jr", "sr", "rev", "hon", "amb", "messrs", "mme", "mlle",
        .. Lexicon.MonthAbbreviations, .. Lexicon.WeekdayAbbreviations,
        "no", "nos", "vs", "v", "etc", "e.g", "i.e", "approx", "est", "dept", "univ", "assn", "bros",
        "inc", "co", "corp", "ltd", "plc", "mt", "ft", "ave", "blvd", "rd", "fig", "vol", "op", "pp", "cf", "al",
    ]).ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Abbreviations after which a capitalised word usually continues the sentence (titles, months).</summary>
    private static readonly FrozenSet<string> NeverFinal = ((string[])
    [
        "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gen", "col", "lt", "sgt", "capt", "cmdr", "adm", "maj",
        "gov", "pres", "st", "rev", "hon", "amb", "messrs", "mme", "mlle",
        .. Lexicon.MonthAbbreviations, "no", "nos", "vs", "v",
    ]).ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Splits <paramref name="text"/> from <paramref name="start"/> to <paramref name="end"/> (one paragraph) into trimmed sentence spans.</summary>
    public static IReadOnlyList<TextSpan> Split(string text, int start, int end)
    {
        var protectedRanges = QuotedRanges(text, start, end);
        var sentences = new List<TextSpan>();
        var sentenceStart = start;
        var i = start;
        while (i < end)
        {
            var c = text[i];
            var isEllipsis = c == '…' || (c == '.' && i + 2 < end && text[i + 1] == '.' && text[i + 2] == '.');
            if (c is '.' or '!' or '?' or '…')
            {
                var afterTerminal = i + 1;
                if (isEllipsis && c == '.')
                {
                    afterTerminal = i + 3;
                }

                // Runs of terminal punctuation (?!, ..) belong to the same boundary.
                while (afterTerminal < end && text[afterTerminal] is '.' or '!' or '?' or '…')
                {
                    afterTerminal++;
                }

                var afterClosers = afterTerminal;
                while (afterClosers < end && IsCloser(text[afterClosers]))
                {
                    afterClosers++;
                }

                if (IsBoundary(text, i, c, isEllipsis, afterTerminal, afterClosers, end, protectedRanges))
                {
                    AddTrimmed(text, sentenceStart, afterClosers, sentences);
                    sentenceStart = afterClosers;
                }

                i = Math.Max(afterTerminal, i + 1);
                continue;
            }

            i++;
        }

        AddTrimmed(text, sentenceStart, end, sentences);
        return sentences;
    }

    public static IReadOnlyList<TextSpan> Split(string text) => Split(text, 0, text.Length);

    /// <summary>The sentences of an article's text, paragraph by paragraph (paragraphs are separated by a blank line).</summary>
    public static List<TextSpan> SplitArticle(string text)
    {
        var sentences = new List<TextSpan>();
        var start = 0;
        foreach (var paragraph in text.Split("\n\n"))
        {
            sentences.AddRange(Split(text, start, start + paragraph.Length));
            start += paragraph.Length + 2;
        }

        return sentences;
    }

    private static bool IsBoundary(
        string text, int at, char terminal, bool isEllipsis, int afterTerminal, int afterClosers, int end,
        List<(int Start, int End)> protectedRanges)
    {
        if (afterClosers >= end)
        {
            return false; // the paragraph's end closes the sentence anyway
        }

        if (!char.IsWhiteSpace(text[afterClosers]))
        {
            return false; // "U.S.-backed", "3.5", "e.g.,"
        }

        var next = afterClosers;
        while (next < end && char.IsWhiteSpace(text[next]))
        {
            next++;
        }

        if (next >= end)
        {
            return false;
        }

        var nextChar = text[next];
        var startsSentence = char.IsUpper(nextChar) || char.IsDigit(nextChar) || IsOpener(nextChar);
        if (!startsSentence)
        {
            return false;
        }

        // A boundary inside a quotation that closes later in this paragraph is part of that quotation.
        foreach (var (qs, qe) in protectedRanges)
        {
            if (at > qs && afterClosers < qe)
            {
                return false;
            }
        }

        if (terminal != '.' || isEllipsis)
        {
            return true;
        }

        var word = WordBefore(text, at);
        if (word.Length == 0)
        {
            return true;
        }

        // Initials ("J. Smith") and dotted abbreviations ("U.S.", "a.m.") end a sentence only when a
        // lowercase-free new clause is unlikely; we treat single letters and dotted forms as non-final
        // unless the next word is a common sentence opener.
        if (word.Length == 1 && char.IsUpper(word[0]))
        {
            return false;
        }

        var bare = word.TrimEnd('.');
        if (bare.Contains('.', StringComparison.Ordinal))
        {
            return IsCommonOpener(text, next, end);
        }

        if (NeverFinal.Contains(bare))
        {
            return false;
        }

        return !Abbreviations.Contains(bare) || IsCommonOpener(text, next, end);
    }

    private static readonly FrozenSet<string> Openers = new[]
    {
        "The", "A", "An", "He", "She", "It", "They", "We", "I", "This", "That", "These", "Those", "But", "And",
        "In", "On", "At", "As", "If", "When", "While", "Although", "However", "Meanwhile", "There", "His", "Her",
        "Their", "Its", "Our", "After", "Before", "Since", "For", "Some", "Many", "Most",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static bool IsCommonOpener(string text, int start, int end)
    {
        var i = start;
        while (i < end && char.IsLetter(text[i]))
        {
            i++;
        }

        return Openers.Contains(text[start..i]);
    }

    private static string WordBefore(string text, int at)
    {
        var i = at;
        while (i > 0 && (char.IsLetterOrDigit(text[i - 1]) || text[i - 1] == '.'))
        {
            i--;
        }

        return text[i..at];
    }

    private static bool IsCloser(char c) => c is '"' or '\'' or '”' or '’' or ')' or ']' or '»';

    private static bool IsOpener(char c) => c is '"' or '“' or '‘' or '\'' or '(' or '[' or '«';

    /// <summary>Quotations that open and close within the paragraph; a quotation left open continues into the next paragraph and protects nothing.</summary>
    internal static List<(int Start, int End)> QuotedRanges(string text, int start, int end)
    {
        var ranges = new List<(int, int)>();
        var open = -1;
        var straightOpen = -1;
        for (var i = start; i < end; i++)
        {
            switch (text[i])
            {
                case '“':
                    open = i;
                    break;
                case '”' when open >= 0:
                    ranges.Add((open, i + 1));
                    open = -1;
                    break;
                case '"' when straightOpen < 0:
                    straightOpen = i;
                    break;
                case '"':
                    ranges.Add((straightOpen, i + 1));
                    straightOpen = -1;
                    break;
            }
        }

        return ranges;
    }

    /// <summary>Adds the span from <paramref name="start"/> to <paramref name="end"/> without its surrounding white space, if anything is left.</summary>
    internal static void AddTrimmed(string text, int start, int end, List<TextSpan> into)
    {
        while (start < end && char.IsWhiteSpace(text[start]))
        {
            start++;
        }

        while (end > start && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        if (end > start)
        {
            into.Add(TextSpan.FromBounds(start, end));
        }
    }
}
