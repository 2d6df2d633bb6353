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
    ILogger<ChatRouter> logger,
    IAnswerGenerator? generator = null)
{
    public const int MaxQuestionLength = 1000;

    public static readonly IReadOnlyList<(string Command, string Description)> Commands =
    [
        ("<question>", "ask anything about the crisis; the answer cites its articles"),
        ("/quote speaker:<name> topic:<words>", "verbatim quotes by speaker and/or topic"),
        ("/briefing", "what is new: stories grouped across outlets"),
        ("/sources", "what the corpus holds: articles, outlets, dates"),
        ("/help", "this list"),
    ];

    public async Task<ChatReply> HandleAsync(ChatRequest request, CancellationToken cancellationToken = default)
    {
        try
        {
            return request switch
            {
                AskRequest ask => await AskAsync(ask, cancellationToken).ConfigureAwait(false),
                SourcesRequest => new SourcesReply(await store.GetStatsAsync(cancellationToken).ConfigureAwait(false)),
                HelpRequest => new HelpReply(Commands),
                QuoteRequest quote when string.IsNullOrWhiteSpace(quote.Speaker) && string.IsNullOrWhiteSpace(quote.Topic) =>
                    new ErrorReply("Say whose quotes or on what topic: /quote speaker:<name> topic:<words>."),
                QuoteRequest quote => new QuoteReply(await quotes.FindAsync(quote.Speaker, quote.Topic, cancellationToken: cancellationToken).ConfigureAwait(false)),
                BriefingRequest briefing => await BriefingAsync(briefing, cancellationToken).ConfigureAwait(false),
                _ => new ErrorReply("I don't know that command. Type /help for the list."),
            };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(ex, request.GetType().Name);
            return new ErrorReply("Something went wrong while looking that up; it has been logged. Please try again.");
        }
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

        var briefing = await briefings.ComposeAsync(from, to, sinceLast, cancellationToken).ConfigureAwait(false);
        return new BriefingReply(briefing);
    }

    private async Task<ChatReply> AskAsync(AskRequest ask, CancellationToken cancellationToken)
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
        var retrieval = await retriever.RetrieveAsync(understood, cancellationToken: cancellationToken).ConfigureAwait(false);
        var answer = await answerer.AnswerAsync(retrieval, subject, cancellationToken).ConfigureAwait(false);

        // A model may word the answer, but only from passages that answer the question, and only if every
        // sentence it writes is backed by the passages it cites; otherwise the extractive answer stands.
        if (generator is not null && !answer.Abstained)
        {
            var generation = await generator.GenerateAsync(understood, retrieval.Passages, cancellationToken).ConfigureAwait(false);
            IReadOnlyList<string> dropped = [];
            var (generated, failure) = generation.Text is { } text ? AnswerVerifier.Verify(question, text, retrieval.Passages, out dropped) : (null, generation.Failure);
            if (generated is not null)
            {
                foreach (var reason in dropped)
                {
                    LogSentenceDropped(reason);
                }

                answer = generated;
            }
            else
            {
                LogFallback(failure ?? "unknown");
            }
        }

        answer = answer with { Question = question, Interpretation = understood == question ? null : understood };
        if (ask.Conversation is { } thread)
        {
            conversations.Remember(thread, understood);
        }

        LogAnswered(answer.Abstained, answer.Citations.Count, answer.Confidence);
        return new AnswerReply(answer);
    }

    private async Task<(string Question, string? Subject)> UnderstandAsync(string question, string? conversation, CancellationToken cancellationToken)
    {
        var previous = conversation is null ? null : conversations.Previous(conversation);
        if (previous is null)
        {
            return (question, null);
        }

        var (rewritten, subject) = FollowUps.Read(question, previous);
        if (generator is not null && rewritten != question)
        {
            return (await generator.RewriteFollowUpAsync(question, previous, cancellationToken).ConfigureAwait(false) ?? rewritten, subject);
        }

        return (rewritten, subject);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A sentence of the generated answer was left out: {Reason}")]
    private partial void LogSentenceDropped(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The generated answer was not used: {Reason}; answering extractively")]
    private partial void LogFallback(string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling a {Request} failed")]
    private partial void LogFailed(Exception exception, string request);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Answered (abstained: {Abstained}, {Citations} citations, confidence {Confidence:F2})")]
    private partial void LogAnswered(bool abstained, int citations, double confidence);
}
