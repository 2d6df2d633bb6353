using System.Text.Json;
using System.Text.Json.Serialization;

namespace BriefingBot.Slack;

// Wire payloads of Slack's APIs, named as the docs name them (snake_case). Unknown fields are ignored.

/// <summary>A Socket Mode frame: hello, disconnect, or an envelope. https://api.slack.com/apis/socket-mode</summary>
internal sealed record SocketFrame(string? Type, string? EnvelopeId, JsonElement? Payload, bool? AcceptsResponsePayload, int? RetryAttempt, string? RetryReason, string? Reason);

/// <summary>The acknowledgement of an envelope, with the slash command's answer when it is answered inline.</summary>
internal sealed record Acknowledgement(string EnvelopeId, CommandResponse? Payload = null);

/// <summary>The Events API's outer event: https://api.slack.com/apis/events-api#callback-field</summary>
internal sealed record EventCallback(string? Type, string? EventId, string? TeamId, SlackEvent? Event, string? Challenge);

/// <summary>app_mention and message events: https://api.slack.com/events/app_mention, https://api.slack.com/events/message.im</summary>
internal sealed record SlackEvent(string? Type, string? User, string? Text, string? Ts, string? ThreadTs, string? Channel, string? ChannelType, string? BotId, string? Subtype);

/// <summary>A slash command's fields: https://api.slack.com/interactivity/slash-commands#app_command_handling</summary>
internal sealed record SlashCommand(string? Command, string? Text, string? UserId, string? ChannelId, string? ResponseUrl, string? TeamId, string? TriggerId = null);

/// <summary>The answer to a slash command, inline or through <c>response_url</c>.</summary>
internal sealed record CommandResponse(string ResponseType, string Text, IReadOnlyList<Block> Blocks, bool? ReplaceOriginal = null);

/// <summary>
/// One Block Kit block: section, context, divider, actions (buttons), or input (in a modal).
/// https://api.slack.com/reference/block-kit/blocks
/// </summary>
internal sealed record Block(
    string Type,
    TextObject? Text = null,
    IReadOnlyList<BlockElement>? Elements = null,
    string? BlockId = null,
    TextObject? Label = null,
    BlockElement? Element = null,
    bool? Optional = null);

/// <summary>What blocks hold: text, buttons, inputs (written as their own kind; never read back).</summary>
[JsonDerivedType(typeof(TextObject))]
[JsonDerivedType(typeof(ButtonElement))]
[JsonDerivedType(typeof(PlainTextInput))]
internal abstract record BlockElement;

internal sealed record TextObject(string Type, string Text, bool? Emoji = null) : BlockElement;

/// <summary>https://api.slack.com/reference/block-kit/block-elements#button</summary>
internal sealed record ButtonElement(TextObject Text, string ActionId, string Value) : BlockElement
{
    public string Type => "button";
}

/// <summary>https://api.slack.com/reference/block-kit/block-elements#input</summary>
internal sealed record PlainTextInput(string ActionId, bool Multiline, int MaxLength, TextObject? Placeholder = null) : BlockElement
{
    public string Type => "plain_text_input";
}

/// <summary>views.open: https://api.slack.com/methods/views.open</summary>
internal sealed record ViewsOpen(string TriggerId, ModalView View);

internal sealed record ModalView(string CallbackId, string PrivateMetadata, TextObject Title, TextObject Submit, TextObject Close, IReadOnlyList<Block> Blocks)
{
    public string Type => "modal";
}

/// <summary>chat.postEphemeral: a message only <see cref="User"/> sees.</summary>
internal sealed record PostEphemeral(string Channel, string User, string Text);

/// <summary>An <c>interactive</c> payload: a button pressed (<c>block_actions</c>) or a modal sent (<c>view_submission</c>).</summary>
internal sealed record InteractivePayload(
    string? Type,
    InteractiveUser? User,
    InteractiveChannel? Channel,
    string? TriggerId,
    IReadOnlyList<ActionPayload>? Actions,
    ViewPayload? View);

internal sealed record InteractiveUser(string? Id);

internal sealed record InteractiveChannel(string? Id);

internal sealed record ActionPayload(string? ActionId, string? Value, string? BlockId);

internal sealed record ViewPayload(string? CallbackId, string? PrivateMetadata, ViewState? State);

internal sealed record ViewState(Dictionary<string, Dictionary<string, InputValue>>? Values);

internal sealed record InputValue(string? Type, string? Value);

/// <summary>https://api.slack.com/methods/chat.postMessage</summary>
internal sealed record PostMessage(
    string Channel,
    string Text,
    IReadOnlyList<Block> Blocks,
    string? ThreadTs = null,
    bool UnfurlLinks = false,
    bool UnfurlMedia = false,
    MessageMetadata? Metadata = null);

/// <summary>Metadata the bot attaches to a briefing part, to find it again: https://api.slack.com/metadata/using</summary>
internal sealed record MessageMetadata(string? EventType, BriefingPart? EventPayload);

internal sealed record BriefingPart(string? Key, int Part, int Parts);

/// <summary>A message of conversations.history, as far as the bot reads it.</summary>
internal sealed record HistoryMessage(string? Ts, string? BotId, MessageMetadata? Metadata);

internal sealed record Reaction(string Channel, string Timestamp, string Name);

/// <summary>Every Web API response: <c>ok</c>, and <c>error</c> when it is false; the fields the bot reads.</summary>
internal sealed record ApiResponse(
    [property: JsonRequired] bool Ok, string? Error, string? Ts, string? Url, string? UserId, string? BotId, IReadOnlyList<HistoryMessage>? Messages = null, JsonElement? User = null);

/// <summary>users.info's user (auth.test's <c>user</c> is a name instead), as far as the bot reads it: https://api.slack.com/methods/users.info</summary>
internal sealed record SlackUser(string? Id, bool? IsAdmin, bool? IsOwner, bool? IsPrimaryOwner);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(SocketFrame))]
[JsonSerializable(typeof(Acknowledgement))]
[JsonSerializable(typeof(EventCallback))]
[JsonSerializable(typeof(SlashCommand))]
[JsonSerializable(typeof(CommandResponse))]
[JsonSerializable(typeof(PostMessage))]
[JsonSerializable(typeof(Reaction))]
[JsonSerializable(typeof(ApiResponse))]
[JsonSerializable(typeof(ViewsOpen))]
[JsonSerializable(typeof(SlackUser))]
[JsonSerializable(typeof(PostEphemeral))]
[JsonSerializable(typeof(InteractivePayload))]
internal sealed partial class SlackJsonContext : JsonSerializerContext;
