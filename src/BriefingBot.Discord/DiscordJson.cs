using System.Text.Json;
using System.Text.Json.Serialization;

namespace BriefingBot.Discord;

// Wire payloads of Discord API v10, named as the docs name them (snake_case). Unknown fields are ignored, since
// real payloads carry undocumented ones (_trace).

/// <summary>Gateway payload structure: https://discord.com/developers/docs/events/gateway-events#payload-structure</summary>
internal sealed record GatewayPayload([property: JsonRequired] int Op, JsonElement? D, long? S, string? T);

/// <summary>Heartbeat (op 1): <c>d</c> is the last sequence number, or null before any.</summary>
internal sealed record HeartbeatPayload([property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? D)
{
    public int Op => 1;
}

internal sealed record IdentifyPayload(IdentifyData D)
{
    public int Op => 2;
}

/// <summary>https://discord.com/developers/docs/events/gateway-events#identify</summary>
internal sealed record IdentifyData(string Token, int Intents, IdentifyProperties Properties, int[] Shard);

internal sealed record IdentifyProperties(string Os, string Browser, string Device);

internal sealed record ResumePayload(ResumeData D)
{
    public int Op => 6;
}

/// <summary>https://discord.com/developers/docs/events/gateway-events#resume</summary>
internal sealed record ResumeData(string Token, string SessionId, long? Seq);

internal sealed record HelloData(double HeartbeatInterval);

/// <summary>https://discord.com/developers/docs/events/gateway-events#ready</summary>
internal sealed record ReadyData([property: JsonRequired] string SessionId, [property: JsonRequired] string ResumeGatewayUrl, [property: JsonRequired] DiscordUser User);

/// <summary>https://discord.com/developers/docs/events/gateway#get-gateway-bot</summary>
internal sealed record GatewayBotInfo([property: JsonRequired] string Url, int Shards, [property: JsonRequired] SessionStartLimit SessionStartLimit);

internal sealed record SessionStartLimit(int Total, int Remaining, long ResetAfter, int MaxConcurrency);

internal sealed record DiscordUser([property: JsonRequired] string Id, string? Username, bool? Bot);

/// <summary>https://discord.com/developers/docs/resources/message#message-object</summary>
internal sealed record DiscordMessage(
    [property: JsonRequired] string Id,
    [property: JsonRequired] string ChannelId,
    string? GuildId,
    [property: JsonRequired] DiscordUser Author,
    string? Content,
    IReadOnlyList<DiscordUser>? Mentions,
    string? WebhookId,
    int Type,
    MessageReference? MessageReference = null);

/// <summary>https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-object</summary>
internal sealed record Interaction(
    [property: JsonRequired] string Id,
    string? ApplicationId,
    [property: JsonRequired] int Type,
    InteractionData? Data,
    string? GuildId,
    string? ChannelId,
    [property: JsonRequired] string Token,
    GuildMember? Member,
    DiscordUser? User);

/// <summary>A command's name and options; a component's <c>custom_id</c>; a modal's <c>custom_id</c> and submitted components.</summary>
internal sealed record InteractionData(
    string? Name,
    IReadOnlyList<InteractionOption>? Options,
    string? CustomId = null,
    int? ComponentType = null,
    IReadOnlyList<DiscordComponent>? Components = null);

internal sealed record InteractionOption(string Name, int Type, JsonElement? Value, bool? Focused, IReadOnlyList<InteractionOption>? Options);

/// <param name="Permissions">The member's permissions in the channel, a bit set as a decimal string.</param>
internal sealed record GuildMember(DiscordUser? User, string? Permissions = null);

/// <summary>https://discord.com/developers/docs/resources/message#create-message-jsonform-params</summary>
internal sealed record MessagePayload(
    string? Content,
    IReadOnlyList<Embed>? Embeds,
    AllowedMentions AllowedMentions,
    MessageReference? MessageReference = null,
    int? Flags = null,
    string? Nonce = null,
    bool? EnforceNonce = null,
    IReadOnlyList<DiscordComponent>? Components = null);

/// <summary>
/// A message component: an action row (1) holding buttons (2), a text input (4) in a modal, or a label (18) around
/// one. https://discord.com/developers/docs/components/reference
/// </summary>
internal sealed record DiscordComponent(
    int Type,
    IReadOnlyList<DiscordComponent>? Components = null,
    int? Style = null,
    string? Label = null,
    string? CustomId = null,
    ComponentEmoji? Emoji = null,
    string? Value = null,
    bool? Required = null,
    int? MaxLength = null,
    string? Placeholder = null,
    DiscordComponent? Component = null);

internal sealed record ComponentEmoji(string Name);

/// <summary>https://discord.com/developers/docs/resources/message#allowed-mentions-object</summary>
internal sealed record AllowedMentions(string[] Parse, bool? RepliedUser = null)
{
    /// <summary>Nothing in the text pings anyone; only the person replied to is notified.</summary>
    public static AllowedMentions None(bool notifyRepliedUser = false) => new([], notifyRepliedUser);
}

internal sealed record MessageReference(string? MessageId, bool FailIfNotExists = false);

/// <summary>https://discord.com/developers/docs/resources/message#embed-object (limits in the section after it)</summary>
internal sealed record Embed(
    string? Title = null,
    string? Url = null,
    string? Description = null,
    int? Color = null,
    EmbedFooter? Footer = null,
    EmbedAuthor? Author = null)
{
    /// <summary>The characters that count against the 6,000 a message's embeds may hold together.</summary>
    [JsonIgnore]
    public int Length => (Title?.Length ?? 0) + (Description?.Length ?? 0) + (Footer?.Text.Length ?? 0) + (Author?.Name.Length ?? 0);
}

internal sealed record EmbedFooter(string Text);

internal sealed record EmbedAuthor(string Name);

/// <summary>https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-response-object</summary>
internal sealed record InteractionResponse(int Type, InteractionCallbackData? Data = null);

internal sealed record InteractionCallbackData(
    string? Content = null,
    IReadOnlyList<Embed>? Embeds = null,
    AllowedMentions? AllowedMentions = null,
    int? Flags = null,
    IReadOnlyList<CommandChoice>? Choices = null,
    string? CustomId = null,
    string? Title = null,
    IReadOnlyList<DiscordComponent>? Components = null);

internal sealed record CommandChoice(string Name, string Value);

/// <summary>https://discord.com/developers/docs/interactions/application-commands#application-command-object</summary>
/// <param name="DefaultMemberPermissions">Who sees the command unless a server says otherwise: a permission bit set as a decimal string.</param>
internal sealed record ApplicationCommand(string Name, string Description, IReadOnlyList<CommandOption>? Options = null, string? DefaultMemberPermissions = null);

internal sealed record CommandOption(
    int Type, string Name, string Description, bool? Required = null, bool? Autocomplete = null, int? MaxLength = null, IReadOnlyList<CommandChoice>? Choices = null);

/// <summary>The body of a 429: https://discord.com/developers/docs/topics/rate-limits#exceeding-a-rate-limit</summary>
internal sealed record RateLimitBody(string? Message, double RetryAfter, bool Global);

internal sealed record ErrorBody(int? Code, string? Message);

internal sealed record CreatedMessage(string Id);

/// <summary>A shard's gateway session as its holder leaves it for the next one: enough to resume it.</summary>
internal sealed record ShardSession([property: JsonRequired] string SessionId, [property: JsonRequired] string ResumeGatewayUrl, long? Seq);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(GatewayPayload))]
[JsonSerializable(typeof(HeartbeatPayload))]
[JsonSerializable(typeof(IdentifyPayload))]
[JsonSerializable(typeof(ResumePayload))]
[JsonSerializable(typeof(HelloData))]
[JsonSerializable(typeof(ReadyData))]
[JsonSerializable(typeof(GatewayBotInfo))]
[JsonSerializable(typeof(DiscordMessage))]
[JsonSerializable(typeof(Interaction))]
[JsonSerializable(typeof(MessagePayload))]
[JsonSerializable(typeof(InteractionResponse))]
[JsonSerializable(typeof(List<ApplicationCommand>))]
[JsonSerializable(typeof(RateLimitBody))]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(CreatedMessage))]
[JsonSerializable(typeof(List<DiscordMessage>))]
[JsonSerializable(typeof(ShardSession))]
[JsonSerializable(typeof(DiscordUser))]
internal sealed partial class DiscordJsonContext : JsonSerializerContext;
