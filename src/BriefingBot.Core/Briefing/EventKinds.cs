using BriefingBot.Core.Text;

namespace BriefingBot.Core.Briefing;

/// <summary>
/// The kind of event a headline and lead report, from the words news of a war uses for it: a chemical attack, an
/// air strike, shelling, a bombing, fighting, an evacuation, talks. Stories of one kind, near in time and naming the
/// same rare place or person, are one event however differently they are worded.
/// </summary>
internal static class EventKinds
{
    private static readonly (string Kind, string[] Stems)[] Lexicon =
    [
        ("chemical", ["chemical", "gas", "sarin", "nerve", "toxic", "chlorine", "poison"]),
        ("air strike", ["airstrike", "strike", "air", "raid", "warplane", "jet", "jets", "bombard"]),
        ("shelling", ["shell", "mortar", "rocket", "artillery", "missile"]),
        ("bombing", ["blast", "bomb", "explosi", "suicide", "car"]),
        ("fighting", ["clash", "offensive", "assault", "battle", "fight", "captur", "advanc", "recaptur", "seiz"]),
        ("evacuation", ["evacua", "convoy", "displace", "flee", "fled", "refugee"]),
        ("talks", ["talks", "summit", "meeting", "negotia", "agreement", "deal", "ceasefire", "truce"]),
    ];

    /// <summary>
    /// Whether reports of these kinds can be of one event: the same kind, a report that names none, or air strikes and
    /// shelling (one outlet's "strikes" are another's "bombardment" and "shelling").
    /// </summary>
    public static bool Compatible(string? a, string? b) =>
        a is null || b is null || a == b || (Bombardment.Contains(a) && Bombardment.Contains(b));

    private static readonly string[] Bombardment = ["air strike", "shelling"];

    /// <summary>The kind whose words the text uses most (ties go to the earlier, more specific kind); null when none.</summary>
    public static string? Of(string text)
    {
        // A word counts for the kind of the longest stem it begins with: "bombardment" is "bombard", an air strike's
        // word, not "bomb", a bombing's.
        var counts = new int[Lexicon.Length];
        foreach (var word in Terms.Words(text).Select(w => w.ToLowerInvariant()))
        {
            var (kind, length) = (-1, 0);
            for (var k = 0; k < Lexicon.Length; k++)
            {
                foreach (var stem in Lexicon[k].Stems)
                {
                    if (stem.Length > length && Begins(word, stem))
                    {
                        (kind, length) = (k, stem.Length);
                    }
                }
            }

            if (kind >= 0)
            {
                counts[kind]++;
            }
        }

        var best = -1;
        for (var k = 0; k < counts.Length; k++)
        {
            if (counts[k] > 0 && (best < 0 || counts[k] > counts[best]))
            {
                best = k;
            }
        }

        return best < 0 ? null : Lexicon[best].Kind;
    }

    // A word of the kind, or one that begins with it ("airstrikes", "evacuated"); a short one only as itself ("air", not "airport").
    private static bool Begins(string word, string stem) => stem.Length <= 3 ? word == stem : word.StartsWith(stem, StringComparison.Ordinal);
}
