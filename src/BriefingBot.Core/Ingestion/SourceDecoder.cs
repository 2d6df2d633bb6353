using System.Text;

namespace BriefingBot.Core.Ingestion;

/// <summary>Checks a file's bytes before any format reads it: empty, binary, undecodable.</summary>
public static class SourceDecoder
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static (string? Text, string? Problem) Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 0)
        {
            return (null, "empty file");
        }

        if (bytes.Length >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)))
        {
            var encoding = bytes[0] == 0xFF ? Encoding.Unicode : Encoding.BigEndianUnicode;
            return FromText(encoding.GetString(bytes[2..]));
        }

        var probe = bytes[..Math.Min(bytes.Length, 8192)];
        if (probe.IndexOf((byte)0) >= 0)
        {
            return (null, "binary file (contains NUL bytes), not article text");
        }

        if (bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF)
        {
            bytes = bytes[3..];
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            var at = ex.Index >= 0 ? $" at byte {ex.Index}" : string.Empty;
            return (null, $"not valid UTF-8 text{at}");
        }

        return FromText(text);
    }

    private static (string? Text, string? Problem) FromText(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, "empty file (only white space)");
        }

        var control = 0;
        foreach (var c in text.AsSpan(0, Math.Min(text.Length, 8192)))
        {
            if (char.IsControl(c) && c is not ('\n' or '\r' or '\t' or '\f'))
            {
                control++;
            }
        }

        return control > 16 ? (null, "binary file (control characters), not article text") : (text, null);
    }
}
