using System.Globalization;
using BriefingBot.Core.Answering;
using BriefingBot.Core.Articles;
using BriefingBot.Core.Quotes;

namespace BriefingBot.Core.Chat;

/// <summary>What a card shows, so a platform can style it (colour, icon) without knowing the reply.</summary>
public enum CardKind
{
    Answer,
    NotAnswered,
    Quote,
    Story,
    Info,
    Error,
}

/// <summary>A numbered source as a card lists it: <c>[n]</c> in the card's body points to it.</summary>
public sealed record CardSource(int N, string Title, string? Outlet, string? Published, string? Url, string? Excerpt = null)
{
    public static CardSource From(int n, Article article, string? excerpt = null) =>
        new(n, article.Title, article.Outlet, article.Published, article.Url, excerpt);

    /// <summary>"Outlet, date", leaving out what is unknown; empty when both are.</summary>
    public string OutletAndDate => string.Join(", ", new[] { Outlet, Published }.Where(s => !string.IsNullOrEmpty(s)));
}

/// <summary>
/// One unit of a reply as chat platforms show it (a Discord embed, a run of Slack blocks). All text is plain and
/// unescaped: each platform escapes it for its own markup and splits it to its own limits.
/// </summary>
/// <param name="Context">A line above the body: how a follow-up was read, who is quoted.</param>
/// <param name="Body">Paragraphs separated by blank lines; may hold <c>[n]</c> markers for <paramref name="Sources"/>.</param>
/// <param name="Footer">How the content was made (extractive or generated), for the reader to weigh it.</param>
public sealed record ReplyCard(
    CardKind Kind,
    string? Title,
    string? TitleUrl,
    string? Context,
    string Body,
    IReadOnlyList<CardSource> Sources,
    string? Footer);

/// <summary>A reply laid out for chat platforms: an optional line of plain text, then cards.</summary>
public sealed record ReplyLayout(string? Header, IReadOnlyList<ReplyCard> Cards)
{
    public const string ExtractiveFooter = "Extractive answer: every sentence is quoted from the cited article.";
    public const string GeneratedFooter = "Written by a language model from these sources and checked against them.";

    /// <summary>A short plain-text version for notifications and screen readers.</summary>
    public string Summary
    {
        get
        {
            var first = Cards.FirstOrDefault();
            var text = Header ?? (first is null ? string.Empty : first.Title is { } title ? $"{title}: {first.Body}" : first.Body);
            return TextSplitter.Shorten(text, 280);
        }
    }

    public static ReplyLayout For(ChatReply reply) => reply switch
    {
        AnswerReply answer => ForAnswer(answer.Answer),
        QuoteReply quotes => ForQuotes(quotes.Lookup),
        BriefingReply briefing => ForBriefing(briefing.Briefing),
        SourcesReply sources => ForStats(sources.Stats, sources.Feeds),
        NewArticlesReply news => ForNewArticles(news),
        FollowsReply followed => ForFollows(followed),
        SettingsReply settings => new(null, [Card(CardKind.Info, "This channel's settings", string.Join('\n', new[]
        {
            settings.Message,
            $"Answers to commands: {settings.Answers}",
            $"Daily briefing: {settings.Briefing}",
            settings.Follows.Count == 0 ? "Followed topics: none" : "Followed topics: " + string.Join(", ", settings.Follows.Select(f => $"“{f.Words}”")),
            TextCommands.SettingsUsage,
        }.OfType<string>()))]),
        HelpReply help => new(null, [Card(CardKind.Info, "What I can do", string.Join('\n', help.Commands.Select(c => $"{c.Command} — {c.Description}")))]),
        ErrorReply error => new(null, [Card(CardKind.Error, null, error.Message)]),
        ThrottledReply throttled => new(null, [Card(CardKind.Info, null, throttled.Message)]),
        _ => new(null, [Card(CardKind.Error, null, "There is nothing to show for that.")]),
    };

    public static ReplyLayout ForAnswer(Answer answer)
    {
        var context = answer.Interpretation is { } understood ? $"Taking this as: {understood}" : null;
        if (answer.AsOfLine is { } asOf && !answer.Abstained)
        {
            context = context is null ? asOf : $"{context} · {asOf}";
        }

        if (answer.Abstained)
        {
            var nearest = answer.Citations.Select(c => CardSource.From(c.N, c.Article, c.Sentence)).ToList();
            var notAnswered = nearest.Count > 0 ? $"{answer.Text} The nearest sources are below; check them yourself." : answer.Text;
            return new(null, [new ReplyCard(CardKind.NotAnswered, "Not answered by the articles", null, context, notAnswered, nearest, null)]);
        }

        var sources = answer.Sources.Select(s => CardSource.From(s.N, s.Article)).ToList();
        var footer = answer.Method == AnswerMethod.Generated ? GeneratedFooter : ExtractiveFooter;
        var body = answer.Figures.Count == 0 ? answer.Text : $"{answer.Text}\n\n{FiguresLine(answer.Figures)}";
        body = answer.Claims.Count == 0 ? body : $"{body}\n\n{Answering.Claims.Line(answer.Claims)}";
        // The short answer, when there is one, heads the card: "13 police officers", then the sentences that say it.
        return new(null, [new ReplyCard(CardKind.Answer, answer.ShortAnswer, null, context, body, sources, footer)]);
    }

    /// <summary>"Reports differ: 58 people (Observatory, 4 Apr 2017) [1] → 86 people (5 Apr 2017) [3]", oldest first.</summary>
    public static string FiguresLine(IReadOnlyList<Figure> figures) =>
        "Reports differ: " + Answering.Figures.Chain(figures);

    public static ReplyLayout ForQuotes(QuoteLookup lookup)
    {
        var about = lookup.Topic is null ? string.Empty : $" about “{lookup.Topic}”";
        if (lookup.Speaker is not null && lookup.MatchedSpeakers.Count == 0)
        {
            var text = $"Nobody called “{lookup.Speaker}” is quoted in the articles.";
            if (lookup.Suggestions.Count > 0)
            {
                text += " Closest names: " + string.Join(", ", lookup.Suggestions.Select(s => $"{s.Name} ({s.Quotes})")) + ".";
            }

            return new(null, [Card(CardKind.NotAnswered, "No such speaker", text)]);
        }

        if (lookup.Quotes.Count == 0)
        {
            var who = lookup.MatchedSpeakers.Count > 0 ? string.Join(" / ", lookup.MatchedSpeakers.Select(s => s.Name)) : null;
            var text = who is null ? $"No quotes{about} in the articles." : $"No direct quotes from {who}{about} in the articles.";
            var cards = new List<ReplyCard> { Card(CardKind.NotAnswered, "No quotes found", text) };
            cards.AddRange(lookup.Paraphrases.Select(hit => new ReplyCard(
                CardKind.Info, null, null, $"{SpeakerLine(hit.Quote.Speaker)} (in the article's own words, not a quote)", hit.Quote.Text,
                [CardSource.From(1, hit.Article)], null)));
            return new(null, cards);
        }

        return new(null, lookup.Quotes.Select(QuoteCard).ToList());
    }

    private static ReplyCard QuoteCard(QuoteHit hit) => new(
        CardKind.Quote,
        null,
        null,
        SpeakerLine(hit.Quote.Speaker),
        $"“{hit.Quote.Text.Trim()}”{(hit.Quote.Kind == QuoteKind.Partial ? " (partial quote)" : string.Empty)}",
        [CardSource.From(1, hit.Article)],
        null);

    private static string SpeakerLine(Speaker speaker) => speaker.Description is { } description ? $"{speaker.Name}, {description}" : speaker.Name;

    /// <summary>"Briefing — Thursday 26 November 2026, covering 2026-11-25 07:00 to 2026-11-26 07:00 Europe/Istanbul (UTC+03:00)": the window in the briefing's own time zone.</summary>
    public static string BriefingHeading(Briefing.Briefing briefing)
    {
        var from = TimeZoneInfo.ConvertTime(briefing.From, briefing.Zone);
        var to = TimeZoneInfo.ConvertTime(briefing.To, briefing.Zone);
        var window = briefing.SinceLastBriefing ? "since the last briefing" : "covering";
        var zone = briefing.Zone == TimeZoneInfo.Utc || briefing.Zone.Id is "UTC" or "Etc/UTC"
            ? "UTC"
            : string.Create(CultureInfo.InvariantCulture, $"{briefing.Zone.Id} (UTC{(to.Offset < TimeSpan.Zero ? "-" : "+")}{to.Offset:hh\\:mm})");
        return string.Create(CultureInfo.InvariantCulture, $"Briefing — {to:dddd d MMMM yyyy}, {window} {from:yyyy-MM-dd HH:mm} to {to:yyyy-MM-dd HH:mm} {zone}");
    }

    public static ReplyLayout ForBriefing(Briefing.Briefing briefing)
    {
        var header = BriefingHeading(briefing);
        if (briefing.NothingNew)
        {
            return new(header, [Card(CardKind.Info, null, briefing.SinceLastBriefing ? "Nothing new since the last briefing." : "Nothing new in this window.")]);
        }

        header += $" · {Text.Counts.Of(briefing.Articles, "article")}, {(briefing.Items.Count == 1 ? "1 story" : $"{briefing.Items.Count} stories")}";
        var cards = new List<ReplyCard>();
        var number = 0;
        foreach (var item in briefing.Items)
        {
            var outlets = item.Sources.Select(s => s.Article.Outlet).Where(o => o is not null).Distinct().Count();
            var footer = item.Generated
                ? "Summary written by a language model from these articles and checked against them."
                : outlets > 1 ? $"Reported by {outlets} outlets." : null;
            cards.Add(new ReplyCard(
                CardKind.Story,
                $"{++number}. {item.Headline}",
                item.Sources.Count > 0 ? item.Sources[0].Article.Url : null,
                null,
                string.Join('\n', new[] { string.Join(' ', item.Summary.Select(s => $"{s.Sentence} [{s.N}]")) }.Concat(item.Figures.Select(f => f.Line))),
                item.Sources.Select(s => CardSource.From(s.N, s.Article)).ToList(),
                footer));
        }

        foreach (var hit in briefing.Quotes)
        {
            cards.Add(QuoteCard(hit) with { Title = "Notable quote" });
        }

        if (briefing.Undated > 0)
        {
            cards.Add(Card(CardKind.Info, null, briefing.Undated == 1
                ? "1 article without a publication date counts by when it was first ingested."
                : $"{Text.Counts.Of(briefing.Undated, "article")} without a publication date count by when they were first ingested."));
        }

        return new(header, cards);
    }

    public static ReplyLayout ForStats(CorpusStats stats, IReadOnlyList<Feeds.FeedState>? feeds = null)
    {
        var lines = new List<string>
        {
            Text.Counts.Of(stats.Articles, "article") + " in " + Text.Counts.Of(stats.Passages, "passage")
                + string.Create(CultureInfo.InvariantCulture, $" ({stats.PassagesEmbedded:N0} with embeddings)."),
        };
        if (stats.EarliestPublished is not null)
        {
            lines.Add($"Published {stats.EarliestPublished} to {stats.LatestPublished}.");
        }

        if (stats.Undated > 0)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{stats.Undated} without a publication date."));
        }

        if (stats.Outlets.Count > 0)
        {
            lines.Add("Outlets: " + string.Join(", ", stats.Outlets.Take(20).Select(o => $"{o.Outlet ?? "unknown"} ({o.Articles})")));
        }

        var cards = new List<ReplyCard> { Card(CardKind.Info, "What the corpus holds", string.Join('\n', lines)) };
        if (feeds is { Count: > 0 })
        {
            cards.Add(Card(CardKind.Info, "News feeds", string.Join('\n', feeds.Take(25).Select(feed => FeedLine(feed, forOperators: false)))));
        }

        return new(null, cards);
    }

    /// <summary>
    /// "Outlet — address: 12 articles, last read 09:14 UTC; failing since …". Operators (the command line, the shell)
    /// see the feed's whole address and the last error; chat users see its host and path only, and that it is failing:
    /// an address may carry a password or a key, and an error may name the bot's own network.
    /// </summary>
    public static string FeedLine(Feeds.FeedState feed, bool forOperators = true)
    {
        var address = forOperators ? feed.Feed.Url : PublicAddress(feed.Feed.Url);
        var line = $"{feed.Feed.Outlet ?? address} — {address}: {Text.Counts.Of(feed.Articles, "article")}";
        line += feed.LastSuccess is { } success ? $", last read {When(success)}" : ", not read yet";
        if (feed.LastError is { } error && (feed.LastSuccess is null || feed.LastErrorAt > feed.LastSuccess))
        {
            line += $"; failing since {When(feed.LastErrorAt ?? default)} ({feed.Failures}×)";
            line += forOperators ? $": {TextSplitter.Shorten(error, 160)}" : " (the reason is in the bot's log)";
        }

        return line;
    }

    /// <summary>A feed's host and path: no credentials, port, query or fragment.</summary>
    public static string PublicAddress(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.IdnHost + uri.AbsolutePath.TrimEnd('/') : "(an address that is not a URL)";

    private static string When(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>
    /// New articles for followed topics: one article as a card of its own (headline, outlet, first sentence, link); the
    /// reports of one story as one card (the first report's headline and lead, then each report); or a digest, a line
    /// a story.
    /// </summary>
    public static ReplyLayout ForNewArticles(NewArticlesReply news)
    {
        var topic = string.Join(", ", news.Words.Select(w => $"“{w}”"));
        if (!news.Digest && news.Stories.Count == 1)
        {
            var story = news.Stories[0];
            var first = story[0];
            if (story.Count == 1)
            {
                return new($"New on {topic}", [new ReplyCard(CardKind.Story, first.Title, first.Url, CardSource.From(1, first).OutletAndDate, Lead(first), [], null)]);
            }

            var reports = string.Join('\n', story.Select((a, i) => $"{a.Title} — {CardSource.From(i + 1, a).OutletAndDate} [{i + 1}]"));
            return new(
                $"New on {topic}: {Text.Counts.Of(story.Count, "report")} of one story",
                [new ReplyCard(CardKind.Story, first.Title, first.Url, null, $"{Lead(first)} [1]\n{reports}", story.Select((a, i) => CardSource.From(i + 1, a, Lead(a))).ToList(), null)]);
        }

        // Numbered across the digest; a story's further reports on its line.
        var n = 0;
        var lines = news.Stories.Select(story => string.Join(" · ", story.Select((a, i) => i == 0
            ? $"{a.Title} — {CardSource.From(++n, a).OutletAndDate} [{n}]"
            : $"{CardSource.From(++n, a).OutletAndDate} [{n}]")));
        var articles = news.Articles;
        return new(
            $"{Text.Counts.Of(articles.Count, "new article")} on {topic}",
            [new ReplyCard(CardKind.Story, "Digest", null, null, string.Join('\n', lines), articles.Select((a, i) => CardSource.From(i + 1, a, Lead(a))).ToList(), null)]);
    }

    private static string Lead(Article article)
    {
        var text = article.Text;
        var end = text.IndexOfAny(['\n']);
        var first = end < 0 ? text : text[..end];
        var sentence = Text.SentenceSplitter.Split(first, 0, first.Length).FirstOrDefault();
        return TextSplitter.Shorten(sentence.Length > 0 ? first.Substring(sentence.Start, sentence.Length) : first, 300);
    }

    public static ReplyLayout ForFollows(FollowsReply followed)
    {
        var list = followed.Follows.Count == 0
            ? "This channel follows no topics. /follow <words> posts new articles on them here."
            : "Followed here: " + string.Join(", ", followed.Follows.Select(f => $"“{f.Words}”")) + ".";
        return new(null, [Card(CardKind.Info, null, followed.Message is { } message ? $"{message}\n{list}" : list)]);
    }

    private static ReplyCard Card(CardKind kind, string? title, string body) => new(kind, title, null, null, body, [], null);
}
