using System.Text;

namespace BriefingBot.Embeddings.MiniLM.Onnx;

/// <summary>
/// Protocol Buffers wire format, as far as reading and rewriting an ONNX model needs it
/// (https://protobuf.dev/programming-guides/encoding/): fields are a varint tag (number and wire type) followed by a
/// varint, a fixed 32/64-bit value or a length-prefixed byte run.
/// </summary>
internal ref struct ProtoReader(ReadOnlySpan<byte> buffer)
{
    public const int Varint = 0;
    public const int Fixed64 = 1;
    public const int LengthDelimited = 2;
    public const int Fixed32 = 5;

    private readonly ReadOnlySpan<byte> _buffer = buffer;

    /// <summary>Where the next field starts, so a caller can copy a field it does not change byte for byte.</summary>
    public int Position { get; private set; }

    public readonly bool HasMore => Position < _buffer.Length;

    public (int Field, int WireType) ReadTag()
    {
        var tag = ReadVarint();
        return ((int)(tag >> 3), (int)(tag & 7));
    }

    public ulong ReadVarint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = _buffer[Position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new InvalidDataException("A varint in the model runs past 64 bits.");
    }

    public ReadOnlySpan<byte> ReadBytes()
    {
        var length = checked((int)ReadVarint());
        var bytes = _buffer.Slice(Position, length);
        Position += length;
        return bytes;
    }

    public string ReadString() => Encoding.UTF8.GetString(ReadBytes());

    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case Varint:
                ReadVarint();
                break;
            case Fixed64:
                Position += 8;
                break;
            case LengthDelimited:
                ReadBytes();
                break;
            case Fixed32:
                Position += 4;
                break;
            default:
                throw new InvalidDataException($"The model holds a field of wire type {wireType}, which ONNX does not use.");
        }
    }

    /// <summary>Reads a repeated varint field, packed (one length-delimited run) or not (one value per tag).</summary>
    public void ReadVarints(int wireType, List<long> into)
    {
        if (wireType != LengthDelimited)
        {
            into.Add((long)ReadVarint());
            return;
        }

        var packed = new ProtoReader(ReadBytes());
        while (packed.HasMore)
        {
            into.Add((long)packed.ReadVarint());
        }
    }
}

/// <summary>Writes Protocol Buffers fields into a growing buffer.</summary>
internal sealed class ProtoWriter
{
    private readonly MemoryStream _stream;

    public ProtoWriter(int capacity = 256) => _stream = new MemoryStream(capacity);

    public void WriteRaw(ReadOnlySpan<byte> bytes) => _stream.Write(bytes);

    public void WriteVarint(int field, ulong value)
    {
        WriteTag(field, ProtoReader.Varint);
        WriteVarint(value);
    }

    public void WriteBytes(int field, ReadOnlySpan<byte> bytes)
    {
        WriteTag(field, ProtoReader.LengthDelimited);
        WriteVarint((ulong)bytes.Length);
        _stream.Write(bytes);
    }

    public void WriteString(int field, string value) => WriteBytes(field, Encoding.UTF8.GetBytes(value));

    public ReadOnlySpan<byte> Written => _stream.GetBuffer().AsSpan(0, (int)_stream.Length);

    public void WriteTag(int field, int wireType) => WriteVarint((ulong)((field << 3) | wireType));

    public void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            _stream.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        _stream.WriteByte((byte)value);
    }
}
