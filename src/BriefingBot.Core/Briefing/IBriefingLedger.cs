namespace BriefingBot.Core.Briefing;

/// <summary>
/// What was posted where: the record that makes a scheduled briefing go out once per channel and occurrence, across
/// restarts, crashes and several instances sharing one store.
/// </summary>
public interface IBriefingLedger
{
    /// <summary>
    /// Claims an occurrence for <paramref name="owner"/>: true when nobody posted it and nobody else holds a live
    /// claim. A claim not marked posted lapses after <paramref name="lease"/>, so a crash between composing and
    /// posting leaves the occurrence to the next attempt rather than losing it.
    /// </summary>
    Task<bool> TryClaimAsync(string channel, DateTimeOffset occurrence, string owner, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken = default);

    Task MarkPostedAsync(string channel, DateTimeOffset occurrence, string owner, DateTimeOffset windowFrom, DateTimeOffset windowTo, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Gives a claim up after a failure, so a later attempt may post the occurrence.</summary>
    Task ReleaseAsync(string channel, DateTimeOffset occurrence, string owner, CancellationToken cancellationToken = default);

    Task<bool> IsPostedAsync(string channel, DateTimeOffset occurrence, CancellationToken cancellationToken = default);

    /// <summary>The end of the window of the last briefing posted to <paramref name="channel"/> (any channel when null).</summary>
    Task<DateTimeOffset?> LastPostedUntilAsync(string? channel, CancellationToken cancellationToken = default);
}

/// <summary>Posts briefings to the channels of one platform.</summary>
public interface IBriefingPoster
{
    bool Handles(string channel);

    Task PostAsync(string channel, Briefing briefing, CancellationToken cancellationToken = default);
}

/// <summary>A channel that cannot take posts (deleted, no permission): retrying will not help.</summary>
public sealed class ChannelUnavailableException(string channel, string reason) : BriefingBotException($"Channel {channel}: {reason}")
{
    public string Channel { get; } = channel;
}
