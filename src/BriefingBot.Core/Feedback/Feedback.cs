using System.Security.Cryptography;
using System.Text;
using BriefingBot.Core.Answering;

namespace BriefingBot.Core.Feedback;

/// <summary>An answer as a platform showed it, kept so a vote on it can be read later with what was voted on.</summary>
/// <param name="Sources">The cited articles as "title — outlet, date — url".</param>
public sealed record ShownAnswer(string Id, string Platform, string? Channel, string Question, string Shown, IReadOnlyList<string> Sources, bool Generated, DateTimeOffset ShownAt);

/// <summary>A vote on a shown answer; the voter is a keyed hash of who they are on their platform.</summary>
public sealed record AnswerVote(string AnswerId, string Voter, bool Up, string? Comment, DateTimeOffset VotedAt);

/// <summary>Votes of one day on one platform.</summary>
public sealed record VoteCount(DateOnly Day, string Platform, int Up, int Down);

public interface IFeedbackStore
{
    Task RememberAnswerAsync(ShownAnswer answer, CancellationToken cancellationToken = default);

    /// <summary>The key voters are hashed with (the database's own secret).</summary>
    Task<byte[]> VoterKeyAsync(CancellationToken cancellationToken = default);

    /// <summary>Records or changes a person's vote on an answer; null when there is no such answer, else the vote it replaced (null for a first vote).</summary>
    Task<(bool Known, bool? Before)> VoteAsync(string answerId, string voter, bool up, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Adds what was wrong to a person's vote; false when they have no vote on that answer.</summary>
    Task<bool> CommentAsync(string answerId, string voter, string comment, DateTimeOffset now, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<VoteCount>> CountVotesAsync(CancellationToken cancellationToken = default);

    /// <summary>Answers voted down, newest vote first, with each down vote.</summary>
    Task<IReadOnlyList<(ShownAnswer Answer, AnswerVote Vote)>> VotedDownAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// Feedback on answers, whichever platform shows them: every answer shown is kept with its question, text, sources
/// and whether a model wrote it; a person has one vote per answer and may change it; people are stored as hashes.
/// </summary>
public sealed class FeedbackRecorder(IFeedbackStore store, TimeProvider time, Diagnostics.BotMetrics? metrics = null)
{
    public const int MaxComment = 1000;

    /// <summary>Keeps the answer as shown; returns the id its vote buttons carry.</summary>
    public async Task<string> RememberAsync(string platform, string? channel, Answer answer, string shown, CancellationToken cancellationToken = default)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        // An answer's sources; for "not answered", the nearest articles it showed.
        var articles = answer.Sources.Count > 0 ? answer.Sources.Select(s => s.Article) : answer.Citations.Select(c => c.Article).DistinctBy(a => a.Id);
        var sources = articles.Select(a => string.Join(" — ", new[] { a.Title, string.Join(", ", new[] { a.Outlet, a.Published }.Where(x => !string.IsNullOrEmpty(x))), a.Url }
            .Where(x => !string.IsNullOrEmpty(x)))).ToList();
        await store.RememberAnswerAsync(
            new ShownAnswer(id, platform, channel, answer.Question, shown, sources, answer.Method == AnswerMethod.Generated, time.GetUtcNow()), cancellationToken)
            .ConfigureAwait(false);
        return id;
    }

    /// <returns>False when the answer is not known (too old, or another database's).</returns>
    public async Task<bool> VoteAsync(string answerId, string platform, string user, bool up, CancellationToken cancellationToken = default)
    {
        var (known, before) = await store.VoteAsync(answerId, await VoterAsync(platform, user, cancellationToken).ConfigureAwait(false), up, time.GetUtcNow(), cancellationToken)
            .ConfigureAwait(false);
        if (known && before != up)
        {
            metrics?.Vote(platform, up ? "up" : "down");
        }

        return known;
    }

    public async Task<bool> CommentAsync(string answerId, string platform, string user, string comment, CancellationToken cancellationToken = default)
    {
        comment = comment.Trim();
        if (comment.Length == 0)
        {
            return true;
        }

        return await store.CommentAsync(answerId, await VoterAsync(platform, user, cancellationToken).ConfigureAwait(false),
            comment.Length > MaxComment ? comment[..MaxComment] : comment, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> VoterAsync(string platform, string user, CancellationToken cancellationToken) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(await store.VoterKeyAsync(cancellationToken).ConfigureAwait(false), Encoding.UTF8.GetBytes($"{platform}:{user}")))[..32];
}
