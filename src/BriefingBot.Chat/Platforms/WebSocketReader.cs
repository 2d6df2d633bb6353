using System.Buffers;
using System.Net.WebSockets;
using System.Text;

namespace BriefingBot.Chat.Platforms;

/// <summary>
/// Reads whole text messages from a platform's WebSocket, however many frames each arrives in, into one reused
/// buffer; a message larger than <paramref name="maxBytes"/> fails the connection rather than the process.
/// </summary>
public sealed class WebSocketReader(WebSocket socket, int maxBytes)
{
    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);

    /// <summary>The next message, or null when the other side closed the connection.</summary>
    public async Task<string?> ReceiveTextAsync(CancellationToken cancellationToken)
    {
        _buffer.ResetWrittenCount();
        while (true)
        {
            var result = await socket.ReceiveAsync(_buffer.GetMemory(16 * 1024), cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            _buffer.Advance(result.Count);
            if (_buffer.WrittenCount > maxBytes)
            {
                throw new WebSocketException($"A message exceeded {maxBytes} bytes.");
            }

            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(_buffer.WrittenSpan);
            }
        }
    }
}
