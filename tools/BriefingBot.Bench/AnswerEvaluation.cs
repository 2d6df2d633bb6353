using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using BriefingBot.Cli;
using BriefingBot.Core;
using BriefingBot.Core.Answering;
using BriefingBot.Core.Chat;
using BriefingBot.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BriefingBot.Bench;

/// <summary>
/// One question of an answer evaluation set: whether the corpus answers it, the fact a right answer states (a
/// regular expression, matched ignoring case), and the half of the set it belongs to. A news-quiz set gives instead
/// the accepted answers verbatim and the id of the article that answers (RealTimeQA's form), and no half.
/// </summary>
internal sealed record EvaluationQuestion(string Question, bool Answerable, string? Fact, string? Half, IReadOnlyList<string>? Answers = null, string? Article = null)
{
    /// <summary>
    /// The question as scored: the fact from the accepted answers when only those are given, and the half from the
    /// question's text when none is given — a split made once, the same on every run and machine.
    /// </summary>
    public EvaluationQuestion Normalised() => this with
    {
        Fact = Fact ?? (Answers is { Count: > 0 } ? string.Join('|', Answers.Select(a => $@"(?<!\w){Regex.Escape(a)}(?!\w)")) : null),
        Half = Half ?? (Fnv(Question) % 2 == 0 ? "tuning" : "checking"),
    };

    /// <summary>Whether <paramref name="article"/> is the one that answers: the named one, else one whose text holds the fact.</summary>
    public bool AnsweredBy(Core.Articles.Article article) =>
        Article is not null ? article.Id.Value == Article : AnswerEvaluation.Holds(article.Text, Fact);

    private static uint Fnv(string text)
    {
        var hash = 2166136261;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619;
        }

        return hash;
    }
}

/// <summary>
/// <c>eval-answers</c>: asks every question of a set as a person would (no model, so the figures are the bot's own)
/// over the bundled article and the FA-KES sample — or over the <c>corpus.jsonl</c> that stands beside the set —
/// keyword-only and hybrid, and counts per half: answered with the fact and the right article cited, the right
/// article cited, the fact in the first sentence, unanswerable questions answered anyway, answerable ones abstained on.
/// </summary>
internal sealed class AnswerEvaluation(CliConsole console, string dataPath, string database, bool verbose, bool keywordOnly, IReadOnlyDictionary<string, string?> overrides)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    /// <summary>A corpus folder beside <paramref name="database"/> holding a copy of samples/fa-kes; returns its path.</summary>
    internal static string FaKesCorpus(string contentRoot, string database)
    {
        var corpus = Path.Combine(Path.GetDirectoryName(database)!, "corpus");
        Directory.CreateDirectory(corpus);
        File.Copy(Path.Combine(contentRoot, "samples", "fa-kes", "syria-war-articles.jsonl"), Path.Combine(corpus, "fa-kes.jsonl"), overwrite: true);
        return corpus;
    }

    /// <summary>The set as named in reports: its file, with its folder when that names it.</summary>
    public string Name => Path.GetFileName(dataPath) == "questions.jsonl" ? Path.GetFileName(Path.GetDirectoryName(dataPath))! : Path.Combine(Path.GetFileName(Path.GetDirectoryName(dataPath))!, Path.GetFileName(dataPath));

    /// <summary>The set's questions, each with its fact and half.</summary>
    public async Task<List<EvaluationQuestion>> QuestionsAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(dataPath))
        {
            throw new BriefingBotException($"No evaluation set at '{dataPath}' (option --data): JSON Lines of {{\"question\", \"answerable\", \"fact\", \"half\"}}.");
        }

        return (await File.ReadAllLinesAsync(dataPath, cancellationToken).ConfigureAwait(false))
            .Where(l => l.Trim().Length > 0)
            .Select((l, i) => (JsonSerializer.Deserialize<EvaluationQuestion>(l, Json) ?? throw new BriefingBotException($"{dataPath}:{i + 1} is not a question.")).Normalised())
            .ToList();
    }

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var questions = await QuestionsAsync(cancellationToken).ConfigureAwait(false);
        var (corpus, described) = PrepareCorpus();
        await console.Out.WriteLineAsync($"{questions.Count} questions from {dataPath} over {described} ({database})").ConfigureAwait(false);
        foreach (var hybrid in keywordOnly ? [false] : new[] { false, true })
        {
            using var host = await HostAsync(corpus, hybrid, cancellationToken).ConfigureAwait(false);
            var router = host.Services.GetRequiredService<ChatRouter>();
            var results = new List<(EvaluationQuestion Question, Answer Answer)>();
            foreach (var question in questions)
            {
                var reply = await router.HandleAsync(new AskRequest(question.Question), cancellationToken).ConfigureAwait(false);
                results.Add((question, reply is AnswerReply answer ? answer.Answer : throw new BriefingBotException($"\"{question.Question}\" got no answer: {reply}")));
            }

            var mode = hybrid ? "hybrid" : "keyword-only";
            foreach (var half in results.GroupBy(r => r.Question.Half).OrderByDescending(g => g.Key == "tuning"))
            {
                await console.Out.WriteLineAsync($"[{mode}, {half.Key} half] {Score(half.ToList())}").ConfigureAwait(false);
            }

            if (verbose)
            {
                foreach (var (question, answer) in results.Where(r => !Right(r.Question, r.Answer)))
                {
                    var first = answer.Abstained ? string.Create(CultureInfo.InvariantCulture, $"(abstained at {answer.Confidence:F2})") : Regex.Replace(answer.Text, @"\s+", " ");
                    await console.Out.WriteLineAsync($"  ✗ [{mode}, {question.Half}] {question.Question} — want {question.Fact ?? "abstention"}; got {first[..Math.Min(first.Length, 220)]}")
                        .ConfigureAwait(false);
                }
            }
        }

        return 0;
    }

    /// <summary>
    /// Every candidate sentence the reader weighs for each question of the tuning half, with whether it states the
    /// fact in the right article: what <see cref="ReaderFit"/> learns from.
    /// </summary>
    public async Task<List<ReaderFit.Example>> TuningExamplesAsync(bool hybrid, CancellationToken cancellationToken)
    {
        var questions = (await QuestionsAsync(cancellationToken).ConfigureAwait(false)).Where(q => q.Half == "tuning").ToList();
        var (corpus, _) = PrepareCorpus();
        using var host = await HostAsync(corpus, hybrid, cancellationToken).ConfigureAwait(false);
        var retriever = host.Services.GetRequiredService<Core.Retrieval.HybridRetriever>();
        var answerer = host.Services.GetRequiredService<ExtractiveAnswerer>();
        var examples = new List<ReaderFit.Example>();
        foreach (var question in questions)
        {
            var retrieval = await retriever.RetrieveAsync(question.Question, cancellationToken: cancellationToken).ConfigureAwait(false);
            var read = await answerer.ReadAsync(retrieval, QuestionAnalysis.Of(retrieval.Question, retrieval.Terms), cancellationToken).ConfigureAwait(false);
            var candidates = read.Select(s => new ReaderFit.Candidate([.. s.Features!], question.Answerable && Holds(s.Text, question.Fact) && question.AnsweredBy(s.From.Article))).ToList();
            examples.Add(new ReaderFit.Example($"{Path.GetFileName(Path.GetDirectoryName(dataPath))}: {question.Question}", question.Answerable, candidates));
        }

        return examples;
    }

    /// <summary>A bot host over <paramref name="corpus"/> and the set's database, ingested and (for hybrid) embedded.</summary>
    private async Task<IHost> HostAsync(string corpus, bool hybrid, CancellationToken cancellationToken)
    {
        var host = BotHost.Build(console.ContentRoot, new Dictionary<string, string?>(overrides)
        {
            ["Corpus:Path"] = corpus,
            ["Storage:DatabasePath"] = database,
            ["Embeddings:Enabled"] = hybrid ? "true" : "false",
            ["Llm:BaseUrl"] = string.Empty,
            ["Llm:Model"] = string.Empty,
            ["Admission:PerUserRequests"] = "0",
            ["Admission:PerChannelRequests"] = "0",
        });
        BotHost.ValidateOptions(host.Services);
        CorpusPreparation.ThrowIfNothingIngested(await CorpusPreparation.IngestAsync(host.Services, console, cancellationToken).ConfigureAwait(false));
        await CorpusPreparation.EmbedAsync(host.Services, console, int.MaxValue, cancellationToken).ConfigureAwait(false);
        return host;
    }

    /// <summary>
    /// The corpus folder the questions are asked over: beside the database, a copy of the <c>corpus.jsonl</c> next to
    /// the question set when there is one, else of samples/fa-kes and the bundled article.
    /// </summary>
    private (string Folder, string Described) PrepareCorpus()
    {
        var beside = Path.Combine(Path.GetDirectoryName(dataPath)!, "corpus.jsonl");
        if (!File.Exists(beside))
        {
            var corpus = FaKesCorpus(console.ContentRoot, database);
            foreach (var file in Directory.EnumerateFiles(Path.Combine(console.ContentRoot, "corpus")))
            {
                File.Copy(file, Path.Combine(corpus, Path.GetFileName(file)), overwrite: true);
            }

            return (corpus, "the bundled article and samples/fa-kes");
        }

        var folder = Path.Combine(Path.GetDirectoryName(database)!, "corpus-" + Path.GetFileName(Path.GetDirectoryName(dataPath)));
        Directory.CreateDirectory(folder);
        File.Copy(beside, Path.Combine(folder, "corpus.jsonl"), overwrite: true);
        return (folder, beside);
    }

    private static string Score(List<(EvaluationQuestion Question, Answer Answer)> results)
    {
        var answerable = results.Where(r => r.Question.Answerable).ToList();
        var unanswerable = results.Where(r => !r.Question.Answerable).ToList();
        var withFact = answerable.Count(r => !r.Answer.Abstained && Holds(r.Answer.Text, r.Question.Fact) && r.Answer.Citations.Any(c => r.Question.AnsweredBy(c.Article)));
        var rightArticle = answerable.Count(r => !r.Answer.Abstained && r.Answer.Citations.Any(c => r.Question.AnsweredBy(c.Article)));
        var firstSentence = answerable.Count(r => !r.Answer.Abstained && r.Answer.Citations.Count > 0 && Holds(r.Answer.Citations[0].Sentence, r.Question.Fact));
        var abstained = answerable.Count(r => r.Answer.Abstained);
        var answeredAnyway = unanswerable.Count(r => !r.Answer.Abstained);
        var sentences = answerable.Where(r => !r.Answer.Abstained).Select(r => (double)r.Answer.Citations.Count).DefaultIfEmpty(0).Average();
        return string.Create(CultureInfo.InvariantCulture,
            $"answered with the fact, cited {Share(withFact, answerable.Count)}; right article cited {Share(rightArticle, answerable.Count)}; " +
            $"fact in the first sentence {Share(firstSentence, answerable.Count)}; abstained on answerable {Share(abstained, answerable.Count)}; " +
            $"unanswerable answered {Share(answeredAnyway, unanswerable.Count)}; {sentences:F1} sentences an answer");
    }

    private static bool Right(EvaluationQuestion question, Answer answer) =>
        question.Answerable ? !answer.Abstained && answer.Citations.Count > 0 && Holds(answer.Citations[0].Sentence, question.Fact) : answer.Abstained;

    internal static bool Holds(string text, string? fact) =>
        fact is not null && Regex.IsMatch(text, fact, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private static string Share(int count, int of) =>
        string.Create(CultureInfo.InvariantCulture, $"{count}/{of} ({(of == 0 ? 0 : 100.0 * count / of):F0} %)");
}
