using System.Text.Json;
using BriefingBot.Core.Chat;

namespace BriefingBot.Discord.Interactions;

/// <summary>
/// The slash commands the bot registers, and how an invocation becomes a <see cref="ChatRequest"/>.
/// https://discord.com/developers/docs/interactions/application-commands
/// </summary>
internal static class Commands
{
    private const int String = 3;

    /// <summary>The Manage Server permission: https://discord.com/developers/docs/topics/permissions</summary>
    public const long ManageGuild = 1 << 5;

    public const long Administrator = 1 << 3;

    public static List<ApplicationCommand> Definitions { get; } =
    [
        new("ask", "Ask about the crisis; the answer cites its articles",
            [new CommandOption(String, "question", "What you want to know", Required: true, MaxLength: ChatRouter.MaxQuestionLength)]),
        new("quote", "Verbatim quotes by speaker and/or topic",
            [
                new CommandOption(String, "speaker", "Who said it (full name or surname)", Autocomplete: true, MaxLength: ChatRouter.MaxSpeakerLength),
                new CommandOption(String, "topic", "What it was about", MaxLength: ChatRouter.MaxTopicLength),
            ]),
        new("briefing", "What is new: stories grouped across outlets, with quotes",
            [new CommandOption(String, "since", "Start of the window, e.g. 2018-09-01 (default: since the last briefing)", MaxLength: 40)]),
        new("sources", "What the corpus holds: articles, outlets, dates and news feeds"),
        new("follow", "Post new articles on these words to this channel as they arrive",
            [new CommandOption(String, "words", "The topic, e.g. Idlib ceasefire", Required: true, MaxLength: 100)]),
        new("unfollow", "Stop following a topic in this channel",
            [new CommandOption(String, "words", "The topic as /following lists it", Required: true, MaxLength: 100)]),
        new("following", "The topics this channel follows"),
        new("settings", "This channel's settings: who sees answers, its daily briefing",
            [
                new CommandOption(String, "answers", "Who sees answers to commands here", Choices: [new("everyone", "everyone"), new("only who asked", "asker")]),
                new CommandOption(String, "briefing", "This channel's daily briefing", Choices: [new("on", "on"), new("off", "off")]),
                new CommandOption(String, "time", "The briefing's time of day, e.g. 07:30", MaxLength: 5),
                new CommandOption(String, "timezone", "The briefing's time zone, e.g. Europe/Istanbul", MaxLength: 64),
            ],
            DefaultMemberPermissions: ManageGuild.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("help", "What the bot can do"),
    ];

    /// <param name="mayManage">The member may manage the server (or it is a direct message): for <c>/settings</c>.</param>
    public static TextCommand ToRequest(InteractionData data, bool mayManage = false)
    {
        string? Option(string name) =>
            data.Options?.FirstOrDefault(o => o.Name == name)?.Value is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

        return data.Name switch
        {
            "ask" => Option("question") is { } question && question.Trim().Length > 0
                ? new TextCommand.Request(new AskRequest(question))
                : new TextCommand.Invalid("Ask a question, for example: How many Syrian refugees does Turkey host?"),
            "quote" => Option("speaker") is null && Option("topic") is null
                ? new TextCommand.Invalid(TextCommands.QuoteUsage)
                : new TextCommand.Request(new QuoteRequest(Blank(Option("speaker")), Blank(Option("topic")))),
            "briefing" => TextCommands.ParseBriefing(Option("since")),
            "sources" => new TextCommand.Request(new SourcesRequest()),
            "follow" => TextCommands.ParseFollow(Option("words"), unfollow: false),
            "unfollow" => TextCommands.ParseFollow(Option("words"), unfollow: true),
            "following" => new TextCommand.Request(new FollowingRequest()),
            "settings" => new TextCommand.Request(new SettingsRequest(mayManage, Blank(Option("answers")), Blank(Option("briefing")), Blank(Option("time")), Blank(Option("timezone")))),
            "help" => new TextCommand.Request(new HelpRequest()),
            _ => new TextCommand.Invalid($"I don't know the command /{data.Name}. Try /help."),
        };
    }

    /// <summary>Whether the member's permissions (as the interaction gives them) include Manage Server or Administrator.</summary>
    public static bool MayManage(string? permissions) =>
        long.TryParse(permissions, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var bits) && (bits & (ManageGuild | Administrator)) != 0;

    /// <summary>The option the user is typing in, for autocomplete.</summary>
    public static InteractionOption? Focused(InteractionData data) => data.Options?.FirstOrDefault(o => o.Focused == true);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
