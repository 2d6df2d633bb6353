using System.Diagnostics.Metrics;

namespace BriefingBot.Core.Diagnostics;

/// <summary>
/// The bot's own meter (<c>BriefingBot</c>): what it answered, how long that took, how busy it is, what the model
/// and the platforms did, what was posted and ingested. Labels are fixed words (platform, outcome, reason): never a
/// user's text, an article's or a token.
/// </summary>
public sealed class BotMetrics : IDisposable
{
    public const string MeterName = "BriefingBot";

    private readonly Meter _meter;
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _answerSeconds;
    private readonly Histogram<double> _queueWaitSeconds;
    private readonly Counter<long> _modelCalls;
    private readonly Counter<long> _fallbacks;
    private readonly Counter<long> _reconnects;
    private readonly Counter<long> _resumes;
    private readonly Counter<long> _rateLimitWaits;
    private readonly Counter<long> _briefingPosts;
    private readonly Counter<long> _ingestedArticles;
    private readonly Counter<long> _ingestionErrors;
    private readonly Counter<long> _votes;
    private Func<int>? _queueDepth;

    public BotMetrics(IMeterFactory factory)
    {
        _meter = factory.Create(MeterName);
        _requests = _meter.CreateCounter<long>("briefingbot.requests", "{request}", "Requests handled, by platform, kind and outcome (answered, abstained, failed, busy, throttled, done)");
        _answerSeconds = _meter.CreateHistogram<double>("briefingbot.answer.duration", "s", "Time from a question to its answer",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        _queueWaitSeconds = _meter.CreateHistogram<double>("briefingbot.queue.wait", "s", "Time a request waited for a work slot",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.01, 0.05, 0.1, 0.5, 1, 5, 20] });
        _meter.CreateObservableGauge("briefingbot.queue.depth", () => _queueDepth?.Invoke() ?? 0, "{request}", "Requests waiting for a work slot");
        _modelCalls = _meter.CreateCounter<long>("briefingbot.model.calls", "{call}", "Calls to the language model, by outcome (used, rejected, failed)");
        _fallbacks = _meter.CreateCounter<long>("briefingbot.model.fallbacks", "{answer}", "Generated answers replaced by the extractive one, by reason");
        _reconnects = _meter.CreateCounter<long>("briefingbot.platform.reconnects", "{reconnect}", "Platform connections opened again after a drop");
        _resumes = _meter.CreateCounter<long>("briefingbot.platform.resumes", "{resume}", "Platform sessions resumed without missing events");
        _rateLimitWaits = _meter.CreateCounter<long>("briefingbot.ratelimit.waits", "{wait}", "Waits for a platform's rate limit");
        _briefingPosts = _meter.CreateCounter<long>("briefingbot.briefing.posts", "{post}", "Scheduled briefings, by outcome (posted, failed, skipped)");
        _ingestedArticles = _meter.CreateCounter<long>("briefingbot.ingestion.articles", "{article}", "Articles stored, by source (folder, feed)");
        _ingestionErrors = _meter.CreateCounter<long>("briefingbot.ingestion.errors", "{error}", "Files, lines, items or feeds that could not be ingested, by source");
        _votes = _meter.CreateCounter<long>("briefingbot.feedback.votes", "{vote}", "Votes on answers, by platform and vote");
    }

    /// <summary>Reads the number of requests waiting whenever the gauge is collected.</summary>
    public void ObserveQueue(Func<int> depth) => _queueDepth = depth;

    public void Request(string platform, string kind, string outcome) =>
        _requests.Add(1, new("platform", platform), new("kind", kind), new("outcome", outcome));

    public void Answered(string platform, TimeSpan elapsed) => _answerSeconds.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("platform", platform));

    public void QueueWait(TimeSpan waited) => _queueWaitSeconds.Record(waited.TotalSeconds);

    public void ModelCall(string outcome) => _modelCalls.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void Fallback(string reason) => _fallbacks.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Reconnect(string platform) => _reconnects.Add(1, new KeyValuePair<string, object?>("platform", platform));

    public void Resume(string platform) => _resumes.Add(1, new KeyValuePair<string, object?>("platform", platform));

    public void RateLimitWait(string platform) => _rateLimitWaits.Add(1, new KeyValuePair<string, object?>("platform", platform));

    public void BriefingPost(string platform, string outcome) => _briefingPosts.Add(1, new("platform", platform), new("outcome", outcome));

    public void Ingested(string source, int articles)
    {
        if (articles > 0)
        {
            _ingestedArticles.Add(articles, new KeyValuePair<string, object?>("source", source));
        }
    }

    public void IngestionErrors(string source, int errors)
    {
        if (errors > 0)
        {
            _ingestionErrors.Add(errors, new KeyValuePair<string, object?>("source", source));
        }
    }

    public void Vote(string platform, string vote) => _votes.Add(1, new("platform", platform), new("vote", vote));

    public void Dispose() => _meter.Dispose();
}

/// <summary>
/// Whether the last ingestion of the corpus folder worked, for readiness: a folder that could not be read at all
/// (or of which nothing could be ingested) makes the bot unready until a later pass works.
/// </summary>
public sealed class IngestionHealth
{
    private volatile string? _problem;

    public string? Problem => _problem;

    public void Succeeded() => _problem = null;

    public void Failed(string problem) => _problem = problem;
}

/// <summary>Whether the store answers a query now, for readiness.</summary>
public interface IStoreProbe
{
    /// <summary>Null when the store answers; otherwise what is wrong, in one line.</summary>
    Task<string?> ProblemAsync(CancellationToken cancellationToken = default);
}
