using System.Collections.Frozen;
using System.Text.RegularExpressions;
using BriefingBot.Core.Articles;
using BriefingBot.Core.Text;

namespace BriefingBot.Core.Quotes;

/// <summary>
/// The people an article names, in order, with where it mentions them: enough to resolve "he", "she" and a
/// surname to the person introduced before, and to give each person the description the article introduces
/// them with. One person, one entity per article.
/// </summary>
internal sealed partial class People(string text)
{
    private enum Gender
    {
        Unknown,
        Male,
        Female,
    }

    private sealed class Person(string name, string? description, Gender gender)
    {
        public string Name { get; } = name;

        public string? Description { get; set; } = description;

        public Gender Gender { get; set; } = gender;

        public HashSet<string> Aliases { get; } = new(StringComparer.Ordinal);

        public string Surname => Name.Split(' ')[^1];

        public Speaker ToSpeaker() => new(Name, Description, Aliases.Where(a => a != Name).Order(StringComparer.Ordinal).ToList());
    }

    private readonly List<Person> _persons = [];
    private readonly List<(int Position, int Length, Person Person)> _mentions = [];
    private List<Quotation> _quotations = [];

    private static readonly HashSet<string> NotNames = new(
    [
        "It", "This", "That", "These", "Those", "There", "But", "And", "Or", "So", "The", "A", "An", "In", "On", "At", "As",
        "If", "When", "While", "We", "I", "You", "Our", "His", "Her", "Their", "Its", "What", "Who", "Why", "How", "Some",
        "Many", "Most", "All", "Officials", "Experts", "Critics", "Analysts", "Sources", "Residents", "Witnesses", "Activists",
        "Police", "Everyone", "Nobody", "Someone", "People", "Others", "Both", "Neither", "Each", "Then", "Now", "Yet", "Still",
        "Also", "However", "Meanwhile", "Later", "Earlier", "Today", "Yesterday", "Tomorrow",
        "Mr.", "Mrs.", "Ms.", "Dr.", "One", "Another", "Such", "My", "Your", "Said", "Asked",
        .. Lexicon.Weekdays,
    ], StringComparer.Ordinal);

    private static readonly HashSet<string> FunctionWords = new(StringComparer.Ordinal)
    {
        "while", "and", "but", "as", "when", "after", "before", "then", "said", "says", "where", "whereas", "although", "though",
        "because", "since", "so", "or", "if", "that", "which", "who", "also", "later", "adding", "saying",
    };

    private static bool IsParticleBeforeName(List<string> tokens, string token)
    {
        var index = tokens.IndexOf(token);
        return NameParts.Particles.Contains(token) && index > 0 && index < tokens.Count - 1 && char.IsUpper(tokens[index - 1][0]);
    }

    private static readonly string[] OrganisationWords =
    [
        "Council", "Ministry", "University", "Academy", "News", "Agency", "Army", "Forces", "Party", "Front", "Coalition",
        "Committee", "Organization", "Organisation", "Observatory", "Department", "Office", "Government", "Union", "Nations",
        "States", "Republic", "Institute", "Center", "Centre", "Times", "Post", "Journal", "Press", "Kremlin", "Pentagon",
        "Group", "Commission", "Court", "Bank", "Company", "Corporation", "Association", "Federation", "Network", "Television",
        "Review", "Foundation", "Club", "Church", "Guard", "Police", "Service", "Services", "Command",
    ];

    /// <summary>Registers the people the article introduces (reporting-verb subjects, titled names, appositives) and indexes their mentions.</summary>
    public void Learn(IReadOnlyList<TextSpan> paragraphs, List<Quotation> quotations)
    {
        _quotations = quotations;
        foreach (var paragraph in paragraphs)
        {
            if (!NameParts.HasSpeechVerb(text.AsSpan(paragraph.Start, paragraph.Length)))
            {
                continue;
            }

            foreach (Match match in Introduction().Matches(text[paragraph.Start..paragraph.End]))
            {
                var group = match.Groups["who"];
                var at = paragraph.Start + group.Index;
                if (!InsideQuotation(at))
                {
                    Register(group.Value, at, group.Length, requirePerson: true);
                }
            }
        }

        foreach (var paragraph in paragraphs)
        {
            foreach (Match match in Introduced().Matches(text[paragraph.Start..paragraph.End]))
            {
                var group = match.Groups["who"];
                var at = paragraph.Start + group.Index;
                if (!InsideQuotation(at) && (group.Value.Contains(' ', StringComparison.Ordinal) || match.Groups["title"].Success))
                {
                    Register(group.Value, at, group.Length, requirePerson: true);
                }
            }
        }

        foreach (var person in _persons.ToList())
        {
            IndexMentions(person);
        }

        LearnGenders();
    }

    /// <summary>True when <paramref name="name"/> is a person the article names (not a body, a document or a group).</summary>
    public bool IsPerson(string name) => _persons.Any(p => p.Name == name);

    /// <summary>The speaker a "who" of an attribution stands for, and where it stands; null when it names no one.</summary>
    public (Speaker Speaker, TextSpan Mention)? Resolve(Group who, int offset, bool requirePerson = false) =>
        Resolve(NameParts.BeforeSpeechVerb(who.Value), offset + who.Index, requirePerson);

    private static readonly FrozenSet<string> SentenceOpeners = new[]
    {
        "But", "And", "Yet", "So", "Or", "Then", "Still", "Also", "Now", "Later", "Meanwhile", "However", "Instead", "Indeed", "Even", "Only",
        "In", "On", "At", "By", "For", "From", "With", "After", "Before", "During", "Since", "Until", "Last", "This", "Next",
    }.ToFrozenSet(StringComparer.Ordinal);

    // "In August said …": a date is nobody. (Days are in NotNames; months are not, since a name may end in one: Theresa May.)
    private static readonly FrozenSet<string> Months = Lexicon.Months.ToFrozenSet(StringComparer.Ordinal);

    public (Speaker Speaker, TextSpan Mention)? Resolve(string value, int position, bool requirePerson = false)
    {
        var mention = new TextSpan(position, value.Length);
        var pronoun = value.ToLowerInvariant();
        if (pronoun is "he" or "she" or "they")
        {
            var gender = pronoun switch { "he" => Gender.Male, "she" => Gender.Female, _ => Gender.Unknown };
            var person = LatestBefore(position, gender);
            if (person is null)
            {
                return null;
            }

            if (person.Gender == Gender.Unknown && gender != Gender.Unknown)
            {
                person.Gender = gender;
            }

            return (person.ToSpeaker(), mention);
        }

        var lastWord = value.Split(' ')[^1];
        var endsInName = lastWord.Length > 0 && char.IsUpper(lastWord[0]);
        var article = value.StartsWith("the ", StringComparison.OrdinalIgnoreCase) || value.StartsWith("a ", StringComparison.OrdinalIgnoreCase)
            || value.StartsWith("an ", StringComparison.OrdinalIgnoreCase);
        if (!endsInName || (article && !value.Split(' ').Skip(1).Any(t => NameParts.TitleWords.Contains(t))))
        {
            // "A spokesman for the network, Mike Lee, told me": described, and named in the commas that follow.
            if (NamedAppositive(position + value.Length) is { } named
                && Register(named.Name, named.Position, named.Name.Length, requirePerson: false) is { } person)
            {
                // The description is the one before the name, not whatever follows its closing comma ("told me").
                if (person.Description is null || person.Description == Appositive(named.Position + named.Name.Length))
                {
                    person.Description = char.ToLowerInvariant(value[0]) + value[1..];
                }
                return (person.ToSpeaker(), mention);
            }

            // "the minister", "a spokesman for the ministry": unnamed, described.
            if (requirePerson)
            {
                return null;
            }

            var described = char.ToUpperInvariant(value[0]) + value[1..];
            return (new Speaker(described, Appositive(position + value.Length), []), mention);
        }

        // "Peter Morgan of the Sierra Club": a person, described by the body they speak for.
        var affiliated = Affiliation().Match(value);
        if (affiliated.Success && !IsOrganisation(affiliated.Groups["name"].Value)
            && Resolve(affiliated.Groups["name"].Value, position, requirePerson) is { } member)
        {
            return (member.Speaker with { Description = member.Speaker.Description ?? affiliated.Groups["body"].Value }, member.Mention);
        }

        // "Russia's Defence Ministry", "the Syrian Observatory for Human Rights, a Britain-based monitor,": a body speaks
        // as the article names and describes it.
        if (IsOrganisation(value))
        {
            return requirePerson ? null : (new Speaker(WithoutOpeners(value), Appositive(position + value.Length), []), mention);
        }

        var found = Register(value, position, value.Length, requirePerson);
        return found is null ? null : (found.ToSpeaker(), mention);
    }

    private Person? Register(string value, int position, int length, bool requirePerson)
    {
        var tokens = value.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries).ToList();
        var titles = new List<string>();

        // "…, Bobby Scott!" Scott's niece": a quotation's end is no part of a name; the name begins after it.
        var quoted = tokens.FindLastIndex(t => t.IndexOfAny(['"', '“', '”', '!', '?']) >= 0);
        if (quoted >= 0)
        {
            tokens.RemoveRange(0, quoted + 1);
            if (tokens.Count == 0)
            {
                return null;
            }
        }

        DropOpeners(tokens);

        // "Representatives James E. Clyburn and John Lewis": two people speak; the first named stands for both.
        var and = tokens.IndexOf("and");
        if (and > 0 && and < tokens.Count - 1 && char.IsUpper(tokens[and - 1][0]) && char.IsUpper(tokens[and + 1][0]))
        {
            tokens.RemoveRange(and, tokens.Count - and);
        }

        // "Senators Charles E. Grassley": a title for several people, before one of them, is that person's title.
        if (tokens.Count > 1 && tokens[0].Length > 3 && tokens[0].EndsWith('s') && NameParts.TitleWords.Contains(tokens[0][..^1]))
        {
            titles.Add(tokens[0][..^1]);
            tokens.RemoveAt(0);
        }

        // "White House press secretary Josh Earnest": everything up to the last lowercase word is the title;
        // name particles ("de Mistura") are part of the name, and leading function words ("while") are nothing.
        var lastLower = tokens.FindLastIndex(t => char.IsLower(t[0]) && !IsParticleBeforeName(tokens, t));
        if (lastLower >= 0 && lastLower < tokens.Count - 1)
        {
            titles.AddRange(tokens.Take(lastLower + 1).SkipWhile(t => FunctionWords.Contains(t)));
            tokens.RemoveRange(0, lastLower + 1);
        }
        else if (lastLower == tokens.Count - 1)
        {
            return null;
        }

        while (tokens.Count > 1 && (NameParts.TitleWords.Contains(tokens[0]) || NameParts.Demonyms.Contains(tokens[0])))
        {
            titles.Add(tokens[0]);
            tokens.RemoveAt(0);
        }

        // "Manhattan Supreme Court Justice Frank Nervo", "Oversight Chairman Jason Chaffetz": a court or a committee in a
        // title is not part of the name ("Martin Luther King Jr." keeps its "King").
        var lastTitle = tokens.FindLastIndex(t => NameParts.TitleWords.Contains(t));
        if (lastTitle > 0 && lastTitle < tokens.Count - 1 && (tokens.Count - lastTitle > 2 || tokens.Take(lastTitle).Any(t => OrganisationWords.Contains(t))))
        {
            titles.AddRange(tokens.Take(lastTitle + 1));
            tokens.RemoveRange(0, lastTitle + 1);
        }

        if (tokens.Count == 0 || tokens.All(t => NotNames.Contains(t) || Months.Contains(t)) || (tokens.Count == 1 && titles.Count == 0 && NameParts.TitleWords.Contains(tokens[0])))
        {
            return null;
        }

        if (tokens.Any(t => OrganisationWords.Contains(t)) || tokens.Any(t => NameParts.Demonyms.Contains(t)))
        {
            return null;
        }

        var name = string.Join(' ', tokens);
        var existing = Find(name, position);
        if (existing is not null)
        {
            existing.Aliases.Add(name);
            if (titles.Count > 0)
            {
                existing.Aliases.Add($"{string.Join(' ', titles)} {existing.Surname}");
                existing.Description ??= TitleDescription(titles);
            }

            AddMention(position + value.Length - name.Length, name.Length, existing);
            return existing;
        }

        // A surname alone stands for the full name the article used before it ("Jimmy Tompkins, 31, …" then "Tompkins said").
        if (tokens.Count == 1 && FullNameBefore(tokens[0], position) is { } full)
        {
            return Register(full.Value, full.Position, full.Value.Length, requirePerson: false);
        }

        // A lone capitalised word no one introduced is a person only where the attribution itself says so.
        if (requirePerson && tokens.Count == 1 && titles.Count == 0 && Appositive(position + length) is null)
        {
            return null;
        }

        var gender = Gender.Unknown;
        if (titles.Any(NameParts.FemaleTitles.Contains) || NameParts.FemaleFirstNames.Contains(tokens[0]))
        {
            gender = Gender.Female;
        }
        else if (titles.Any(NameParts.MaleTitles.Contains))
        {
            gender = Gender.Male;
        }

        var person = new Person(name, Appositive(position + length) ?? TitleDescription(titles), gender);
        person.Aliases.Add(name);
        person.Aliases.Add(person.Surname);
        if (titles.Count > 0)
        {
            person.Aliases.Add($"{titles[^1]} {person.Surname}");
        }

        _persons.Add(person);
        AddMention(position + value.Length - name.Length, name.Length, person);
        IndexMentions(person);
        return person;
    }

    /// <summary>The first full name in the text before <paramref name="position"/> that ends in <paramref name="surname"/>.</summary>
    private (string Value, int Position)? FullNameBefore(string surname, int position)
    {
        var at = 0;
        var limit = Math.Min(position, text.Length);
        while ((at = text.IndexOf(surname, at, StringComparison.Ordinal)) >= 0 && at < limit)
        {
            var end = at + surname.Length;
            if ((end == text.Length || !char.IsLetter(text[end])) && !InsideQuotation(at))
            {
                // Walk back over capitalised words (and name particles) right before the surname.
                var start = at;
                var words = 0;
                var i = at - 1;
                while (words < 3 && i > 0 && text[i] == ' ')
                {
                    var wordEnd = i;
                    var wordStart = wordEnd;
                    while (wordStart > 0 && !char.IsWhiteSpace(text[wordStart - 1]))
                    {
                        wordStart--;
                    }

                    var word = text[wordStart..wordEnd];
                    if (word.Length == 0 || !(char.IsUpper(word[0]) || NameParts.Particles.Contains(word)) || NotNames.Contains(word)
                        || word.EndsWith(',') || word.EndsWith('.') && word.Length > 3)
                    {
                        break;
                    }

                    start = wordStart;
                    words++;
                    i = wordStart - 1;
                }

                if (start < at && char.IsUpper(text[start]))
                {
                    return (text[start..end], start);
                }
            }

            at = end;
        }

        return null;
    }

    private Person? Find(string name, int position)
    {
        var folded = Terms.Fold(name);
        var candidates = _persons.Where(p =>
            Terms.Fold(p.Name).Equals(folded, StringComparison.OrdinalIgnoreCase)
            || p.Aliases.Any(a => Terms.Fold(a).Equals(folded, StringComparison.OrdinalIgnoreCase))
            || Terms.Fold(p.Surname).Equals(folded.Split(' ')[^1], StringComparison.OrdinalIgnoreCase)).ToList();
        if (candidates.Count <= 1)
        {
            return candidates.FirstOrDefault();
        }

        // Two people share a surname: the one mentioned last before this point.
        return _mentions.Where(m => m.Position < position && candidates.Contains(m.Person)).Select(m => m.Person).LastOrDefault()
            ?? candidates[0];
    }

    /// <summary>
    /// The person a pronoun at <paramref name="position"/> stands for: the latest mention of matching gender, passing over
    /// one inside a relative clause or brackets ("Even Mike Pence, whom Newt Gingrich praised, …") for the subject before it.
    /// </summary>
    private Person? LatestBefore(int position, Gender gender)
    {
        Person? embedded = null;
        for (var i = _mentions.Count - 1; i >= 0; i--)
        {
            var (at, _, person) = _mentions[i];
            if (at >= position)
            {
                continue;
            }

            if (gender == Gender.Unknown || person.Gender == Gender.Unknown || person.Gender == gender)
            {
                if (!IsEmbedded(at))
                {
                    return person;
                }

                embedded ??= person;
            }
        }

        return embedded;
    }

    /// <summary>True when the mention at <paramref name="at"/> sits in a relative clause or brackets: ", whom X praised," / "(X said)".</summary>
    private bool IsEmbedded(int at)
    {
        var from = Math.Max(0, at - 60);
        var lead = text.AsSpan(from, at - from);
        var cut = lead.LastIndexOfAny(",(.;\n");
        if (cut < 0 || lead[cut] is '.' or ';' or '\n')
        {
            return false;
        }

        var clause = lead[(cut + 1)..].TrimStart();
        return lead[cut] == '(' || clause.StartsWith("whom ") || clause.StartsWith("who ") || clause.StartsWith("whose ") || clause.StartsWith("which ");
    }

    /// <summary>
    /// Gives each person whose gender no title or first name told the gender the article's own pronouns give them: the
    /// first "he" or "she" after a mention of their full name, before anyone else is mentioned, outside quotations.
    /// </summary>
    private void LearnGenders()
    {
        var votes = new Dictionary<Person, (int Male, int Female)>();
        for (var i = 0; i < _mentions.Count; i++)
        {
            // Only the full name: a surname alone may be a relative's ("Rakeyia Scott … her husband, Keith Scott").
            var (at, length, person) = _mentions[i];
            if (person.Gender != Gender.Unknown || length != person.Name.Length || !person.Name.Contains(' ', StringComparison.Ordinal))
            {
                continue;
            }

            var end = Math.Min(text.Length, Math.Min(at + length + 250, i + 1 < _mentions.Count ? _mentions[i + 1].Position : int.MaxValue));
            if (end <= at + length)
            {
                continue;
            }

            var pronoun = PronounWord().Match(text, at + length, end - (at + length));
            while (pronoun.Success && InsideQuotation(pronoun.Index))
            {
                pronoun = pronoun.NextMatch();
            }

            if (pronoun.Success)
            {
                var (male, female) = votes.GetValueOrDefault(person);
                votes[person] = pronoun.Groups["male"].Success ? (male + 1, female) : (male, female + 1);
            }
        }

        foreach (var (person, (male, female)) in votes)
        {
            person.Gender = male > 2 * female ? Gender.Male : female > 2 * male ? Gender.Female : Gender.Unknown;
        }
    }

    private static bool IsOrganisation(string value)
    {
        var tokens = value.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
        var lastLower = Array.FindLastIndex(tokens, t => char.IsLower(t[0]) && t is not ("of" or "for" or "on" or "and" or "the" or "de" or "al"));
        var name = tokens.Skip(lastLower + 1).ToList();
        var organisation = name.FindLastIndex(t => OrganisationWords.Contains(t));
        return organisation >= 0 && !name.Skip(organisation + 1).Any(NameParts.TitleWords.Contains);
    }

    /// <summary>"But Megan Hester", "Even Russia's Defence Ministry": the word that opens the sentence is not part of the name.</summary>
    private static void DropOpeners(List<string> tokens)
    {
        while (tokens.Count > 1 && SentenceOpeners.Contains(tokens[0]))
        {
            tokens.RemoveAt(0);
        }
    }

    private static string WithoutOpeners(string value)
    {
        var tokens = value.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        DropOpeners(tokens);

        var phrase = string.Join(' ', tokens);
        return char.ToUpperInvariant(phrase[0]) + phrase[1..];
    }

    private void IndexMentions(Person person)
    {
        foreach (var form in new[] { person.Name, person.Surname }.Distinct(StringComparer.Ordinal))
        {
            var at = 0;
            while ((at = text.IndexOf(form, at, StringComparison.Ordinal)) >= 0)
            {
                var end = at + form.Length;
                var wordStart = at == 0 || !char.IsLetter(text[at - 1]);
                var wordEnd = end == text.Length || !char.IsLetter(text[end]);
                if (wordStart && wordEnd && !InsideQuotation(at))
                {
                    AddMention(at, form.Length, person);
                }

                at = end;
            }
        }
    }

    private void AddMention(int position, int length, Person person)
    {
        if (_mentions.Any(m => m.Position <= position && position < m.Position + m.Length))
        {
            return;
        }

        var index = _mentions.FindIndex(m => m.Position > position);
        _mentions.Insert(index < 0 ? _mentions.Count : index, (position, length, person));
    }

    private bool InsideQuotation(int position) => _quotations.Any(q => q.Content.Start <= position && position < q.Content.End);

    /// <summary>The appositive right after a name: "Serhat Erkmen, a military expert at …, told" → "a military expert at …".</summary>
    private string? Appositive(int afterName)
    {
        var rest = text.AsSpan(afterName, Math.Min(220, text.Length - afterName)).ToString();
        var match = AppositivePattern().Match(rest);
        var description = match.Success ? match.Groups["desc"].Value.Trim() : null;
        // ", who joked of the museum," says what someone did, not who they are.
        return description is null || description.StartsWith("who ", StringComparison.Ordinal) || description.StartsWith("whom ", StringComparison.Ordinal)
            || description.StartsWith("which ", StringComparison.Ordinal) || description.StartsWith("whose ", StringComparison.Ordinal)
            ? null
            : description;
    }

    private (string Name, int Position)? NamedAppositive(int afterDescription)
    {
        if (afterDescription >= text.Length)
        {
            return null;
        }

        var rest = text.AsSpan(afterDescription, Math.Min(120, text.Length - afterDescription)).ToString();
        var match = NamedAppositivePattern().Match(rest);
        return match.Success ? (match.Groups["name"].Value, afterDescription + match.Groups["name"].Index) : null;
    }

    private static string? TitleDescription(List<string> titles) => titles.Count == 0 || titles.All(t => t is "Mr." or "Mrs." or "Ms." or "Dr." or "Mr" or "Mrs" or "Ms" or "Dr" or "Miss")
        ? null
        : string.Join(' ', titles);

    [GeneratedRegex(@"^,\s*(?<desc>(?:a|an|the|[a-z])[^,;:“”""\n]{2,160}?)\s*,", RegexOptions.NonBacktracking)]
    private static partial Regex AppositivePattern();

    // ", Mike Lee," after a description: two to four capitalised words and nothing else.
    [GeneratedRegex(@"^,\s*(?<name>[A-Z][\p{L}'’.\-]+(?:\s+[A-Z][\p{L}'’.\-]+){1,3})\s*,", RegexOptions.NonBacktracking)]
    private static partial Regex NamedAppositivePattern();

    // Someone introduced as the subject of a reporting verb, with or without an appositive, or after one ("said Has").
    [GeneratedRegex(@"(?<who>" + QuoteExtractor.Name + @")(?:,\s*[^,“”""\n]{1,160},)?\s+(?:(?:also|later|then|again|had|has|have|would|\p{Ll}+ly)\s+){0,2}(?:" + ReportingVerbs.AroundQuotes + @")\b", RegexOptions.NonBacktracking)]
    private static partial Regex Introduction();

    // Someone introduced by an appositive ("Federica Mogherini, the EU foreign policy chief,") or a title ("Mr. Lavrov").
    [GeneratedRegex(@"(?<who>(?<title>\b(?:Mr|Mrs|Ms|Dr|Prof|Gen|Sen|Rep|Gov)\.\s+)" + QuoteExtractor.Name + @")|(?<who>" + QuoteExtractor.Name + @"),\s*(?:a|an|the|who|whom|whose|[a-z]+\s+(?:of|at|for|to))\s", RegexOptions.NonBacktracking)]
    private static partial Regex Introduced();

    [GeneratedRegex(@"^(?<name>[A-Z][\p{L}'’.\-]*(?:\s+[A-Z][\p{L}'’.\-]*){0,3})\s+(?<body>(?:of|at|from)\s+(?:the\s+)?[A-Z].*)$", RegexOptions.NonBacktracking)]
    private static partial Regex Affiliation();

    // Subject pronouns only: "her husband" after a woman's name says nothing of the husband.
    [GeneratedRegex(@"\b(?:(?<male>he|He)|(?<female>she|She))\b", RegexOptions.NonBacktracking)]
    private static partial Regex PronounWord();
}
