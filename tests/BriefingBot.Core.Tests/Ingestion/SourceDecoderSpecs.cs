using System.Text;
using BriefingBot.Core.Ingestion;

namespace BriefingBot.Core.Tests.Ingestion;

public sealed class SourceDecoderSpecs
{
    [Fact]
    public void Empty_files_are_refused() => Assert.Equal("empty file", SourceDecoder.Decode([]).Problem);

    [Fact]
    public void White_space_only_files_are_refused() => Assert.Contains("empty", SourceDecoder.Decode("  \n\n "u8).Problem, StringComparison.Ordinal);

    [Fact]
    public void Binary_files_are_refused() =>
        Assert.Contains("binary", SourceDecoder.Decode([0x89, 0x50, 0x4E, 0x47, 0x00, 0x00, 0x1A]).Problem, StringComparison.Ordinal);

    [Fact]
    public void Undecodable_bytes_are_refused_with_their_offset()
    {
        var bytes = Encoding.Latin1.GetBytes("Title\n\nÇavuşoğlu said");

        var problem = SourceDecoder.Decode(bytes).Problem;

        Assert.Contains("not valid UTF-8", problem, StringComparison.Ordinal);
        Assert.Contains("byte 7", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Utf8_with_a_byte_order_mark_and_utf16_decode()
    {
        Assert.Equal("Title", SourceDecoder.Decode([0xEF, 0xBB, 0xBF, .. "Title"u8]).Text);
        Assert.Equal("Başlık", SourceDecoder.Decode([0xFF, 0xFE, .. Encoding.Unicode.GetBytes("Başlık")]).Text);
    }
}
