using BriefingBot.Core.Articles;
using BriefingBot.Core.Retrieval;
using BriefingBot.Core.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
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
public sealed partial class ExtractiveAnswerer(
    ICorpusStore store,
    IOptions<AnsweringOptions> options,
    TimeProvider? time = null,
    Embeddings.ITextEmbedder? embedder = null,
    ILogger<ExtractiveAnswerer>? logger = null)
{
    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;

    private readonly AnsweringOptions _options = options.Value;
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ReaderWeights _reader = options.Value.ReaderWeights is { Length: > 0 } path ? ReaderWeights.Load(path) : ReaderWeights.Bundled;
    private NewestArticle _newest = new(DateTimeOffset.MinValue, null);

    /// <summary>The corpus's newest publication date, and when it was read (one reference, so concurrent questions read it whole).</summary>
    private sealed record NewestArticle(DateTimeOffset Read, DateTimeOffset? Newest);

    /// <summary>A candidate sentence with its scores, exposed for calibration.</summary>
    public sealed record ScoredSentence(RetrievedPassage From, TextSpan Span, string Text, double Own, double Lexical, double Dense, double Score)
    {
        /// <summary>Whether it holds what the question asks for (always, for a question that asks for no one kind of thing).</summary>
        public bool HoldsAnswer { get; init; } = true;

        /// <summary>Its words that answer ("28 children"), when it holds them.</summary>
        public string? ShortAnswer { get; init; }

        /// <summary>The share of the question's weighted words its passage holds.</summary>
        public double Context { get; init; }

        /// <summary>Its words' and its passage's closeness to the question blended, before the reader weighs it.</summary>
        public double Blend { get; init; }

        /// <summary>The share of the asking sentence's weighted words it holds (the question's last sentence, after any context).</summary>
        public double Asking { get; init; }

        /// <summary>The share of the question's weighted words its article holds anywhere, headline included.</summary>
        public double ArticleCoverage { get; init; }

        /// <summary>Whether it is nothing but the article's headline: a summary, not a sentence that reports.</summary>
        public bool Headline { get; init; }

        /// <summary>What the reader weighed (<see cref="SentenceReader.FeatureNames"/>), once read.</summary>
        public IReadOnlyList<double>? Features { get; init; }
    }

    /// <param name="subject">
    /// Who or what the answer must be about ("Russia" in a follow-up "what about Russia?"): only sentences that
    /// mention it may answer, so the earlier subject's facts are never passed off as the new one's.
    /// </param>
    public async Task<Answer> AnswerAsync(RetrievalResult retrieval, string? subject = null, CancellationToken cancellationToken = default)
    {
        var analysis = QuestionAnalysis.Of(retrieval.Question, retrieval.Terms);
        var scored = await ReadAsync(retrieval, analysis, cancellationToken).ConfigureAwait(false);
        var ranked = scored;
        var aboutSubject = true;
        if (subject is not null)
        {
            // About the new subject, and about what was asked of the old one ("observation posts"): a sentence
            // that merely names Russia does not say how many observation posts Russia has.
            var topic = retrieval.Terms.Where(t => !Mentions(t.Word, subject)).Select(t => t.Stem).ToList();
            var about = ranked.Where(s => Mentions(s.Text, subject) && Covers(s.Text, topic)).ToList();
            ranked = about.Count > 0 ? about : ranked.Select(s => s with { Score = 0 }).ToList();
            aboutSubject = about.Count > 0;
        }

        var model = _reader.For(retrieval.UsedDense);
        var threshold = (retrieval.UsedDense ? _options.AbstainBelow : _options.AbstainBelowKeywordOnly) ?? model.AbstainBelow;
        var confidence = ranked.Count > 0 && aboutSubject ? model.Confidence(ranked[0].Features!) : 0;
        var best = ranked.Count > 0 ? ranked[0].Score : 0;

        // "Who did it?" where the articles disagree: the answer is what each says, each cited, and no one account as
        // fact — even where no one sentence answers well enough on its own. Only for a question that names what was
        // done, so the claims are read near the article's mention of it.
        var claims = Answering.Claims.AsksWhoDidIt(retrieval.Question) && analysis.Names.Count > 0 && subject is null
            ? await DifferingClaimsAsync(scored, analysis, cancellationToken).ConfigureAwait(false)
            : [];
        if (claims.Count > 0)
        {
            var (claimSources, claimCitations, numbered) = Cite(claims);
            return new Answer(retrieval.Question, Cited(claimCitations), false, claimCitations, claimSources, AnswerMethod.Extractive, Math.Max(confidence, threshold))
            {
                Claims = numbered,
            };
        }

        if (confidence < threshold)
        {
            // Not likely enough that the best sentence answers. Where no sentence could answer at all (none of the
            // last weeks' for a question about now), the nearest sources are still shown.
            return Abstain(retrieval, ranked.Count > 0 ? ranked : await ScoreSentencesAsync(retrieval, cancellationToken: cancellationToken).ConfigureAwait(false), confidence);
        }

        var chosen = new List<ScoredSentence>();
        var chosenTerms = new List<HashSet<string>>();
        foreach (var sentence in ranked)
        {
            if (chosen.Count == _options.MaxSentences || sentence.Score < best * _options.RelativeCutoff)
            {
                break;
            }

            var terms = Terms.Of(sentence.Text).ToHashSet(StringComparer.Ordinal);
            if (chosen.Count > 0 && (sentence.Lexical <= 0 || sentence.Own <= 0 || chosenTerms.Any(other => Jaccard(terms, other) > 0.6)
                || !sentence.HoldsAnswer))
            {
                continue; // says nothing the question asked, repeats a chosen sentence, or adds no number, place or name asked for
            }

            chosen.Add(sentence);
            chosenTerms.Add(terms);
        }

        if (chosen.Count == 0)
        {
            return Abstain(retrieval, ranked, confidence);
        }

        // "Which company …?" answered by a sentence about "the company" that never names it: the sentence beside it
        // that names what the question does not is quoted with it, and its name is the short answer.
        // A toll is the figure a story's reports give for it ("at least 58"), not another count beside it ("dozens injured").
        var shortAnswer = TollAsked(analysis) is { } toll && Figures.In(toll, chosen[0].Text) is { } figure
            ? figure.Phrase
            : chosen[0].ShortAnswer;
        if (analysis.AsksForName && (analysis.Type == AnswerType.Any ? analysis.NovelName(chosen[0].Text) is null : shortAnswer is null)
            && Naming(chosen[0], analysis) is { } naming && !chosen.Any(c => c.From.Article.Id == naming.From.Article.Id && c.Span == naming.Span))
        {
            chosen.Insert(1, naming);
            shortAnswer = naming.ShortAnswer;
        }

        var sources = new List<Source>();
        var citations = new List<Citation>();
        foreach (var sentence in chosen)
        {
            var source = Source.Of(sources, sentence.From.Article);
            citations.Add(new Citation(source.N, source.Article, sentence.Span, sentence.Text));
        }

        // The figures cite their own sentences; the answer's text stays the sentences chosen to answer.
        var text = Cited(citations);
        var figures = analysis.Type == AnswerType.Count
            ? await DifferingAsync(ranked, analysis, best, chosen[0].From.Article, sources, citations, cancellationToken).ConfigureAwait(false)
            : [];
        var asOf = analysis.AboutNow ? await ArchiveDayAsync(cancellationToken).ConfigureAwait(false) : null;
        return new Answer(retrieval.Question, text, false, citations, sources, AnswerMethod.Extractive, confidence)
        {
            AsOf = asOf,
            ShortAnswer = shortAnswer,
            Figures = figures,
        };
    }

    /// <summary>
    /// The sentence right before or after <paramref name="sentence"/>, in its paragraph, that names something the
    /// question does not (the nearer in words to the question, if both do), with that name as its short answer.
    /// </summary>
    private static ScoredSentence? Naming(ScoredSentence sentence, QuestionAnalysis analysis)
    {
        var article = sentence.From.Article;
        var paragraphStart = article.Text.LastIndexOf("\n\n", Math.Max(0, sentence.Span.Start - 1), StringComparison.Ordinal) is var p && p < 0 ? 0 : p + 2;
        var paragraphEnd = article.Text.IndexOf("\n\n", sentence.Span.End, StringComparison.Ordinal) is var e && e < 0 ? article.Text.Length : e;
        var around = SentenceSplitter.Split(article.Text, paragraphStart, paragraphEnd);
        var at = around.ToList().FindIndex(s => s.Start <= sentence.Span.Start && s.End >= sentence.Span.End - 1);
        if (at < 0)
        {
            return null;
        }

        var asked = analysis.QuestionStems;
        return new[] { at - 1, at + 1 }
            .Where(i => i >= 0 && i < around.Count)
            .Select(i => (Span: around[i], Text: article.Slice(around[i])))
            .Select(n => (n.Span, n.Text, Name: analysis.NovelName(n.Text), Shared: Terms.AllStems(n.Text).Count(asked.Contains)))
            .Where(n => n.Name is not null)
            .OrderByDescending(n => n.Shared)
            .Select(n => sentence with { Span = n.Span, Text = n.Text, ShortAnswer = n.Name, Score = sentence.Score })
            .FirstOrDefault();
    }

    /// <summary>
    /// Who the retrieved articles, and the other articles of the first one's story, hold responsible for what the
    /// question names, when they disagree: every sentence of those articles that makes a claim within a few lines of
    /// naming it (so a claim about another attack in the same article is left out), oldest article first.
    /// </summary>
    private async Task<List<Claim>> DifferingClaimsAsync(IReadOnlyList<ScoredSentence> ranked, QuestionAnalysis analysis, CancellationToken cancellationToken)
    {
        var retrieved = ranked.Select(s => s.From.Article).DistinctBy(a => a.Id).Take(12).ToList();
        var story = retrieved.Count > 0 ? await StoryOfAsync(retrieved[0], cancellationToken).ConfigureAwait(false) : [];
        var sentences = retrieved.Concat(story).DistinctBy(a => a.Id)
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

    /// <summary>How many articles of the answer's story are read for the figures they give.</summary>
    private const int StoryArticles = 40;

    /// <summary>
    /// The figures given for what the question counts, when they differ: by the answering sentences and by every
    /// article of the story the answer's article belongs to (the reports the retrieval did not reach: the toll as it
    /// moved). One per article (its first such sentence), oldest first; the sentence of each is cited (added to the
    /// answer's sources and citations when the answer did not quote it); a figure another report gave before is not repeated.
    /// </summary>
    private async Task<List<Figure>> DifferingAsync(IReadOnlyList<ScoredSentence> ranked, QuestionAnalysis analysis, double best, Article answering,
        List<Source> sources, List<Citation> citations, CancellationToken cancellationToken)
    {
        // A figure for the same event: the clause that holds it names what the question names ("Khan Shaykhun"), so a
        // toll of another attack in the same article or sentence is never set beside it.
        // A toll is read as the story's figures read it ("killed at least 58 people", not "dozens injured").
        var floor = best * _options.RelativeCutoff * 0.75;
        var kind = TollAsked(analysis);
        var candidates = ranked
            .Where(s => s.HoldsAnswer && s.ShortAnswer is not null && s.Score >= floor)
            .Select(s => (s.From.Article, s.Span, s.Text, Answer: kind is null ? s.ShortAnswer! : Figures.In(kind, s.Text)?.Phrase))
            .Where(c => c.Answer is not null && Figures.ValueOf(c.Answer) is not null && analysis.NamesIn(Figures.ClauseOf(c.Text, c.Answer)))
            .GroupBy(c => c.Article.Id)
            .Select(g => (g.First().Article, g.First().Span, g.First().Text, Answer: g.First().Answer!))
            .Take(8)
            .ToList();
        foreach (var article in await StoryOfAsync(answering, cancellationToken).ConfigureAwait(false))
        {
            if (!candidates.Any(c => c.Article.Id == article.Id) && FigureIn(article, analysis, kind) is { } figure)
            {
                candidates.Add((article, figure.Span, figure.Text, figure.Answer));
            }
        }

        if (candidates.Select(c => Figures.ValueOf(c.Answer)).Distinct().Count() < 2)
        {
            return [];
        }

        // Each figure once, as the first report to give it gave it: the toll as it moved.
        var figures = new List<Figure>();
        foreach (var (article, span, text, answer) in candidates
            .OrderBy(c => c.Article.ReportedAt).ThenBy(c => Figures.ValueOf(c.Answer)).ThenBy(c => c.Article.Id.Value, StringComparer.Ordinal)
            .DistinctBy(c => Figures.ValueOf(c.Answer)))
        {
            var citation = citations.Find(c => c.Article.Id == article.Id && c.Span == span);
            if (citation is null)
            {
                citation = new Citation(Source.Of(sources, article).N, article, span, text);
                citations.Add(citation);
            }

            figures.Add(new Figure(citation.N, article, answer, Figures.ValueOf(answer)!.Value, Figures.AttributionIn(text), article.PublishedAt));
        }

        return figures;
    }

    /// <summary>
    /// The toll a "how many people" question asks for ("Death toll", "Wounded", "Displaced"), as a story's figures read
    /// it; null for other counts ("how many children": the children among the dead, not the toll).
    /// </summary>
    private static string? TollAsked(QuestionAnalysis analysis) =>
        analysis.Type == AnswerType.Count && analysis.Counted.Contains(People) ? Figures.KindAsked(analysis.Question) : null;

    private static readonly string People = Terms.Stem("people");

    /// <summary>The other articles of <paramref name="article"/>'s story, oldest first; none when it has no story yet.</summary>
    private async Task<IReadOnlyList<Article>> StoryOfAsync(Article article, CancellationToken cancellationToken)
    {
        var stories = await store.GetStoriesAsync([article.Id], cancellationToken).ConfigureAwait(false);
        if (!stories.TryGetValue(article.Id, out var story))
        {
            return [];
        }

        var ids = (await store.GetStoryArticlesAsync(story, StoryArticles, cancellationToken).ConfigureAwait(false)).Where(id => id != article.Id).ToList();
        var articles = await store.GetArticlesAsync(ids, cancellationToken).ConfigureAwait(false);
        return ids.Select(articles.GetValueOrDefault).OfType<Article>().ToList();
    }

    /// <summary>
    /// The first sentence of <paramref name="article"/> (of the answer's story) that gives a figure for what the question
    /// counts: of <paramref name="kind"/> when the question asks for a toll (as the story's briefing reads it, in its
    /// first sentences), else in its lead, which reports the story's event, or in a clause naming what the question names.
    /// </summary>
    private static (TextSpan Span, string Text, string Answer)? FigureIn(Article article, QuestionAnalysis analysis, string? kind)
    {
        var sentences = SentenceSplitter.SplitArticle(article.Text);
        for (var i = 0; i < Math.Min(sentences.Count, kind is null ? sentences.Count : StoryFigureSentences); i++)
        {
            var (lead, headline) = Leads.Of(article, sentences[i]);
            var text = article.Slice(lead);
            var answer = headline ? null : kind is null ? analysis.ShortAnswer(text, article.Text) : Figures.In(kind, text)?.Phrase;
            if (answer is not null && Figures.ValueOf(answer) is not null
                && (kind is not null || i < StoryLead || analysis.NamesIn(Figures.ClauseOf(text, answer))))
            {
                return (lead, text, answer);
            }
        }

        return null;
    }

    /// <summary>How many first sentences of a story's article report the story's own event.</summary>
    private const int StoryLead = 3;

    /// <summary>How many first sentences of a story's article are read for its toll, as its briefing reads them.</summary>
    private const int StoryFigureSentences = 12;

    /// <summary>
    /// Every candidate sentence read by the fitted reader: its score is the probability that it states the answer.
    /// </summary>
    /// <remarks>
    /// The candidates are the retrieved passages' sentences and the sentence after each; what the question pins down
    /// (its years, names and what it says happened) and the kind of thing it asks for are the reader's features, not
    /// vetoes. One constraint stays a rule: a question about how things stand now is read only in the articles of the
    /// last weeks before "now" (the corpus's newest article when the corpus is older) — an old figure offered as
    /// today's reads right and is wrong, and too few questions ask about now for a weight to learn it.
    /// </remarks>
    public async Task<List<ScoredSentence>> ReadAsync(RetrievalResult retrieval, QuestionAnalysis analysis, CancellationToken cancellationToken = default)
    {
        var scored = await ScoreSentencesAsync(retrieval, withNextSentences: true, cancellationToken).ConfigureAwait(false);
        var now = (analysis.AboutNow ? await ArchiveDayAsync(cancellationToken).ConfigureAwait(false) : null) ?? _time.GetUtcNow();
        var fits = new Dictionary<ArticleId, QuestionAnalysis.ArticleFit>(retrieval.Fits);
        // By reference: a passage's record equality would hash its article's whole text at every look-up.
        var ranks = new Dictionary<RetrievedPassage, int>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < retrieval.Passages.Count; i++)
        {
            ranks.TryAdd(retrieval.Passages[i], i);
        }

        // Each sentence read once for the answer it holds; then beside its neighbours in its article.
        var read = scored.Where(s => analysis.Current(s.From.Article, now)).Select(s => analysis.Type != AnswerType.Any && analysis.ShortAnswer(s.Text, s.From.Article.Text) is { } answer
                ? s with { ShortAnswer = answer }
                : s with { HoldsAnswer = analysis.Type == AnswerType.Any })
            .ToList();
        var model = _reader.For(retrieval.UsedDense);
        var result = new List<ScoredSentence>(read.Count);
        foreach (var siblings in read.GroupBy(s => s.From.Article.Id).Select(g => g.OrderBy(s => s.Span.Start).ToList()))
        {
            var article = siblings[0].From.Article;
            if (!fits.TryGetValue(article.Id, out var fit))
            {
                fit = analysis.FitOf(article);
                fits[article.Id] = fit;
            }

            for (var index = 0; index < siblings.Count; index++)
            {
                var sentence = siblings[index];
                var previous = index > 0 && sentence.Span.Start - siblings[index - 1].Span.End <= 3 ? siblings[index - 1].Own : 0;
                var next = index < siblings.Count - 1 && siblings[index + 1].Span.Start - sentence.Span.End <= 3 ? siblings[index + 1].Own : 0;
                var situation = new SentenceReader.Situation(fit, sentence.From.Passage.Paragraph, ranks.GetValueOrDefault(sentence.From), previous, next);
                var features = SentenceReader.Features(sentence, analysis, situation);
                result.Add(sentence with { Features = features, Score = model.Probability(features) });
            }
        }

        result.Sort((a, b) => b.Score.CompareTo(a.Score));
        return await ReadCloselyAsync(result, retrieval, model, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>How many of the best candidates are compared with the question sentence by sentence.</summary>
    private const int ReadClosely = 10;

    /// <summary>
    /// The best candidates' own closeness in meaning to the question, sentence by sentence rather than by their
    /// passage's: the encoder reads only these few (each sentence once, then from a cache), and they are weighed again.
    /// Without an encoder or a question vector, each keeps its passage's closeness.
    /// </summary>
    private async Task<List<ScoredSentence>> ReadCloselyAsync(List<ScoredSentence> ranked, RetrievalResult retrieval, ReaderModel model, CancellationToken cancellationToken)
    {
        if (embedder is null || retrieval.QuestionVector is not { } question || ranked.Count == 0)
        {
            return ranked;
        }

        var top = ranked.Take(ReadClosely).ToList();
        var missing = top.Select(s => s.Text).Where(t => !_sentenceVectors.ContainsKey(t)).Distinct(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            try
            {
                var vectors = await embedder.EmbedAsync(missing, cancellationToken).ConfigureAwait(false);
                if (_sentenceVectors.Count > SentenceCacheSize)
                {
                    _sentenceVectors.Clear();
                }

                for (var i = 0; i < missing.Count; i++)
                {
                    _sentenceVectors[missing[i]] = vectors[i];
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The passages' closeness stands in: a failing encoder must not take answers down with it.
                LogSentencesNotEncoded(ex);
                return ranked;
            }
        }

        var index = Array.IndexOf(SentenceReader.FeatureNames, "sentence");
        for (var i = 0; i < top.Count; i++)
        {
            if (!_sentenceVectors.TryGetValue(top[i].Text, out var vector))
            {
                continue;
            }

            var features = top[i].Features!.ToArray();
            features[index] = Math.Max(0, Cosine(question, vector));
            ranked[i] = top[i] with { Features = features, Score = model.Probability(features) };
        }

        ranked.Sort((a, b) => b.Score.CompareTo(a.Score));
        return ranked;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The best sentences could not be encoded; the answer weighs their passages' closeness instead")]
    private partial void LogSentencesNotEncoded(Exception exception);

    private const int SentenceCacheSize = 20_000;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, float[]> _sentenceVectors = new(StringComparer.Ordinal);

    private static double Cosine(float[] a, float[] b)
    {
        var dot = 0.0;
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            dot += a[i] * b[i];
        }

        return dot; // unit vectors
    }

    /// <summary>
    /// The day "now" and "today" are read against when the corpus is an archive: its newest article's, when that is
    /// older than the last weeks (an archive answers for its own time); null when the corpus reaches today. The
    /// newest date is read at most every minute.
    /// </summary>
    private async Task<DateTimeOffset?> ArchiveDayAsync(CancellationToken cancellationToken)
    {
        var today = _time.GetUtcNow();
        var known = _newest;
        if (today - known.Read > TimeSpan.FromMinutes(1))
        {
            var stats = await store.GetStatsAsync(cancellationToken).ConfigureAwait(false);
            _newest = known = new NewestArticle(today, Articles.PublishedDates.TryParse(stats.LatestPublished));
        }

        return known.Newest is { } newest && newest < today - QuestionAnalysis.Recent ? newest : null;
    }

    /// <summary>Whether a count is a vague one ("dozens"): a figure answers "how many" better.</summary>
    internal static bool IsVague(string shortAnswer) => Vague.Contains(shortAnswer.Split(' ')[0]);

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
        double Coverage(string text) => CoverageOf(Terms.AllStems(text), weights, totalWeight);

        // A quiz's question follows a sentence of context: what the asking sentence says weighs apart.
        var asking = Terms.AllStems(QuestionAnalysis.AskingSentence(retrieval.Question));
        var askingWeights = weights.Where(w => asking.Contains(w.Key)).ToDictionary(w => w.Key, w => w.Value, StringComparer.Ordinal);
        var askingTotal = askingWeights.Values.Sum();

        // How much of the question each article says anywhere: one that never names what was asked cannot answer.
        var articleCoverage = retrieval.Passages.Select(p => p.Article).DistinctBy(a => a.Id)
            .ToDictionary(a => a.Id, a => Coverage(a.Title + "\n" + a.Text));

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
            var stems = Terms.AllStems(text);
            var own = CoverageOf(stems, weights, totalWeight);
            var lexical = (0.7 * own) + (0.3 * context);
            var dense = Math.Max(0, from.Cosine ?? 0);
            var score = (retrieval.UsedDense ? (0.65 * lexical) + (0.35 * dense) : lexical) * (headline ? HeadlineWeight : 1);
            scored.Add(new ScoredSentence(from, span, text, own, lexical, dense, score)
            {
                Context = context,
                Headline = headline,
                Blend = score,
                Asking = askingTotal > 0 ? CoverageOf(stems, askingWeights, askingTotal) : own,
                ArticleCoverage = articleCoverage[from.Article.Id],
            });
        }

        scored.Sort((a, b) => b.Score.CompareTo(a.Score));
        return scored;
    }

    private static double CoverageOf(HashSet<string> stems, Dictionary<string, double> weights, double total) =>
        total > 0 ? weights.Where(w => stems.Contains(w.Key)).Sum(w => w.Value) / total : 0;

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

