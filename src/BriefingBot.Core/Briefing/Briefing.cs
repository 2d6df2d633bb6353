using BriefingBot.Core.Articles;
using BriefingBot.Core.Quotes;

namespace BriefingBot.Core.Briefing;

/// <summary>A numbered source of a briefing item: <c>[n]</c> in its summary points to it.</summary>
public sealed record BriefingSource(int N, Article Article);

/// <summary>A summary sentence: verbatim from the cited article, or (when <see cref="BriefingItem.Generated"/>) written by a model and checked against it.</summary>
public sealed record SummarySentence(string Sentence, int N, ArticleId ArticleId, TextSpan Span);

/// <summary>One story: the articles of several outlets about it, a headline and a short cited summary.</summary>
public sealed record BriefingItem(string Headline, IReadOnlyList<SummarySentence> Summary, IReadOnlyList<BriefingSource> Sources, double Importance)
{
    /// <summary>The summary was written by a language model from the articles' leads and passed the source check.</summary>
    public bool Generated { get; init; }

    /// <summary>Counts the story's articles give differently (the death toll as it moved), each figure cited, oldest first.</summary>
    public IReadOnlyList<Answering.StoryFigures> Figures { get; init; } = [];
}

/// <summary>
/// What is new between <see cref="From"/> and <see cref="To"/>. Articles without a publication date count by when
/// they were first ingested; <see cref="Undated"/> says how many did.
/// </summary>
public sealed record Briefing(
    DateTimeOffset From,
    DateTimeOffset To,
    bool SinceLastBriefing,
    IReadOnlyList<BriefingItem> Items,
    IReadOnlyList<QuoteHit> Quotes,
    int Articles,
    int Undated)
{
    public bool NothingNew => Items.Count == 0;

    /// <summary>The time zone the briefing's window is shown in (Briefing:TimeZone); UTC unless set.</summary>
    public TimeZoneInfo Zone { get; init; } = TimeZoneInfo.Utc;
}
