using System.Collections.Frozen;

namespace BriefingBot.Core.Quotes;

/// <summary>
/// What may stand as a quote's speaker: a person's name ("Barack H. Obama", "Staffan de Mistura"), an organisation
/// ("Russia's Defence Ministry", "SANA"), or a description the article gives, headed by a person or group noun ("A
/// spokesman for the ministry", "The influential US daily"). Anything else — a title cut from its name ("The Rev"),
/// an initial ("P."), a clause ("A new video where she"), a country adjective ("US"), a title run into a name
/// ("Representatives James E. Clyburn") — is no speaker: the quote is kept, unattributed.
/// </summary>
public static class SpeakerRule
{
    /// <summary>The speaker of a quote whose attribution named no one the rule accepts.</summary>
    public static readonly Speaker Unattributed = new("Unattributed", null, []);

    private static readonly FrozenSet<string> Determiners = new[]
    {
        "a", "an", "the", "one", "two", "three", "four", "several", "some", "many", "another", "other", "his", "her", "their",
        "its", "our", "this", "that", "these", "those", "each", "every", "both", "most", "all", "no", "my", "your",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Words that end a description's head noun phrase: what follows qualifies it.</summary>
    private static readonly FrozenSet<string> PostModifierStarts = new[]
    {
        "of", "for", "at", "from", "with", "in", "on", "to", "who", "whom", "whose", "that", "which", "where", "when", "familiar",
        "close", "involved", "based", "speaking", "quoted", "cited", "working", "representing", "by", "named", "called", "issued",
        "released", "published", "posted", "identified", "known", "off",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Words that never sit inside a speaker's name or description: pronouns, clause openers, verbs of saying.</summary>
    private static readonly FrozenSet<string> ClauseWords = new[]
    {
        "he", "she", "they", "i", "we", "you", "it", "him", "them", "me", "us", "where", "when", "while", "if", "because",
        "although", "said", "says", "told", "asked", "added", "wrote", "is", "was", "are", "were", "has", "had", "have",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Nouns that head a description of someone who can speak: people by role, and bodies.</summary>
    private static readonly FrozenSet<string> SpeakerNouns = new[]
    {
        "spokesman", "spokeswoman", "spokesperson", "official", "officer", "minister", "ministry", "source", "resident",
        "witness", "activist", "analyst", "expert", "diplomat", "commander", "fighter", "rebel", "soldier", "leader",
        "member", "lawmaker", "senator", "representative", "congressman", "congresswoman", "governor", "mayor", "president",
        "chairman", "chairwoman", "chair", "director", "chief", "head", "secretary", "adviser", "advisor", "aide",
        "ambassador", "envoy", "negotiator", "general", "colonel", "journalist", "reporter", "correspondent", "editor",
        "writer", "author", "columnist", "anchor", "host", "daily", "newspaper", "paper", "agency", "outlet", "channel",
        "network", "broadcaster", "station", "magazine", "monitor", "observatory", "group", "organisation", "organization",
        "body", "committee", "council", "government", "administration", "department", "office", "army", "military", "force",
        "forces", "militia", "coalition", "alliance", "party", "campaign", "movement", "faction", "company", "firm", "bank",
        "court", "judge", "prosecutor", "lawyer", "attorney", "doctor", "nurse", "medic", "teacher", "student", "professor",
        "researcher", "scientist", "economist", "man", "woman", "boy", "girl", "person", "people", "mother", "father",
        "son", "daughter", "wife", "husband", "brother", "sister", "friend", "neighbour", "neighbor", "voter", "supporter",
        "critic", "opponent", "protester", "demonstrator", "victim", "survivor", "refugee", "citizen", "worker", "employee",
        "manager", "owner", "founder", "executive", "ceo", "strategist", "consultant", "pollster", "candidate", "nominee",
        "staffer", "volunteer", "organiser", "organizer", "delegate", "delegation", "team", "union", "association",
        "federation", "foundation", "institute", "center", "centre", "statement", "report", "communique", "communiqué",
        "release", "letter", "tweet", "post", "website", "account", "ad", "advertisement", "memo", "document", "filing",
        "lawsuit", "complaint", "resolution", "declaration", "bulletin", "pastor", "priest", "imam", "cleric", "bishop",
        "rabbi", "sheikh", "chancellor", "premier", "king", "queen", "prince", "emir", "sultan", "speaker", "whip", "staff",
        "inspector", "investigator", "agent", "guard", "police", "policeman", "policewoman", "paramedic", "rescuer",
        "relative", "parent", "child", "villager", "farmer", "shopkeeper", "driver", "pilot", "veteran", "mp", "deputy",
        "counsel", "panel", "board", "commission", "authority", "authorities", "regime", "opposition", "insurgent",
        "jihadist", "militant", "observer", "insider", "confidant", "ally", "rival", "partner", "colleague", "counterpart",
        "commentator", "blogger", "user", "fan", "player", "coach", "actor", "actress", "singer", "star", "comedian",
        "artist", "entrepreneur", "investor", "trader", "donor", "businessman", "businesswoman", "narrator", "announcer",
        "article", "book", "ruling", "verdict", "order", "charity", "brigade", "battalion", "unit", "tv", "radio",
        "television", "media", "broadcast", "video", "footage", "site", "blog", "study", "survey", "poll", "commercial",
        "message", "note", "speech", "interview", "transcript", "presenter", "moderator", "voice", "caller", "crowd",
        "audience", "chant",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Titles and honorifics: they introduce a name, and never end one.</summary>
    private static readonly FrozenSet<string> Honorifics = new[]
    {
        "Rev", "Rev.", "Sen", "Sen.", "Rep", "Rep.", "Gov", "Gov.", "Dr", "Dr.", "Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Gen", "Gen.",
        "Col", "Col.", "Lt", "Lt.", "Capt", "Capt.", "Sgt", "Sgt.", "Prof", "Prof.", "Hon", "Hon.", "St", "St.", "Fr", "Fr.", "Sr", "Jr",
        "Pres", "Pres.", "Sens.", "Reps.", "Govs.", "Miss", "Sir", "Dame", "Lord", "Lady",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Titles of one person that end no name ("the Syrian President" is described, "President" alone is no one).</summary>
    private static readonly FrozenSet<string> PersonalTitles = new[]
    {
        "President", "Minister", "Secretary", "Senator", "Governor", "Representative", "Congressman", "Congresswoman", "Spokesman",
        "Spokeswoman", "Spokesperson", "Chairman", "Chairwoman", "Ambassador", "Envoy", "Professor", "Reverend", "Mayor", "Sheikh",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Country adjectives and abbreviations that describe a speaker but are none themselves.</summary>
    private static readonly FrozenSet<string> CountryWords = new[] { "US", "U.S.", "UK", "U.K.", "EU", "E.U.", "UN", "U.N." }
        .ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The country abbreviations that, alone, still name a body that speaks (the United Nations, the European Union).</summary>
    private static readonly FrozenSet<string> Bodies = new[] { "EU", "E.U.", "UN", "U.N." }.ToFrozenSet(StringComparer.Ordinal);

    public static readonly string UnattributedKey = Speaker.KeyOf(Unattributed.Name);

    public static bool Accepts(Speaker speaker) => Accepts(speaker.Name);

    /// <summary>
    /// A speaker to list and look up by name: one the rule accepts, never the unattributed. A store written before the
    /// rule may still hold fragments; they are passed over when read.
    /// </summary>
    public static bool Listed(SpeakerSummary speaker) => speaker.Key != UnattributedKey && Accepts(speaker.Name);

    /// <summary>A stored quote as shown: its speaker, or unattributed where the speaker is a fragment the rule turns away.</summary>
    public static StoredQuote Shown(StoredQuote quote) =>
        quote.SpeakerKey == UnattributedKey || Accepts(quote.Speaker) ? quote : quote with { Speaker = Unattributed, SpeakerKey = UnattributedKey };

    public static bool Accepts(string name)
    {
        var tokens = name.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length == 0 || tokens.Any(IsClauseWord))
        {
            return false;
        }

        return Determiners.Contains(tokens[0].ToLowerInvariant()) ? IsDescription(tokens) : IsName(tokens);
    }

    /// <summary>
    /// The speaker as the rule accepts it: as given; or, where a description runs into a name ("Local activist Mohammad
    /// al-Halabi", "Peter Maurer head of the International Committee"), the name with the rest as its description;
    /// or null when it names no one.
    /// </summary>
    public static Speaker? Accepted(Speaker speaker)
    {
        if (Accepts(speaker))
        {
            return speaker;
        }

        var tokens = speaker.Name.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length < 3 || tokens.Any(IsClauseWord))
        {
            return null;
        }

        // A name at the end, after a description headed by a person noun: "Syrian regime leader Bashar al-Assad".
        var start = tokens.Length;
        while (start > 0 && IsNameWord(tokens[start - 1]))
        {
            start--;
        }

        if (start > 0 && tokens.Length - start >= 2 && IsName(tokens[start..]) && tokens[..start].Any(t => IsSpeakerNoun(t)))
        {
            return new Speaker(string.Join(' ', tokens[start..]), Describe(tokens[..start]), [string.Join(' ', tokens[start..])]);
        }

        // A name at the start, followed by its description: "Rami Abdel Rahman director of the Britain-based Observatory".
        var end = 0;
        while (end < tokens.Length && IsNameWord(tokens[end]))
        {
            end++;
        }

        if (end >= 2 && end < tokens.Length && IsName(tokens[..end]) && IsSpeakerNoun(tokens[end]) && char.IsLower(tokens[end][0]))
        {
            return new Speaker(string.Join(' ', tokens[..end]), Describe(tokens[end..]), [string.Join(' ', tokens[..end])]);
        }

        return null;

        static string Describe(string[] words)
        {
            var description = string.Join(' ', words).Trim(',', ' ');
            return Determiners.Contains(words[0].ToLowerInvariant()) || !char.IsUpper(words[0][0]) || !IsNameWord(words[0])
                ? char.ToLowerInvariant(description[0]) + description[1..]
                : description;
        }
    }

    /// <summary>A pronoun or a word that opens a clause: "she", "He", "where", "adding".</summary>
    private static bool IsClauseWord(string token)
    {
        var word = token.Trim(',', '.', ';', ':', '"', '“', '”');
        return word is "He" or "She" or "They" or "We" or "It" or "While" or "adding" or "saying" || (word.Length > 0 && char.IsLower(word[0]) && ClauseWords.Contains(word))
            || token.Contains('"', StringComparison.Ordinal) || token.Contains('“', StringComparison.Ordinal) || token.Contains('”', StringComparison.Ordinal) || token == "--";
    }

    private static bool IsNameWord(string token) =>
        (char.IsUpper(token[0]) && !Honorifics.Contains(token)) || NameParts.Particles.Contains(token) || token.StartsWith("al-", StringComparison.Ordinal);

    private static bool IsSpeakerNoun(string token)
    {
        var word = token.ToLowerInvariant().TrimEnd(',', '.', ';', ':').Replace("’s", string.Empty, StringComparison.Ordinal).Replace("'s", string.Empty, StringComparison.Ordinal);
        return SpeakerNouns.Contains(word) || (word.EndsWith('s') && SpeakerNouns.Contains(word[..^1]));
    }

    /// <summary>"A spokesman for the ministry", "The influential US daily": headed by a person or group noun.</summary>
    private static bool IsDescription(string[] tokens)
    {
        // "One of the officials", "Some of the residents": the head is after "of".
        if (tokens.Length > 2 && tokens[1] == "of")
        {
            return IsDescription(tokens[1..].Skip(1).Prepend("the").ToArray());
        }

        var phrase = tokens.Skip(1).TakeWhile(t => !PostModifierStarts.Contains(t)).ToList();
        if (phrase.Count == 0)
        {
            return false;
        }

        // "The US", "The WHO", "The Associated Press": a name after its article.
        return IsSpeakerNoun(phrase[^1]) || (char.IsUpper(phrase[^1][0]) && (IsName([.. phrase]) || (phrase.Count == 1 && CountryWords.Contains(phrase[0]))));
    }

    /// <summary>"Barack H. Obama", "Staffan de Mistura", "Russia's Defence Ministry", "SANA": capitalised words, not ending in a title or an initial.</summary>
    private static bool IsName(string[] tokens)
    {
        // "Obama's former campaign strategist", "Russia's Defence Ministry": a possessive opens a description or a body's name.
        if (tokens.Length > 1 && (tokens[0].EndsWith("'s", StringComparison.Ordinal) || tokens[0].EndsWith("’s", StringComparison.Ordinal))
            && tokens[1..].Any(t => char.IsLower(t[0])))
        {
            return IsSpeakerNoun(tokens[^1]);
        }

        var last = tokens[^1];

        // "Democrats", "Kurds": a group by its name.
        if (tokens.Length == 1 && last.Length > 3 && last.EndsWith('s') && char.IsUpper(last[0]) && char.IsLower(last[1]))
        {
            return true;
        }

        if (Honorifics.Contains(last) || PersonalTitles.Contains(last) || IsInitial(last) || IsPluralTitle(tokens[0]))
        {
            return false;
        }

        if (tokens.Length == 1 && (NameParts.Demonyms.Contains(last) || (CountryWords.Contains(last) && !Bodies.Contains(last))))
        {
            return false;
        }

        // Inside a name: capitalised words, initials, particles ("de", "al-"), and the small words of an organisation's name.
        return tokens.All(t => char.IsUpper(t[0]) || char.IsDigit(t[0]) || NameParts.Particles.Contains(t)
            || t is "of" or "for" or "the" or "and" or "on" or "in" or "&" || t.StartsWith("al-", StringComparison.Ordinal) || t.StartsWith("el-", StringComparison.Ordinal))
            && tokens.Any(t => char.IsUpper(t[0]) && !IsInitial(t) && !Honorifics.Contains(t));
    }

    private static bool IsInitial(string token) => token.Length <= 2 && char.IsUpper(token[0]) && (token.Length == 1 || token[1] == '.');

    /// <summary>"Representatives", "Senators": a title for several people, which no one person's name begins with.</summary>
    private static bool IsPluralTitle(string token) =>
        token.Length > 3 && token.EndsWith('s') && NameParts.TitleWords.Contains(token[..^1]);
}
