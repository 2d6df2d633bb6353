using System.ComponentModel.DataAnnotations;

namespace BriefingBot.Llm;

/// <summary>Settings of the <c>Llm</c> section. Empty means no model: answers stay extractive.</summary>
public sealed class LlmOptions
{
    public const string Section = "Llm";

    /// <summary>An OpenAI-compatible endpoint: https://api.openai.com/v1, an Azure OpenAI v1 endpoint, Ollama's http://localhost:11434/v1, vLLM, llama.cpp.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>The model (for Azure, the deployment name).</summary>
    public string? Model { get; set; }

    /// <summary>The key; from the environment (Llm__ApiKey), never from a file in the repository.</summary>
    public string? ApiKey { get; set; }

    /// <summary>How long one generation may take before the extractive answer is used instead.</summary>
    [Range(1, 600, ErrorMessage = "Llm:TimeoutSeconds must be between 1 and 600.")]
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>The folder of prompt templates, relative to the content root unless absolute.</summary>
    public string PromptsPath { get; set; } = "prompts";

    public bool Configured => !string.IsNullOrWhiteSpace(Model) && !string.IsNullOrWhiteSpace(BaseUrl);
}
