namespace BriefingBot.Core.Quotes;

/// <summary>
/// The speakers a lookup may name, indexed once instead of scanned per call: every name, alias and word of a name
/// (folded) for exact and word matches, the same sorted for prefixes (autocomplete), and their letter pairs for the
/// few names close enough to a misspelling to be worth an edit distance.
/// </summary>
internal sealed class SpeakerIndex
{
    private readonly IReadOnlyList<SpeakerSummary> _speakers;
    private readonly Dictionary<string, List<int>> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<int>> _byWord = new(StringComparer.Ordinal);
    private readonly (string Name, int Speaker)[] _sorted;
    private readonly Dictionary<string, HashSet<string>> _byPair = new(StringComparer.Ordinal);

    public SpeakerIndex(IEnumerable<SpeakerSummary> speakers)
    {
        _speakers = speakers.Where(SpeakerRule.Listed).ToList();
        var sorted = new List<(string, int)>();
        for (var i = 0; i < _speakers.Count; i++)
        {
            foreach (var name in NamesOf(_speakers[i]))
            {
                Add(_byName, name, i);
                sorted.Add((name, i));
                foreach (var pair in Pairs(name))
                {
                    if (!_byPair.TryGetValue(pair, out var names))
                    {
                        _byPair[pair] = names = [];
                    }

                    names.Add(name);
                }
            }

            foreach (var word in Speaker.KeyOf(_speakers[i].Name).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                Add(_byWord, word, i);
                sorted.Add((word, i));
            }
        }

        _sorted = [.. sorted.OrderBy(s => s.Item1, StringComparer.Ordinal)];
    }

    public IReadOnlyList<SpeakerSummary> All => _speakers;

    /// <summary>Every folded name a speaker goes by: the name, its aliases and the surname.</summary>
    public static IEnumerable<string> NamesOf(SpeakerSummary speaker)
    {
        var name = Speaker.KeyOf(speaker.Name);
        return speaker.Aliases.Select(Speaker.KeyOf).Append(name).Append(name.Split(' ')[^1]).Where(n => n.Length > 0).Distinct();
    }

    /// <summary>Speakers any of whose names is <paramref name="folded"/>.</summary>
    public IEnumerable<SpeakerSummary> Named(string folded) => Lookup(_byName, folded);

    /// <summary>Speakers one of whose name's words is <paramref name="folded"/>.</summary>
    public IEnumerable<SpeakerSummary> WithWord(string folded) => Lookup(_byWord, folded);

    /// <summary>Speakers a name of whom, or a word of whose name, starts with <paramref name="prefix"/>.</summary>
    public IEnumerable<SpeakerSummary> Starting(string prefix)
    {
        var lo = 0;
        var hi = _sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (string.CompareOrdinal(_sorted[mid].Name, prefix) < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        for (var i = lo; i < _sorted.Length && _sorted[i].Name.StartsWith(prefix, StringComparison.Ordinal); i++)
        {
            yield return _speakers[_sorted[i].Speaker];
        }
    }

    /// <summary>
    /// Names within two letters of <paramref name="folded"/>'s length that share a letter pair with it: the only ones
    /// an edit distance is worked out for ("stien" meets "stein" through "st").
    /// </summary>
    public IEnumerable<(string Name, IEnumerable<SpeakerSummary> Speakers)> NamesNear(string folded)
    {
        var near = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pair in Pairs(folded))
        {
            foreach (var name in _byPair.GetValueOrDefault(pair) ?? [])
            {
                if (Math.Abs(name.Length - folded.Length) <= 2)
                {
                    near.Add(name);
                }
            }
        }

        return near.Select(n => (n, Named(n)));
    }

    private IEnumerable<SpeakerSummary> Lookup(Dictionary<string, List<int>> index, string key) =>
        index.TryGetValue(key, out var found) ? found.Distinct().Select(i => _speakers[i]) : [];

    private static void Add(Dictionary<string, List<int>> index, string key, int speaker)
    {
        if (!index.TryGetValue(key, out var list))
        {
            index[key] = list = [];
        }

        list.Add(speaker);
    }

    private static IEnumerable<string> Pairs(string name) =>
        name.Length < 2 ? [name] : Enumerable.Range(0, name.Length - 1).Select(i => name.Substring(i, 2)).Distinct();
}
