using System.Globalization;
using BriefingBot.Core.Answering;

namespace BriefingBot.Bench;

/// <summary>
/// Fits the reader's weights on the tuning halves: a logistic regression over every candidate sentence (does it state
/// the fact, in the right article?) and a term that rewards ranking a right sentence first among its question's
/// candidates; then the abstention threshold, the lowest probability at which at most
/// <see cref="UnanswerableShare"/> of the tuning halves' unanswerable questions are answered.
/// </summary>
internal static class ReaderFit
{
    /// <summary>A candidate sentence: what the reader weighs of it, and whether it states the fact in the right article.</summary>
    public sealed record Candidate(double[] Features, bool Right);

    /// <summary>One question's candidates.</summary>
    public sealed record Example(string Question, bool Answerable, IReadOnlyList<Candidate> Candidates);

    /// <summary>The share of unanswerable tuning questions the chosen threshold may still answer.</summary>
    public const double UnanswerableShare = 0.05;

    private const double L2 = 0.003;
    private const int Rounds = 6000;
    private const double Rate = 0.5;

    public static ReaderModel Fit(IReadOnlyList<Example> examples)
    {
        var names = SentenceReader.FeatureNames;
        var weights = new double[names.Length];
        var all = examples.SelectMany(e => e.Candidates).ToList();
        var positives = all.Count(c => c.Right);
        var positiveWeight = positives == 0 ? 1 : Math.Sqrt((double)(all.Count - positives) / positives);
        var listwise = examples.Where(e => e.Candidates.Any(c => c.Right)).ToList();
        var gradient = new double[names.Length];
        for (var round = 0; round < Rounds; round++)
        {
            Array.Clear(gradient);

            // Pointwise: each sentence's probability of stating the fact (what abstention reads).
            var total = 0.0;
            foreach (var candidate in all)
            {
                var weight = candidate.Right ? positiveWeight : 1;
                var error = weight * (Probability(weights, candidate.Features) - (candidate.Right ? 1 : 0));
                Add(gradient, candidate.Features, error);
                total += weight;
            }

            Scale(gradient, 1 / total);

            // Listwise: within a question, a right sentence above the others (what the answer's first sentence reads).
            var list = new double[names.Length];
            foreach (var example in listwise)
            {
                var scores = example.Candidates.Select(c => SentenceReader.Dot(weights, c.Features)).ToArray();
                var max = scores.Max();
                var exp = scores.Select(z => Math.Exp(z - max)).ToArray();
                var everyone = exp.Sum();
                var right = example.Candidates.Select((c, i) => c.Right ? exp[i] : 0).Sum();
                for (var i = 0; i < scores.Length; i++)
                {
                    // The softmax over the question's candidates against its share among the right ones.
                    var predicted = exp[i] / everyone;
                    var wanted = example.Candidates[i].Right ? exp[i] / right : 0;
                    Add(list, example.Candidates[i].Features, predicted - wanted);
                }
            }

            Scale(list, 1.0 / Math.Max(1, listwise.Count));
            for (var i = 0; i < weights.Length; i++)
            {
                weights[i] -= Rate * (gradient[i] + list[i] + (i == 0 ? 0 : L2 * weights[i]));
            }
        }

        var ranking = names.Select((n, i) => (n, Math.Round(weights[i], 4))).ToDictionary(x => x.n, x => x.Item2);
        var model = new ReaderModel(ranking, SentenceReader.AbstentionNames.ToDictionary(n => n, _ => 0.0), 0);
        model = new ReaderModel(ranking, FitAbstention(model, examples), 0);
        return model with { AbstainBelow = Threshold(model, examples) };
    }

    /// <summary>
    /// Whether the best-ranked sentence answers: a logistic regression over the tuning questions whose best sentence
    /// is right (yes) and the unanswerable ones (no). An answerable question whose best sentence is wrong teaches
    /// nothing about abstaining: answering it or not, the reply misses the fact.
    /// </summary>
    private static Dictionary<string, double> FitAbstention(ReaderModel ranking, IReadOnlyList<Example> examples)
    {
        var rows = new List<(double[] Features, bool Yes)>();
        foreach (var example in examples.Where(e => e.Candidates.Count > 0))
        {
            var best = example.Candidates.MaxBy(c => ranking.Logit(c.Features))!;
            if (example.Answerable && !best.Right)
            {
                continue;
            }

            rows.Add((SentenceReader.AbstentionFeatures(best.Features, ranking.Logit(best.Features)), best.Right));
        }

        var weights = new double[SentenceReader.AbstentionNames.Length];
        var yes = rows.Count(r => r.Yes);
        var (yesWeight, noWeight) = yes == 0 || yes == rows.Count ? (1.0, 1.0) : (rows.Count / (2.0 * yes), rows.Count / (2.0 * (rows.Count - yes)));
        var gradient = new double[weights.Length];
        for (var round = 0; round < Rounds; round++)
        {
            Array.Clear(gradient);
            foreach (var (features, isYes) in rows)
            {
                Add(gradient, features, (isYes ? yesWeight : noWeight) * (Probability(weights, features) - (isYes ? 1 : 0)));
            }

            Scale(gradient, 1.0 / Math.Max(1, rows.Count));
            for (var i = 0; i < weights.Length; i++)
            {
                weights[i] -= Rate * (gradient[i] + (i == 0 ? 0 : AbstentionL2 * weights[i]));
            }
        }

        return SentenceReader.AbstentionNames.Select((n, i) => (n, Math.Round(weights[i], 4))).ToDictionary(x => x.n, x => x.Item2);
    }

    // Few rows (one a question): a stronger pull towards zero than the ranking's.
    private const double AbstentionL2 = 0.05;

    /// <summary>The lowest probability that keeps the unanswerable questions answered within <see cref="UnanswerableShare"/>.</summary>
    private static double Threshold(ReaderModel model, IReadOnlyList<Example> examples)
    {
        var unanswerable = examples.Where(e => !e.Answerable)
            .Select(e => Confidence(model, e))
            .OrderByDescending(p => p)
            .ToList();
        var allowed = (int)Math.Floor(UnanswerableShare * unanswerable.Count);
        return unanswerable.Count <= allowed ? 0.5 : Math.Round(Math.Min(0.99, unanswerable[allowed] + 0.0001), 4);
    }

    /// <summary>How the model reads the examples: right sentence first, answered, unanswerable answered.</summary>
    public static string Describe(ReaderModel model, IReadOnlyList<Example> examples)
    {
        var answerable = examples.Where(e => e.Answerable).ToList();
        var first = answerable.Count(e => e.Candidates.Count > 0 && e.Candidates.MaxBy(c => model.Logit(c.Features))!.Right);
        var answered = answerable.Count(e => e.Candidates.Count > 0 && e.Candidates.MaxBy(c => model.Logit(c.Features))!.Right && Confidence(model, e) >= model.AbstainBelow);
        var reachable = answerable.Count(e => e.Candidates.Any(c => c.Right));
        var unanswerable = examples.Where(e => !e.Answerable).ToList();
        var wrong = unanswerable.Count(e => Confidence(model, e) >= model.AbstainBelow);
        var closest = unanswerable.Select(e => (e.Question, Confidence: Confidence(model, e))).OrderByDescending(x => x.Confidence).Take(4)
            .Select(x => string.Create(CultureInfo.InvariantCulture, $"\n    {x.Confidence:F3} {x.Question}"));
        return $"a right sentence among the candidates {reachable}/{answerable.Count}, ranked first {first}, first and answered {answered}; " +
            $"unanswerable answered {wrong}/{unanswerable.Count}; abstain below {model.AbstainBelow:F4}; the unanswerable questions it is surest of:{string.Concat(closest)}";
    }

    private static double Confidence(ReaderModel model, Example example) =>
        example.Candidates.Count == 0 ? 0 : model.Confidence(example.Candidates.MaxBy(c => model.Logit(c.Features))!.Features);

    private static double Probability(double[] weights, double[] features) => 1 / (1 + Math.Exp(-SentenceReader.Dot(weights, features)));

    private static void Add(double[] into, double[] features, double factor)
    {
        for (var i = 0; i < into.Length; i++)
        {
            into[i] += factor * features[i];
        }
    }

    private static void Scale(double[] values, double factor)
    {
        for (var i = 0; i < values.Length; i++)
        {
            values[i] *= factor;
        }
    }
}
