using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using BriefingBot.Core.Crisis;
using BriefingBot.Core.Text;

namespace BriefingBot.Core.Answering;

/// <summary>What kind of thing a question asks for.</summary>
public enum AnswerType
{
    /// <summary>Anything: what, why, how — no one form the answer must take.</summary>
    Any,

    /// <summary>How many, how much: a number.</summary>
    Count,

    /// <summary>Who: a name, or a role.</summary>
    Person,

    /// <summary>Where, which town or district: a named place.</summary>
    Place,

    /// <summary>When, what year, since when: a date.</summary>
    Date,
}

/// <summary>
/// What a question asks for and what it pins down: the answer type, the years it names, and the names an answer's
/// article must mention. A sentence that cannot hold that kind of answer, or an article about another year or
/// without those names, does not answer it — however many of its words it repeats.
/// </summary>
/// <param name="Question">The question as asked: what a sentence's answer must not merely repeat.</param>
/// <param name="Months">Months the question names (1–12): "in April 2017".</param>
/// <param name="Counted">For "how many X": the stem of X and of the words that count the same thing ("troops" and "soldiers").</param>
public sealed partial record QuestionAnalysis(string Question, AnswerType Type, IReadOnlyList<int> Years, IReadOnlyList<int> Months, IReadOnlyList<string> Names, IReadOnlyList<string> Counted)
{
    // Words that count the same people or things in news of a war: a number next to any of them answers "how many" of another.
    private static readonly string[][] SameCount =
    [
        ["people", "civilians", "persons", "residents", "killed", "dead", "died", "lives", "wounded", "injured", "casualties", "victims", "bodies"],
        ["troops", "soldiers", "forces", "members", "fighters", "personnel", "servicemen", "militants", "jihadists", "terrorists"],
        ["children", "kids", "students", "schoolchildren", "minors"],
    ];

    private static readonly List<string> MonthNames = [.. Lexicon.Months.Select(m => m.ToLowerInvariant())];

    // Words people write with a capital that say nothing about which article answers (the crisis's own, such as
    // "Syria", come from its profile).
    private static readonly HashSet<string> CalendarNames = new(
        [.. MonthNames, .. Lexicon.Weekdays.Select(d => d.ToLowerInvariant())],
        StringComparer.OrdinalIgnoreCase);

    // Capitalised words of datelines, bylines and institutions: never the place or person asked for.
    private static readonly HashSet<string> NotAnAnswer = new(StringComparer.OrdinalIgnoreCase)
    {
        "reuters", "afp", "ap", "sana", "dpa", "monitor", "tags", "published", "date", "print", "tweet", "views", "related", "photo",
        "updated", "news", "agency", "observatory", "coalition", "army", "forces", "front", "group", "state", "ministry", "council",
        "regime", "government", "media", "tv", "rebels", "committees", "units", "militia", "the", "a", "an", "he", "she", "it", "they",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "but", "in", "on", "at", "after", "as", "earlier",
        "twitter", "telegram", "facebook", "youtube", "west", "east", "north", "south", "eastern", "western", "northern", "southern",
        "central", "old", "new", "greater",
    };

    /// <summary>The crisis the question is read in: its shared names, regions, aliases and groups.</summary>
    public CrisisProfile Profile { get; init; } = CrisisProfile.Active;

    private bool Common(string word) => CalendarNames.Contains(word) || Profile.InFrame(word);

    /// <param name="profile">The crisis to read it in; the active one (<see cref="CrisisProfile.Active"/>) when not given.</param>
    public static QuestionAnalysis Of(string question, IReadOnlyList<QueryTerm> terms, CrisisProfile? profile = null)
    {
        profile ??= CrisisProfile.Active;
        var years = YearPattern().Matches(question).Select(m => int.Parse(m.Value, CultureInfo.InvariantCulture)).Distinct().ToList();
        var names = terms.Where(t => t.IsName && t.Word.Length >= 2 && !CalendarNames.Contains(t.Word) && !profile.InFrame(t.Word) && !t.Word.All(char.IsDigit))
            .Select(t => t.Word)
            .ToList();
        // A quiz writes a sentence of context before its question ("NASA rescheduled the launch. Where is the
        // launchpad?"): the kind of answer wanted is the asking sentence's.
        var asking = AskingSentence(question);
        var type = TypeOf(asking);
        var months = MonthPattern().Matches(question).Select(m => MonthNames.IndexOf(m.Value.ToLowerInvariant()) + 1).Distinct().ToList();
        return new QuestionAnalysis(question, type, years, months, names, type == AnswerType.Count ? CountedOf(asking) : [])
        {
            Profile = profile,
            QuestionStems = Terms.AllStems(question),
            Predicate = PredicateOf(asking, type),
            AboutNow = years.Count == 0 && NowPattern().IsMatch(question),
            AsksForName = type is AnswerType.Person or AnswerType.Place || AsksName().IsMatch(asking),
        };
    }

    /// <summary>The last sentence of the question that asks (ends with a question mark), else the whole question.</summary>
    internal static string AskingSentence(string question)
    {
        var trimmed = question.Trim();
        var end = trimmed.LastIndexOf('?');
        if (end < 0)
        {
            return trimmed;
        }

        var start = 0;
        foreach (Match boundary in SentenceBoundary().Matches(trimmed[..end]))
        {
            start = boundary.Index + boundary.Length;
        }

        return trimmed[start..].Trim();
    }

    /// <summary>
    /// Whether the question wants something named ("Which new treat …", "What was the name of the mission?", "Who
    /// …"): a sentence that speaks of "the company" or "the show" without naming it does not answer.
    /// </summary>
    public bool AsksForName { get; init; }

    /// <summary>
    /// A name in <paramref name="sentence"/> the question does not already say: a run of capitalised words that is not
    /// the sentence's opening ordinary word, a dateline's or a byline's, or an adjective of nationality.
    /// </summary>
    public string? NovelName(string sentence) => NovelNames(sentence).FirstOrDefault()?.Value;

    /// <summary>
    /// The runs of capitalised words in <paramref name="sentence"/> that may be a name the question does not say: a
    /// name may open the sentence ("Turkey's military …"), a capitalised ordinary word may not ("The").
    /// </summary>
    private IEnumerable<Match> NovelNames(string sentence) =>
        NameRun().Matches(sentence).Where(m => (m.Index > 0 || !Terms.IsStopword(m.Value.Split(' ')[0].ToLowerInvariant())) && m.Value.Split(' ').Any(Novel));

    /// <summary>Whether <paramref name="sentence"/> gives a number the question does not (a year is no count), whatever it counts.</summary>
    public bool HoldsNumber(string sentence) => NewNumbers(sentence).Any();

    /// <summary>The numbers of <paramref name="sentence"/> that are not years and that the question does not already give.</summary>
    private IEnumerable<Match> NewNumbers(string sentence)
    {
        var asked = NumberPattern().Matches(Question);
        return NumberPattern().Matches(sentence).Where(m => !IsYear(m.Value) && !asked.Any(q => q.Value.Equals(m.Value, StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>The question's words, stemmed: what a sentence is compared with to see what it adds.</summary>
    public IReadOnlySet<string> QuestionStems { get; init; } = new HashSet<string>();

    /// <summary>The share of <paramref name="sentence"/>'s content words the question does not use: what it adds to the question.</summary>
    public double Novelty(string sentence)
    {
        var asked = QuestionStems;
        var own = Terms.Words(sentence).Where(w => !Terms.IsStopword(w)).Select(Terms.Stem).ToList();
        return own.Count == 0 ? 0 : (double)own.Count(w => !asked.Contains(w)) / own.Count;
    }

    /// <summary>
    /// What the question says happened or is asked of its subject — "rejoin" in "When did Syria rejoin the Arab
    /// League?", "height" in "What is the height of the Tabqa dam?" — which an answering article must say too.
    /// </summary>
    public string? Predicate { get; init; }

    private static readonly HashSet<string> MetaNouns = new(StringComparer.OrdinalIgnoreCase)
    {
        "name", "number", "total", "toll", "date", "year", "day", "time", "kind", "type", "title", "role", "state", "status",
    };

    private static readonly HashSet<string> LightVerbs = new[]
    {
        "launch", "start", "begin", "began", "take", "took", "make", "made", "hold", "held", "get", "got", "give", "gave", "go", "went", "come", "came",
        "happen", "occur", "carry", "carried", "conduct", "stage", "mount", "see", "saw", "become", "became", "do", "lead", "led", "say", "said", "tell", "told",
    }.Select(Terms.Stem).ToHashSet(StringComparer.Ordinal);

    private static readonly HashSet<string> Auxiliaries = new(StringComparer.OrdinalIgnoreCase)
    {
        "did", "does", "do", "was", "were", "is", "are", "has", "have", "had", "will", "would", "can", "could", "might", "may", "should", "shall",
    };

    private static string? PredicateOf(string question, AnswerType type)
    {
        // "What is the height of …" asks for a height; "what is the name of …" asks for the thing itself.
        if (AttributeOf().Match(question) is { Success: true } attribute && !MetaNouns.Contains(attribute.Groups["noun"].Value))
        {
            return attribute.Groups["noun"].Value.ToLowerInvariant();
        }

        // "Who replaced …", "When did Syria rejoin …" (not "Which official said …": that asks for the official).
        if (!WhoOrWhen().IsMatch(question))
        {
            return null;
        }

        // After the question word, its auxiliary and the subject's names: the first word of content, unless it is a
        // verb that says little of its own ("When might Moscow launch the assault?" is answered by "… for an assault").
        foreach (var word in WordPattern().Matches(question).Skip(1).Select(m => m.Value))
        {
            if (char.IsUpper(word[0]) || Auxiliaries.Contains(word) || Terms.IsStopword(word.ToLowerInvariant()) || word.Any(char.IsDigit))
            {
                continue;
            }

            return LightVerbs.Contains(Terms.Stem(word.ToLowerInvariant())) ? null : word.ToLowerInvariant();
        }

        return null;
    }

    /// <summary>
    /// Whether the question asks how things stand now ("How many people live in Raqqa today?", "Who controls Idlib
    /// currently?"): only an article of the last weeks can say, however well an old one matches.
    /// </summary>
    public bool AboutNow { get; init; }

    /// <summary>How recent an article must be to say how things stand now.</summary>
    public static readonly TimeSpan Recent = TimeSpan.FromDays(31);

    /// <summary>Whether the article can answer for the time the question asks about, as of <paramref name="now"/>.</summary>
    public bool Current(Articles.Article article, DateTimeOffset now) =>
        !AboutNow || (article.ReportedAt >= now - Recent && article.ReportedAt <= now + TimeSpan.FromDays(1));

    /// <summary>
    /// Whether the article can answer at all: it is about the question's years and months, names what the question
    /// names and says what it asks happened — however many of its words a passage repeats otherwise.
    /// </summary>
    public bool Fits(Articles.Article article) => FitOf(article) is { Years: true, Names: true, Predicate: true };

    /// <summary>How an article agrees with what the question pins down, each constraint apart (true where the question sets none).</summary>
    public readonly record struct ArticleFit(bool Years, bool Names, bool Predicate);

    public ArticleFit FitOf(Articles.Article article)
    {
        var text = article.Title + "\n" + article.Text;
        return new ArticleFit(YearsAgree(article.Published, article.Text), NamesIn(text), PredicateIn(text));
    }

    /// <summary>Whether the question pins anything down that <see cref="Fits"/> checks.</summary>
    public bool Constrains => Years.Count > 0 || Months.Count > 0 || Names.Count > 0 || Predicate is not null;

    /// <summary>Whether the article says what the question asks happened, in any derived form ("rejoined", "heights").</summary>
    public bool PredicateIn(string articleText) => Predicate is null || ExtractiveAnswerer.Mentions(articleText, Predicate);

    /// <summary>
    /// "how many Syrian refugees …" → refugees: the first word after "how many" not written with a capital, unless the
    /// capitalised run ends the phrase ("how many Tomahawks did …").
    /// </summary>
    private static List<string> CountedOf(string question)
    {
        var match = CountedPattern().Match(question);
        if (!match.Success)
        {
            return [];
        }

        var words = match.Groups["rest"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => w.Trim('?', ',', '.', '!')).Where(w => w.Length > 0).ToList();
        var noun = words.FirstOrDefault(w => !char.IsUpper(w[0]));
        if (noun is null || Terms.IsStopword(noun.ToLowerInvariant()))
        {
            noun = words.TakeWhile(w => char.IsUpper(w[0])).LastOrDefault();
        }

        if (noun is null)
        {
            return [];
        }

        noun = noun.ToLowerInvariant();

        // "How many people were injured": the number must count the wounded, not the dead beside them.
        var group = InjuredPattern().IsMatch(question) ? ["wounded", "injured", "hurt", "injuries"]
            : SameCount.FirstOrDefault(g => g.Contains(noun)) ?? [noun];
        return group.Select(Terms.Stem).Distinct().ToList();
    }

    private static AnswerType TypeOf(string question)
    {
        // "What is the name of the neighbourhood …" asks which neighbourhood.
        var q = NameOf().Replace(question.Trim().ToLowerInvariant(), "which ");
        return q switch
        {
            _ when CountPattern().IsMatch(q) => AnswerType.Count,
            _ when DatePattern().IsMatch(q) => AnswerType.Date,
            _ when PlacePattern().IsMatch(q) => AnswerType.Place,
            _ when PersonPattern().IsMatch(q) => AnswerType.Person,
            _ => AnswerType.Any,
        };
    }

    /// <summary>
    /// Whether <paramref name="articleText"/> mentions every name of the question, in any of its spellings and
    /// derived forms ("Sheikhoun" and "Sheikhun", "Idleb" and "Idlib", "Turkey" and "Turkish", "ISIS" and "Daesh").
    /// </summary>
    public bool NamesIn(string articleText)
    {
        HashSet<string>? articleSkeletons = null; // the article's words' skeletons, made only if a spelling needs them
        foreach (var name in Names)
        {
            var spellings = Profile.SpellingsOf(name);
            if (!spellings.Any(s => s.Contains(' ', StringComparison.Ordinal) || s.Length <= 3
                    ? articleText.Contains(s, StringComparison.OrdinalIgnoreCase) && (s.Length > 3 || WholeWord(articleText, s))
                    : (articleSkeletons ??= Skeletons(articleText)).Contains(NameKey(s)) || ExtractiveAnswerer.Mentions(articleText, s)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Whether an article of <paramref name="published"/> that says <paramref name="text"/> can be about the question's
    /// years and months: published then, or naming them ("in June 2016" is not answered by an article of 15 October
    /// 2016 that never says June).
    /// </summary>
    public bool YearsAgree(string? published, string text)
    {
        var date = Articles.PublishedDates.TryParse(published);
        var years = Years.Count == 0 || Years.Any(y => date?.Year == y || text.Contains(y.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
        return years && (Months.Count == 0 || Months.Any(m => date?.Month == m || MentionsMonth(text, m)));
    }

    private static bool MentionsMonth(string text, int month)
    {
        var name = MonthNames[month - 1];
        return Regex.IsMatch(text, $@"\b({name}|{name[..3]})\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    /// <summary>
    /// The words of <paramref name="sentence"/> that answer, as a reader would mark them: the number and what it counts
    /// ("13 police officers"), the place ("Qamishli"), the name ("Matthew Rycroft"), the date ("Sept. 11-12"); null when
    /// the sentence holds none the question does not already say, or the question asks for no such thing.
    /// </summary>
    /// <param name="article">The text the sentence stands in, when known: how its capitals are read (see <see cref="TitleCase"/>).</param>
    public string? ShortAnswer(string sentence, string? article = null)
    {
        switch (Type)
        {
            case AnswerType.Count:
                var numbers = NewNumbers(sentence).Where(m => Counts(sentence, m));
                // "Three deaths and 22 injuries": of the numbers that count what was asked, the one nearest the word
                // that says so; the first of those nearest.
                // "3 million" is one number: a number word right after another number is part of it.
                var all = NumberPattern().Matches(sentence);
                var phrases = numbers.Where(n => !all.Any(o => o.Index < n.Index && n.Index - (o.Index + o.Length) <= 1))
                    .Select(n => (Number: n, Phrase: CountPhrase(sentence, n))).ToList();
                return phrases.Count == 0 ? null : phrases.MinBy(n => n.Phrase.Length - n.Number.Length).Phrase;
            case AnswerType.Date:
                return DateWordPattern().Match(sentence) is { Success: true } date ? DatePhrase().Match(sentence, Math.Max(0, date.Index - 12)).Value.Trim() : null;
            case AnswerType.Place:
                // In a headline written in title case ("… Civilians Die in Strikes Near Raqqa") a capital says nothing.
                if (TitleCase(sentence, article ?? sentence))
                {
                    return null;
                }

                return PlacePhrase().Matches(sentence).Select(m => m.Groups["name"]).FirstOrDefault(g => Novel(g.Value) && MayBePlace(g.Value, Profile)
                    && (!AsksWithinARegion().IsMatch(Question) || !Profile.IsRegion(g.Value.Replace("al-", string.Empty, StringComparison.Ordinal))))?.Value;
            case AnswerType.Person:
                // "… a zone set up last year by Russia, Turkey and Iran": a passive's agent is who did it, whatever the
                // sentence opens with.
                var agent = PassiveAgent().Match(sentence).Groups["who"];
                // A name may open the sentence ("Turkey's military reinforced …"); a capitalised ordinary word may not ("The").
                // "… in Idlib", "the town of Fuaa": a name given as where something happened is a place, not who did it.
                var name = agent.Success && agent.Value.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries).Any(Novel)
                    ? agent.Value
                    : NovelNames(sentence).FirstOrDefault(m => !PlaceLead().IsMatch(sentence.AsSpan(0, m.Index)))?.Value;
                return name is null ? null : Possessive().Replace(name, string.Empty);
            default:
                return null;
        }
    }

    /// <summary>
    /// Whether the sentence writes ordinary words with a capital, as a headline does: three or more of its capitalised
    /// words, not the first, stand in lower case elsewhere in <paramref name="article"/> ("Civilians", "Strikes" beside
    /// "civilians were killed in strikes"). Names do not ("Qaterji", "Hama").
    /// </summary>
    internal static bool TitleCase(string sentence, string article)
    {
        var capitalised = WordPattern().Matches(sentence).Skip(1).Select(m => m.Value)
            .Where(w => w.Length >= 4 && char.IsUpper(w[0]) && w.Skip(1).All(char.IsLower))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (capitalised.Count < 3)
        {
            return false;
        }

        var lower = WordPattern().Matches(article).Select(m => m.Value).Where(w => w.Length >= 4 && char.IsLower(w[0])).ToHashSet(StringComparer.Ordinal);
        return capitalised.Count(w => lower.Contains(w.ToLowerInvariant())) >= 3;
    }

    /// <summary>
    /// Where <paramref name="sentence"/> says something happened, in its order: each name it gives as a place ("in
    /// Jayrud", "the town of Khan Tuman", "Salihiah neighbourhood"), its whole run of capitalised words, read as a
    /// question's place is read (no date, dateline word, group of the crisis or name every article shares).
    /// </summary>
    /// <param name="ordinary">Words the text writes in lower case elsewhere: in a title-case headline they name nothing.</param>
    /// <param name="where">Only where something happened: not a name after "from" or "to" (where people came from or went).</param>
    internal static IEnumerable<string> PlacesIn(string sentence, CrisisProfile profile, IReadOnlySet<string> ordinary, bool where = false)
    {
        foreach (Match match in PlacePhrase().Matches(sentence))
        {
            if (where && (FromOrTo().IsMatch(match.Value) || FromOrToBefore().IsMatch(sentence.AsSpan(0, match.Index))))
            {
                continue;
            }

            var name = match.Groups["name"];
            var words = new List<string> { Possessive().Replace(name.Value, string.Empty) };
            var rest = NameTail().Match(sentence, name.Index + name.Length);
            if (rest.Success)
            {
                words.AddRange(rest.Groups["word"].Captures.Select(c => Possessive().Replace(c.Value, string.Empty))
                    .TakeWhile(w => !ordinary.Contains(w.ToLowerInvariant()) && !profile.InFrame(w) && !profile.IsRegion(w)));
            }

            // "in Syria's Manbij", "in Syrias Idlib": the country's possessive, then the place. A province or main city
            // is the place alone ("Aleppo Police Command", "Raqqa Rises"), but for its own particles ("Deir ez-Zor").
            if (words.Count > 1 && (profile.InFrame(words[0]) || Possessive().IsMatch(name.Value)))
            {
                words.RemoveAt(0);
            }
            else if (profile.IsRegion(words[0]))
            {
                words = [words[0], .. words.Skip(1).TakeWhile(w => char.IsLower(w[0]))];
            }

            var place = string.Join(' ', words);
            var bare = Bare(place);
            if (bare.Length < 3 || ordinary.Contains(words[0].ToLowerInvariant()) || CalendarNames.Contains(bare) || profile.InFrame(bare)
                || words.Any(w => NotAnAnswer.Contains(w) || !MayBePlace(w, profile) || LowerPart().IsMatch(w))
                || Nationality(bare) || bare.EndsWith("can", StringComparison.Ordinal))
            {
                continue;
            }

            yield return place;
        }
    }

    /// <summary>
    /// Whether a name after "in", "from", "to" can be where something happened: not a group of this war ("from Daesh",
    /// "by ISIL"), a title or an office ("President", "Department"), nor a side's label ("US-led", "Russian-backed").
    /// </summary>
    private static bool MayBePlace(string name, CrisisProfile profile)
    {
        var bare = name.Replace("al-", string.Empty, StringComparison.OrdinalIgnoreCase).Replace("el-", string.Empty, StringComparison.OrdinalIgnoreCase);
        bool Group(string word) => NotAPlace.Contains(word) || profile.IsGroup(word)
            || profile.Aliases.Any(a => a.Contains(word.ToLowerInvariant()) && a[0] is not ("us" or "uk" or "un"));

        // "west of Daeshs de facto capital": a possessive these texts wrote without its apostrophe.
        return !Group(bare) && !(bare.Length > 3 && bare.EndsWith('s') && Group(bare[..^1])) && !SideLabel().IsMatch(bare);
    }

    // Titles, offices and words of war that stand after "in" or "from" without being where (the crisis's groups and
    // leaders come from its profile).
    private static readonly HashSet<string> NotAPlace = new(StringComparer.OrdinalIgnoreCase)
    {
        "president", "prime", "minister", "ministry", "department", "defense", "defence", "foreign", "affairs", "human", "rights",
        "islamic", "jihadists", "terrorists", "militants", "rebels", "opposition", "allah", "god", "pentagon", "kremlin", "white", "house",
        "un", "nations", "security", "assembly", "union", "commission",
    };

    [GeneratedRegex(@"-(led|backed|based|held|controlled|allied|linked|affiliated|run)$", RegexOptions.IgnoreCase)]
    private static partial Regex SideLabel();

    /// <summary>"13 police officers": the number up to the word that says what it counts.</summary>
    private string CountPhrase(string sentence, Match number)
    {
        var rest = sentence[(number.Index + number.Length)..];
        var words = WordPattern().Matches(rest).Take(4).ToList();
        var counted = words.FindIndex(w => Counted.Contains(Terms.Stem(w.Value.ToLowerInvariant())));
        return counted < 0 ? number.Value : sentence.Substring(number.Index, number.Length + words[counted].Index + words[counted].Length);
    }

    /// <summary>The consonant skeleton of each word of a text: how transliterations that differ in vowels and doubled letters still meet.</summary>
    private static HashSet<string> Skeletons(string text) => Terms.Words(text).Where(w => w.Length >= 4).Select(NameKey).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// A word's skeleton led by its first letter (any vowel as one): spellings of one name meet ("Shaykhun",
    /// "Sheikhoun"; "Idlib", "Idleb") but a short name's skeleton does not meet an ordinary word's ("Ghouta", "eight").
    /// </summary>
    internal static string NameKey(string word)
    {
        var folded = Terms.Fold(word).ToLowerInvariant();
        var first = folded.Length == 0 ? ' ' : "aeiouy".Contains(folded[0], StringComparison.Ordinal) ? 'a' : folded[0];
        return first + Skeleton(word);
    }

    internal static string Skeleton(string word)
    {
        var builder = new StringBuilder(word.Length);
        foreach (var c in Terms.Fold(word).ToLowerInvariant())
        {
            if (char.IsLetter(c) && "aeiouwh".IndexOf(c, StringComparison.Ordinal) < 0 && (builder.Length == 0 || builder[^1] != c))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>A name the question does not already say, and not a dateline's, a byline's or an adjective of nationality.</summary>
    private bool Novel(string name)
    {
        var bare = Bare(name);
        return !Common(bare) && !NotAnAnswer.Contains(bare) && !Question.Contains(bare, StringComparison.OrdinalIgnoreCase) && !Nationality(bare);
    }

    /// <summary>A name without its article particles: "al-Bab" is "Bab".</summary>
    private static string Bare(string name) =>
        name.Replace("al-", string.Empty, StringComparison.Ordinal).Replace("el-", string.Empty, StringComparison.Ordinal);

    /// <summary>An adjective of nationality ("Syrian", "Turkish", "Lebanese"), not a name.</summary>
    private static bool Nationality(string word) =>
        word.EndsWith("ian", StringComparison.Ordinal) || word.EndsWith("ish", StringComparison.Ordinal) || word.EndsWith("ese", StringComparison.Ordinal);

    /// <summary>Whether the number counts what was asked about: one of <see cref="Counted"/> within four words after it ("13 police officers", "59 Tomahawk cruise missiles").</summary>
    private bool Counts(string sentence, Match number)
    {
        if (Counted.Count == 0)
        {
            return true;
        }

        var after = Terms.Words(sentence[(number.Index + number.Length)..]).Take(4).Select(Terms.Stem);
        var before = Terms.Words(sentence[..number.Index]).TakeLast(1).Select(Terms.Stem); // "killing 12"
        return after.Concat(before).Any(w => Counted.Contains(w));
    }

    private static bool IsYear(string value) => value.Length == 4 && int.TryParse(value, out var year) && year is >= 1900 and <= 2100;

    private static bool WholeWord(string text, string word) =>
        Regex.IsMatch(text, $@"\b{Regex.Escape(word)}\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    [GeneratedRegex(@"\b(19[5-9]\d|20[0-4]\d)\b")]
    private static partial Regex YearPattern();

    // Month names written with a capital ("may" the verb is not May).
    [GeneratedRegex(@"\b(" + Lexicon.MonthAlternation + @")\b")]
    private static partial Regex MonthPattern();

    // "Which town", "what neighbourhood": something smaller than a province or a city.
    [GeneratedRegex(@"\b(town|village|neighbou?rhood|district|square|street|camp|suburb|area|mosque|hospital|base|airport|crossing)\b", RegexOptions.IgnoreCase)]
    private static partial Regex AsksWithinARegion();

    [GeneratedRegex(@"^\s*(who|whom|when|since when)\b", RegexOptions.IgnoreCase)]
    private static partial Regex WhoOrWhen();

    [GeneratedRegex(@"^\s*what (is|was|are|were) the (?<noun>[a-z]+) of\b", RegexOptions.IgnoreCase)]
    private static partial Regex AttributeOf();

    // "now" but not "now known as", "now called": a name an old article gives as well.
    [GeneratedRegex(@"\b(today|nowadays|currently|at present|these days|at the moment|as of now|now(?! (known|called|named|renamed|part)\b))\b", RegexOptions.IgnoreCase)]
    private static partial Regex NowPattern();

    [GeneratedRegex(@"^(what|which) (is|was|are|were) the names? of (the )?")]
    private static partial Regex NameOf();

    // "Which new character", "what was the name of", "whose": the asking word before a noun, not "what did … say".
    [GeneratedRegex(@"^\s*((in|at|on|from|to|by|for|near) )?(which\b|whose\b|who\b|what (is|was|are|were) the (\w+ )?names?\b|what (\w+ )?(company|show|film|movie|country|city|team|game|app|brand|band|song|book|name|character|state|university|school|airline|firm|party|group)\b)", RegexOptions.IgnoreCase)]
    private static partial Regex AsksName();

    // Where one sentence of a question ends and the next begins: a full stop, '!' or '?' and a capital after a space.
    [GeneratedRegex(@"(?<=[a-z\d”""’)]{2})[.!?][""”’)]?\s+(?=[A-Z“""])")]
    private static partial Regex SentenceBoundary();

    [GeneratedRegex(@"\b(injured|wounded|hurt)\b", RegexOptions.IgnoreCase)]
    private static partial Regex InjuredPattern();

    [GeneratedRegex(@"^\s*how many\s+(?<rest>.*)$", RegexOptions.IgnoreCase)]
    private static partial Regex CountedPattern();

    [GeneratedRegex(@"^(how (many|much)|what (is|was) the (number|death toll|toll|total)|what number)\b")]
    private static partial Regex CountPattern();

    [GeneratedRegex(@"^(when\b|since when\b|(in |on )?what (year|date|day|month)\b|(in |on )?which (year|date|day|month)\b)")]
    private static partial Regex DatePattern();

    [GeneratedRegex(@"^(where\b|(in |at |near |on |from |to )?(which|what) (\w+ )?(town|village|city|province|neighbou?rhood|district|region|country|area|square|street|road|camp|base|airport|airbase|crossing|suburb|mosque|hospital|place|gas fields?|power plant|dam)\b)")]
    private static partial Regex PlacePattern();

    [GeneratedRegex(@"^(who\b|whom\b|whose\b|(which|what) (\w+ )?(group|organi[sz]ation|official|minister|spokesman|leader|commander|president|envoy|ambassador|person|man|woman)\b)")]
    private static partial Regex PersonPattern();

    // Digits (10, 1,000, 3.5) and number words, "dozens", "hundreds".
    [GeneratedRegex(@"(?<![\w-])(\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|dozens?|hundreds|thousands|millions|scores)\b", RegexOptions.IgnoreCase)]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"\b(\d{4}|january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|last (week|month|year))\b", RegexOptions.IgnoreCase)]
    private static partial Regex DateWordPattern();

    // A name where places are named: after "in", "near", "the town of" …, or before "district", "neighbourhood" ….
    [GeneratedRegex(@"(\b(in|at|near|(town|village|city|province|district|neighbou?rhood|outskirts|suburbs?|countryside|west|east|north|south|areas?|region|parts?|governorate|capital|heart|centre|center|edge|stronghold|bastion)\s+of|from|to|on|into|across|outside|inside|around|towards?)\s+(the\s+)?(?<name>((al|el|ad|as|ar|ash)-)?[A-Z][\p{L}'’-]+)|(?<name>((al|el|ad|as|ar|ash)-)?[A-Z][\p{L}'’-]+)(\s+[A-Z][\p{L}'’-]+)?(?=\s+(district|neighbou?rhood|area|town|village|city|province|street|square|camp|base|airport|airbase|crossing|suburb|region|countryside)\b))")]
    private static partial Regex PlacePhrase();

    // A run of capitalised words, with the particles of Arabic and European names ("Abu al-Hassan", "Staffan de Mistura").
    [GeneratedRegex(@"\b(((al|el|ad|as|ar|ash)-)|((Abu|Bin|Ibn|bin|ibn|de|al) ))?[A-Z][\p{L}'’-]+(\s+(((al|el)-)|((bin|ibn|abu|de|al|Abu) ))?[A-Z][\p{L}'’-]+)*")]
    private static partial Regex NameRun();

    // A passive verb's agent: "set up by Russia, Turkey and Iran", "carried out by the Syrian army".
    [GeneratedRegex(@"\b\w+(?:ed|en|wn|ght|ade|et|up|out)\b(?:\s+\w+){0,4}?\s+by\s+(?:the\s+)?(?<who>[A-Z][\p{L}'’-]+(?:\s+[A-Z][\p{L}'’-]+)*(?:(?:,\s*|\s+and\s+)(?:the\s+)?[A-Z][\p{L}'’-]+(?:\s+[A-Z][\p{L}'’-]+)*)*)", RegexOptions.NonBacktracking)]
    private static partial Regex PassiveAgent();

    // What stands right before a place name: "in", "near", "outside", "the town of".
    [GeneratedRegex(@"\b(?:in|at|near|outside|into|across|(?:town|village|city|district|province|region|neighbou?rhood|towns|villages)\s+of)\s+(?:the\s+)?$", RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex PlaceLead();

    [GeneratedRegex(@"((\d{1,2}\s+)?(" + Lexicon.MonthAlternation + @"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?(\s+\d{1,2}(-\d{1,2})?)?(,?\s+\d{4})?|(on\s+)?(" + Lexicon.WeekdayAlternation + @")|\b\d{4}\b|yesterday|today|last (week|month|year))", RegexOptions.IgnoreCase)]
    private static partial Regex DatePhrase();

    [GeneratedRegex(@"['’]s?$")]
    private static partial Regex Possessive();

    // The rest of a place's name after its first word: "Shaykhun" of "Khan Shaykhun", "al-Bab" of "Tariq al-Bab".
    [GeneratedRegex(@"\G(?:\s+(?<word>(?:(?:al|el|ad|as|ar|ash|ez|az)-)?[A-Z][\p{L}'’-]+|(?:al|el|ad|ez)-[A-Z][\p{L}'’-]+))+")]
    private static partial Regex NameTail();

    [GeneratedRegex(@"^(?:from|to|towards?)\s", RegexOptions.IgnoreCase)]
    private static partial Regex FromOrTo();

    // "from the Damascus suburb of Douma": where people came from, however the place is then named.
    [GeneratedRegex(@"\b(?:from|to|towards?)\s+(?:the\s+)?(?:[\p{L}'’-]+\s+){0,2}$", RegexOptions.IgnoreCase | RegexOptions.RightToLeft)]
    private static partial Regex FromOrToBefore();

    // "Kurdish-populated", "Russian-made": a word joined to an ordinary one is a description, not a name.
    [GeneratedRegex(@"-(?!(?:al|el|ad|as|ar|ash|ez|az)-)\p{Ll}")]
    private static partial Regex LowerPart();

    [GeneratedRegex(@"[\p{L}\d'’-]+")]
    private static partial Regex WordPattern();
}
