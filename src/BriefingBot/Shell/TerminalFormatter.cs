using System.Globalization;
using System.Text;
using BriefingBot.Core.Answering;
using BriefingBot.Core.Articles;
using BriefingBot.Core.Chat;
using BriefingBot.Core.Quotes;
using BriefingBot.Core.Text;

namespace BriefingBot.Shell;

/// <summary>Renders replies as plain terminal text: the answer with its [n] markers, then the numbered sources.</summary>
public static class TerminalFormatter
{
    public static string Format(ChatReply reply) => reply switch
    {
        AnswerReply answer => FormatAnswer(answer.Answer),
        SourcesReply sources => FormatStats(sources.Stats) + FormatFeeds(sources.Feeds),
        NewArticlesReply or FollowsReply or SettingsReply => FormatLayout(ReplyLayout.For(reply)),
        QuoteReply quotes => FormatQuotes(quotes.Lookup),
        BriefingReply briefing => FormatBriefing(briefing.Briefing),
        HelpReply help => FormatHelp(help),
        ErrorReply error => error.Message,
        ThrottledReply throttled => throttled.Message,
        _ => string.Empty,
    };

    public static string FormatAnswer(Answer answer)
    {
        var sb = new StringBuilder();
        if (answer.Interpretation is { } understood)
        {
            sb.Append("(Taking this as: ").Append(understood).AppendLine(")");
        }

        if (!answer.Abstained && answer.AsOfLine is { } asOf)
        {
            sb.Append('(').Append(asOf).AppendLine(")");
        }

        if (!answer.Abstained && answer.ShortAnswer is { } shortAnswer)
        {
            sb.Append("Answer: ").AppendLine(shortAnswer);
        }

        if (answer.Abstained)
        {
            sb.AppendLine(answer.Text);
            if (answer.Citations.Count > 0)
            {
                sb.AppendLine().AppendLine("Nearest sources:");
                foreach (var citation in answer.Citations)
                {
                    sb.Append(CultureInfo.InvariantCulture, $"  [{citation.N}] ").AppendLine(SourceLine(citation.Article));
                    sb.Append("      ").AppendLine(Core.Chat.Excerpts.Quoted(citation.Sentence));
                }
            }

            return sb.ToString().TrimEnd();
        }

        sb.AppendLine(answer.Text);
        if (answer.Figures.Count > 0)
        {
            sb.AppendLine().AppendLine(ReplyLayout.FiguresLine(answer.Figures));
        }

        if (answer.Claims.Count > 0)
        {
            sb.AppendLine().AppendLine(Claims.Line(answer.Claims));
        }

        sb.AppendLine().AppendLine("Sources:");
        foreach (var source in answer.Sources)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  [{source.N}] ").AppendLine(SourceLine(source.Article));
        }

        if (answer.Method == AnswerMethod.Generated)
        {
            sb.AppendLine().AppendLine("Written by a language model from these sources and checked against them.");
        }

        return sb.ToString().TrimEnd();
    }

    public static string FormatBriefing(Core.Briefing.Briefing briefing)
    {
        var sb = new StringBuilder();
        sb.AppendLine(Core.Chat.ReplyLayout.BriefingHeading(briefing));
        if (briefing.NothingNew)
        {
            sb.AppendLine().Append(briefing.SinceLastBriefing ? "Nothing new since the last briefing." : "Nothing new in this window.");
            return sb.ToString();
        }

        sb.AppendLine(CultureInfo.InvariantCulture,
            $"{Counts.Of(briefing.Articles, "article")}; {(briefing.Items.Count == 1 ? "the top story" : $"the top {briefing.Items.Count} stories")}:");
        var number = 0;
        foreach (var item in briefing.Items)
        {
            sb.AppendLine().Append(CultureInfo.InvariantCulture, $"{++number}. ").AppendLine(item.Headline);
            sb.Append("   ").AppendLine(string.Join(' ', item.Summary.Select(s => $"{s.Sentence} [{s.N}]")));
            foreach (var figures in item.Figures)
            {
                sb.Append("   ").AppendLine(figures.Line);
            }

            if (item.Generated)
            {
                sb.AppendLine("   (summary written by a language model from these articles and checked against them)");
            }

            foreach (var source in item.Sources)
            {
                sb.Append(CultureInfo.InvariantCulture, $"   [{source.N}] ").AppendLine(SourceLine(source.Article));
            }
        }

        if (briefing.Quotes.Count > 0)
        {
            sb.AppendLine().AppendLine("Notable quotes");
            foreach (var hit in briefing.Quotes)
            {
                sb.Append("   “").Append(hit.Quote.Text.Trim()).Append("” — ").Append(hit.Quote.Speaker.Name);
                if (hit.Quote.Speaker.Description is { } description)
                {
                    sb.Append(", ").Append(description);
                }

                sb.Append(" (").Append(hit.Article.Title).AppendLine(")");
            }
        }

        if (briefing.Undated > 0)
        {
            sb.AppendLine().Append(CultureInfo.InvariantCulture,
                $"{Counts.Of(briefing.Undated, "article")} without a publication date {(briefing.Undated == 1 ? "counts" : "count")} by when {(briefing.Undated == 1 ? "it was" : "they were")} first ingested.");
        }

        return sb.ToString().TrimEnd();
    }


    public static string FormatQuotes(QuoteLookup lookup)
    {
        var sb = new StringBuilder();
        var about = lookup.Topic is null ? string.Empty : $" about “{lookup.Topic}”";
        if (lookup.Speaker is not null && lookup.MatchedSpeakers.Count == 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"Nobody called “{lookup.Speaker}” is quoted in the corpus.");
            if (lookup.Suggestions.Count > 0)
            {
                sb.Append(" Closest names: ").Append(string.Join(", ", lookup.Suggestions.Select(s => $"{s.Name} ({s.Quotes})"))).Append('.');
            }

            return sb.ToString();
        }

        if (lookup.Quotes.Count == 0)
        {
            var who = lookup.MatchedSpeakers.Count > 0 ? string.Join(" / ", lookup.MatchedSpeakers.Select(s => s.Name)) : null;
            sb.AppendLine(who is null ? $"No quotes{about} in the corpus." : $"No direct quotes from {who}{about} in the corpus.");
            if (lookup.Paraphrases.Count > 0)
            {
                sb.AppendLine().AppendLine("What the articles report in their own words (paraphrase, not a quote):");
                foreach (var hit in lookup.Paraphrases)
                {
                    sb.Append("  • ").AppendLine(hit.Quote.Text);
                    sb.Append("    ").AppendLine(SourceLine(hit.Article));
                }
            }

            return sb.ToString().TrimEnd();
        }

        foreach (var hit in lookup.Quotes)
        {
            var quote = hit.Quote;
            sb.Append('“').Append(quote.Text.Trim()).Append('”');
            if (quote.Kind == QuoteKind.Partial)
            {
                sb.Append(" (partial quote)");
            }

            sb.AppendLine();
            sb.Append("  — ").Append(quote.Speaker.Name);
            if (quote.Speaker.Description is { } description)
            {
                sb.Append(", ").Append(description);
            }

            sb.AppendLine().Append("    ").AppendLine(SourceLine(hit.Article)).AppendLine();
        }

        return sb.ToString().TrimEnd();
    }

    /// <summary>"Title — Outlet, date — URL", leaving out what is unknown; the file stands in for a missing URL.</summary>
    public static string SourceLine(Article article)
    {
        var sb = new StringBuilder(article.Title);
        var outletAndDate = string.Join(", ", new[] { article.Outlet, article.Published }.Where(s => !string.IsNullOrEmpty(s)));
        if (outletAndDate.Length > 0)
        {
            sb.Append(" — ").Append(outletAndDate);
        }

        sb.Append(" — ").Append(article.Url ?? article.Source);
        return sb.ToString();
    }

    private static string FormatFeeds(IReadOnlyList<Core.Feeds.FeedState>? feeds) =>
        feeds is not { Count: > 0 } ? string.Empty : "\nNews feeds:\n" + string.Join('\n', feeds.Select(f => "  " + ReplyLayout.FeedLine(f)));

    /// <summary>A laid-out reply as plain lines: header, then each card's title, context, body and numbered sources.</summary>
    private static string FormatLayout(ReplyLayout layout)
    {
        var sb = new StringBuilder();
        if (layout.Header is { } header)
        {
            sb.AppendLine(header);
        }

        foreach (var card in layout.Cards)
        {
            foreach (var line in new[] { card.Title, card.TitleUrl, card.Context, card.Body }.Where(l => !string.IsNullOrEmpty(l)))
            {
                sb.AppendLine(line);
            }

            foreach (var source in card.Sources)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"  [{source.N}] {source.Title}{(source.OutletAndDate.Length > 0 ? $" — {source.OutletAndDate}" : string.Empty)}{(source.Url is { } url ? $" {url}" : string.Empty)}");
            }
        }

        return sb.ToString().TrimEnd();
    }

    private static string FormatStats(CorpusStats stats)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"{Counts.Of(stats.Articles, "article")}, {Counts.Of(stats.Passages, "passage")} ({stats.PassagesEmbedded} with embeddings).");
        if (stats.EarliestPublished is not null)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"Published {stats.EarliestPublished} to {stats.LatestPublished}.");
        }

        if (stats.Undated > 0)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"{Counts.Of(stats.Undated, "article")} without a publication date.");
        }

        if (stats.Outlets.Count > 0)
        {
            sb.AppendLine("Outlets: " + string.Join(", ", stats.Outlets.Take(20).Select(o => $"{o.Outlet ?? "unknown"} ({o.Articles})")));
        }

        return sb.ToString().TrimEnd();
    }

    private static string FormatHelp(HelpReply help)
    {
        var width = help.Commands.Max(c => c.Command.Length);
        var sb = new StringBuilder();
        foreach (var (command, description) in help.Commands)
        {
            sb.Append("  ").Append(command.PadRight(width)).Append("  ").AppendLine(description);
        }

        sb.Append("  ").Append("/quit".PadRight(width)).Append("  ").AppendLine("leave");
        return sb.ToString().TrimEnd();
    }
}
