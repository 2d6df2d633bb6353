using System.Collections.Frozen;

namespace BriefingBot.Core.Quotes;

/// <summary>Words that surround names in news: titles, demonyms, speech verbs, pronouns.</summary>
internal static class NameParts
{
    /// <summary>Words that may stand before a name as its title ("Turkish Foreign Minister Mevlut Cavusoglu").</summary>
    public static readonly FrozenSet<string> TitleWords = new[]
    {
        "President", "Vice", "Prime", "Minister", "Ministers", "Foreign", "Defense", "Defence", "Interior", "Finance", "Economy",
        "Secretary", "General", "Gen.", "Lt.", "Col.", "Maj.", "Sgt.", "Capt.", "Adm.", "Cmdr.", "Brig.", "Sen.", "Rep.", "Gov.",
        "Governor", "Senator", "Representative", "Congressman", "Congresswoman", "Mr.", "Mrs.", "Ms.", "Miss", "Dr.", "Prof.",
        "Professor", "Rev.", "Reverend", "Chancellor", "King", "Queen", "Prince", "Princess", "Sheikh", "Emir", "Ambassador",
        "Envoy", "Special", "Spokesman", "Spokeswoman", "Spokesperson", "Chief", "Director", "Deputy", "Commander", "Chairman",
        "Chairwoman", "Chair", "Speaker", "House", "Senate", "Judge", "Justice", "Attorney", "Mayor", "Pope", "Patriarch",
        "Cardinal", "Bishop", "Retired", "Former", "Democratic", "Republican", "Democrat", "Presidential", "Nominee", "Candidate",
        "Lieutenant", "Colonel", "Major", "Sergeant", "Captain", "Admiral", "Field", "Marshal", "Staff", "Army", "Military",
        "Opposition", "Leader", "Head", "Executive", "Senior", "Officer", "Official", "Adviser", "Advisor", "Sir", "Lord",
        "Lady", "Dame", "Grand", "Mufti", "Imam", "Ayatollah", "Supreme", "UN", "U.N.", "US", "U.S.", "EU", "NATO", "White",
        "Press", "State", "Department", "Ministry", "Council", "Security", "National", "Top", "Campaign", "Manager", "Mr",
        "Mrs", "Ms", "Dr", "Economic", "Affairs", "Labor", "Labour", "Justice", "Health", "Energy", "Trade", "Councillor",
        "Councilor", "Councilman", "Councilwoman", "Alderman", "Assemblyman", "Assemblywoman", "Delegate", "Del.", "Rabbi", "Pastor",
    }.ToFrozenSet(StringComparer.Ordinal);

    public static readonly FrozenSet<string> Demonyms = new[]
    {
        "Turkish", "Russian", "Syrian", "Iranian", "American", "British", "French", "German", "Chinese", "Israeli", "Saudi",
        "Iraqi", "Kurdish", "Lebanese", "Jordanian", "Egyptian", "Qatari", "Emirati", "Afghan", "Pakistani", "Indian",
        "Italian", "Spanish", "Dutch", "Belgian", "Swedish", "Norwegian", "Danish", "Polish", "Ukrainian", "Japanese",
        "Korean", "Canadian", "Australian", "Mexican", "Brazilian", "European", "Arab", "Palestinian", "Yemeni", "Libyan",
        "Tunisian", "Moroccan", "Algerian", "Sudanese", "Kuwaiti", "Bahraini", "Omani", "Armenian", "Azerbaijani", "Greek",
        "Cypriot", "Austrian", "Swiss", "Hungarian", "Czech", "Romanian", "Bulgarian", "Serbian", "Croatian", "Georgian",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Every word that may start a reporting verb, to skip text with none cheaply.</summary>
    public static readonly FrozenSet<string> SpeechVerbWords = ReportingVerbs.AroundQuotes.Split('|').Select(v => v.Split(' ')[0]).Concat(ReportingVerbs.FirstWords).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The words a speaker phrase is cut before: the common verbs and every past form of the lexicon's.</summary>
    public static readonly FrozenSet<string> VerbWords = ReportingVerbs.AroundQuotes.Split('|').Select(v => v.Split(' ')[0]).Concat(ReportingVerbs.PastFirstWords).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>True when <paramref name="text"/> contains a word that can start a reporting verb.</summary>
    public static bool HasSpeechVerb(ReadOnlySpan<char> text)
    {
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var letter = i < text.Length && char.IsLower(text[i]);
            if (letter && start < 0)
            {
                start = i;
            }
            else if (!letter && start >= 0)
            {
                if (i - start >= 3 && SpeechVerbWords.GetAlternateLookup<ReadOnlySpan<char>>().Contains(text[start..i]))
                {
                    return true;
                }

                start = -1;
            }
        }

        return false;
    }

    /// <summary>
    /// A speaker phrase cut before its first reporting verb after the first word: "the ministry said in a daily
    /// bulletin" → "the ministry". The linear-time regex engine may end a lazy phrase later than a backtracking one would.
    /// </summary>
    public static string BeforeSpeechVerb(string phrase)
    {
        phrase = WithoutTrailingAdverbs(phrase);
        var space = phrase.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0 || !HasSpeechVerb(phrase.AsSpan(space)))
        {
            return phrase;
        }

        for (var i = space; i < phrase.Length; i++)
        {
            if (phrase[i] != ' ')
            {
                continue;
            }

            var end = phrase.IndexOf(' ', i + 1);
            var word = phrase.AsSpan(i + 1, (end < 0 ? phrase.Length : end) - i - 1);
            if (word.Length >= 3 && VerbWords.GetAlternateLookup<ReadOnlySpan<char>>().Contains(word))
            {
                return phrase[..i];
            }
        }

        return phrase;
    }

    /// <summary>Adverbs that stand between a speaker and the verb ("my father often said", "she later added").</summary>
    public const string AdverbWords = "also|later|then|again|once|often|now|still|even|just|never|always|sometimes|further|first|finally|previously|recently|earlier";

    private static readonly FrozenSet<string> Adverbs = AdverbWords.Split('|').ToFrozenSet(StringComparer.Ordinal);

    /// <summary>"my father often" → "my father": the adverbs a lazy phrase may have taken from before its verb.</summary>
    private static string WithoutTrailingAdverbs(string phrase)
    {
        var space = phrase.LastIndexOf(' ');
        while (space > 0 && phrase[(space + 1)..] is var last && (Adverbs.Contains(last) || (last.Length > 4 && last.EndsWith("ly", StringComparison.Ordinal) && char.IsLower(last[0]))))
        {
            phrase = phrase[..space].TrimEnd();
            space = phrase.LastIndexOf(' ');
        }

        return phrase;
    }

    /// <summary>True when <paramref name="phrase"/> ends in a word no speaker ends in ("a series of", "the car and").</summary>
    public static bool EndsInFunctionWord(string phrase)
    {
        var last = WithoutTrailingAdverbs(phrase.TrimEnd());
        last = last[(last.LastIndexOf(' ') + 1)..];
        return last is "of" or "in" or "on" or "at" or "to" or "for" or "with" or "by" or "from" or "and" or "or" or "but" or "the" or "a" or "an"
            || (last.Length > 4 && last.EndsWith("ly", StringComparison.Ordinal) && char.IsLower(last[0]));
    }

    /// <summary>Lowercase words that belong to names ("Staffan de Mistura", "Bashar al-Assad").</summary>
    public static readonly FrozenSet<string> Particles = new[]
    {
        "al", "el", "bin", "ibn", "de", "van", "von", "da", "di", "du", "la", "le", "der", "abu", "bint", "al-", "el-",
    }.ToFrozenSet(StringComparer.Ordinal);

    public static readonly FrozenSet<string> MalePronouns = new[] { "he", "He", "him" }.ToFrozenSet(StringComparer.Ordinal);

    public static readonly FrozenSet<string> FemalePronouns = new[] { "she", "She", "her" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Common women's first names, enough to keep "she" from resolving to a man in most news text.</summary>
    public static readonly FrozenSet<string> FemaleFirstNames = new[]
    {
        "Angela", "Hillary", "Theresa", "Federica", "Nikki", "Samantha", "Maria", "Mary", "Marie", "Anna", "Anne", "Ann",
        "Elizabeth", "Sarah", "Sara", "Jane", "Susan", "Karen", "Nancy", "Lisa", "Linda", "Barbara", "Patricia", "Jennifer",
        "Michelle", "Laura", "Emily", "Emma", "Olivia", "Sophie", "Sophia", "Julia", "Kate", "Katherine", "Catherine",
        "Christine", "Helen", "Margaret", "Ruth", "Rebecca", "Rachel", "Hannah", "Jessica", "Amy", "Amanda", "Melissa",
        "Nicole", "Stephanie", "Heather", "Elena", "Irina", "Olga", "Natalia", "Svetlana", "Tatiana", "Fatima", "Aisha",
        "Leila", "Layla", "Zeynep", "Ayse", "Ayşe", "Elif", "Fatma", "Emine", "Merve", "Menekse", "Hanan", "Rania", "Noor",
        "Nour", "Yasmin", "Yasmine", "Amal", "Huda", "Mona", "Dina", "Rana", "Lina", "Maya", "Nadia", "Ursula", "Kamala",
        "Loretta", "Elizabeth", "Kellyanne", "Sheryl", "Madeleine", "Condoleezza", "Condoleeza", "Marine", "Ségolène",
        "Jill", "Gennifer", "Chelsea", "Ivanka", "Melania", "Tulsi", "Debbie", "Nina", "Diane", "Dianne", "Donna", "Janet",
        "Joan", "Judith", "Carol", "Carolyn", "Deborah", "Sharon", "Cynthia", "Kathleen", "Virginia", "Victoria", "Alice",
        "Grace", "Claire", "Clare", "Lucy", "Charlotte", "Amelia", "Isabella", "Ella", "Zoe", "Megan", "Lauren", "Ashley",
        "Brittany", "Tiffany", "Andrea", "Monica", "Erin", "Kelly", "Quina", "Aung", "Suu", "Wendy", "Tina", "Gina",
    }.ToFrozenSet(StringComparer.Ordinal);

    public static readonly FrozenSet<string> FemaleTitles = new[] { "Mrs.", "Ms.", "Miss", "Mrs", "Ms", "Queen", "Princess", "Lady", "Dame", "Congresswoman", "Spokeswoman", "Chairwoman" }
        .ToFrozenSet(StringComparer.Ordinal);

    public static readonly FrozenSet<string> MaleTitles = new[] { "Mr.", "Mr", "King", "Prince", "Sir", "Lord", "Congressman", "Spokesman", "Chairman", "Sheikh", "Pope" }
        .ToFrozenSet(StringComparer.Ordinal);
}
