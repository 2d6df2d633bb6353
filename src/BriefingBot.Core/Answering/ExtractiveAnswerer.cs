using BriefingBot.Core.Articles;
using BriefingBot.Core.Retrieval;
using BriefingBot.Core.Text;
using Microsoft.Extensions.Options;

namespace BriefingBot.Core.Answering;

/// <summary>
/// The default answerer: picks the one to four sentences of the retrieved passages that best answer the
/// question and cites each; abstains, showing the nearest sources, when none answers well enough.
/// </summary>
/// <remarks>
/// A sentence's score is the IDF-weighted share of the question's content words it contains (a word the corpus
/// never uses weighs most, so a question about someone the articles never mention scores low), blended with the
/// dense similarity of its passage when vectors exist.
/// </remarks>
public sealed class ExtractiveAnswerer(ICorpusStore store, IOptions<AnsweringOptions> options, TimeProvider? time = null)
{
    private readonly AnsweringOptions _options = options.Value;
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>A candidate sentence with its scores, exposed for calibration.</summary>
    public sealed record ScoredSentence(RetrievedPassage From, TextSpan Span, string Text, double Own, double Lexical, double Dense, double Score)
    {
        /// <summary>Whether it holds what the question asks for (always, for a question that asks for no one kind of thing).</summary>
        public bool HoldsAnswer { get; init; } = true;

        /// <summary>Its words that answer ("28 children"), when it holds them.</summary>
        public string? ShortAnswer { get; init; }
    }

    /// <param name="subject">
    /// Who or what the answer must be about ("Russia" in a follow-up "what about Russia?"): only sentences that
    /// mention it may answer, so the earlier subject's facts are never passed off as the new one's.
    /// </param>
    public async Task<Answer> AnswerAsync(RetrievalResult retrieval, string? subject = null, CancellationToken cancellationToken = default)
    {
        var analysis = QuestionAnalysis.Of(retrieval.Question, retrieval.Terms);
        var scored = await ScoreSentencesAsync(retrieval, withNextSentences: analysis.Type != AnswerType.Any, cancellationToken).ConfigureAwait(false);
        var ranked = Constrain(scored, analysis, _time.GetUtcNow());
        if (subject is not null)
        {
            // About the new subject, and about what was asked of the old one ("observation posts"): a sentence
            // that merely names Russia does not say how many observation posts Russia has.
            var topic = retrieval.Terms.Where(t => !Mentions(t.Word, subject)).Select(t => t.Stem).ToList();
            var about = ranked.Where(s => Mentions(s.Text, subject) && Covers(s.Text, topic)).ToList();
            ranked = about.Count > 0 ? about : ranked.Select(s => s with { Score = 0 }).ToList();
        }

        var threshold = retrieval.UsedDense ? _options.AbstainBelow : _options.AbstainBelowKeywordOnly;
        var best = ranked.Count > 0 ? ranked[0].Score : 0;

        // "Who did it?" where the articles disagree: the answer is what each says, each cited, and no one account as
        // fact — even where no one sentence answers well enough on its own. Only for a question that names what was
        // done, so the claims are read near the article's mention of it.
        var claims = Answering.Claims.AsksWhoDidIt(retrieval.Question) && analysis.Names.Count > 0 && subject is null
            ? DifferingClaims(scored, analysis)
            : [];
        if (claims.Count > 0)
        {
            var (claimSources, claimCitations, numbered) = Cite(claims);
            return new Answer(retrieval.Question, Cited(claimCitations), false, claimCitations, claimSources, AnswerMethod.Extractive, Math.Max(best, threshold))
            {
                Claims = numbered,
            };
        }

        if (best < threshold || !ranked[0].HoldsAnswer)
        {
            // Nothing scores well enough, or the best sentence cannot hold what was asked (no number for "how many").
            return Abstain(retrieval, ranked.Count > 0 ? ranked : scored, best);
        }

        var chosen = new List<ScoredSentence>();
        var chosenTerms = new List<HashSet<string>>();
        foreach (var sentence in ranked)
        {
            if (chosen.Count == _options.MaxSentences || sentence.Score < Math.Max(threshold, best * _options.RelativeCutoff))
            {
                break;
            }

            var terms = Terms.Of(sentence.Text).ToHashSet(StringComparer.Ordinal);
            if (sentence.Lexical <= 0 || sentence.Own <= 0 || chosenTerms.Any(other => Jaccard(terms, other) > 0.6)
                || !sentence.HoldsAnswer)
            {
                continue; // says nothing the question asked, repeats a chosen sentence, or adds no number, place or name asked for
            }

            chosen.Add(sentence);
            chosenTerms.Add(terms);
        }

        if (chosen.Count == 0)
        {
            return Abstain(retrieval, ranked, best);
        }

        var sources = new List<Source>();
        var citations = new List<Citation>();
        foreach (var sentence in chosen)
        {
            var source = Source.Of(sources, sentence.From.Article);
            citations.Add(new Citation(source.N, source.Article, sentence.Span, sentence.Text));
        }

        var figures = analysis.Type == AnswerType.Count ? Differing(ranked, analysis, best, sources, citations) : [];
        return new Answer(retrieval.Question, Cited(citations), false, citations, sources, AnswerMethod.Extractive, best)
        {
            ShortAnswer = chosen[0].ShortAnswer,
            Figures = figures,
        };
    }

    /// <summary>
    /// Who the retrieved articles hold responsible for what the question names, when they disagree: every sentence of
    /// those articles that makes a claim within a few lines of naming it (so a claim about another attack in the same
    /// article is left out), oldest article first.
    /// </summary>
    private static List<Claim> DifferingClaims(IReadOnlyList<ScoredSentence> ranked, QuestionAnalysis analysis)
    {
        var sentences = ranked.Select(s => s.From.Article).DistinctBy(a => a.Id).Take(12)
            .Where(a => analysis.YearsAgree(a.Published, a.Text))
            .OrderBy(a => a.ReportedAt)
            .SelectMany(a => SentenceSplitter.Split(a.Text, 0, a.Text.Length).Select(span => (a, span)));
        return Answering.Claims.Differing(sentences, (article, span) => analysis.NamesIn(article.Text[Math.Max(0, span.Start - 300)..span.End])).ToList();
    }

    /// <summary>Numbers the claims' articles as the answer's sources and their sentences as its citations, in order.</summary>
    private static (List<Source>, List<Citation>, List<Claim>) Cite(IReadOnlyList<Claim> claims)
    {
        var sources = new List<Source>();
        var citations = new List<Citation>();
        var numbered = new List<Claim>();
        foreach (var claim in claims)
        {
            var source = Source.Of(sources, claim.Article);
            if (!citations.Any(c => c.Article.Id == claim.Article.Id && c.Span == claim.Span))
            {
                citations.Add(new Citation(source.N, claim.Article, claim.Span, claim.Sentence));
            }

            numbered.Add(claim with { N = source.N });
        }

        return (sources, citations, numbered);
    }

    /// <summary>"Sentence [1] Sentence [2]": the answer's text from its citations.</summary>
    private static string Cited(IEnumerable<Citation> citations) => string.Join(' ', citations.Select(c => $"{c.Sentence} [{c.N}]"));

    /// <summary>
    /// The figures the answering sentences give for what the question counts, when they differ: one per article
    /// (its first such sentence), oldest first; the sentence of each is cited (added to the answer's sources and
    /// citations when the answer did not quote it).
    /// </summary>
    private List<Figure> Differing(IReadOnlyList<ScoredSentence> ranked, QuestionAnalysis analysis, double best, List<Source> sources, List<Citation> citations)
    {
        // A figure for the same event: the clause that holds it names what the question names ("Khan Shaykhun"), so a
        // toll of another attack in the same article or sentence is never set beside it.
        var floor = best * _options.RelativeCutoff * 0.75;
        var candidates = ranked
            .Where(s => s.HoldsAnswer && s.ShortAnswer is not null && s.Score >= floor && Figures.ValueOf(s.ShortAnswer) is not null
                && analysis.NamesIn(Figures.ClauseOf(s.Text, s.ShortAnswer)))
            .GroupBy(s => s.From.Article.Id)
            .Select(g => g.First())
            .Take(8)
            .ToList();
        if (candidates.Select(s => Figures.ValueOf(s.ShortAnswer!)).Distinct().Count() < 2)
        {
            return [];
        }

        var figures = new List<Figure>();
        foreach (var sentence in candidates)
        {
            var article = sentence.From.Article;
            var citation = citations.Find(c => c.Article.Id == article.Id && c.Span == sentence.Span);
            if (citation is null)
            {
                citation = new Citation(Source.Of(sources, article).N, article, sentence.Span, sentence.Text);
                citations.Add(citation);
            }

            figures.Add(new Figure(citation.N, article, sentence.ShortAnswer!, Figures.ValueOf(sentence.ShortAnswer!)!.Value,
                Figures.AttributionIn(sentence.Text), article.PublishedAt));
        }

        return figures.OrderBy(f => f.Date ?? f.Article.FirstIngested).ThenBy(f => f.Value).ToList();
    }

    /// <summary>
    /// Keeps the sentences that can answer: their article names what the question names and is about its years.
    /// Among those, a sentence that holds the kind of thing asked for (a number, a place, a name, a date) leads,
    /// and one that follows a sentence repeating the question's words carries on its score ("The blast took place in
    /// al-Mashi" after "… blew himself up in a village").
    /// </summary>
    private static List<ScoredSentence> Constrain(IReadOnlyList<ScoredSentence> scored, QuestionAnalysis analysis, DateTimeOffset now)
    {
        var fits = new Dictionary<ArticleId, bool>();
        bool Fits(Article article)
        {
            if (!fits.TryGetValue(article.Id, out var fit))
            {
                fit = analysis.Current(article, now) && analysis.Fits(article);
                fits[article.Id] = fit;
            }

            return fit;
        }

        var kept = scored.Where(s => Fits(s.From.Article)).ToList();
        if (analysis.Type == AnswerType.Any)
        {
            return kept;
        }

        // Each sentence read once for the answer it holds; then scored beside the sentence before it in its article.
        var read = kept.Select(s => analysis.ShortAnswer(s.Text, s.From.Article.Text) is { } answer ? s with { ShortAnswer = answer } : s with { HoldsAnswer = false }).ToList();
        var byArticle = read.GroupBy(s => s.From.Article.Id).ToDictionary(g => g.Key, g => g.OrderBy(s => s.Span.Start).ToList());
        var adjusted = new List<ScoredSentence>(read.Count);
        foreach (var sentence in read)
        {
            var score = sentence.Score;
            if (sentence.HoldsAnswer && analysis.Type == AnswerType.Count && Vague.Contains(sentence.ShortAnswer!.Split(' ')[0]))
            {
                score *= VagueWeight;
            }

            if (sentence.HoldsAnswer)
            {
                var siblings = byArticle[sentence.From.Article.Id];
                var index = siblings.IndexOf(sentence);
                if (index > 0 && sentence.Span.Start - siblings[index - 1].Span.End <= 3 && !siblings[index - 1].HoldsAnswer)
                {
                    score = Math.Max(score, CarriedOn * siblings[index - 1].Score);
                }
            }
            else
            {
                score *= WithoutCandidate;
            }

            adjusted.Add(sentence with { Score = score });
        }

        adjusted.Sort((a, b) => b.Score.CompareTo(a.Score));
        return adjusted;
    }

    // How much of its predecessor's score a sentence holding the answer carries on; how much a sentence keeps that
    // cannot hold it. Chosen on the tuning half of eval/answers.jsonl.
    private const double CarriedOn = 0.95;
    private const double WithoutCandidate = 0.7;

    // How much a sentence keeps whose number is a vague one ("dozens mostly women and children"): a figure answers
    // "how many" better. Chosen on the tuning half.
    private const double VagueWeight = 0.9;
    private static readonly HashSet<string> Vague = new(["dozens", "scores", "hundreds", "thousands", "millions", "tens"], StringComparer.OrdinalIgnoreCase);

    // How much a headline keeps beside the article's sentences: it repeats the question's words as a summary does,
    // and the sentence that reports says the same with the figure's source and the place. Chosen on the tuning half.
    private const double HeadlineWeight = 0.8;

    /// <summary>Every sentence of the retrieved passages, scored against the question, best first.</summary>
    /// <param name="withNextSentences">Also the sentence after each passage: where the place or the number asked for often stands.</param>
    public async Task<IReadOnlyList<ScoredSentence>> ScoreSentencesAsync(RetrievalResult retrieval, bool withNextSentences = false, CancellationToken cancellationToken = default)
    {
        if (retrieval.Passages.Count == 0 || retrieval.Terms.Count == 0)
        {
            return [];
        }

        var weights = await TermWeightsAsync(retrieval.Terms, cancellationToken).ConfigureAwait(false);
        var totalWeight = weights.Values.Sum();
        double Coverage(string text)
        {
            var stems = Terms.AllStems(text);
            return totalWeight > 0 ? weights.Where(w => stems.Contains(w.Key)).Sum(w => w.Value) / totalWeight : 0;
        }

        // A sentence is read in its passage: "He told Arab News: …" answers a question about the person the
        // sentence before names. Its own words count most; its passage's words count too.
        var byStart = new Dictionary<(ArticleId, int), (RetrievedPassage From, TextSpan Span, double Context)>();
        foreach (var passage in retrieval.Passages)
        {
            var context = Coverage(passage.Passage.Text);
            var spans = passage.Passage.Sentences.ToList();
            if (withNextSentences && spans.Count > 0 && NextSentence(passage.Article.Text, spans[^1].End) is { } next)
            {
                spans.Add(next);
            }

            foreach (var span in spans)
            {
                var key = (passage.Article.Id, span.Start);
                if (!byStart.TryGetValue(key, out var existing) || context > existing.Context)
                {
                    byStart[key] = (existing.From ?? passage, span, Math.Max(context, existing.Context));
                }
            }
        }

        var scored = new List<ScoredSentence>(byStart.Count);
        foreach (var (from, sentence, context) in byStart.Values)
        {
            var (span, headline) = Leads.Of(from.Article, sentence);
            var text = from.Article.Slice(span);
            var own = Coverage(text);
            var lexical = (0.7 * own) + (0.3 * context);
            var dense = Math.Max(0, from.Cosine ?? 0);
            var score = (retrieval.UsedDense ? (0.65 * lexical) + (0.35 * dense) : lexical) * (headline ? HeadlineWeight : 1);
            scored.Add(new ScoredSentence(from, span, text, own, lexical, dense, score));
        }

        scored.Sort((a, b) => b.Score.CompareTo(a.Score));
        return scored;
    }

    /// <summary>The sentence that starts after <paramref name="end"/>, in the same paragraph; null at a paragraph's or the article's end.</summary>
    private static TextSpan? NextSentence(string text, int end)
    {
        var paragraphEnd = text.IndexOf("\n\n", end, StringComparison.Ordinal);
        var limit = Math.Min(paragraphEnd < 0 ? text.Length : paragraphEnd, end + 1000);
        return limit > end && SentenceSplitter.Split(text, end, limit) is [var first, ..] ? first : null;
    }

    /// <summary>
    /// BM25-style IDF per query stem, from how many passages of the corpus contain the word. A name the corpus
    /// never mentions weighs most: a question about it cannot be answered. An ordinary word the corpus does not
    /// use says little in a small corpus ("launch" where the one article says "begins") and much in a large one
    /// (no article of thousands mentions "sourdough"): its weight grows with the corpus from half the mean of the
    /// words it does use towards that of an unknown name.
    /// </summary>
    private async Task<Dictionary<string, double>> TermWeightsAsync(IReadOnlyList<QueryTerm> terms, CancellationToken cancellationToken)
    {
        var (frequencies, passages) = await store.GetDocumentFrequenciesAsync(terms.Select(t => t.Word).ToList(), cancellationToken).ConfigureAwait(false);
        double Idf(int df) => Math.Log(1 + ((passages - df + 0.5) / (df + 0.5)));
        var present = terms.Where(t => frequencies.GetValueOrDefault(t.Word) > 0).Select(t => Idf(frequencies[t.Word])).ToList();
        var sizeFactor = passages / (passages + 2000.0);
        var absentWordWeight = present.Count > 0 ? Math.Max(0.5 * present.Average(), sizeFactor * Idf(0)) : Idf(0);

        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var term in terms)
        {
            var df = frequencies.GetValueOrDefault(term.Word);
            var weight = df > 0 || term.IsName ? Idf(df) : absentWordWeight;
            weights[term.Stem] = Math.Max(weights.GetValueOrDefault(term.Stem), weight);
        }

        return weights;
    }

    private static Answer Abstain(RetrievalResult retrieval, IReadOnlyList<ScoredSentence> ranked, double best)
    {
        // The nearest sources: the best sentence of each of the three nearest articles.
        var sources = new List<Source>();
        var citations = new List<Citation>();
        foreach (var sentence in ranked)
        {
            if (sources.Count == 3)
            {
                break;
            }

            if (sources.Any(s => s.Article.Id == sentence.From.Article.Id))
            {
                continue;
            }

            var source = new Source(sources.Count + 1, sentence.From.Article);
            sources.Add(source);
            citations.Add(new Citation(source.N, source.Article, sentence.Span, sentence.Text));
        }

        return new Answer(retrieval.Question, Answer.AbstentionText, true, citations, sources, AnswerMethod.Extractive, best);
    }

    /// <summary>
    /// True when every word of <paramref name="subject"/> stands in <paramref name="text"/>, also in a derived form
    /// ("Russia" in "Russian", "Turkey" in "Turkish"): a shared beginning of all but its last two letters, at least four.
    /// </summary>
    internal static bool Mentions(string text, string subject)
    {
        var words = Terms.Words(text).ToList();
        var wanted = Terms.Words(subject).Where(w => !Terms.IsStopword(w)).ToList();
        return wanted.Count > 0 && wanted.All(w =>
        {
            var prefix = w.Length <= 4 ? w : w[..Math.Max(4, w.Length - 2)];
            return words.Any(x => x == w || (prefix.Length >= 4 && x.StartsWith(prefix, StringComparison.Ordinal)));
        });
    }

    private static bool Covers(string text, IReadOnlyList<string> stems)
    {
        if (stems.Count == 0)
        {
            return true;
        }

        var own = Terms.AllStems(text);
        return stems.Count(own.Contains) * 2 >= stems.Count;
    }

    private static double Jaccard(HashSet<string> a, HashSet<string> b)
    {
        if (a.Count == 0 || b.Count == 0)
        {
            return 0;
        }

        var intersection = a.Count(b.Contains);
        return (double)intersection / (a.Count + b.Count - intersection);
    }
}

