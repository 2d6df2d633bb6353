using BriefingBot.Core.Answering;
using BriefingBot.Core.Articles;
using BriefingBot.Core.Briefing;
using BriefingBot.Core.Retrieval;
using Microsoft.Extensions.Logging;

namespace BriefingBot.Core.Chat;

/// <summary>Answers a <see cref="ChatRequest"/> from the corpus. The router never knows which platform asked.</summary>
public sealed partial class ChatRouter(
    HybridRetriever retriever,
    ExtractiveAnswerer answerer,
    Quotes.QuoteFinder quotes,
    Briefing.BriefingComposer briefings,
    Briefing.IBriefingLedger ledger,
    ICorpusStore store,
    TimeProvider time,
    Conversations conversations,
    ChatAdmission admission,
    ILogger<ChatRouter> logger,
    IAnswerGenerator? generator = null,
    Feeds.IFeedStore? feeds = null,
    Follows.IFollowStore? follows = null,
    Microsoft.Extensions.Options.IOptions<Follows.FollowOptions>? followOptions = null,
    Diagnostics.BotMetrics? metrics = null,
    Settings.ChannelSettingsService? settings = null,
    Microsoft.Extensions.Options.IOptions<Briefing.BriefingOptions>? briefingOptions = null)
{
    public const string BusyMessage = "I'm answering a lot of questions right now; please ask again in a minute.";

    public const string FailedMessage = "Something went wrong while looking that up; it has been logged. Please try again.";

    public const int MaxQuestionLength = 1000;

    /// <summary>The longest speaker a quote lookup takes (a full name with its title, and room to spare).</summary>
    public const int MaxSpeakerLength = 100;

    /// <summary>The longest topic a quote lookup takes.</summary>
    public const int MaxTopicLength = 200;

    /// <summary>The longest topic a channel may follow (a few words: it is matched against every new article).</summary>
    public const int MaxFollowLength = 100;

    public static readonly string FollowTooLong = $"A followed topic is a few words (at most {MaxFollowLength} characters).";

    /// <summary>The longest value a setting takes ("everyone", "07:30", "America/Argentina/Buenos_Aires").</summary>
    public const int MaxSettingLength = 64;

    public static readonly IReadOnlyList<(string Command, string Description)> Commands =
    [
        ("<question>", "ask anything about the crisis; the answer cites its articles"),
        ("/quote speaker:<name> topic:<words>", "verbatim quotes by speaker and/or topic"),
        ("/briefing", "what is new: stories grouped across outlets"),
        ("/sources", "what the corpus holds: articles, outlets, dates, news feeds"),
        ("/follow <words>", "post new articles on these words to this channel as they arrive"),
        ("/unfollow <words>", "stop following a topic here"),
        ("/following", "the topics this channel follows"),
        ("/settings", "this channel's settings: answers to everyone or the asker, its daily briefing (for those who manage it)"),
        ("/help", "this list"),
    ];

    public async Task<ChatReply> HandleAsync(ChatRequest request, CancellationToken cancellationToken = default)
    {
        var platform = request.From?.Platform ?? Briefing.BriefingChannel.Shell;
        var started = time.GetTimestamp();

        // A flood from one person or channel is refused politely before it costs anything.
        ChatReply reply;
        if (admission.Limit(request.From) is { } throttled)
        {
            LogThrottled(platform, throttled.Channel ? "channel" : "user", throttled.RetryAfter);
            reply = new ThrottledReply(throttled.RetryAfter, !throttled.FirstNotice, throttled.Channel);
        }
        else
        {
            reply = await RouteAsync(request, cancellationToken).ConfigureAwait(false);
        }

        if (metrics is not null)
        {
            metrics.Request(platform, KindOf(request), OutcomeOf(reply));
            if (reply is AnswerReply)
            {
                metrics.Answered(platform, time.GetElapsedTime(started));
            }
        }

        return reply;
    }

    private static string KindOf(ChatRequest request) => request switch
    {
        AskRequest => "ask",
        QuoteRequest => "quote",
        BriefingRequest => "briefing",
        SourcesRequest => "sources",
        FollowRequest or UnfollowRequest or FollowingRequest => "follow",
        SettingsRequest => "settings",
        _ => "other",
    };

    private static string OutcomeOf(ChatReply reply) => reply switch
    {
        AnswerReply { Answer.Abstained: true } => "abstained",
        AnswerReply => "answered",
        ThrottledReply => "throttled",
        ErrorReply { Message: BusyMessage } => "busy",
        ErrorReply { Message: FailedMessage } => "failed",
        ErrorReply => "refused",
        _ => "done",
    };

    /// <summary>Runs <paramref name="work"/> in a work slot, or says the bot is busy when none comes free in time.</summary>
    private async Task<T?> InSlotAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken)
        where T : class
    {
        using var slot = await admission.EnterAsync(cancellationToken).ConfigureAwait(false);
        if (slot is null)
        {
            LogBusy(admission.Waiting);
            return null;
        }

        return await work().ConfigureAwait(false);
    }

    private async Task<ChatReply> RouteAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        try
        {
            // Work that uses the processor runs in a work slot; a model call waits outside it, under its own budget.
            ChatReply? reply = request switch
            {
                AskRequest ask => await AskAsync(ask, cancellationToken).ConfigureAwait(false),
                SourcesRequest => await InSlotAsync<ChatReply>(
                    async () => new SourcesReply(
                        await store.GetStatsAsync(cancellationToken).ConfigureAwait(false),
                        feeds is null ? null : await feeds.GetFeedsAsync(cancellationToken).ConfigureAwait(false)), cancellationToken).ConfigureAwait(false),
                // However it was typed (a slash command's option, a message, the shell), no work for a text past its cap.
                FollowRequest { Words.Length: > MaxFollowLength } or UnfollowRequest { Words.Length: > MaxFollowLength } => new ErrorReply(FollowTooLong),
                FollowRequest or UnfollowRequest or FollowingRequest => await FollowsAsync(request, cancellationToken).ConfigureAwait(false),
                SettingsRequest change when new[] { change.Answers, change.Briefing, change.Time, change.Zone }.Any(v => v?.Length > MaxSettingLength) =>
                    new ErrorReply($"A setting's value is at most {MaxSettingLength} characters long."),
                SettingsRequest change => await SettingsAsync(change, cancellationToken).ConfigureAwait(false),
                HelpRequest => new HelpReply(Commands),
                QuoteRequest quote when string.IsNullOrWhiteSpace(quote.Speaker) && string.IsNullOrWhiteSpace(quote.Topic) =>
                    new ErrorReply("Say whose quotes or on what topic: /quote speaker:<name> topic:<words>."),
                QuoteRequest quote when quote.Speaker?.Length > MaxSpeakerLength =>
                    new ErrorReply($"That speaker is {quote.Speaker.Length} characters long; a name is at most {MaxSpeakerLength}."),
                QuoteRequest quote when quote.Topic?.Length > MaxTopicLength =>
                    new ErrorReply($"That topic is {quote.Topic.Length} characters long; please keep it to {MaxTopicLength}."),
                QuoteRequest quote => await InSlotAsync<ChatReply>(
                    async () => new QuoteReply(await quotes.FindAsync(quote.Speaker, quote.Topic, cancellationToken: cancellationToken).ConfigureAwait(false)), cancellationToken).ConfigureAwait(false),
                BriefingRequest briefing => await InSlotAsync(() => BriefingAsync(briefing, cancellationToken), cancellationToken).ConfigureAwait(false),
                _ => new ErrorReply("I don't know that command. Type /help for the list."),
            };
            return reply ?? new ErrorReply(BusyMessage);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(ex, request.GetType().Name);
            return new ErrorReply(FailedMessage);
        }
    }

    private static string ChannelOf(ChatRequest request) => request.From is { } from ? $"{from.Platform}:{from.Channel}" : Briefing.BriefingChannel.Shell;

    /// <summary>
    /// Speakers to suggest as someone types a name (Discord's autocomplete): inside admission, with a per-person limit
    /// of its own and no waiting; none when the text is past the speaker cap, the person past their limit or the bot busy.
    /// </summary>
    public async Task<IReadOnlyList<Quotes.SpeakerSummary>> SuggestSpeakersAsync(string? typed, Requester from, int limit, CancellationToken cancellationToken = default)
    {
        if (typed?.Length > MaxSpeakerLength)
        {
            return [];
        }

        using var slot = admission.TrySuggest(from);
        return slot is null ? [] : await quotes.SuggestSpeakersAsync(typed, limit, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ChatReply> SettingsAsync(SettingsRequest request, CancellationToken cancellationToken)
    {
        if (settings is null)
        {
            return new ErrorReply("Channel settings are not available here.");
        }

        if (!request.MayManage)
        {
            return new ErrorReply("Sorry — only people who may manage this channel (Manage Server on Discord, workspace admins on Slack) can see or change its settings, with the /settings command.");
        }

        var channel = ChannelOf(request);
        var current = await settings.ForAsync(channel, cancellationToken).ConfigureAwait(false);
        var changed = current;
        var said = new List<string>();
        switch (request.Answers?.ToLowerInvariant())
        {
            case null:
                break;
            case "everyone" or "all" or "channel":
                changed = changed with { OnlyAsker = false };
                said.Add("answers to commands are shown to everyone");
                break;
            case "asker" or "me" or "only-me" or "private":
                changed = changed with { OnlyAsker = true };
                said.Add("answers to commands are shown only to who asked");
                break;
            default:
                return new ErrorReply($"answers: is \"everyone\" or \"asker\", not \"{request.Answers}\".");
        }

        if (request.Time is { } timeText)
        {
            if (Settings.ChannelSettingsService.ParseTime(timeText) is not { } at)
            {
                return new ErrorReply($"time: is a time of day such as 07:30, not \"{timeText}\".");
            }

            changed = changed with { BriefingTime = at, BriefingOn = request.Briefing is null ? true : changed.BriefingOn };
            said.Add($"the briefing comes at {at:HH\\:mm}");
        }

        if (request.Zone is { } zoneText)
        {
            if (Settings.ChannelSettingsService.FindZone(zoneText) is null)
            {
                return new ErrorReply($"timezone: is a time zone such as Europe/Istanbul or UTC, not \"{zoneText}\".");
            }

            changed = changed with { BriefingZone = zoneText.Trim() };
            said.Add($"in {zoneText.Trim()}");
        }

        switch (request.Briefing?.ToLowerInvariant())
        {
            case null:
                break;
            case "on" or "yes" or "true":
                changed = changed with { BriefingOn = true };
                said.Add("the daily briefing is on");
                break;
            case "off" or "no" or "false":
                changed = changed with { BriefingOn = false };
                said.Add("the daily briefing is off");
                break;
            default:
                return new ErrorReply($"briefing: is \"on\" or \"off\", not \"{request.Briefing}\".");
        }

        if (changed != current)
        {
            await settings.SaveAsync(changed with { UpdatedBy = request.From?.User }, cancellationToken).ConfigureAwait(false);
        }

        var followed = follows is null ? [] : await follows.GetFollowsAsync(channel, cancellationToken).ConfigureAwait(false);
        return new SettingsReply(
            said.Count == 0 ? null : "Saved: " + string.Join(", ", said) + ".",
            changed.OnlyAsker switch { true => "only who asked", false => "everyone", null => "as the bot's default" },
            DescribeBriefing(channel, changed),
            followed);
    }

    private string DescribeBriefing(string channel, Settings.ChannelSettings channelSettings)
    {
        var defaults = briefingOptions?.Value;
        var listed = defaults?.Channels.Any(c => string.Equals(c.Trim(), channel, StringComparison.OrdinalIgnoreCase)) ?? false;
        if (!(channelSettings.BriefingOn ?? listed))
        {
            return "off";
        }

        var zone = channelSettings.BriefingZone ?? defaults?.TimeZone ?? "UTC";
        return channelSettings.BriefingTime is { } at
            ? $"on, daily at {at:HH\\:mm} ({zone})"
            : $"on, on the bot's schedule ({defaults?.Schedule ?? "?"}, {zone})";
    }

    private async Task<ChatReply> FollowsAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        if (follows is null)
        {
            return new ErrorReply("Followed topics are not available here.");
        }

        var channel = ChannelOf(request);
        var current = await follows.GetFollowsAsync(channel, cancellationToken).ConfigureAwait(false);
        string message;
        switch (request)
        {
            case FollowRequest follow when current.Any(f => f.Words == follow.Words):
                message = $"This channel follows \"{follow.Words}\" already.";
                break;
            case FollowRequest when current.Count >= (followOptions?.Value.MaxPerChannel ?? 25):
                return new ErrorReply($"This channel follows {current.Count} topics, the most it may; /unfollow one first.");
            case FollowRequest follow:
                await follows.AddFollowAsync(new Follows.Follow(channel, follow.Words, request.From?.User, time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
                message = $"Following \"{follow.Words}\": new articles on it will be posted here as they arrive.";
                break;
            case UnfollowRequest unfollow:
                message = await follows.RemoveFollowAsync(channel, unfollow.Words, cancellationToken).ConfigureAwait(false)
                    ? $"No longer following \"{unfollow.Words}\" here."
                    : $"This channel does not follow \"{unfollow.Words}\".";
                break;
            default:
                return new FollowsReply(null, current);
        }

        return new FollowsReply(message, await follows.GetFollowsAsync(channel, cancellationToken).ConfigureAwait(false));
    }

    private async Task<ChatReply> BriefingAsync(BriefingRequest request, CancellationToken cancellationToken)
    {
        var to = request.Until ?? time.GetUtcNow();
        var (from, sinceLast) = request.Since is { } since
            ? (since, false)
            : BriefingWindow.Before(to, await ledger.LastPostedUntilAsync(null, cancellationToken).ConfigureAwait(false));
        if (from >= to)
        {
            return new ErrorReply("The briefing's start must be before its end.");
        }

        if (request.From is not null && to - from > admission.Options.MaxBriefingWindow)
        {
            // A briefing reads every article of its window: asked for in a chat, a window of years is cut to its
            // most recent part. The command line's operator may ask for any window.
            LogBriefingWindowCut(from, to - admission.Options.MaxBriefingWindow);
            from = to - admission.Options.MaxBriefingWindow;
        }

        var briefing = await briefings.ComposeAsync(from, to, sinceLast, cancellationToken).ConfigureAwait(false);
        return new BriefingReply(briefing);
    }

    /// <returns>The answer, or null when no work slot came free in time.</returns>
    private async Task<ChatReply?> AskAsync(AskRequest ask, CancellationToken cancellationToken)
    {
        var question = ask.Question.Trim();
        if (question.Length == 0)
        {
            return new ErrorReply("Ask a question, for example: How many Syrian refugees does Turkey host?");
        }

        if (question.Length > MaxQuestionLength)
        {
            return new ErrorReply($"That question is too long ({question.Length} characters); please keep it under {MaxQuestionLength}.");
        }

        var (understood, subject) = await UnderstandAsync(question, ask.Conversation, cancellationToken).ConfigureAwait(false);
        var found = await InSlotAsync(async () =>
        {
            var retrieval = await retriever.RetrieveAsync(understood, cancellationToken: cancellationToken).ConfigureAwait(false);
            return new Tuple<RetrievalResult, Answer>(retrieval, await answerer.AnswerAsync(retrieval, subject, cancellationToken).ConfigureAwait(false));
        }, cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            return null;
        }

        var (retrieval, answer) = found;

        // A model may word the answer, but only from passages that answer the question, and only if every
        // sentence it writes is backed by the passages it cites; otherwise the extractive answer stands.
        if (generator is not null && !answer.Abstained)
        {
            answer = await GeneratedAsync(generator, question, understood, retrieval, cancellationToken).ConfigureAwait(false) ?? answer;
        }

        answer = answer with { Question = question, Interpretation = understood == question ? null : understood };
        if (ask.Conversation is { } thread)
        {
            await conversations.RememberAsync(thread, understood, cancellationToken).ConfigureAwait(false);
        }

        LogAnswered(answer.Abstained, answer.Citations.Count, answer.Confidence);
        return new AnswerReply(answer);
    }

    /// <summary>The model's wording of the answer when the budget allows a call and every sentence it keeps passes the check; null otherwise.</summary>
    private async Task<Answer?> GeneratedAsync(IAnswerGenerator model, string question, string understood, RetrievalResult retrieval, CancellationToken cancellationToken)
    {
        using var call = admission.TryStartModelCall();
        if (call is null)
        {
            LogFallback("the model budget is spent for now (Admission:MaxModelCalls, Admission:DailyModelCalls)");
            metrics?.Fallback("budget");
            return null;
        }

        var generation = await model.GenerateAsync(understood, retrieval.Passages, cancellationToken).ConfigureAwait(false);
        if (generation.Text is not { } text)
        {
            LogFallback(generation.Failure ?? "unknown");
            metrics?.ModelCall("failed");
            metrics?.Fallback("model_failed");
            return null;
        }

        var (generated, failure) = AnswerVerifier.Verify(question, text, retrieval.Passages, out var dropped);
        if (generated is null)
        {
            LogFallback(failure ?? "unknown");
            metrics?.ModelCall("rejected");
            metrics?.Fallback("check_failed");
            return null;
        }

        metrics?.ModelCall("used");

        foreach (var reason in dropped)
        {
            LogSentenceDropped(reason);
        }

        return generated;
    }

    private async Task<(string Question, string? Subject)> UnderstandAsync(string question, string? conversation, CancellationToken cancellationToken)
    {
        var previous = conversation is null ? null : await conversations.PreviousAsync(conversation, cancellationToken).ConfigureAwait(false);
        if (previous is null)
        {
            return (question, null);
        }

        var (rewritten, subject) = FollowUps.Read(question, previous);
        if (generator is not null && rewritten != question && admission.TryStartModelCall() is { } call)
        {
            using (call)
            {
                return (await generator.RewriteFollowUpAsync(question, previous, cancellationToken).ConfigureAwait(false) ?? rewritten, subject);
            }
        }

        return (rewritten, subject);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A sentence of the generated answer was left out: {Reason}")]
    private partial void LogSentenceDropped(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The generated answer was not used: {Reason}; answering extractively")]
    private partial void LogFallback(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "A {Platform} {Who} is over its limit; asked to wait {RetryAfter}")]
    private partial void LogThrottled(string platform, string who, TimeSpan retryAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Busy: a request was turned away ({Waiting} waiting)")]
    private partial void LogBusy(int waiting);

    [LoggerMessage(Level = LogLevel.Information, Message = "A briefing window from {From} was cut to start at {Start} (Admission:MaxBriefingWindow)")]
    private partial void LogBriefingWindowCut(DateTimeOffset from, DateTimeOffset start);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling a {Request} failed")]
    private partial void LogFailed(Exception exception, string request);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Answered (abstained: {Abstained}, {Citations} citations, confidence {Confidence:F2})")]
    private partial void LogAnswered(bool abstained, int citations, double confidence);
}
