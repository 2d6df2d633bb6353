using System.Text;
using NSec.Cryptography;

namespace BriefingBot.Discord.Interactions;

/// <summary>
/// Checks that an HTTP interaction comes from Discord: an Ed25519 signature (hex, <c>X-Signature-Ed25519</c>) over
/// the timestamp (<c>X-Signature-Timestamp</c>) followed by the raw body, against the application's public key.
/// https://discord.com/developers/docs/interactions/overview#setting-up-an-endpoint-validating-security-request-headers
/// </summary>
public sealed class InteractionSignature
{
    private readonly PublicKey _key;

    public InteractionSignature(string publicKeyHex) =>
        _key = PublicKey.Import(SignatureAlgorithm.Ed25519, Convert.FromHexString(publicKeyHex), KeyBlobFormat.RawPublicKey);

    public bool IsValid(string? signatureHex, string? timestamp, ReadOnlySpan<byte> body)
    {
        if (signatureHex is not { Length: 128 } || string.IsNullOrEmpty(timestamp) || !signatureHex.All(Uri.IsHexDigit))
        {
            return false;
        }

        var signed = new byte[Encoding.UTF8.GetByteCount(timestamp) + body.Length];
        var written = Encoding.UTF8.GetBytes(timestamp, signed);
        body.CopyTo(signed.AsSpan(written));
        return SignatureAlgorithm.Ed25519.Verify(_key, signed, Convert.FromHexString(signatureHex));
    }
}
