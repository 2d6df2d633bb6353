using System.Text.RegularExpressions;
using BriefingBot.Core;

namespace BriefingBot.Hosting;

/// <summary>Turns the configuration binder's conversion failures into one sentence that names the setting.</summary>
public static partial class SettingErrors
{
    /// <summary>The setting a conversion failure is about, as a <see cref="BriefingBotException"/>; null for any other exception.</summary>
    public static BriefingBotException? Describe(Exception exception)
    {
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            var match = ConversionFailure().Match(ex.Message);
            if (ex is InvalidOperationException && match.Success)
            {
                var setting = match.Groups["key"].Value;
                var value = match.Groups["value"].Value;
                return new BriefingBotException($"{setting} is \"{value}\", which is not {Expected(match.Groups["type"].Value)}.", exception);
            }
        }

        return null;
    }

    private static string Expected(string type) => type switch
    {
        "System.Int32" or "System.Int64" or "System.Int16" => "a whole number",
        "System.Double" or "System.Single" or "System.Decimal" => "a number such as 0.35",
        "System.Boolean" => "true or false",
        "System.TimeSpan" => "a duration such as 00:30:00 (30 minutes) or 14.00:00:00 (14 days)",
        "System.Uri" => "a URL",
        _ when type.StartsWith("System.Nullable`1[[System.Int", StringComparison.Ordinal) => "a whole number",
        _ => $"a valid {type.Split('.')[^1]}",
    };

    // The binder's wording: "Failed to convert configuration value 'abc' at 'Retrieval:TopPassages' to type 'System.Int32'."
    [GeneratedRegex(@"Failed to convert configuration value '(?<value>.*)' at '(?<key>[^']+)' to type '(?<type>[^']+)'", RegexOptions.Singleline)]
    private static partial Regex ConversionFailure();
}
