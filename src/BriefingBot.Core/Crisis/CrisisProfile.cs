using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace BriefingBot.Core.Crisis;

/// <summary>
/// What the bot knows of the crisis it covers, as data an operator can replace without a release: the names every
/// article shares, the regions a question takes for granted, the spellings one group or body goes by, the groups
/// that are never a place, and the parties held responsible for attacks with the words outlets use for each. The
/// Syrian war's profile comes with the bot; <c>Crisis:Profile</c> names a file to use instead (see the README).
/// </summary>
public sealed record CrisisProfile(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("frame")] IReadOnlyList<string> Frame,
    [property: JsonPropertyName("regions")] IReadOnlyList<string> Regions,
    [property: JsonPropertyName("aliases")] IReadOnlyList<IReadOnlyList<string>> Aliases,
    [property: JsonPropertyName("groups")] IReadOnlyList<string> Groups,
    [property: JsonPropertyName("parties")] IReadOnlyList<CrisisParty> Parties)
{
    private const string Resource = "BriefingBot.Core.Crisis.syria.json";

    /// <summary>The Syrian war's profile, bundled.</summary>
    public static CrisisProfile Bundled { get; } = LoadBundled();

    /// <summary>The profile questions are read with: the bundled one unless the host was given another at start.</summary>
    public static CrisisProfile Active { get; private set; } = Bundled;

    /// <summary>Reads questions and claims with <paramref name="profile"/> from now on (done once, when the host starts).</summary>
    public static void Use(CrisisProfile profile) => Active = profile;

    private HashSet<string>? _frame;
    private HashSet<string>? _regions;
    private HashSet<string>? _groups;
    private (string Party, Regex Words)[]? _parties;

    /// <summary>Whether <paramref name="word"/> is a name every article of the crisis shares ("Syria"): it picks no article.</summary>
    public bool InFrame(string word) => (_frame ??= new HashSet<string>(Frame, StringComparer.OrdinalIgnoreCase)).Contains(word);

    /// <summary>Whether <paramref name="word"/> is one of the crisis's provinces, main cities or neighbours.</summary>
    public bool IsRegion(string word) => (_regions ??= new HashSet<string>(Regions, StringComparer.OrdinalIgnoreCase)).Contains(word);

    /// <summary>Whether <paramref name="word"/> names a group, a movement or a leader of the crisis: never where something happened.</summary>
    public bool IsGroup(string word) => (_groups ??= new HashSet<string>(Groups, StringComparer.OrdinalIgnoreCase)).Contains(word);

    /// <summary>The spellings <paramref name="name"/> goes by (itself alone when it has no other), lower case.</summary>
    public IReadOnlyList<string> SpellingsOf(string name)
    {
        var lower = name.ToLowerInvariant();
        return Aliases.FirstOrDefault(a => a.Contains(lower)) ?? [lower];
    }

    /// <summary>The parties with their words compiled (without backtracking, so no text can make them slow).</summary>
    public IReadOnlyList<(string Party, Regex Words)> PartyPatterns =>
        _parties ??= Parties.Select(p => (p.Name, new Regex(p.Words, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant))).ToArray();

    public static CrisisProfile Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new BriefingBotException($"No crisis profile at '{path}' (setting Crisis:Profile).");
        }

        using var stream = File.OpenRead(path);
        return Parse(stream, path);
    }

    private static CrisisProfile LoadBundled()
    {
        using var stream = typeof(CrisisProfile).Assembly.GetManifestResourceStream(Resource)
            ?? throw new BriefingBotException($"The bundled crisis profile ({Resource}) is missing from the build.");
        return Parse(stream, Resource);
    }

    private static CrisisProfile Parse(Stream stream, string name)
    {
        CrisisProfile? profile;
        try
        {
            profile = JsonSerializer.Deserialize(stream, CrisisJson.Default.CrisisProfile);
        }
        catch (JsonException ex)
        {
            throw new BriefingBotException($"The crisis profile {name} is not valid JSON: {ex.Message}");
        }

        if (profile is null || profile.Name is null || profile.Frame is null || profile.Regions is null || profile.Aliases is null || profile.Groups is null || profile.Parties is null)
        {
            throw new BriefingBotException($"The crisis profile {name} lacks one of name, frame, regions, aliases, groups, parties (empty lists are allowed).");
        }

        foreach (var party in profile.Parties)
        {
            try
            {
                _ = new Regex(party.Words, RegexOptions.NonBacktracking);
            }
            catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
            {
                throw new BriefingBotException($"The crisis profile {name}: the words of party '{party.Name}' are not a pattern this bot can use: {ex.Message}");
            }
        }

        return profile with { Aliases = profile.Aliases.Select(a => (IReadOnlyList<string>)a.Select(s => s.ToLowerInvariant()).ToList()).ToList() };
    }
}

/// <summary>A party to the crisis as claims name it ("the Syrian government"), and a pattern of the words outlets use for it.</summary>
public sealed record CrisisParty(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("words")] string Words);

[JsonSerializable(typeof(CrisisProfile))]
internal sealed partial class CrisisJson : JsonSerializerContext;
