using BriefingBot.Core.Articles;

namespace BriefingBot.Core.Answering;

/// <summary>A numbered source of an answer: <c>[n]</c> in the text points to it.</summary>
public sealed record Source(int N, Article Article)
{
    /// <summary>An answer's source for <paramref name="article"/>: the one it has, or the next number, added.</summary>
    internal static Source Of(List<Source> sources, Article article)
    {
        var source = sources.Find(s => s.Article.Id == article.Id);
        if (source is null)
        {
            source = new Source(sources.Count + 1, article);
            sources.Add(source);
        }

        return source;
    }
}

/// <summary>A sentence taken verbatim from an article, cited by its source number.</summary>
public sealed record Citation(int N, Article Article, TextSpan Span, string Sentence);

/// <summary>How an answer was made; shown to users so they know what they are reading.</summary>
public enum AnswerMethod
{
    Extractive,
    Generated,
}

/// <summary>
/// An answer grounded in the corpus, or an abstention. When <see cref="Abstained"/> is true, <see cref="Citations"/>
/// holds the nearest sources instead of an answer.
/// </summary>
public sealed record Answer(
    string Question,
    string Text,
    bool Abstained,
    IReadOnlyList<Citation> Citations,
    IReadOnlyList<Source> Sources,
    AnswerMethod Method,
    double Confidence)
{
    /// <summary>How a follow-up was read in the context of the question before it; null for a question read as asked.</summary>
    public string? Interpretation { get; init; }

    /// <summary>The words of the leading sentence that answer ("13 police officers", "Qamishli"), when the question asks for a number, a place, a name or a date.</summary>
    public string? ShortAnswer { get; init; }

    /// <summary>
    /// For a "how many" question whose sources give different figures: each source's figure, oldest first, each
    /// cited (its sentence is among <see cref="Citations"/>). Empty when the sources agree or the question counts nothing.
    /// </summary>
    public IReadOnlyList<Figure> Figures { get; init; } = [];

    /// <summary>
    /// For a "who did it" question whose sources disagree: each source's account of who was responsible (or its
    /// denial), oldest first, each cited. The answer then states none of them as fact. Empty when sources agree.
    /// </summary>
    public IReadOnlyList<Claim> Claims { get; init; } = [];

    /// <summary>
    /// For a question about how things stand now, asked of a corpus whose newest article is older than a few weeks:
    /// the day of that article, which "now" was read against. The answer says what the articles said then.
    /// </summary>
    public DateTimeOffset? AsOf { get; init; }

    /// <summary>"As of 4 Oct 2017 (the newest articles I have)", when <see cref="AsOf"/> is set.</summary>
    public string? AsOfLine => AsOf is { } day ? $"As of {day.ToString("d MMM yyyy", System.Globalization.CultureInfo.InvariantCulture)} (the newest articles I have)" : null;

    public const string AbstentionText = "The articles I have don't answer that.";
}
