using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using BriefingBot.Core.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BriefingBot.Core.Chat;

/// <summary>
/// Where instances sharing a store keep the questions of each conversation, so a follow-up that reaches another
/// instance is read in the context of the question before it.
/// </summary>
public interface IConversationStore
{
    Task RememberTurnAsync(string conversation, string question, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>The latest question of the conversation asked at or after <paramref name="since"/>, if any.</summary>
    Task<string?> LatestTurnAsync(string conversation, DateTimeOffset since, CancellationToken cancellationToken = default);
}

/// <summary>
/// Recent questions per conversation (a thread, a DM, a shell session), so a follow-up is read in the context of
/// the question before it. Bounded in turns per conversation, in age, and in conversations kept. With a shared store
/// the turns are kept there too and read from there first, so every instance sees every conversation; when the store
/// cannot be reached this process's own turns serve.
/// </summary>
public sealed class Conversations(TimeProvider time, IConversationStore? shared = null, ILogger<Conversations>? logger = null)
{
    private static readonly Action<ILogger, string, Exception?> SharedFailed = LoggerMessage.Define<string>(
        LogLevel.Warning, new EventId(1, "SharedConversations"), "The store's conversation history could not be used ({Reason}); this instance's own is used");

    public const int MaxTurns = 6;
    public const int MaxConversations = 2000;
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(30);

    private sealed record Turn(string Question, DateTimeOffset At);

    private readonly ConcurrentDictionary<string, List<Turn>> _turns = new(StringComparer.Ordinal);

    /// <summary>The latest question of the conversation still young enough to be followed up, if any.</summary>
    public string? Previous(string conversation)
    {
        if (!_turns.TryGetValue(conversation, out var turns))
        {
            return null;
        }

        lock (turns)
        {
            var now = time.GetUtcNow();
            turns.RemoveAll(t => now - t.At > MaxAge);
            return turns.Count > 0 ? turns[^1].Question : null;
        }
    }

    /// <summary>As <see cref="Previous"/>, asking the shared store first when there is one.</summary>
    public async Task<string?> PreviousAsync(string conversation, CancellationToken cancellationToken)
    {
        if (shared is not null)
        {
            try
            {
                return await shared.LatestTurnAsync(conversation, time.GetUtcNow() - MaxAge, cancellationToken).ConfigureAwait(false) ?? Previous(conversation);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogSharedFailed(ex.Message);
            }
        }

        return Previous(conversation);
    }

    /// <summary>Whether the shared store holds a question of the conversation asked at or after <paramref name="since"/>; false without one.</summary>
    public async Task<bool> AskedSinceAsync(string conversation, DateTimeOffset since, CancellationToken cancellationToken)
    {
        if (shared is null)
        {
            return false;
        }

        try
        {
            return await shared.LatestTurnAsync(conversation, since, cancellationToken).ConfigureAwait(false) is not null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogSharedFailed(ex.Message);
            return false;
        }
    }

    public void Remember(string conversation, string question)
    {
        if (_turns.Count >= MaxConversations && !_turns.ContainsKey(conversation))
        {
            // Forget the conversation idle longest.
            var oldest = _turns.OrderBy(kv => kv.Value.Count > 0 ? kv.Value[^1].At : DateTimeOffset.MinValue).First().Key;
            _turns.TryRemove(oldest, out _);
        }

        var turns = _turns.GetOrAdd(conversation, _ => []);
        lock (turns)
        {
            turns.Add(new Turn(question, time.GetUtcNow()));
            if (turns.Count > MaxTurns)
            {
                turns.RemoveAt(0);
            }
        }
    }

    /// <summary>As <see cref="Remember"/>, and in the shared store when there is one.</summary>
    public async Task RememberAsync(string conversation, string question, CancellationToken cancellationToken)
    {
        Remember(conversation, question);
        if (shared is not null)
        {
            try
            {
                await shared.RememberTurnAsync(conversation, question, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogSharedFailed(ex.Message);
            }
        }
    }

    private void LogSharedFailed(string reason) => SharedFailed(logger ?? (ILogger)NullLogger.Instance, reason, null);
}

/// <summary>
/// Reads a follow-up in the context of the question before it, without a language model: "what about Russia?"
/// after "What are Turkey's aims in Idlib?" becomes "What are Russia's aims in Idlib?"; a question that leans on
/// the one before ("What did he say next?") carries over the names it does not repeat.
/// </summary>
public static partial class FollowUps
{
    /// <summary>The question to search for; the question itself when it stands on its own.</summary>
    public static string Rewrite(string question, string? previous) => Read(question, previous).Question;

    /// <summary>
    /// The question to search for and, when the follow-up swaps the subject ("what about Russia?"), the new
    /// subject: an answer must be about it, not about the subject of the question before.
    /// </summary>
    public static (string Question, string? Subject) Read(string question, string? previous)
    {
        if (previous is null)
        {
            return (question, null);
        }

        var swap = Swap().Match(question.Trim());
        var subject = swap.Success ? swap.Groups["subject"].Value.Trim().TrimEnd('?', '.', '!').Trim() : string.Empty;
        // "what about it?" / "WHAT ABOUT THEM?" names nothing new: it leans on the question before instead.
        if (swap.Success && !Pronouns().IsMatch(subject))
        {
            var replacement = subject;
            var names = Names(previous);
            if (names.Count > 0)
            {
                // Replace the first name of the earlier question with the new subject, keeping a possessive.
                var first = names[0];
                var index = previous.IndexOf(first, StringComparison.Ordinal);
                var possessive = first.EndsWith("’s", StringComparison.Ordinal) ? "’s" : first.EndsWith("'s", StringComparison.Ordinal) ? "'s" : string.Empty;
                if (replacement.EndsWith("’s", StringComparison.Ordinal) || replacement.EndsWith("'s", StringComparison.Ordinal))
                {
                    possessive = string.Empty;
                }

                return (previous[..index] + replacement + possessive + previous[(index + first.Length)..], replacement);
            }

            return ($"{previous.TrimEnd('?', '.', ' ')} {replacement}?", replacement);
        }

        if (!LeansOnContext(question))
        {
            return (question, null);
        }

        // Carry over the names the follow-up does not repeat, and, for a question of a word or two, the topic too.
        var carried = Names(previous)
            .Select(n => n.Replace("’s", string.Empty, StringComparison.Ordinal).Replace("'s", string.Empty, StringComparison.Ordinal))
            .Where(n => !question.Contains(n, StringComparison.OrdinalIgnoreCase))
            .ToList();
        if (Terms.Of(question).Count <= 2)
        {
            carried.AddRange(QueryTerms.Parse(previous)
                .Where(t => !t.IsName && !question.Contains(t.Word, StringComparison.OrdinalIgnoreCase))
                .Select(t => t.Word));
        }

        carried = carried.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return (carried.Count == 0 ? question : $"{question.TrimEnd()} ({string.Join(' ', carried)})", null);
    }

    /// <summary>A question that cannot be read alone: a pronoun for someone named before, or too few words of its own.</summary>
    private static bool LeansOnContext(string question)
    {
        var words = question.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return Pronouns().IsMatch(question) || (Names(question).Count == 0 && (Terms.Of(question).Count <= 1 || words.Length <= 4));
    }

    /// <summary>Capitalised names in a question (not its first word), longest runs first in order of appearance.</summary>
    private static List<string> Names(string text) =>
        NamePattern().Matches(text).Select(m => m.Groups["name"].Value).Where(n => n.Length > 1).ToList();

    [GeneratedRegex(@"^(?:and\s+)?(?:what|how)\s+about\s+(?<subject>.+)$|^and\s+(?<subject>[A-Z].+)$|^(?:what|how)\s+of\s+(?<subject>.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex Swap();

    [GeneratedRegex(@"\b(?:he|she|they|him|her|them|his|their|it|its|this|that|those|these)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Pronouns();

    [GeneratedRegex(@"(?<=\S\s+)(?<name>[A-Z][\p{L}'’\-]*(?:’s|'s)?(?:\s+[A-Z][\p{L}'’\-]*)*)")]
    private static partial Regex NamePattern();
}
