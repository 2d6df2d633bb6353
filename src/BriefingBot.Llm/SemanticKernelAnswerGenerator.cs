using System.Globalization;
using System.Text;
using BriefingBot.Core.Answering;
using BriefingBot.Core.Retrieval;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.Connectors.OpenAI;

namespace BriefingBot.Llm;

/// <summary>
/// Answers through Semantic Kernel's chat completion, from prompt templates in <c>prompts/</c> (read at each call, so
/// they can be edited without rebuilding). The model sees only the numbered passages, as data; whatever it writes is
/// checked by <see cref="AnswerVerifier"/> before anyone sees it.
/// </summary>
public sealed partial class SemanticKernelAnswerGenerator(Kernel kernel, IOptions<LlmOptions> options, ILogger<SemanticKernelAnswerGenerator> logger)
    : IAnswerGenerator
{
    private readonly LlmOptions _options = options.Value;

    public Task<Generation> GenerateAsync(string question, IReadOnlyList<RetrievedPassage> passages, CancellationToken cancellationToken = default) =>
        FromPassagesAsync("answer", "question", question, passages, cancellationToken);

    public Task<Generation> SummarizeAsync(string headline, IReadOnlyList<RetrievedPassage> passages, CancellationToken cancellationToken = default) =>
        FromPassagesAsync("briefing", "headline", headline, passages, cancellationToken);

    private async Task<Generation> FromPassagesAsync(string prompt, string variable, string value, IReadOnlyList<RetrievedPassage> passages, CancellationToken cancellationToken)
    {
        var numbered = new StringBuilder();
        for (var i = 0; i < passages.Count; i++)
        {
            var article = passages[i].Article;
            var about = string.Join(", ", new[] { article.Title, article.Outlet, article.Published }.Where(s => !string.IsNullOrEmpty(s)));
            numbered.Append(CultureInfo.InvariantCulture, $"[{i + 1}] ({about})\n{passages[i].Passage.Text}\n\n");
        }

        var (text, failure) = await InvokeAsync(prompt, new KernelArguments { ["passages"] = numbered.ToString().TrimEnd(), [variable] = value }, cancellationToken)
            .ConfigureAwait(false);
        return text is null ? Generation.Failed(failure!) : new Generation(text, null);
    }

    public async Task<string?> RewriteFollowUpAsync(string question, string previous, CancellationToken cancellationToken = default)
    {
        var (text, failure) = await InvokeAsync("followup", new KernelArguments { ["previous"] = previous, ["question"] = question }, cancellationToken)
            .ConfigureAwait(false);
        if (text is null)
        {
            LogRewriteFailed(failure!);
            return null;
        }

        var rewritten = text.Trim().Trim('"', '“', '”').Trim();
        return rewritten.Length is > 0 and < 500 && !rewritten.Contains('\n', StringComparison.Ordinal) ? rewritten : null;
    }

    private async Task<(string? Text, string? Failure)> InvokeAsync(string prompt, KernelArguments arguments, CancellationToken cancellationToken)
    {
        var path = Path.Combine(_options.PromptsPath, prompt + ".prompt.txt");
        string template;
        try
        {
            template = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            return (null, $"the prompt {path} cannot be read: {ex.Message}");
        }

        var function = KernelFunctionFactory.CreateFromPrompt(template, new OpenAIPromptExecutionSettings { Temperature = 0 }, functionName: prompt);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(_options.TimeoutSeconds));
        try
        {
            var result = await kernel.InvokeAsync(function, arguments, timeout.Token).ConfigureAwait(false);
            var text = result.GetValue<string>();
            return string.IsNullOrWhiteSpace(text) ? (null, "the model replied with nothing") : (text, null);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested
            && (ex is OperationCanceledException or Polly.Timeout.TimeoutRejectedException || ex.InnerException is Polly.Timeout.TimeoutRejectedException))
        {
            return (null, $"the model did not answer within Llm:TimeoutSeconds ({_options.TimeoutSeconds} s)");
        }
        catch (HttpOperationException ex)
        {
            return (null, ex.StatusCode is { } status ? $"the model's server answered {(int)status} {status}" : $"the model's server failed: {ex.Message}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return (null, $"the model call failed ({ex.GetType().Name})");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Follow-up rewrite by the model failed ({Reason}); using the rule-based rewrite")]
    private partial void LogRewriteFailed(string reason);
}
