using System.Globalization;

namespace BriefingBot.Core.Text;

/// <summary>Numbers with their noun, as people write them.</summary>
public static class Counts
{
    /// <summary>"1 article", "2 articles", "1,234 passages".</summary>
    public static string Of(long n, string noun) => n == 1 ? $"1 {noun}" : string.Create(CultureInfo.InvariantCulture, $"{n:N0} {noun}s");
}
