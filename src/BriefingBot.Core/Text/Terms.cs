using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace BriefingBot.Core.Text;

/// <summary>
/// Word-level view of text for scoring: lowercase, accents folded, stopwords and question words dropped, and a
/// light suffix stemmer so "refugees" meets "refugee" and "hosts" meets "host".
/// </summary>
public static class Terms
{
    private static readonly FrozenSet<string> Stopwords = new[]
    {
        "a", "an", "the", "and", "or", "but", "if", "then", "so", "of", "to", "in", "on", "at", "by", "for", "with",
        "from", "into", "onto", "over", "under", "about", "as", "is", "are", "was", "were", "be", "been", "being",
        "am", "do", "does", "did", "doing", "done", "have", "has", "had", "having", "will", "would", "shall",
        "should", "can", "could", "may", "might", "must", "it", "its", "this", "that", "these", "those", "there",
        "their", "they", "them", "he", "him", "his", "she", "her", "hers", "we", "us", "our", "you", "your", "i",
        "me", "my", "not", "no", "nor", "what", "which", "who", "whom", "whose", "when", "where", "why", "how",
        "much", "many", "any", "some", "all", "each", "every", "more", "most", "other", "such", "than", "too",
        "very", "just", "also", "only", "own", "same", "both", "either", "neither", "s", "t", "tell", "me",
        "please", "know", "according", "say", "said", "says", "there", "here", "up", "out", "off", "again",
        "further", "once", "same", "whether", "while", "during", "before", "after", "above", "below", "between",
        "through", "against", "because", "until", "via", "per", "one", "like", "get", "got", "let", "lets",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>True for a word (lowercase) that says nothing on its own: "the", "what", "about".</summary>
    public static bool IsStopword(string word) => Stopwords.Contains(word);

    /// <summary>Content terms of <paramref name="text"/>, stemmed, in order, with repeats.</summary>
    public static List<string> Of(string text)
    {
        var result = new List<string>();
        foreach (var word in Words(text))
        {
            if (word.Length < 2 && !char.IsDigit(word[0]))
            {
                continue;
            }

            if (Stopwords.Contains(word))
            {
                continue;
            }

            result.Add(Stem(word));
        }

        return result;
    }

    /// <summary>Every word of <paramref name="text"/> stemmed, stopwords included: what a question's terms are matched against.</summary>
    public static HashSet<string> AllStems(string text)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (var word in Words(text))
        {
            result.Add(Stem(word));
        }

        return result;
    }

    /// <summary>Lowercased, accent-folded words (letters and digits); possessive 's dropped.</summary>
    public static IEnumerable<string> Words(string text)
    {
        var sb = new StringBuilder();
        var folded = Fold(text);
        for (var i = 0; i <= folded.Length; i++)
        {
            var c = i < folded.Length ? folded[i] : ' ';
            if (char.IsLetterOrDigit(c))
            {
                sb.Append(char.ToLowerInvariant(c));
                continue;
            }

            // Keep "u.s." and "al-assad" apart only where the punctuation separates words.
            if (sb.Length > 0)
            {
                if (c is '\'' or '’' && i + 1 < folded.Length && folded[i + 1] is 's' or 'S'
                    && (i + 2 >= folded.Length || !char.IsLetterOrDigit(folded[i + 2])))
                {
                    i++; // possessive
                }

                yield return sb.ToString();
                sb.Clear();
            }
        }
    }

    /// <summary>Removes diacritics (Çavuşoğlu → Cavusoglu) so names match however a source spells them.</summary>
    public static string Fold(string text)
    {
        var needsFolding = false;
        foreach (var c in text)
        {
            if (c > 0x7F)
            {
                needsFolding = true;
                break;
            }
        }

        if (!needsFolding)
        {
            return text;
        }

        var decomposed = text.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            sb.Append(c switch
            {
                'ı' => 'i',
                'ł' => 'l',
                'ø' => 'o',
                'đ' => 'd',
                'ß' => 's',
                _ => c,
            });
        }

        return sb.ToString().Normalize(NormalizationForm.FormC);
    }

    /// <summary>A deliberately light English stemmer: plural, -ing, -ed, -ly; enough to match inflections in questions.</summary>
    public static string Stem(string word)
    {
        if (word.Length <= 3 || char.IsDigit(word[0]))
        {
            return word;
        }

        if (word.EndsWith("ies", StringComparison.Ordinal) && word.Length > 4)
        {
            return word[..^3] + "y";
        }

        if (word.EndsWith("sses", StringComparison.Ordinal))
        {
            return word[..^2];
        }

        if (word.EndsWith("ing", StringComparison.Ordinal) && word.Length > 5)
        {
            return UndoubleEnd(word[..^3]);
        }

        if (word.EndsWith("ed", StringComparison.Ordinal) && word.Length > 4)
        {
            return UndoubleEnd(word[..^2]);
        }

        if (word.EndsWith("ly", StringComparison.Ordinal) && word.Length > 5)
        {
            return word[..^2];
        }

        if (word.EndsWith("es", StringComparison.Ordinal) && word.Length > 4 && word[^3] is 's' or 'x' or 'z' or 'h')
        {
            return word[..^2];
        }

        if (word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal) && !word.EndsWith("us", StringComparison.Ordinal)
            && !word.EndsWith("is", StringComparison.Ordinal))
        {
            word = word[..^1];
        }

        return word.EndsWith('e') && word.Length > 3 ? word[..^1] : word;
    }

    private static string UndoubleEnd(string stem)
    {
        if (stem.Length > 2 && stem[^1] == stem[^2] && stem[^1] is not ('l' or 's' or 'z'))
        {
            return stem[..^1];
        }

        return stem.EndsWith('e') && stem.Length > 3 ? stem[..^1] : stem;
    }
}
