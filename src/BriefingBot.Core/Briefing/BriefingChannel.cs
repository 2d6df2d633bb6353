namespace BriefingBot.Core.Briefing;

/// <summary>Where a briefing goes: a platform and, except for the shell chat, a channel id on it.</summary>
public readonly record struct BriefingChannel(string Platform, string Id)
{
    /// <summary>The shell chat: the one channel with no platform.</summary>
    public const string Shell = "shell";

    /// <summary>As written in <c>Briefing:Channels</c>: "shell" or "&lt;platform&gt;:&lt;id&gt;".</summary>
    public override string ToString() => Platform == Shell ? Shell : $"{Platform}:{Id}";

    /// <summary>Reads an entry of <c>Briefing:Channels</c> by the rules of the platforms the bot knows, or says what is wrong with it.</summary>
    public static BriefingChannel Parse(string? value, IEnumerable<IPlatformChannels> platforms)
    {
        // An entry set to nothing (BRIEFINGBOT_Briefing__Channels__0= in the environment) is a mistake to name, not to skip.
        var text = value?.Trim() ?? string.Empty;
        if (text.Equals(Shell, StringComparison.OrdinalIgnoreCase))
        {
            return new BriefingChannel(Shell, string.Empty);
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var name = colon < 0 ? text.ToLowerInvariant() : text[..colon].Trim().ToLowerInvariant();
        var id = colon < 0 ? string.Empty : text[(colon + 1)..].Trim();
        var known = platforms.ToList();
        var platform = known.FirstOrDefault(p => p.Platform == name);
        if (platform is null)
        {
            string[] forms = [$"\"{Shell}\"", .. known.Select(p => $"\"{p.Platform}:<channel id>\"")];
            throw Invalid(value, forms.Length == 1 ? $"a channel is {forms[0]}" : $"a channel is {string.Join(", ", forms[..^1])} or {forms[^1]}");
        }

        return platform.IsChannelId(id) ? new BriefingChannel(platform.Platform, id) : throw Invalid(value, platform.Rule);
    }

    private static BriefingBotException Invalid(string? value, string rule) => new($"Briefing:Channels has \"{value}\": {rule}.");
}
