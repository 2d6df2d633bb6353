using System.Net;
using System.Text;
using System.Text.Json;
using BriefingBot.Hosting;
using BriefingBot.Tests.Support;
using NSec.Cryptography;

namespace BriefingBot.Tests.Discord;

/// <summary>Interactions over HTTP, signed with Ed25519 as Discord signs them.</summary>
public sealed class InteractionEndpointSpecs : IAsyncLifetime, IDisposable
{
    private readonly Key _key = Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
    private readonly HttpClient _http = new();
    private FakeDiscord _discord = null!;
    private RunningBot _bot = null!;
    private string _url = string.Empty;

    public async Task InitializeAsync()
    {
        _discord = await FakeDiscord.StartAsync();
        var publicKey = Convert.ToHexStringLower(_key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
        _bot = await RunningBot.StartAsync(_discord.Settings(
            ("Discord:InteractionsUrl", "http://127.0.0.1:0/discord/interactions"),
            ("Discord:PublicKey", publicKey)));
        _url = _bot.Get<WebhookHostedService>().Addresses.Single().TrimEnd('/') + "/discord/interactions";
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _discord.DisposeAsync();
    }

    public void Dispose()
    {
        _key.Dispose();
        _http.Dispose();
    }

    private async Task<HttpResponseMessage> PostAsync(string body, string timestamp = "1536746400", string? signedBody = null, string? signature = null)
    {
        signature ??= Convert.ToHexStringLower(SignatureAlgorithm.Ed25519.Sign(_key, Encoding.UTF8.GetBytes(timestamp + (signedBody ?? body))));
        using var request = new HttpRequestMessage(HttpMethod.Post, _url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Signature-Ed25519", signature);
        request.Headers.Add("X-Signature-Timestamp", timestamp);
        return await _http.SendAsync(request);
    }

    [Fact]
    public void The_signature_check_is_standard_Ed25519_over_timestamp_then_body()
    {
        // RFC 8032, section 7.1, test 2: the message is the single byte 0x72 ("r"), here split as timestamp "r" + empty body.
        var verifier = new BriefingBot.Discord.Interactions.InteractionSignature("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
        const string signature = "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00";

        Assert.True(verifier.IsValid(signature, "r", []));
        Assert.False(verifier.IsValid(signature, "r", [0x00]));
        Assert.False(verifier.IsValid(signature.Replace("92a0", "92a1", StringComparison.Ordinal), "r", []));
    }

    [Fact]
    public async Task A_signed_ping_is_answered_with_pong()
    {
        using var response = await PostAsync("""{"id": "1600000000000000010", "application_id": "1100000000000000001", "type": 1, "token": "tok-ping", "version": 1}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("type").GetInt32());
    }

    [Fact]
    public async Task A_tampered_body_or_a_bad_signature_is_refused_with_401()
    {
        const string ping = """{"id": "1600000000000000011", "application_id": "1100000000000000001", "type": 1, "token": "tok-ping", "version": 1}""";
        using var tampered = await PostAsync(ping.Replace("\"type\": 1", "\"type\": 2", StringComparison.Ordinal), signedBody: ping);
        Assert.Equal(HttpStatusCode.Unauthorized, tampered.StatusCode);

        using var garbage = await PostAsync(ping, signature: new string('0', 128));
        Assert.Equal(HttpStatusCode.Unauthorized, garbage.StatusCode);

        using var missing = await PostAsync(ping, signature: string.Empty);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
    }

    [Fact]
    public async Task A_signed_command_is_deferred_in_the_reply_and_answered_by_editing_it()
    {
        using var response = await PostAsync(FakeDiscord.Interaction("1600000000000000012", "tok-http", 2, "ask",
            """[{"type": 3, "name": "question", "value": "How many Syrian refugees does Turkey host?"}]"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(5, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("type").GetInt32());

        var edit = (await _discord.Platform.WaitForAsync(r => r.Method == "PATCH")).Single();
        Assert.Contains("3 million", edit.Json.GetProperty("embeds")[0].GetProperty("description").GetString(), StringComparison.Ordinal);
    }
}
