using System.Text.Json.Serialization;
using BriefingBot.Core.Answering;

namespace BriefingBot.Cli;

/// <summary>The <c>ask --format json</c> document: <c>{question, answer, abstained, citations[]}</c>.</summary>
public sealed record AnswerJson(
    [property: JsonPropertyName("question")] string Question,
    [property: JsonPropertyName("answer")] string Answer,
    [property: JsonPropertyName("abstained")] bool Abstained,
    [property: JsonPropertyName("citations")] IReadOnlyList<CitationJson> Citations)
{
    public static AnswerJson From(Answer answer) => new(
        answer.Question,
        answer.Text,
        answer.Abstained,
        answer.Citations.Select(c => new CitationJson(
            c.N, c.Article.Id.Value, c.Article.Title, c.Article.Outlet, c.Article.Url, c.Article.Published, c.Sentence)).ToList());
}

public sealed record CitationJson(
    [property: JsonPropertyName("n")] int N,
    [property: JsonPropertyName("articleId")] string ArticleId,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("outlet")] string? Outlet,
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("published")] string? Published,
    [property: JsonPropertyName("sentence")] string Sentence);

[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(AnswerJson))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
