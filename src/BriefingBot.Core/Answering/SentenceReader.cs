using System.Text.Json;
using System.Text.Json.Serialization;

namespace BriefingBot.Core.Answering;

/// <summary>
/// The reader's weights: a logistic model over <see cref="SentenceReader.FeatureNames"/> for each kind of search (with
/// dense vectors, or keywords alone), and the probability below which the bot abstains. Fitted on the tuning halves of
/// the evaluation sets by <c>eval-answers --fit</c>, which writes this file; numbers chosen by eye have no place here.
/// </summary>
public sealed record ReaderWeights(
    [property: JsonPropertyName("fittedOn")] string FittedOn,
    [property: JsonPropertyName("hybrid")] ReaderModel Hybrid,
    [property: JsonPropertyName("keywordOnly")] ReaderModel KeywordOnly)
{
    private const string Resource = "BriefingBot.Core.Answering.ReaderWeights.json";

    /// <summary>The weights that come with the bot.</summary>
    public static ReaderWeights Bundled { get; } = LoadBundled();

    public ReaderModel For(bool usedDense) => usedDense ? Hybrid : KeywordOnly;

    public static ReaderWeights Load(string path)
    {
        using var stream = File.OpenRead(path);
        return Parse(stream, path);
    }

    public string ToJson() => JsonSerializer.Serialize(this, ReaderJson.Default.ReaderWeights);

    private static ReaderWeights LoadBundled()
    {
        using var stream = typeof(ReaderWeights).Assembly.GetManifestResourceStream(Resource)
            ?? throw new BriefingBotException($"The reader's weights ({Resource}) are missing from the build.");
        return Parse(stream, Resource);
    }

    private static ReaderWeights Parse(Stream stream, string name)
    {
        var weights = JsonSerializer.Deserialize(stream, ReaderJson.Default.ReaderWeights) ?? throw new BriefingBotException($"{name} holds no reader weights.");
        foreach (var model in new[] { weights.Hybrid, weights.KeywordOnly })
        {
            var unknown = SentenceReader.FeatureNames.Where(f => !model.Weights.ContainsKey(f))
                .Concat(SentenceReader.AbstentionNames.Where(f => !model.Abstention.ContainsKey(f)).Select(f => "abstention " + f))
                .ToList();
            if (unknown.Count > 0)
            {
                throw new BriefingBotException($"{name} has no weight for {string.Join(", ", unknown)}: fit the reader again (eval-answers --fit).");
            }
        }

        return weights;
    }
}

/// <summary>
/// Two logistic models: one ranks the candidate sentences (a weight per <see cref="SentenceReader.FeatureNames"/>),
/// one says whether the best of them answers at all (a weight per <see cref="SentenceReader.AbstentionNames"/>), with
/// the probability below which the bot abstains.
/// </summary>
public sealed record ReaderModel(
    [property: JsonPropertyName("weights")] IReadOnlyDictionary<string, double> Weights,
    [property: JsonPropertyName("abstention")] IReadOnlyDictionary<string, double> Abstention,
    [property: JsonPropertyName("abstainBelow")] double AbstainBelow)
{
    private InOrder? _ordered;
    private InOrder? _abstention;

    /// <summary>How likely a sentence with <paramref name="features"/> states the answer, in the right article, as a logit.</summary>
    public double Logit(IReadOnlyList<double> features) =>
        SentenceReader.Dot(InOrder.Of(ref _ordered, Weights, SentenceReader.FeatureNames), features);

    /// <summary>The probability that a sentence with <paramref name="features"/> states the answer, in the right article.</summary>
    public double Probability(IReadOnlyList<double> features) => 1 / (1 + Math.Exp(-Logit(features)));

    /// <summary>The probability that the best sentence, with <paramref name="features"/>, answers the question at all.</summary>
    public double Confidence(IReadOnlyList<double> features) =>
        1 / (1 + Math.Exp(-SentenceReader.Dot(InOrder.Of(ref _abstention, Abstention, SentenceReader.AbstentionNames), SentenceReader.AbstentionFeatures(features, Logit(features)))));

    /// <summary>
    /// A model's weights in its features' order, kept with the dictionary they were read from, so a copy made with
    /// <c>with</c> and other weights never uses the old ones (and a concurrent reader sees a whole pair).
    /// </summary>
    private sealed record InOrder(IReadOnlyDictionary<string, double> From, double[] Values)
    {
        public static double[] Of(ref InOrder? cache, IReadOnlyDictionary<string, double> weights, string[] names)
        {
            var known = cache;
            if (known is null || !ReferenceEquals(known.From, weights))
            {
                cache = known = new InOrder(weights, names.Select(n => weights[n]).ToArray());
            }

            return known.Values;
        }
    }
}

[JsonSerializable(typeof(ReaderWeights))]
[JsonSourceGenerationOptions(WriteIndented = true)]
internal sealed partial class ReaderJson : JsonSerializerContext;

/// <summary>
/// What the reader weighs of a candidate sentence: how much of the question it says, how close its passage is in
/// meaning, whether it holds the kind of thing asked for, whether its article fits what the question pins down,
/// where it stands. Constraints are features, not vetoes: the fitted weights say how much each counts.
/// </summary>
public static class SentenceReader
{
    public static readonly string[] FeatureNames =
    [
        "bias", "own", "context", "dense", "years", "names", "predicate", "typedHolds", "typedLacks", "countLoose", "namedHolds", "namedLacks",
        "vague", "headline", "lead", "paragraph", "rank", "previous", "next", "novelty", "length", "asking", "article", "blend", "sentence",
    ];

    /// <summary>What the abstention model weighs of the best sentence: its ranking logit and what says most of its fit.</summary>
    public static readonly string[] AbstentionNames = ["bias", "logit", "own", "context", "dense", "years", "names", "predicate", "typedLacks", "namedLacks", "asking", "article", "blend", "sentence"];

    private static readonly int[] AbstentionSources = AbstentionNames.Skip(2).Select(n => Array.IndexOf(FeatureNames, n)).ToArray();

    /// <summary>The abstention model's features from the best sentence's features and ranking logit.</summary>
    public static double[] AbstentionFeatures(IReadOnlyList<double> features, double logit) =>
        [1, logit, .. AbstentionSources.Select(i => features[i])];

    /// <summary>The weighted sum of <paramref name="features"/>: a logistic model's logit.</summary>
    public static double Dot(IReadOnlyList<double> weights, IReadOnlyList<double> features)
    {
        var z = 0.0;
        for (var i = 0; i < weights.Count; i++)
        {
            z += weights[i] * features[i];
        }

        return z;
    }

    /// <summary>What is known of a sentence beside its own scores: its article's fit, its place, its neighbours'.</summary>
    public readonly record struct Situation(QuestionAnalysis.ArticleFit Fit, int Paragraph, int Rank, double Previous, double Next);

    public static double[] Features(ExtractiveAnswerer.ScoredSentence sentence, QuestionAnalysis analysis, Situation situation)
    {
        var typed = analysis.Type != AnswerType.Any;
        var named = analysis.AsksForName && analysis.NovelName(sentence.Text) is not null;
        var vague = typed && sentence.ShortAnswer is { } answer && analysis.Type == AnswerType.Count && ExtractiveAnswerer.IsVague(answer);
        var words = sentence.Text.Count(c => c == ' ') + 1;
        return
        [
            1,
            sentence.Own,
            sentence.Context,
            sentence.Dense,
            situation.Fit.Years ? 1 : 0,
            situation.Fit.Names ? 1 : 0,
            situation.Fit.Predicate ? 1 : 0,
            typed && sentence.HoldsAnswer ? 1 : 0,
            typed && !sentence.HoldsAnswer ? 1 : 0,
            analysis.Type == AnswerType.Count && !sentence.HoldsAnswer && analysis.HoldsNumber(sentence.Text) ? 1 : 0,
            named ? 1 : 0,
            analysis.AsksForName && !named ? 1 : 0,
            vague ? 1 : 0,
            sentence.Headline ? 1 : 0,
            situation.Paragraph == 0 ? 1 : 0,
            1.0 / (1 + situation.Paragraph),
            1.0 / (1 + situation.Rank),
            situation.Previous,
            situation.Next,
            analysis.Novelty(sentence.Text),
            Math.Min(1, words / 40.0),
            sentence.Asking,
            sentence.ArticleCoverage,
            sentence.Blend,
            sentence.Dense, // the passage's closeness until the sentence's own is read (ExtractiveAnswerer.ReadCloselyAsync)
        ];
    }
}
