using System.Text.RegularExpressions;
using BriefingBot.Core.Articles;
using BriefingBot.Core.Retrieval;
using BriefingBot.Core.Text;

namespace BriefingBot.Core.Answering;

/// <summary>What a language model wrote for a question, or why it wrote nothing usable.</summary>
public sealed record Generation(string? Text, string? Failure)
{
    public static Generation Failed(string reason) => new(null, reason);
}

/// <summary>A language model that answers from numbered passages (the passages are numbered 1..n in the given order).</summary>
public interface IAnswerGenerator
{
    Task<Generation> GenerateAsync(string question, IReadOnlyList<RetrievedPassage> passages, CancellationToken cancellationToken = default);

    /// <summary>Rewrites a follow-up into a question that stands alone, or null when the model cannot.</summary>
    Task<string?> RewriteFollowUpAsync(string question, string previous, CancellationToken cancellationToken = default);

    /// <summary>Summarises one story of a briefing from its articles' numbered passages.</summary>
    Task<Generation> SummarizeAsync(string headline, IReadOnlyList<RetrievedPassage> passages, CancellationToken cancellationToken = default);
}

/// <summary>A checked sentence of a generated text and the passages (numbered from 1) it cites.</summary>
public sealed record CheckedSentence(string Text, IReadOnlyList<int> Passages);

/// <summary>
/// Checks a generated answer before anyone sees it: every sentence cites at least one passage, every [n] exists,
/// and each sentence says what a sentence of the passages it cites says (<see cref="Faithfulness"/>: its words,
/// numbers and quantities, negation, hedges, dates and who does what). A sentence that fails is dropped when the
/// rest still answers the question; otherwise the whole text fails. An answer that passes becomes an
/// <see cref="Answer"/> whose citations point to the verbatim article sentences that support it.
/// </summary>
public static partial class AnswerVerifier
{
    public const string NotAnswered = "NOT ANSWERED";

    /// <summary>What the check kept, and what it dropped and why (one line per dropped sentence, for the log).</summary>
    public sealed record Checked(IReadOnlyList<CheckedSentence> Sentences, IReadOnlyList<string> Dropped);

    /// <summary>Checks <paramref name="generated"/> sentence by sentence; returns the sentences that hold and what each cites, or why nothing holds.</summary>
    /// <param name="mustAddress">Whether the text must answer <paramref name="question"/> (an answer) or only be backed by its passages (a summary).</param>
    public static (Checked? Result, string? Failure) Check(
        string question, string generated, IReadOnlyList<RetrievedPassage> passages, bool mustAddress = true)
    {
        var text = generated.Trim();
        if (text.Length == 0)
        {
            return (null, "the model replied with nothing");
        }

        if (text.Contains(NotAnswered, StringComparison.OrdinalIgnoreCase))
        {
            return (null, "the model found no answer in the passages");
        }

        var result = new List<CheckedSentence>();
        var dropped = new List<string>();
        foreach (var span in SentenceSplitter.Split(text))
        {
            var sentence = text.Substring(span.Start, span.Length);
            var cited = Markers().Matches(sentence)
                .SelectMany(m => m.Groups["n"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .Select(n => int.TryParse(n, out var value) ? value : 0)
                .Distinct()
                .ToList();
            var claim = Markers().Replace(sentence, string.Empty).Trim();
            if (claim.Length == 0)
            {
                continue; // a citation standing alone after the last sentence
            }

            if (cited.Count == 0)
            {
                dropped.Add($"a sentence cites no source: \"{Shorten(claim)}\"");
                continue;
            }

            if (cited.Any(n => n < 1 || n > passages.Count))
            {
                dropped.Add($"a sentence cites a source that does not exist: [{string.Join(", ", cited.Where(n => n < 1 || n > passages.Count))}]");
                continue;
            }

            var sources = cited.Select(n => passages[n - 1])
                .SelectMany(p => p.Passage.Sentences.Select(p.Article.Slice))
                .ToList();
            if (Faithfulness.Check(claim, sources) is { } unfaithful)
            {
                dropped.Add($"the cited passages do not say \"{Shorten(claim)}\": {unfaithful}");
                continue;
            }

            result.Add(new CheckedSentence(claim, cited));
        }

        if (result.Count == 0)
        {
            return (null, dropped.Count > 0 ? dropped[0] : "the model's reply had no sentences");
        }

        // The text must be about what was asked: text that obeys an instruction planted in an article ("reply
        // only: …") can be word for word in its passage and still answer nothing that was asked.
        var asked = QueryTerms.Parse(question).Select(t => t.Stem).ToHashSet(StringComparer.Ordinal);
        var answered = Terms.AllStems(string.Join(' ', result.Select(r => r.Text)));
        if (mustAddress && asked.Count > 0 && asked.Count(answered.Contains) < Math.Min(asked.Count, Math.Max(1, asked.Count / 2)))
        {
            return (null, dropped.Count > 0 ? $"{dropped[0]}; what remains does not address the question" : "the reply does not address the question");
        }

        return (new Checked(result, dropped), null);
    }

    public static (Answer? Answer, string? Failure) Verify(string question, string generated, IReadOnlyList<RetrievedPassage> passages) =>
        Verify(question, generated, passages, out _);

    /// <param name="dropped">The sentences left out, each with the check it failed.</param>
    public static (Answer? Answer, string? Failure) Verify(string question, string generated, IReadOnlyList<RetrievedPassage> passages, out IReadOnlyList<string> dropped)
    {
        var (result, failure) = Check(question, generated, passages);
        dropped = result?.Dropped ?? [];
        if (result is null)
        {
            return (null, failure);
        }

        var sentences = result.Sentences;

        // Number sources by article, and cite the article sentence that supports each claim best.
        var sources = new List<Source>();
        var citations = new List<Citation>();
        var rendered = new List<string>();
        foreach (var sentence in sentences)
        {
            var claimTerms = Terms.Of(sentence.Text).ToHashSet(StringComparer.Ordinal);
            var numbers = new List<int>();
            foreach (var passage in sentence.Passages.Select(n => passages[n - 1]))
            {
                var source = Source.Of(sources, passage.Article);

                var best = passage.Passage.Sentences
                    .OrderByDescending(s => Terms.AllStems(passage.Article.Slice(s)).Count(claimTerms.Contains))
                    .First();
                if (!citations.Any(c => c.Article.Id == passage.Article.Id && c.Span == best))
                {
                    citations.Add(new Citation(source.N, passage.Article, best, passage.Article.Slice(best)));
                }

                numbers.Add(source.N);
            }

            rendered.Add($"{sentence.Text} {string.Join(string.Empty, numbers.Distinct().Select(n => $"[{n}]"))}");
        }

        return (new Answer(question, string.Join(' ', rendered), false, citations, sources, AnswerMethod.Generated, 1.0), null);
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "…";

    [GeneratedRegex(@"\s*\[(?<n>\d+(?:\s*,\s*\d+)*)\]")]
    private static partial Regex Markers();
}
