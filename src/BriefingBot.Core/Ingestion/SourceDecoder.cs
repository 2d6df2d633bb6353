using System.Text;
using System.Text.RegularExpressions;

namespace BriefingBot.Core.Ingestion;

/// <summary>Checks a file's bytes before any format reads it: empty, binary, undecodable.</summary>
public static partial class SourceDecoder
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    static SourceDecoder() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>Text in UTF-8 (or UTF-16 with its byte order mark); anything else is refused with the reason.</summary>
    public static (string? Text, string? Problem) Decode(ReadOnlySpan<byte> bytes) => Decode(bytes, null, markup: false);

    /// <summary>
    /// A web page in the encoding it declares, as a browser decides it: a byte order mark, else the charset the HTTP
    /// header names (<paramref name="declared"/>), else the page's own <c>&lt;meta charset&gt;</c> or http-equiv
    /// Content-Type, else UTF-8 when the bytes are UTF-8 and windows-1252 when they are not. A few broken bytes in a
    /// page that declares UTF-8 become U+FFFD instead of costing the page.
    /// </summary>
    public static (string? Text, string? Problem) DecodePage(ReadOnlySpan<byte> bytes, string? declared = null) => Decode(bytes, declared, markup: true);

    /// <summary>The encoding a charset label names, with the code pages .NET keeps apart; null when none or unknown.</summary>
    public static Encoding? EncodingOf(string? charset)
    {
        if (string.IsNullOrWhiteSpace(charset))
        {
            return null;
        }

        try
        {
            return Encoding.GetEncoding(charset.Trim().Trim('"', '\''));
        }
        catch (ArgumentException)
        {
            return null; // an unknown name: the text's own declaration or bytes decide
        }
    }

    private static (string? Text, string? Problem) Decode(ReadOnlySpan<byte> bytes, string? declared, bool markup)
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
            declared = "utf-8";
        }

        if (markup && (EncodingOf(declared) ?? EncodingOf(MetaCharset(bytes))) is { } named)
        {
            // A page that names UTF-16 in its markup was decoded to reach the name: it is ASCII-compatible, so UTF-8.
            var encoding = named is UnicodeEncoding or UTF32Encoding ? Encoding.UTF8 : named;
            return FromText(encoding.GetString(bytes));
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException) when (markup)
        {
            // No charset named and not UTF-8: what browsers assume of such a page.
            text = Encoding.GetEncoding(1252).GetString(bytes);
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

    /// <summary>The charset a page's head declares in its first bytes, read as ASCII.</summary>
    private static string? MetaCharset(ReadOnlySpan<byte> bytes)
    {
        var head = Encoding.Latin1.GetString(bytes[..Math.Min(bytes.Length, 4096)]);
        var match = MetaCharsetPattern().Match(head);
        return match.Success ? match.Groups["charset"].Value : null;
    }

    [GeneratedRegex(@"<meta\b[^>]*?charset\s*=\s*[""']?\s*(?<charset>[\w.:-]+)", RegexOptions.IgnoreCase)]
    private static partial Regex MetaCharsetPattern();
}
