namespace BriefingBot.Core.Text;

/// <summary>A content word of a question: as typed (for the keyword index, which stems it itself) and as stemmed here.</summary>
/// <param name="IsName">Written with a capital inside the question: most likely a name, place or acronym.</param>
public readonly record struct QueryTerm(string Word, string Stem, bool IsName = false);

public static class QueryTerms
{
    /// <summary>
    /// The content words of a question, without repeats. A stopword written with a capital inside the question
    /// is kept, since it is most likely a name ("What did Kerim Has say?").
    /// </summary>
    public static IReadOnlyList<QueryTerm> Parse(string question)
    {
        if (IsShouted(question))
        {
            // "WHAT ABOUT IT?": in a question typed in capitals, capitals say nothing about names.
            question = question.ToLowerInvariant();
        }

        var terms = new List<QueryTerm>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var capitalised = CapitalisedWords(question);
        foreach (var word in Terms.Words(question))
        {
            var content = Terms.Of(word);
            if (content.Count == 0 && !capitalised.Contains(word))
            {
                continue;
            }

            var stem = content.Count > 0 ? content[0] : Terms.Stem(word);
            if (seen.Add(stem))
            {
                terms.Add(new QueryTerm(word, stem, capitalised.Contains(word)));
            }
        }

        return terms;
    }

    /// <summary>Written all in capitals: letters, and not one of them lowercase.</summary>
    private static bool IsShouted(string question) => question.Any(char.IsLetter) && !question.Any(char.IsLower);

    private static HashSet<string> CapitalisedWords(string question)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        var words = question.Split([' ', '\t', '\n', ',', '?', '!', ':', ';', '"', '“', '”'], StringSplitOptions.RemoveEmptyEntries);
        for (var i = 1; i < words.Length; i++)
        {
            var word = words[i].TrimEnd('.', '\'', '’');
            if (word.Length > 1 && char.IsUpper(word[0]))
            {
                foreach (var part in Terms.Words(word))
                {
                    result.Add(part);
                }
            }
        }

        return result;
    }
}
