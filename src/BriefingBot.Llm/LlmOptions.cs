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

    /// <summary>Azure OpenAI: the resource endpoint (https://RESOURCE.openai.azure.com); stands in for <see cref="BaseUrl"/>.</summary>
    public string? AzureEndpoint { get; set; }

    /// <summary>Azure OpenAI: the deployment name; stands in for <see cref="Model"/>.</summary>
    public string? AzureDeployment { get; set; }

    /// <summary>How long one generation may take before the extractive answer is used instead.</summary>
    [Range(1, 600, ErrorMessage = "Llm:TimeoutSeconds must be between 1 and 600.")]
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>The folder of prompt templates, relative to the content root unless absolute.</summary>
    public string PromptsPath { get; set; } = "prompts";

    public bool Configured => !string.IsNullOrWhiteSpace(Model) && !string.IsNullOrWhiteSpace(BaseUrl);

    /// <summary>Azure's settings become the OpenAI-compatible ones: Azure OpenAI serves the same API under /openai/v1.</summary>
    public void ApplyAzure()
    {
        if (!string.IsNullOrWhiteSpace(AzureEndpoint) && string.IsNullOrWhiteSpace(BaseUrl))
        {
            BaseUrl = AzureEndpoint.TrimEnd('/') + "/openai/v1";
        }

        if (!string.IsNullOrWhiteSpace(AzureDeployment) && string.IsNullOrWhiteSpace(Model))
        {
            Model = AzureDeployment;
        }
    }
}
