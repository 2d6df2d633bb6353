using System.Collections.Frozen;

namespace BriefingBot.Core.Quotes;

/// <summary>
/// Every list of reporting verbs, in one place. The lexicon of verbs that attribute words to someone — saying, writing, posting, asking, answering, claiming,
/// warning, mocking, shouting — by lemma, with every form news uses after or before a quote ("said", "says",
/// "say"). Patterns find a subject and a word next to a quote; this lexicon decides whether the word reports speech,
/// which keeps the patterns small whatever the size of the lexicon.
/// </summary>
internal static class ReportingVerbs
{
    // Lemmas; a phrasal verb keeps its particle ("chime in" → "chimed in"). Forms are made by the rules of
    // English spelling in Forms(); the irregular ones are listed below.
    private static readonly string[] Lemmas =
    [
        // saying and stating
        "say", "tell", "state", "add", "note", "remark", "comment", "observe", "mention", "declare", "announce", "assert",
        "affirm", "reaffirm", "aver", "avow", "profess", "proclaim", "pronounce", "maintain", "contend", "insist", "stress",
        "emphasize", "emphasise", "underscore", "underline", "highlight", "point out", "explain", "clarify", "elaborate",
        "expound", "detail", "specify", "outline", "describe", "characterize", "characterise", "continue", "go on",
        "resume", "conclude", "sum up", "summarize", "summarise", "recap", "concede", "acknowledge", "admit", "confess",
        "allow", "grant", "own up", "reveal", "disclose", "divulge", "confide", "confirm", "attest", "certify", "vouch",
        "testify", "report", "recount", "relate", "narrate", "recall", "recollect", "remember", "reminisce", "reflect",
        "muse", "ponder", "ruminate", "wonder", "speculate", "surmise", "guess", "reckon", "estimate", "predict",
        "forecast", "project", "calculate", "theorize", "theorise", "hypothesize", "posit", "postulate", "reason",
        "figure", "opine", "venture", "offer", "suggest", "propose", "hint", "imply", "indicate", "signal", "intimate",
        "insinuate", "allege", "claim", "charge", "accuse", "contest", "dispute", "question", "challenge", "doubt",
        "argue", "debate", "counter", "rebut", "refute", "deny", "reject", "dismiss", "disavow", "repudiate",
        "contradict", "object", "protest", "remonstrate", "complain", "grumble", "grouse", "gripe", "carp", "whine",
        "moan", "lament", "bemoan", "bewail", "deplore", "decry", "regret", "apologize", "apologise", "fret", "worry",
        // asking and answering
        "ask", "inquire", "enquire", "query", "quiz", "probe", "demand", "request", "reply", "respond", "answer",
        "retort", "rejoin", "riposte", "fire back", "hit back", "shoot back", "snap back", "push back", "write back",
        // urging and warning
        "urge", "exhort", "encourage", "implore", "entreat", "beseech", "beg", "plead", "appeal", "pray", "press",
        "warn", "caution", "alert", "advise", "counsel", "admonish", "remind", "threaten", "order", "instruct",
        "command", "direct", "decree", "rule", "recommend", "promise", "pledge", "vow", "swear", "guarantee", "assure",
        "reassure",
        // praising, blaming and mocking
        "praise", "laud", "applaud", "commend", "compliment", "salute", "hail", "extol", "thank", "congratulate",
        "welcome", "greet", "cheer", "celebrate", "rejoice", "exult", "gloat", "crow", "boast", "brag", "gush",
        "enthuse", "rave", "marvel", "criticize", "criticise", "blame", "fault", "slam", "blast", "lambaste",
        "excoriate", "castigate", "condemn", "denounce", "berate", "upbraid", "chide", "scold", "rebuke", "reprimand",
        "reproach", "attack", "lash out", "swipe", "swipe at", "take aim", "jab", "needle", "mock", "jeer", "taunt",
        "tease", "ridicule", "deride", "scorn", "scoff", "sneer", "lampoon", "quip", "joke", "jest", "wisecrack",
        "kid", "rib",
        // voice and manner
        "shout", "yell", "scream", "shriek", "screech", "holler", "bellow", "roar", "thunder", "bark", "growl",
        "snarl", "hiss", "snap", "exclaim", "cry", "cry out", "call out", "whisper", "murmur", "mutter", "mumble",
        "stammer", "stutter", "blurt", "blurt out", "sigh", "groan", "grunt", "gasp", "sob", "weep", "wail", "laugh",
        "chuckle", "giggle", "snort", "sniff", "smile", "grin", "beam", "sing", "chant", "recite", "intone", "preach",
        "lecture", "pontificate", "moralize", "rant", "rage", "fume", "seethe", "vent", "storm",
        // interrupting and joining in
        "interject", "interrupt", "cut in", "break in", "butt in", "chime in", "weigh in", "pipe up", "speak up",
        "speak out", "jump in", "agree", "concur", "assent", "disagree", "echo", "repeat", "reiterate", "restate",
        // writing and posting
        "write", "pen", "scribble", "scrawl", "jot", "type", "post", "tweet", "retweet", "blog", "text", "message",
        "email", "e-mail", "cable", "wire", "publish", "print", "broadcast", "read", "quote", "cite", "sign off",
    ];

    private static readonly Dictionary<string, string[]> Irregular = new(StringComparer.Ordinal)
    {
        ["say"] = ["said", "says"],
        ["tell"] = ["told", "tells"],
        ["write"] = ["wrote", "writes"],
        ["write back"] = ["wrote back", "writes back"],
        ["go on"] = ["went on", "goes on"],
        ["sing"] = ["sang", "sings"],
        ["swear"] = ["swore", "swears"],
        ["weep"] = ["wept", "weeps"],
        ["shoot back"] = ["shot back", "shoots back"],
        ["forecast"] = ["forecast", "forecasts"],
        ["beseech"] = ["besought", "beseeched", "beseeches"],
        ["speak up"] = ["spoke up", "speaks up"],
        ["speak out"] = ["spoke out", "speaks out"],
        ["cut in"] = ["cut in", "cuts in"],
        ["break in"] = ["broke in", "breaks in"],
        ["read"] = ["read", "reads"],
        ["hit back"] = ["hit back", "hits back"],
        ["broadcast"] = ["broadcast", "broadcasts"],
        ["take aim"] = ["took aim", "takes aim"],
        ["signal"] = ["signaled", "signalled", "signals"],
        ["marvel"] = ["marveled", "marvelled", "marvels"],
        ["cry out"] = ["cried out", "cries out"],
    };

    // Short verbs ending in a stressed vowel and consonant double the consonant: "quip" → "quipped".
    private static readonly FrozenSet<string> Doubling = new[]
    {
        "admit", "quip", "snap", "snap back", "slam", "beg", "brag", "grin", "pen", "jot", "blog", "sum up", "kid",
        "rib", "jab", "refer", "regret", "aver", "concur", "rebut", "chat",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The forms quote patterns look for beside a quote or before a colon ("said", "told reporters", "said in a statement"), as an alternation.</summary>
    public const string AroundQuotes =
        "said|says|say|told|tells|added|adds|stated|states|noted|notes|warned|warns|stressed|stresses|explained|explains|" +
        "argued|argues|insisted|insists|claimed|claims|declared|declares|announced|announces|asserted|asserts|continued|" +
        "continues|wrote|writes|tweeted|tweets|replied|replies|responded|responds|urged|urges|suggested|suggests|" +
        "acknowledged|acknowledges|admitted|admits|recalled|recalls|concluded|concludes|remarked|remarks|asked|asks|" +
        "predicted|predicts|cautioned|cautions|emphasized|emphasised|emphasizes|emphasises|contended|contends|" +
        "maintained|maintains|observed|observes|quipped|joked|shouted|yelled|whispered|pointed out|points out|" +
        "went on|goes on|told reporters|said in a statement|told a news conference|told a press conference|scolded|commented|" +
        "comments|boasted|boasts|complained|complains|conceded|concedes|countered|counters|demanded|demands|pleaded|vowed|" +
        "vows|promised|promises|chanted|exclaimed|lamented|laments|mused|wondered|posted|texted|emailed|put it|likened|" +
        "testified|reported|reports|recounted|recounts|sang|sings|yelling|shouting|screamed|retorted|answered|answers";

    /// <summary>The verbs a checked answer's "said" may stand for; any other must be the source's own.</summary>
    public static readonly FrozenSet<string> SaidStandsFor = new[]
    {
        "said", "says", "say", "told", "tells", "stated", "states", "added", "adds", "warned", "warns", "noted", "notes",
        "stressed", "stresses", "explained", "argued", "insisted", "claimed", "declared", "announced", "asserted",
        "urged", "suggested", "acknowledged", "admitted", "reported", "reports", "wrote", "tweeted", "commented",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The forms of a statement, as an alternation: a day beside one is when something was said, not when an event happened.</summary>
    public const string Statements = "said|says|told|reported|announced|added|stated|confirmed|claimed|declared|warned|urged|condemned|denied|blamed|vowed|called|demanded";

    /// <summary>Every form of every lemma, phrasal verbs with their particle.</summary>
    public static readonly FrozenSet<string> Forms = Lemmas.SelectMany(FormsOf).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The number of lemmas in the lexicon.</summary>
    public static int LemmaCount => Lemmas.Distinct(StringComparer.Ordinal).Count();

    /// <summary>The first word of every form, to skip text with no reporting verb cheaply.</summary>
    public static readonly FrozenSet<string> FirstWords = Forms.Select(f => f.Split(' ')[0]).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// The first word of every past form ("fumed", "chimed"): seldom a noun, unlike "reports" or "calls", so a phrase
    /// may be cut before one ("the ministry said in a bulletin" → "the ministry").
    /// </summary>
    public static readonly FrozenSet<string> PastFirstWords = Lemmas
        .Select(l => (Lemma: l.Split(' ')[0], Past: PastOf(l).Split(' ')[0]))
        .Where(p => p.Past != p.Lemma)
        .Select(p => p.Past)
        .ToFrozenSet(StringComparer.Ordinal);

    /// <summary>True when <paramref name="verb"/> (one word, or a word and its particle) reports speech.</summary>
    public static bool Reports(string verb) => Forms.Contains(verb);

    private static IEnumerable<string> FormsOf(string lemma)
    {
        yield return lemma;
        if (Irregular.TryGetValue(lemma, out var irregular))
        {
            foreach (var form in irregular)
            {
                yield return form;
            }

            yield break;
        }

        var (verb, particle) = Split(lemma);
        yield return PastOf(lemma);
        yield return ThirdPerson(verb) + particle;
    }

    /// <summary>"chime in" → ("chime", " in").</summary>
    private static (string Verb, string Particle) Split(string lemma)
    {
        var space = lemma.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? (lemma, "") : (lemma[..space], lemma[space..]);
    }

    /// <summary>The past form of a lemma, with its particle ("chimed in"); an irregular lemma's first listed form ("said").</summary>
    private static string PastOf(string lemma)
    {
        if (Irregular.TryGetValue(lemma, out var irregular))
        {
            return irregular[0];
        }

        var (verb, particle) = Split(lemma);
        return Past(verb, Doubling.Contains(lemma)) + particle;
    }

    private static string Past(string verb, bool doubles) => verb switch
    {
        _ when doubles => verb + verb[^1] + "ed",
        _ when verb.EndsWith('e') => verb + "d",
        _ when verb.Length > 1 && verb.EndsWith('y') && !IsVowel(verb[^2]) => verb[..^1] + "ied",
        _ => verb + "ed",
    };

    private static string ThirdPerson(string verb) => verb switch
    {
        _ when verb.Length > 1 && verb.EndsWith('y') && !IsVowel(verb[^2]) => verb[..^1] + "ies",
        _ when verb.EndsWith('s') || verb.EndsWith("sh", StringComparison.Ordinal) || verb.EndsWith("ch", StringComparison.Ordinal)
            || verb.EndsWith('x') || verb.EndsWith('z') || verb.EndsWith('o') => verb + "es",
        _ => verb + "s",
    };

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u';
}
