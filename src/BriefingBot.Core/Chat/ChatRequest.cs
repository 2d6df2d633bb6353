using BriefingBot.Core.Answering;
using BriefingBot.Core.Articles;

namespace BriefingBot.Core.Chat;

/// <summary>What a person asked, whichever platform they asked on.</summary>
public abstract record ChatRequest
{
    /// <summary>Who asked and where, for the per-person and per-channel limits; null in the shell and on the command line.</summary>
    public Requester? From { get; init; }
}

/// <param name="Conversation">Identifies the thread or session the question belongs to, for follow-ups.</param>
public sealed record AskRequest(string Question, string? Conversation = null) : ChatRequest;

public sealed record QuoteRequest(string? Speaker, string? Topic) : ChatRequest;

/// <param name="Since">Start of the window; by default the end of the last posted briefing, or 24 hours ago.</param>
/// <param name="Until">End of the window; by default now.</param>
public sealed record BriefingRequest(DateTimeOffset? Since, DateTimeOffset? Until = null) : ChatRequest;

public sealed record SourcesRequest : ChatRequest;

/// <summary>Post new articles matching <paramref name="Words"/> to the channel asked from, as they arrive.</summary>
public sealed record FollowRequest(string Words) : ChatRequest;

public sealed record UnfollowRequest(string Words) : ChatRequest;

/// <summary>The topics the channel asked from follows.</summary>
public sealed record FollowingRequest : ChatRequest;

/// <summary>
/// Shows the channel's settings and changes those given. <paramref name="MayManage"/>: the platform says the person
/// may manage the channel (Discord: Manage Server; Slack: a workspace admin or one of <c>Slack:AdminUsers</c>).
/// </summary>
/// <param name="Answers">"everyone" or "asker": who sees answers to commands.</param>
/// <param name="Briefing">"on" or "off".</param>
/// <param name="Time">The briefing's time of day, "07:30".</param>
/// <param name="Zone">The briefing's time zone, "Europe/Istanbul".</param>
public sealed record SettingsRequest(bool MayManage, string? Answers = null, string? Briefing = null, string? Time = null, string? Zone = null) : ChatRequest;

public sealed record HelpRequest : ChatRequest;

/// <summary>The bot's reply, platform-neutral; each platform's formatter renders it within its limits.</summary>
public abstract record ChatReply;

public sealed record AnswerReply(Answer Answer) : ChatReply;

/// <param name="Feeds">The news feeds the corpus grows from, with how their polls went.</param>
public sealed record SourcesReply(CorpusStats Stats, IReadOnlyList<Feeds.FeedState>? Feeds = null) : ChatReply;

/// <summary>
/// New articles for the channel's followed topics, by story (<see cref="Briefing.IStoryStore"/>, the reports of one
/// event together, oldest first): one story, or a digest of several.
/// </summary>
public sealed record NewArticlesReply(IReadOnlyList<string> Words, IReadOnlyList<IReadOnlyList<Article>> Stories, bool Digest) : ChatReply
{
    /// <summary>Every article of the post, story by story.</summary>
    public IReadOnlyList<Article> Articles => [.. Stories.SelectMany(s => s)];
}

/// <summary>A channel's settings as they apply (its own over the bot's defaults), after a change when <paramref name="Message"/> says what changed.</summary>
public sealed record SettingsReply(string? Message, string Answers, string Briefing, IReadOnlyList<Follows.Follow> Follows) : ChatReply;

/// <summary>The channel's followed topics, after a change when <paramref name="Message"/> says what changed.</summary>
public sealed record FollowsReply(string? Message, IReadOnlyList<Follows.Follow> Follows) : ChatReply;

public sealed record QuoteReply(Quotes.QuoteLookup Lookup) : ChatReply;

public sealed record BriefingReply(Briefing.Briefing Briefing) : ChatReply;

public sealed record HelpReply(IReadOnlyList<(string Command, string Description)> Commands) : ChatReply;

/// <summary>The request could not be served; the message is safe to show to the user.</summary>
public sealed record ErrorReply(string Message) : ChatReply;

/// <summary>
/// The person (or the channel) is asking faster than the bot answers. <paramref name="Repeat"/>: they were told
/// already in this stretch, so a platform that can stay silent (a mention) does.
/// </summary>
public sealed record ThrottledReply(TimeSpan RetryAfter, bool Repeat, bool Channel = false) : ChatReply
{
    public string Message => $"{(Channel ? "This channel is" : "You're")} asking faster than I can answer — please ask again in {Math.Max(1, (int)Math.Ceiling(RetryAfter.TotalSeconds))} s.";
}
