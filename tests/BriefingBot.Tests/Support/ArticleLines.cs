namespace BriefingBot.Tests.Support;

/// <summary>Articles written as lines of a JSON Lines corpus file, as FA-KES is.</summary>
internal static class ArticleLines
{
    public static string Line(string id, string outlet, string published, string title, string body) =>
        System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["id"] = id, ["outlet"] = outlet, ["published"] = published, ["title"] = title, ["body"] = body });
}
