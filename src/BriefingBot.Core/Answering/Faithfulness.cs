using System.Collections.Frozen;
using BriefingBot.Core.Quotes;
using BriefingBot.Core.Text;

namespace BriefingBot.Core.Answering;

/// <summary>Which agreement a generated sentence broke.</summary>
public enum FaithfulnessCheck
{
    /// <summary>Words (an event, a place, an opposite verb) that no single source sentence holds.</summary>
    Support,
    Negation,
    Quantity,
    Number,
    Actor,
    Time,
    Modality,
}

/// <summary>Why a generated clause is not what its source says.</summary>
public sealed record FaithfulnessFailure(FaithfulnessCheck Check, string Clause, string Detail)
{
    public override string ToString() => $"{Check.ToString().ToLowerInvariant()}: \"{Clause}\" ({Detail})";
}

/// <summary>
/// Checks that a generated sentence says what one of its source sentences says, and nothing more. Each clause
/// (split at "and"/"but"/";" that start a new statement) is aligned with the source sentence that holds most of
/// its words, and must then agree with it: every content word found there (stems, derived forms such as
/// Turkey/Turkish, and a short list of news paraphrases), the same numbers with the same "more than"/"at least",
/// the same negation and hedges over the part it restates, the same weekdays and months, and the same actor before
/// each verb ("Lavrov warned" where the source has "Cavusoglu warned" fails). A clause with no single source
/// sentence behind it fails, even beside a supported one: a true claim does not carry an added one.
/// </summary>
/// <remarks>
/// Deliberately strict: a faithful sentence that paraphrases too freely is rejected, and the caller then shows the
/// verbatim extractive answer, which is always safe. A misstatement shown with a citation is the failure that
/// must not happen.
/// </remarks>
public static partial class Faithfulness
{
    private static readonly FrozenSet<string> Negations = new[]
    {
        "not", "no", "never", "without", "nor", "neither", "none", "nobody", "nothing", "denied", "denies", "deny",
        "failed", "fails", "fail", "refused", "refuses", "refuse", "rejected", "rejects", "cannot", "unable", "lack",
        "lacks", "lacked",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> Quantifiers = new[]
    {
        "more", "fewer", "less", "least", "most", "over", "under", "about", "around", "nearly", "almost", "approximately",
        "roughly", "some", "all", "only", "up", "above", "below", "exceeding", "just", "several", "many", "few",
        "dozens", "hundreds", "thousands", "millions", "every", "each", "whole", "entire", "majority", "minority",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> Hedges = new[]
    {
        "may", "might", "could", "would", "should", "will", "can", "must", "reportedly", "allegedly", "apparently",
        "possibly", "probably", "likely", "unlikely", "expected", "plans", "planned", "planning", "intends", "intended",
        "threatened", "threatens", "suspected", "believed", "claimed", "claims", "alleged", "purportedly", "perhaps",
        "potential", "potentially", "if", "unless", "whether",
    }.ToFrozenSet(StringComparer.Ordinal);

    // The months but May (a verb far more often), their abbreviations, the weekdays, and words of time.
    private static readonly FrozenSet<string> TimeWords = ((string[])
    [
        .. Lexicon.Weekdays.Select(d => d.ToLowerInvariant()), .. Lexicon.Months.Where(m => m != "May").Select(m => m.ToLowerInvariant()),
        .. Lexicon.MonthAbbreviations, "yesterday", "today", "tomorrow", "tonight",
        "morning", "evening", "night", "weekend", "week", "month", "year", "last", "next", "ago", "earlier", "later",
        "previous", "coming", "recently", "soon",
    ]).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// Words news paraphrase with each other without changing what is said: each group's words stand for one
    /// another. Kept short on purpose: a word not here must be the source's own.
    /// </summary>
    private static readonly string[][] Paraphrases =
    [
        ["troops", "soldiers", "forces"],
        ["attack", "assault", "offensive"],
        ["killed", "dead", "died", "deaths", "death"],
        ["wounded", "injured", "injuries"],
        ["started", "began", "begun", "launched"],
        ["begin", "start", "launch"],
        ["ended", "finished", "concluded"],
        ["large", "big", "major", "massive", "huge"],
        ["small", "minor"],
        ["talks", "negotiations", "discussions"],
        ["meeting", "meetings", "talks"],
        ["government", "regime"],
        ["rebels", "insurgents", "militants", "opposition"],
        ["town", "village", "city"],
        ["region", "province", "area"],
        ["country", "nation"],
        ["help", "aid", "assistance"],
        ["refugees", "displaced"],
        ["strengthened", "reinforced", "bolstered", "fortified"],
        ["disastrous", "catastrophic", "devastating"],
        ["prevent", "stop", "avert", "block"],
        ["bombing", "bombings", "blast", "explosion", "bomb"],
        ["airstrike", "airstrikes", "raid", "raids", "strike", "strikes"],
        ["chemical", "toxic"],
        ["hospital", "hospitals", "clinic"],
        ["children", "kids", "minors"],
        ["president", "leader"],
        ["officials", "authorities"],
        ["weapons", "arms"],
        ["agreement", "deal", "accord"],
        ["ceasefire", "truce"],
        ["border", "frontier"],
        ["capital"],
    ];

    private static readonly FrozenDictionary<string, int> ParaphraseGroup = Paraphrases
        .SelectMany((group, i) => group.Select(w => (Stem: Terms.Stem(w), Group: i)))
        .GroupBy(x => x.Stem, StringComparer.Ordinal)
        .ToFrozenDictionary(g => g.Key, g => g.First().Group, StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, string> NumberWords = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["one"] = "1",
        ["two"] = "2",
        ["three"] = "3",
        ["four"] = "4",
        ["five"] = "5",
        ["six"] = "6",
        ["seven"] = "7",
        ["eight"] = "8",
        ["nine"] = "9",
        ["ten"] = "10",
        ["eleven"] = "11",
        ["twelve"] = "12",
        ["twenty"] = "20",
        ["hundred"] = "100",
        ["thousand"] = "1000",
        ["dozen"] = "12",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The first thing that makes <paramref name="claim"/> differ from every one of <paramref name="sources"/>, or null when one of them says it.</summary>
    public static FaithfulnessFailure? Check(string claim, IReadOnlyList<string> sources)
    {
        var sourceTokens = sources.Select(Tokenize).Where(t => t.Count > 0).ToList();
        foreach (var clause in Clauses(claim))
        {
            var tokens = Tokenize(clause);
            if (!tokens.Any(t => t.IsContent))
            {
                continue;
            }

            FaithfulnessFailure? best = null;
            var bestScore = -1.0;
            foreach (var source in sourceTokens)
            {
                var (failure, score) = Agree(clause, tokens, source);
                if (failure is null)
                {
                    best = null;
                    bestScore = double.MaxValue;
                    break;
                }

                if (score > bestScore)
                {
                    (best, bestScore) = (failure, score);
                }
            }

            if (bestScore != double.MaxValue)
            {
                return best ?? new FaithfulnessFailure(FaithfulnessCheck.Support, clause, "no source sentence");
            }
        }

        return null;
    }

    /// <summary>A word of a sentence as the check reads it.</summary>
    /// <param name="AfterBreak">A comma, semicolon, colon, dash or bracket stands between this word and the one before.</param>
    /// <param name="Passive">A participle after a form of "be" ("are hosted"): the verb, not a noun, whatever its ending.</param>
    private sealed record Token(string Word, string Stem, bool Capitalized, int Index, bool AfterBreak = false, bool Passive = false)
    {
        public bool IsNumber => Word.Length > 0 && char.IsDigit(Word[0]);

        // Reporting verbs count although the keyword index passes over them: who "said" or "warned" is what is checked.
        public bool IsContent => IsNumber || (!Terms.IsStopword(Word) && Word.Length > 1) || TimeWords.Contains(Word) || ReportingVerbs.SaidStandsFor.Contains(Word);

        public bool IsEntity => Capitalized && !Terms.IsStopword(Word) && !TimeWords.Contains(Word) && !IsNumber;
    }

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var folded = Terms.Fold(VerbPhrases(text));
        var i = 0;
        var sentenceStart = true;
        var pause = false;
        while (i < folded.Length)
        {
            if (!char.IsLetterOrDigit(folded[i]))
            {
                if (folded[i] is '.' or '!' or '?' or ':' or '“' or '"')
                {
                    sentenceStart = true;
                }

                pause |= folded[i] is ',' or ';' or ':' or '—' or '–' or '(' or ')' || (folded[i] == '-' && i > 0 && folded[i - 1] == ' ');
                i++;
                continue;
            }

            var start = i;
            while (i < folded.Length && (char.IsLetterOrDigit(folded[i]) || (folded[i] is '.' or ',' && i + 1 < folded.Length && char.IsDigit(folded[i + 1]) && char.IsDigit(folded[i - 1]))))
            {
                i++;
            }

            var raw = folded[start..i];
            // A possessive or contraction belongs to its word: "Turkey's", "doesn't".
            if (i + 1 < folded.Length && folded[i] is '\'' or '’' && char.IsLetter(folded[i + 1]))
            {
                var end = i + 1;
                while (end < folded.Length && char.IsLetter(folded[end]))
                {
                    end++;
                }

                var suffix = folded[(i + 1)..end].ToLowerInvariant();
                if (suffix == "t" && raw.EndsWith('n'))
                {
                    tokens.Add(new Token(raw[..^1].ToLowerInvariant(), Terms.Stem(raw[..^1].ToLowerInvariant()), false, tokens.Count));
                    tokens.Add(new Token("not", "not", false, tokens.Count));
                    i = end;
                    sentenceStart = false;
                    continue;
                }

                i = end;
            }

            var word = raw.Replace(",", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
            word = NumberWords.GetValueOrDefault(word, word);
            var capitalized = char.IsUpper(raw[0]) && !sentenceStart;
            var passive = word.EndsWith("ed", StringComparison.Ordinal) && AfterBe(tokens, tokens.Count);
            tokens.Add(new Token(word, char.IsDigit(word[0]) ? word : Terms.Stem(word), capitalized, tokens.Count, pause, passive));
            sentenceStart = false;
            pause = false;
        }

        // A first word that is a name elsewhere in the text is a name here too ("Turkey hosts …").
        if (tokens.Count > 0 && char.IsUpper(folded.TrimStart('“', '"', ' ')[0]) && !Terms.IsStopword(tokens[0].Word) && !TimeWords.Contains(tokens[0].Word)
            && !ReportingVerbs.SaidStandsFor.Contains(tokens[0].Word) && LooksLikeName(tokens[0].Word))
        {
            tokens[0] = tokens[0] with { Capitalized = true };
        }

        return tokens;
    }

    /// <summary>Names, places and organisations the check knows as such when they open a sentence.</summary>
    private static bool LooksLikeName(string word) => word.Length > 1 && !word.EndsWith("ly", StringComparison.Ordinal) && !word.EndsWith("ing", StringComparison.Ordinal)
        && word is not ("although" or "if" or "after" or "before" or "while" or "since" or "despite" or "however" or "meanwhile" or "according" or "in" or "on" or "at");

    /// <summary>The clauses of a sentence that each state something: split before "and"/"but"/";" that open a new statement.</summary>
    internal static List<string> Clauses(string sentence)
    {
        var result = new List<string>();
        var words = sentence.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var current = new List<string>();
        for (var i = 0; i < words.Length; i++)
        {
            var w = words[i];
            var lower = w.Trim(',', ';').ToLowerInvariant();
            var previousEndsClause = current.Count > 0 && (current[^1].EndsWith(',') || current[^1].EndsWith(';'));
            var next = i + 1 < words.Length ? words[i + 1].Trim(',', '.').ToLowerInvariant() : string.Empty;
            var opensStatement = lower is "and" or "but" or "while" or "whereas" && current.Count >= 3
                && (previousEndsClause || next is "it" or "he" or "she" or "they" or "we" or "its" or "their" or "his" or "her" or "there" or "this" or "that" or "the");
            if (opensStatement)
            {
                result.Add(string.Join(' ', current).TrimEnd(',', ';'));
                current.Clear();
                continue;
            }

            current.Add(w);
            if (w.EndsWith(';') && current.Count >= 3)
            {
                result.Add(string.Join(' ', current).TrimEnd(';'));
                current.Clear();
            }
        }

        if (current.Count > 0)
        {
            result.Add(string.Join(' ', current));
        }

        return result;
    }

    /// <summary>Whether <paramref name="source"/> says <paramref name="clause"/>; if not, why, and how much of it it holds (to name the nearest).</summary>
    private static (FaithfulnessFailure? Failure, double Score) Agree(string clause, List<Token> claim, List<Token> source)
    {
        var (matches, unsupported) = Align(claim, source);
        var content = claim.Count(t => t.IsContent);
        var score = content == 0 ? 1 : matches.Count / (double)content;
        if (Unsupported(clause, unsupported) is { } missing)
        {
            return (missing, score);
        }

        // The part of the source the clause restates: from its first to its last matched word (and the two words
        // before, where a "not" or "would" of the first one stands). What the clause adds is looked for two words
        // further, where a restatement that ends in "… and not" finds its last word.
        var from = matches.Count == 0 ? 0 : matches.Values.Min();
        var to = matches.Count == 0 ? source.Count - 1 : matches.Values.Max();
        var span = source.Where(t => t.Index >= Math.Max(0, from - 2) && t.Index <= to).ToList();
        var wide = source.Where(t => t.Index >= Math.Max(0, from - 2) && t.Index <= to + 2).ToList();

        return (NegationDiffers(clause, claim, source, span, wide) ?? QuantityDiffers(clause, claim, source, matches)
            ?? ModalityDiffers(clause, claim, source, span) ?? ActorDiffers(clause, claim, source, matches), score);
    }

    /// <summary>Each content word of the claim aligned with where the source has it, and those it has nowhere.</summary>
    private static (Dictionary<int, int> Matches, List<string> Unsupported) Align(List<Token> claim, List<Token> source)
    {
        // 1. Support: every content word of the clause stands in the source sentence. A word the source has more
        // than once is aligned with the occurrence nearest the clause's rarer words, so the part of the source the
        // clause restates is found where it is.
        var matches = new Dictionary<int, int>(); // claim token → source token
        var unsupported = new List<string>();
        var candidates = new Dictionary<int, List<int>>();
        foreach (var token in claim.Where(t => t.IsContent))
        {
            var at = source.Where(s => Matches(token, s)).Select(s => s.Index).ToList();
            if (at.Count > 0)
            {
                candidates[token.Index] = at;
            }
            else
            {
                unsupported.Add(token.Word);
            }
        }

        var anchors = candidates.Values.Where(c => c.Count == 1).Select(c => c[0]).ToList();
        var centre = anchors.Count > 0 ? anchors.Average() : candidates.Values.Select(c => (double)c[0]).DefaultIfEmpty(0).Average();
        foreach (var (index, at) in candidates)
        {
            matches[index] = at.MinBy(p => Math.Abs(p - centre));
        }

        return (matches, unsupported);
    }

    /// <summary>What the source lacks of the claim's words, named by what they are: an event or place, a number, a quantity, a time.</summary>
    private static FaithfulnessFailure? Unsupported(string clause, List<string> unsupported)
    {
        if (unsupported.Any(w => !char.IsDigit(w[0]) && !Quantifiers.Contains(w) && !TimeWords.Contains(w)))
        {
            // An event, a place, an opposite verb: more than a changed number or date.
            return new FaithfulnessFailure(FaithfulnessCheck.Support, clause, $"the source does not say {string.Join(", ", unsupported)}");
        }

        if (unsupported.Count > 0)
        {
            var numbers = unsupported.Where(w => char.IsDigit(w[0])).ToList();
            if (numbers.Count > 0)
            {
                return new FaithfulnessFailure(FaithfulnessCheck.Number, clause, $"the source has no {string.Join(", ", numbers)}");
            }

            var quantities = unsupported.Where(Quantifiers.Contains).ToList();
            if (quantities.Count > 0)
            {
                return new FaithfulnessFailure(FaithfulnessCheck.Quantity, clause, $"the source does not say {string.Join(", ", quantities)}");
            }

            var times = unsupported.Where(TimeWords.Contains).ToList();
            return times.Count > 0
                ? new FaithfulnessFailure(FaithfulnessCheck.Time, clause, $"the source does not say {string.Join(", ", times)}")
                : new FaithfulnessFailure(FaithfulnessCheck.Support, clause, $"the source does not say {string.Join(", ", unsupported)}");
        }

        return null;
    }

    private static FaithfulnessFailure? NegationDiffers(string clause, List<Token> claim, List<Token> source, List<Token> span, List<Token> wide)
    {
        // 2. Negation: the same in the clause as over the part of the source it restates.
        var claimNegations = claim.Where(t => Negations.Contains(t.Word)).Select(t => t.Word).ToList();
        var spanNegations = span.Where(t => Negations.Contains(t.Word)).Select(t => t.Word).ToList();
        var wideNegations = wide.Where(t => Negations.Contains(t.Word)).Select(t => t.Word).ToList();
        if (claimNegations.Count > wideNegations.Count || claimNegations.Count < spanNegations.Count || claimNegations.Any(n => !source.Any(s => s.Word == n)))
        {
            return new FaithfulnessFailure(FaithfulnessCheck.Negation, clause, claimNegations.Count > wideNegations.Count
                ? $"it says {string.Join(", ", claimNegations)} where the source does not"
                : $"it drops the source's {string.Join(", ", spanNegations)}");
        }

        return null;
    }

    private static FaithfulnessFailure? QuantityDiffers(string clause, List<Token> claim, List<Token> source, Dictionary<int, int> matches)
    {
        // 3. Quantities: "more than", "at least", "all" as the source has them, next to the numbers they qualify.
        foreach (var token in claim.Where(t => Quantifiers.Contains(t.Word)))
        {
            if (!source.Any(s => s.Word == token.Word))
            {
                return new FaithfulnessFailure(FaithfulnessCheck.Quantity, clause, $"the source does not say \"{token.Word}\"");
            }
        }

        foreach (var (claimIndex, sourceIndex) in matches.Where(m => claim[m.Key].IsNumber))
        {
            var before = Qualifiers(source, sourceIndex);
            var claimed = Qualifiers(claim, claimIndex);
            if (!before.SetEquals(claimed))
            {
                return new FaithfulnessFailure(FaithfulnessCheck.Quantity, clause,
                    $"the source has \"{string.Join(' ', before)} {claim[claimIndex].Word}\", the clause \"{string.Join(' ', claimed)} {claim[claimIndex].Word}\"");
            }
        }

        return null;
    }

    private static FaithfulnessFailure? ModalityDiffers(string clause, List<Token> claim, List<Token> source, List<Token> span)
    {
        // 4. Hedges and modality: a "would", "may" or "reportedly" of the restated part is kept, and none is added.
        var claimHedges = claim.Where(t => Hedges.Contains(t.Word)).Select(t => t.Word).ToHashSet(StringComparer.Ordinal);
        var spanHedges = span.Where(t => Hedges.Contains(t.Word)).Select(t => t.Word).ToHashSet(StringComparer.Ordinal);
        var added = claimHedges.Where(h => !source.Any(s => s.Word == h)).ToList();
        var dropped = spanHedges.Where(h => !claimHedges.Contains(h)).ToList();
        if (added.Count > 0 || dropped.Count > 0)
        {
            return new FaithfulnessFailure(FaithfulnessCheck.Modality, clause, added.Count > 0
                ? $"the source does not say {string.Join(", ", added)}"
                : $"it drops the source's {string.Join(", ", dropped)}");
        }

        return null;
    }

    private static FaithfulnessFailure? ActorDiffers(string clause, List<Token> claim, List<Token> source, Dictionary<int, int> matches)
    {
        // 5. Actors: before each verb the clause shares with the source, the same person, country or organisation.
        // The clause's first word is a name only when the source writes it as one ("Experts say" is not).
        if (claim.Count > 0 && claim[0].Capitalized && !(matches.TryGetValue(0, out var first) && source[first].IsEntity))
        {
            claim = [claim[0] with { Capitalized = false }, .. claim.Skip(1)];
        }

        foreach (var (claimIndex, sourceIndex) in matches)
        {
            var word = claim[claimIndex];
            if (!IsVerb(word.Word) || word.IsEntity)
            {
                continue;
            }

            var claimActor = Actor(claim, claimIndex);
            if (claimActor is null)
            {
                continue;
            }

            // The verb may stand in the source more than once ("scientists said … the ambassador said"): one of them
            // must have the clause's actor. Its last word (the head: "Cavusoglu", "Observatory") must be in the
            // source's name for the actor ("Turkish Foreign Minister Mevlut Cavusoglu").
            var actors = source.Where(t => Matches(word, t)).Select(t => Actor(source, t.Index)).ToList();
            if (actors.Any(a => a is null) || actors.Any(a => a!.Any(t => Matches(claimActor[^1], t))))
            {
                continue;
            }

            var sourceActor = actors[0]!;
            return new FaithfulnessFailure(FaithfulnessCheck.Actor, clause,
                $"the source has {string.Join(' ', sourceActor.Select(t => t.Word))} {source[sourceIndex].Word}, not {string.Join(' ', claimActor.Select(t => t.Word))}");
        }

        return null;
    }

    private static bool Matches(Token claim, Token source)
    {
        if (claim.IsNumber || source.IsNumber)
        {
            return claim.Word == source.Word;
        }

        if (claim.Word == source.Word)
        {
            return true;
        }

        // A past verb is not its noun: "rescued" is not said by "rescue workers". A passive restates its verb in
        // any form: "are hosted by Turkey" says what "Turkey hosts" says (who does it is checked with the actors).
        if (claim.Stem == source.Stem)
        {
            return !claim.Word.EndsWith("ed", StringComparison.Ordinal) || source.Word.EndsWith("ed", StringComparison.Ordinal)
                || (claim.Passive && !source.Capitalized && source.Word is var verb && (verb.EndsWith('s') || IsVerb(verb)));
        }

        // "said" stands for any reporting verb of the source; not the other way round.
        if (claim.Word is "said" or "says" or "say" or "told" or "tells" or "stated" or "states" && ReportingVerbs.SaidStandsFor.Contains(source.Word))
        {
            return true;
        }

        if (ParaphraseGroup.TryGetValue(claim.Stem, out var a) && ParaphraseGroup.TryGetValue(source.Stem, out var b) && a == b)
        {
            return true;
        }

        // Derived forms of one name or word: Turkey / Turkish, Russia / Russian, Iran / Iranian.
        var shorter = Math.Min(claim.Word.Length, source.Word.Length);
        var prefix = 0;
        while (prefix < shorter && claim.Word[prefix] == source.Word[prefix])
        {
            prefix++;
        }

        return (claim.Capitalized || source.Capitalized) && prefix >= 4 && prefix >= Math.Max(claim.Word.Length, source.Word.Length) - 3;
    }

    /// <summary>
    /// Phrases news uses for a verb, rewritten as that verb on both sides before they are compared: "is home to"
    /// says "hosts". Kept short on purpose, as the paraphrases are.
    /// </summary>
    private static string VerbPhrases(string text) =>
        HomeTo().Replace(text, m => (m.Groups["be"].Value.ToLowerInvariant(), m.Groups["not"].Success) switch
        {
            ("are" or "were", false) => "host",
            ("are" or "were", true) => "do not host",
            (_, true) => "does not host",
            _ => "hosts",
        });

    [System.Text.RegularExpressions.GeneratedRegex(@"\b(?<be>is|are|was|were)\s+(?<not>not\s+)?home\s+to\b", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex HomeTo();

    /// <summary>The quantity words right before a number: "more than" / "at least" / "about" (up to three words back).</summary>
    private static HashSet<string> Qualifiers(List<Token> tokens, int index)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        for (var i = index - 1; i >= Math.Max(0, index - 3); i--)
        {
            var w = tokens[i].Word;
            if (Quantifiers.Contains(w))
            {
                result.Add(w);
            }
            else if (w is not ("than" or "to" or "at" or "of" or "some"))
            {
                break;
            }
        }

        return result;
    }

    private static bool IsVerb(string word) =>
        ReportingVerbs.SaidStandsFor.Contains(word) || (word.Length > 4 && word.EndsWith("ed", StringComparison.Ordinal)) || word is "hosts" or "host" or "holds" or "has" or "leads" or "controls" or "backs" or "supports" or "wants" or "seeks";

    private static readonly FrozenSet<string> BeForms = new[] { "is", "are", "was", "were", "be", "been", "being" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Who does what the verb says: the agent after a passive verb ("were reinforced by Turkey"), else the name before it.</summary>
    private static List<Token>? Actor(List<Token> tokens, int verb) => AfterBe(tokens, verb) ? AgentAfter(tokens, verb) : ActorBefore(tokens, verb);

    /// <summary>Whether the word at <paramref name="index"/> follows a form of "be", past any adverbs ("were quickly reinforced").</summary>
    private static bool AfterBe(List<Token> tokens, int index)
    {
        var before = index - 1;
        while (before >= 0 && tokens[before].Word.EndsWith("ly", StringComparison.Ordinal))
        {
            before--;
        }

        return before >= 0 && BeForms.Contains(tokens[before].Word);
    }

    private static readonly FrozenSet<string> Auxiliaries = new[]
    {
        "has", "have", "had", "will", "would", "could", "may", "might", "can", "did", "does", "do", "is", "are", "was", "were",
        "also", "then", "still", "again", "later", "earlier", "not", "never",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// The name a verb follows as its subject: right before it, past auxiliaries and adverbs and at most one
    /// lowercase head word ("Turkey’s military recently reinforced"); never across a comma ("…in Syria, have
    /// intensified" has no named subject there). The whole name is taken, across its inner "of" and "for".
    /// </summary>
    private static List<Token>? ActorBefore(List<Token> tokens, int verb)
    {
        var heads = 0;
        for (var i = verb - 1; i >= 0; i--)
        {
            if (tokens[i + 1].AfterBreak)
            {
                return null;
            }

            var t = tokens[i];
            if (t.IsEntity)
            {
                var run = new List<Token> { t };
                for (var j = i - 1; j >= 0 && !tokens[j + 1].AfterBreak; j--)
                {
                    if (tokens[j].IsEntity)
                    {
                        run.Insert(0, tokens[j]);
                    }
                    else if (!(tokens[j].Word is "of" or "for" or "al" or "el" && j > 0 && tokens[j - 1].IsEntity))
                    {
                        break;
                    }
                }

                return run;
            }

            if (Auxiliaries.Contains(t.Word) || t.Word.EndsWith("ly", StringComparison.Ordinal))
            {
                continue;
            }

            if (++heads > 1 || Terms.IsStopword(t.Word))
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>The agent of a passive verb: "were reinforced by Turkey's military" → Turkey.</summary>
    private static List<Token>? AgentAfter(List<Token> tokens, int verb)
    {
        for (var i = verb + 1; i < Math.Min(tokens.Count, verb + 3); i++)
        {
            if (tokens[i].Word == "by")
            {
                for (var j = i + 1; j < Math.Min(tokens.Count, i + 4); j++)
                {
                    if (tokens[j].IsEntity)
                    {
                        return [tokens[j]];
                    }
                }

                return null;
            }
        }

        return null;
    }

}
