using System.Diagnostics;
using BriefingBot.Core.Answering;
using BriefingBot.Core.Retrieval;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BriefingBot.Hosting;

/// <summary>
/// Before the platforms connect, one question is retrieved and answered without a model, so the encoder, the vector
/// index and the answering code are loaded and compiled by then: the first people to ask don't wait for them, and the
/// first acknowledgements are as quick as the rest. A failure here is logged and the bot starts anyway.
/// </summary>
public sealed partial class AnsweringWarmUp(HybridRetriever retriever, ExtractiveAnswerer answerer, ILogger<AnsweringWarmUp> logger) : IHostedService
{
    private const string Question = "What happened in Idlib?";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            await answerer.AnswerAsync(await retriever.RetrieveAsync(Question, cancellationToken: cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            LogReady(watch.Elapsed.TotalMilliseconds);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(ex.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Answering is warm ({Milliseconds:F0} ms)")]
    private partial void LogReady(double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Warming up answering failed ({Reason}); the first questions may be slow")]
    private partial void LogFailed(string reason);
}
