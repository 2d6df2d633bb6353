using BriefingBot.Core.Answering;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;

namespace BriefingBot.Llm;

public static class LlmServiceCollectionExtensions
{
    /// <summary>Registers a Semantic Kernel answer generator when <c>Llm:BaseUrl</c> and <c>Llm:Model</c> are set; nothing otherwise.</summary>
    public static IServiceCollection AddLlm(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        services.AddOptions<LlmOptions>().Bind(configuration.GetSection(LlmOptions.Section))
            .PostConfigure(o =>
            {
                o.PromptsPath = Path.GetFullPath(Path.Combine(contentRoot, o.PromptsPath));
                o.ApplyAzure();
            })
            .Validate(o => !o.Configured || Uri.TryCreate(o.BaseUrl, UriKind.Absolute, out _), "Llm:BaseUrl must be an absolute URL such as http://localhost:11434/v1.")
            // Half a configuration is a mistake, not "no model": say which half is missing.
            .Validate(o => !string.IsNullOrWhiteSpace(o.Model) || string.IsNullOrWhiteSpace(o.BaseUrl),
                "Llm:Model must name the model (such as gpt-4o-mini or llama3.1) when Llm:BaseUrl is set; or remove Llm:BaseUrl to answer without a model.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.BaseUrl) || string.IsNullOrWhiteSpace(o.Model),
                "Llm:BaseUrl must be set (such as https://api.openai.com/v1 or http://localhost:11434/v1) when Llm:Model is set.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.BaseUrl) || string.IsNullOrWhiteSpace(o.ApiKey),
                "Llm:ApiKey is set but Llm:BaseUrl and Llm:Model are not: set them too (for OpenAI, https://api.openai.com/v1 and a model such as gpt-4o-mini).")
            .ValidateDataAnnotations()
            .ValidateOnStart();

        var configured = new LlmOptions();
        configuration.GetSection(LlmOptions.Section).Bind(configured);
        configured.ApplyAzure();
        if (!configured.Configured)
        {
            return services;
        }

        // Semantic Kernel leaves retries to the HttpClient it is given: 429 and 5xx are retried here, with
        // Retry-After honoured, inside the overall Llm:TimeoutSeconds the generator enforces.
        var timeout = TimeSpan.FromSeconds(Math.Max(1, configuration.GetSection(LlmOptions.Section).GetValue("TimeoutSeconds", 30)));
        services.AddHttpClient("llm").AddStandardResilienceHandler(resilience =>
        {
            resilience.Retry.MaxRetryAttempts = 2;
            resilience.Retry.Delay = TimeSpan.FromMilliseconds(500);
            // Longer than Llm:TimeoutSeconds, so the generator's own deadline is the one that ends a slow call.
            var attempt = timeout + TimeSpan.FromSeconds(2);
            resilience.AttemptTimeout.Timeout = attempt;
            resilience.TotalRequestTimeout.Timeout = attempt * 3;
            resilience.CircuitBreaker.SamplingDuration = attempt * 3;
        });
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<LlmOptions>>().Value;
            var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient("llm");
            http.Timeout = Timeout.InfiniteTimeSpan; // the resilience pipeline and the generator bound each call
            var builder = Kernel.CreateBuilder();
            // A local server (Ollama, llama.cpp) needs no key; the client still wants one.
            builder.AddOpenAIChatCompletion(options.Model!, new Uri(options.BaseUrl!), string.IsNullOrEmpty(options.ApiKey) ? "none" : options.ApiKey, httpClient: http);
            return builder.Build();
        });
        services.AddSingleton<IAnswerGenerator, SemanticKernelAnswerGenerator>();
        return services;
    }
}
