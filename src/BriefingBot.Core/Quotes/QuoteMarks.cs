using BriefingBot.Core.Articles;

namespace BriefingBot.Core.Quotes;

/// <summary>A quotation in the text: the marks around it and the content between them.</summary>
/// <param name="Open">Position of the opening mark.</param>
/// <param name="Content">The text between the marks (for a quotation continued over paragraphs, from the first opening to the last closing mark).</param>
/// <param name="CloseEnd">Position just after the closing mark.</param>
internal sealed record Quotation(int Open, TextSpan Content, int CloseEnd, int Paragraph, int LastParagraph);

/// <summary>
/// Finds quotations: curly (“ ”), straight (") and doubled-apostrophe ('') double quotes and guillemets. A quotation
/// left open at the end of a paragraph continues when the next paragraph opens with a quotation mark, as news
/// style does for a speaker who goes on for several paragraphs.
/// </summary>
internal static class QuoteMarks
{
    public static List<TextSpan> Paragraphs(string text)
    {
        var result = new List<TextSpan>();
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || text[i] == '\n')
            {
                Text.SentenceSplitter.AddTrimmed(text, start, i, result);
                start = i + 1;
            }
        }

        return result;
    }

    public static List<Quotation> Find(string text, IReadOnlyList<TextSpan> paragraphs)
    {
        // Curly quotes and guillemets pair with each other, straight quotes and doubled apostrophes with each
        // other: a paragraph opened with a straight quote (an excerpt) may hold curly quotations of its own.
        var result = new List<Quotation>();
        result.AddRange(FindKind(text, paragraphs, curly: true));
        result.AddRange(FindKind(text, paragraphs, curly: false));
        result.Sort((a, b) => a.Open.CompareTo(b.Open));

        // A quotation inside another is part of what the outer speaker said, not a quote of its own.
        return result.Where(inner => !result.Any(outer => !ReferenceEquals(outer, inner)
            && outer.Open < inner.Open && inner.CloseEnd <= outer.CloseEnd)).ToList();
    }

    private static IEnumerable<Quotation> FindKind(string text, IReadOnlyList<TextSpan> paragraphs, bool curly)
    {
        (int Open, int ContentStart, int Paragraph)? carried = null;
        for (var p = 0; p < paragraphs.Count; p++)
        {
            var (start, end) = (paragraphs[p].Start, paragraphs[p].End);
            (int Open, int ContentStart, int Paragraph)? open = null;
            var kind = '\0';
            if (carried is { } c)
            {
                var mark = MarkAt(text, start, end, out var length);
                if (IsOpening(mark, curly))
                {
                    open = (c.Open, c.ContentStart, c.Paragraph);
                    kind = mark;
                    start += length;
                }
            }

            carried = null;
            var nested = new Stack<int>();
            for (var i = start; i < end; i++)
            {
                var mark = MarkAt(text, i, end, out var length);
                if (mark == '\0' || IsCurly(mark) != curly)
                {
                    continue;
                }

                if (open is null)
                {
                    // A straight quote right after a word, or before a space, closes something; it never opens
                    // ("no evidence" yet; `involved." "It is` is a close and an open, not a quotation of a space).
                    if (IsOpening(mark, curly) && (curly || ((i == start || !char.IsLetterOrDigit(text[i - 1]))
                        && i + length < end && !char.IsWhiteSpace(text[i + length]))))
                    {
                        open = (i, i + length, p);
                        kind = mark;
                    }
                }
                else if (mark is '“' or '«' && kind is '“' or '«')
                {
                    nested.Push(i); // a quotation within the quotation ("what he calls “hell” than …")
                }
                else if (Closes(kind, mark) && nested.Count > 0)
                {
                    nested.Pop();
                }
                else if (Closes(kind, mark))
                {
                    yield return new Quotation(open.Value.Open, TextSpan.FromBounds(open.Value.ContentStart, i), i + length, open.Value.Paragraph, p);
                    open = null;
                }

                i += length - 1;
            }

            if (open is not null && nested.Count > 0)
            {
                // The outer mark never closed: it was a stray, and the innermost opening starts the quotation.
                var from = nested.Peek();
                var close = text.IndexOf('”', from, end - from);
                if (close > from)
                {
                    yield return new Quotation(from, TextSpan.FromBounds(from + 1, close), close + 1, p, p);
                }

                continue;
            }

            // “Immunity deals should not be a requirement," Chaffetz said: a curly quotation closed by a straight mark.
            if (curly && open is { } mixed && mixed.Paragraph == p && StraightClose(text, mixed.ContentStart, end) is { } straight)
            {
                yield return new Quotation(mixed.Open, TextSpan.FromBounds(mixed.ContentStart, straight), straight + 1, p, p);
                continue;
            }

            if (open is { } left && p + 1 < paragraphs.Count)
            {
                carried = left;
            }
        }
    }

    /// <summary>The first straight double quote in [from, end) placed as a closing mark: after a word or punctuation, before a space or the end.</summary>
    private static int? StraightClose(string text, int from, int end)
    {
        for (var i = text.IndexOf('"', from, end - from); i > from; i = i + 1 < end ? text.IndexOf('"', i + 1, end - i - 1) : -1)
        {
            if (!char.IsWhiteSpace(text[i - 1]) && (i + 1 == end || char.IsWhiteSpace(text[i + 1])))
            {
                return i;
            }
        }

        return null;
    }

    private static bool IsCurly(char mark) => mark is '“' or '”' or '«' or '»';

    private static bool IsOpening(char mark, bool curly) => curly ? mark is '“' or '«' : mark is '"' or '\'';

    private static bool Closes(char open, char mark) => (open, mark) switch
    {
        ('“', '”') => true,
        ('"', '"') => true,
        ('\'', '\'') => true,
        ('«', '»') => true,
        _ => false,
    };

    /// <summary>The quotation mark at <paramref name="i"/>, if any; '\'' stands for a doubled apostrophe.</summary>
    private static char MarkAt(string text, int i, int end, out int length)
    {
        length = 1;
        var c = text[i];
        switch (c)
        {
            case '“' or '”' or '"' or '«' or '»':
                return c;
            case '\'' when i + 1 < end && text[i + 1] == '\'':
                length = 2;
                return '\'';
            default:
                return '\0';
        }
    }
}
