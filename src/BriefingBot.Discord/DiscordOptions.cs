using System.ComponentModel.DataAnnotations;

namespace BriefingBot.Discord;

/// <summary>Settings of the <c>Discord</c> section. The token comes from the environment (<c>Discord__Token</c>).</summary>
public sealed class DiscordOptions : IValidatableObject
{
    public const string Section = "Discord";

    /// <summary>The bot token; the adapter runs only when it is set.</summary>
    public string? Token { get; set; }

    /// <summary>The application id: commands are registered under it and interaction responses edited through it.</summary>
    public string? ApplicationId { get; set; }

    /// <summary>REST base, without a trailing slash; a proxy or a test server may stand in for Discord.</summary>
    public string ApiBaseUrl { get; set; } = "https://discord.com/api/v10";

    /// <summary>Register the commands in this guild only (updates show at once) instead of globally.</summary>
    public string? GuildId { get; set; }

    /// <summary>Run only this shard; by default the process runs every shard of <see cref="ShardCount"/>.</summary>
    [Range(0, 10_000, ErrorMessage = "Discord:ShardId must be 0 or more.")]
    public int? ShardId { get; set; }

    /// <summary>
    /// Share the shards out among the instances on one store, each shard held by one instance under a lease it renews;
    /// the shards of an instance that dies are taken over when its leases lapse. On by default with a shared store
    /// (Storage:Provider = postgres); Discord:ShardId turns it off.
    /// </summary>
    public bool? ShareShards { get; set; }

    /// <summary>How long a shard's lease lasts unless renewed (renewed every quarter of it): how soon a dead instance's shards are taken over.</summary>
    public TimeSpan ShardLease { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How many shards the bot has; by default the count Get Gateway Bot recommends.</summary>
    [Range(1, 10_000, ErrorMessage = "Discord:ShardCount must be 1 or more.")]
    public int? ShardCount { get; set; }

    /// <summary>
    /// Ask for the privileged message-content intent (enable it in the developer portal first, or Discord closes the
    /// connection with 4014). Without it the bot still reads messages that mention it and DMs.
    /// </summary>
    public bool MessageContentIntent { get; set; }

    /// <summary>
    /// Serve interactions over HTTP at this URL (for example <c>http://0.0.0.0:8080/discord/interactions</c>) as well as
    /// over the gateway; needs <see cref="PublicKey"/>.
    /// </summary>
    public string? InteractionsUrl { get; set; }

    /// <summary>The application's public key (hex) that signs HTTP interactions.</summary>
    public string? PublicKey { get; set; }

    /// <summary>Command answers visible only to the person who asked.</summary>
    public bool EphemeralReplies { get; set; }

    /// <summary>How long one REST request may take before it counts as failed.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between two reconnection attempts.</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromMinutes(2);

    public bool Enabled => !string.IsNullOrWhiteSpace(Token);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled)
        {
            yield break;
        }

        if (string.IsNullOrWhiteSpace(ApplicationId) || !ulong.TryParse(ApplicationId, out _))
        {
            yield return new ValidationResult("Discord:ApplicationId must be the application's numeric id when Discord:Token is set.", [nameof(ApplicationId)]);
        }

        if (!Uri.TryCreate(ApiBaseUrl, UriKind.Absolute, out var api) || (api.Scheme != Uri.UriSchemeHttps && api.Scheme != Uri.UriSchemeHttp))
        {
            yield return new ValidationResult("Discord:ApiBaseUrl must be an absolute http(s) URL.", [nameof(ApiBaseUrl)]);
        }

        if (GuildId is { Length: > 0 } && !ulong.TryParse(GuildId, out _))
        {
            yield return new ValidationResult("Discord:GuildId must be a numeric guild id.", [nameof(GuildId)]);
        }

        if (ShardId is { } id && ShardCount is { } count && id >= count)
        {
            yield return new ValidationResult("Discord:ShardId must be less than Discord:ShardCount.", [nameof(ShardId)]);
        }

        if (!string.IsNullOrWhiteSpace(InteractionsUrl))
        {
            if (!Uri.TryCreate(InteractionsUrl, UriKind.Absolute, out _))
            {
                yield return new ValidationResult("Discord:InteractionsUrl must be an absolute URL to listen on.", [nameof(InteractionsUrl)]);
            }

            if (PublicKey is not { Length: 64 } || !PublicKey.All(Uri.IsHexDigit))
            {
                yield return new ValidationResult("Discord:PublicKey must be the application's 64-character hex public key when Discord:InteractionsUrl is set.", [nameof(PublicKey)]);
            }
        }

        if (ShardLease < TimeSpan.FromSeconds(1))
        {
            yield return new ValidationResult("Discord:ShardLease must be at least 1 second.", [nameof(ShardLease)]);
        }

        if (RequestTimeout <= TimeSpan.Zero || MaxReconnectDelay <= TimeSpan.Zero)
        {
            yield return new ValidationResult("Discord:RequestTimeout and Discord:MaxReconnectDelay must be positive durations.", [nameof(RequestTimeout)]);
        }
    }
}
