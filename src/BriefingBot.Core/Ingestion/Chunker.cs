using BriefingBot.Core.Articles;

namespace BriefingBot.Core.Ingestion;

/// <summary>
/// Sentence-aligned passages: up to <see cref="MaxSentences"/> consecutive sentences (fewer when they grow past
/// <see cref="MaxWords"/>), each next passage starting on the last sentence of the one before, so a fact that
/// straddles two sentences is always whole in some passage.
/// </summary>
public static class Chunker
{
    public const int MaxSentences = 3;
    public const int MaxWords = 110;

    public static List<Passage> Chunk(ArticleId articleId, string text, IReadOnlyList<(int Paragraph, TextSpan Span)> sentences)
    {
        var passages = new List<Passage>();
        var start = 0;
        var sharesFirst = false;
        while (start < sentences.Count)
        {
            var end = start + 1;
            var words = WordCount(text, sentences[start].Span);
            while (end < sentences.Count && end - start < MaxSentences)
            {
                var next = WordCount(text, sentences[end].Span);
                if (words + next > MaxWords)
                {
                    break;
                }

                words += next;
                end++;
            }

            var spans = new List<TextSpan>(end - start);
            for (var i = start; i < end; i++)
            {
                spans.Add(sentences[i].Span);
            }

            var span = TextSpan.FromBounds(spans[0].Start, spans[^1].End);
            var ownStart = sharesFirst && spans.Count > 1 ? spans[1].Start - span.Start : 0;
            passages.Add(new Passage(0, articleId, passages.Count, sentences[start].Paragraph, span, spans,
                text.Substring(span.Start, span.Length), ownStart));

            if (end >= sentences.Count)
            {
                break;
            }

            sharesFirst = end - start > 1;
            start = sharesFirst ? end - 1 : end;
        }

        return passages;
    }

    private static int WordCount(string text, TextSpan span)
    {
        var count = 0;
        var inWord = false;
        for (var i = span.Start; i < span.End; i++)
        {
            var isSpace = char.IsWhiteSpace(text[i]);
            if (!isSpace && !inWord)
            {
                count++;
            }

            inWord = !isSpace;
        }

        return count;
    }
}
