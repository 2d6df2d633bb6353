using System.Globalization;

namespace BriefingBot.Core.Articles;

/// <summary>Publication dates as sources give them: a date (<c>2018-09-07</c>) or a date-time with or without offset.</summary>
public static class PublishedDates
{
    private static readonly string[] DateFormats = ["yyyy-MM-dd", "yyyy/MM/dd", "yyyyMMdd"];

    public static DateTimeOffset? TryParse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var text = value.Trim();
        if (DateTime.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date))
        {
            return new DateTimeOffset(date, TimeSpan.Zero);
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var instant)
            ? instant
            : null;
    }

    /// <summary>Normalises a source's date to ISO 8601 (date only when the source gave no time), or <c>null</c> when it does not parse.</summary>
    public static string? Normalize(string? value)
    {
        var parsed = TryParse(value);
        if (parsed is not { } instant)
        {
            return null;
        }

        var hasTime = value!.Contains(':', StringComparison.Ordinal);
        return hasTime
            ? instant.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture)
            : instant.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }
}
