using System.Text.RegularExpressions;
using BriefingBot.Core.Articles;
using BriefingBot.Core.Text;

namespace BriefingBot.Core.Quotes;

/// <summary>
/// Finds who said what in an article: direct quotes with the attribution news uses (after the quote, before it
/// with a colon, in its middle, or carried over from the quote before), partial quotes inside a paraphrase, and
/// paraphrased statements. Speakers are resolved to the full name the article introduces them with — a pronoun
/// or a surname resolves to the person named before it — with the description of their first appositive or title.
/// Quotation marks with no speaker (scare quotes, terms such as “de-escalation zone”) are not quotes.
/// </summary>
public static partial class QuoteExtractor
{
    // Every pattern here runs on the non-backtracking engine: its time is linear in the text, so the same article
    // yields the same quotes however busy the machine is (a time budget would drop them under load).
    public static IReadOnlyList<ExtractedQuote> Extract(string text) => Extract(text, null);

    /// <summary>
    /// The article's quotes. A quote whose attribution names no speaker <see cref="SpeakerRule"/> accepts is kept as
    /// <see cref="SpeakerRule.Unattributed"/> (a paraphrase, which is nothing without its speaker, is left out);
    /// <paramref name="rejected"/> hears each name so turned away.
    /// </summary>
    public static IReadOnlyList<ExtractedQuote> Extract(string text, Action<string>? rejected)
    {
        var quotes = new Run(text).Extract();
        var result = new List<ExtractedQuote>(quotes.Count);
        foreach (var quote in quotes)
        {
            if (SpeakerRule.Accepted(quote.Speaker) is { } speaker)
            {
                result.Add(speaker == quote.Speaker ? quote : quote with { Speaker = speaker });
                continue;
            }

            rejected?.Invoke(quote.Speaker.Name);
            if (quote.Kind != QuoteKind.Paraphrase)
            {
                result.Add(quote with { Speaker = SpeakerRule.Unattributed });
            }
        }

        return result;
    }

    private static readonly Lazy<Task> Prepared = new(() => Task.Run(() => Extract(Sample)));

    /// <summary>
    /// Builds the extraction's patterns and the states their engine meets on news prose, once a process, in the
    /// background: some two seconds that would otherwise fall on the first articles ingested after a start.
    /// </summary>
    public static Task PrepareAsync() => Prepared.Value;

    // News prose with the forms of attribution the patterns read: quotes before and after their speaker, with a colon,
    // split by the attribution, partial quotes, titles, appositives, "according to", single quotation marks.
    private const string Sample = """
        ANKARA: Turkey will not allow a new wave of refugees from Idlib, President Recep Tayyip Erdogan said on Tuesday.

        "We cannot carry this burden alone," Erdogan told reporters in Ankara, adding that the talks in Sochi had been "constructive".

        Russian Foreign Minister Sergei Lavrov said: "The terrorists in Idlib must be eliminated." He added that Moscow and Ankara agreed on a demilitarized zone.

        "It is a humanitarian catastrophe in the making," said Jan Egeland, the UN's humanitarian adviser for Syria. "Millions of civilians have nowhere to go."

        According to the Syrian Observatory for Human Rights, at least 12 civilians were killed in air strikes on the town of Khan Shaykhun. A spokesman for the opposition, who asked not to be named, said the regime had used "barrel bombs".

        The ministry's statement described the operation as 'a response to provocations', while Iran's foreign minister, Mohammad Javad Zarif, told state media the Astana process would go on.
        """;

    /// <summary>The state of one article's extraction: its paragraphs, quotations and the people it names.</summary>
    private sealed class Run(string text)
    {
        private readonly List<TextSpan> _paragraphs = QuoteMarks.Paragraphs(text);
        private readonly People _people = new(text);
        private List<Quotation> _quotations = [];

        public IReadOnlyList<ExtractedQuote> Extract()
        {
            _quotations = QuoteMarks.Find(text, _paragraphs);
            _people.Learn(_paragraphs, _quotations);

            var result = new List<ExtractedQuote>();
            ExtractedQuote? previous = null;
            for (var q = 0; q < _quotations.Count; q++)
            {
                var quotation = _quotations[q];
                if (text.AsSpan(quotation.Content.Start, quotation.Content.Length).IsWhiteSpace())
                {
                    continue;
                }

                var quote = Attribute(quotation, q, previous);
                if (quote is null)
                {
                    continue;
                }

                // "a new video where she said, “…”": the clause is no speaker, the pronoun that ends it may be.
                if (!SpeakerRule.Accepts(quote.Speaker) && EndingPronoun(quote.Mention) is { } pronoun
                    && _people.Resolve(text.Substring(pronoun.Start, pronoun.Length), pronoun.Start) is { } person)
                {
                    quote = quote with { Speaker = person.Speaker, Mention = person.Mention };
                }

                // "the influential US daily wrote": a noun in -ly was read as an adverb of the verb; it heads the description.
                if (!SpeakerRule.Accepts(quote.Speaker) && LyNounAfter(quote.Mention) is { } described && SpeakerRule.Accepts(described.Speaker))
                {
                    quote = quote with { Speaker = described.Speaker, Mention = described.Mention };
                }

                result.Add(quote);
                previous = quote.Kind is QuoteKind.Direct or QuoteKind.Partial ? quote : previous;
            }

            result.AddRange(Paraphrases());
            result.Sort((a, b) => a.Span.Start.CompareTo(b.Span.Start));
            return result;
        }

        private (Speaker Speaker, TextSpan Mention)? LyNounAfter(TextSpan mention)
        {
            var rest = text.AsSpan(mention.End);
            var spaces = rest.Length - rest.TrimStart(' ').Length;
            var word = rest[spaces..];
            var end = word.IndexOfAny(' ', ',', '\n');
            var noun = (end < 0 ? word : word[..end]).ToString();
            if (spaces == 0 || noun is not ("daily" or "weekly" or "monthly" or "family" or "ally" or "assembly"))
            {
                return null;
            }

            var span = new TextSpan(mention.Start, mention.Length + spaces + noun.Length);
            var phrase = text.Substring(span.Start, span.Length);
            var opener = phrase.IndexOf(' ') is var space and > 0 && phrase[..space] is "Meanwhile" or "But" or "And" or "Then" or "Still" ? space + 1 : 0;
            phrase = phrase[opener..];
            return (new Speaker(char.ToUpperInvariant(phrase[0]) + phrase[1..], null, []), new TextSpan(span.Start + opener, span.Length - opener));
        }

        private TextSpan? EndingPronoun(TextSpan mention)
        {
            var words = text.Substring(mention.Start, mention.Length).TrimEnd();
            var last = words.LastIndexOf(' ');
            return last > 0 && words[(last + 1)..] is "he" or "she" or "they" ? new TextSpan(mention.Start + last + 1, words.Length - last - 1) : null;
        }

        private ExtractedQuote? Attribute(Quotation quotation, int index, ExtractedQuote? previous) =>
            Surround(quotation, index) is not { } at ? null
            : SaidAfter(at, previous) ?? IntroducedBefore(at) ?? IntroducedByParagraphBefore(at) ?? SaidWhileDoing(at, previous)
                ?? Continued(at, previous) ?? WithinParaphrase(at);

        /// <summary>A quotation with the text around it that can attribute it: the sentence it stands in, the words before and after it (within its paragraphs, up to the quotations beside it).</summary>
        private readonly record struct Surroundings(
            Quotation Quotation, int Index, TextSpan Paragraph, TextSpan LastParagraph, int BeforeStart, string Before, string After, string Content,
            int Words, char LastInner, int SentenceStart, bool StartsSentence, bool SentenceGoesOn)
        {
            /// <summary>The quotation's words, said by <paramref name="by"/>.</summary>
            public ExtractedQuote SaidBy(QuoteKind kind, (Speaker Speaker, TextSpan Mention) by) => new(kind, Quotation.Content, Content, by.Speaker, by.Mention);

            /// <summary>The quotation's words, going on from <paramref name="previous"/> (of its kind unless another is given).</summary>
            public ExtractedQuote Continuing(ExtractedQuote previous, QuoteKind? kind = null) =>
                previous with { Kind = kind ?? previous.Kind, Span = Quotation.Content, Text = Content };
        }

        /// <summary>What surrounds the quotation; none when it is a title (“Face the Nation”), not a quote.</summary>
        private Surroundings? Surround(Quotation quotation, int index)
        {
            var paragraph = _paragraphs[quotation.Paragraph];
            var lastParagraph = _paragraphs[quotation.LastParagraph];
            var beforeStart = paragraph.Start;
            if (index > 0 && _quotations[index - 1].CloseEnd > beforeStart && _quotations[index - 1].CloseEnd <= quotation.Open
                && _quotations[index - 1].LastParagraph == quotation.Paragraph)
            {
                beforeStart = _quotations[index - 1].CloseEnd;
            }

            var afterEnd = lastParagraph.End;
            if (index + 1 < _quotations.Count && _quotations[index + 1].Paragraph == quotation.LastParagraph && _quotations[index + 1].Open >= quotation.CloseEnd)
            {
                afterEnd = Math.Min(afterEnd, _quotations[index + 1].Open);
            }

            var content = text.Substring(quotation.Content.Start, quotation.Content.Length);
            var wordList = content.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            var words = wordList.Length;
            if (IsTitle(wordList))
            {
                return null; // “Face the Nation,”: the name of a show, a book or a song
            }

            var lastInner = content.TrimEnd().LastOrDefault();
            // Attributions sit right next to the quote; bounding the text looked at keeps end-anchored patterns linear.
            beforeStart = Math.Max(beforeStart, quotation.Open - 240);
            var before = text[beforeStart..quotation.Open];
            var after = text[quotation.CloseEnd..Math.Min(afterEnd, quotation.CloseEnd + 240)];
            var sentenceStart = SentenceStartBefore(paragraph, quotation.Open);
            var startsSentence = text[sentenceStart..quotation.Open].Trim().Length == 0
                || (beforeStart > paragraph.Start && before.Trim().Length == 0);

            // "“You squeezed employees to the breaking point” to drive up the stock price": the writer's sentence goes on.
            var sentenceGoesOn = StartsLower(after) && !after.TrimStart().StartsWith("he ", StringComparison.Ordinal) && !after.TrimStart().StartsWith("she ", StringComparison.Ordinal)
                && !AfterVerbFirst().IsMatch(after) && !ParticipleAfter().IsMatch(after);

            return new Surroundings(quotation, index, paragraph, lastParagraph, beforeStart, before, after, content, words, lastInner, sentenceStart, startsSentence, sentenceGoesOn);
        }

        /// <summary>1. Attributed after the quote: “…,” X said / “…,” said X / “…?” he asked.</summary>
        private ExtractedQuote? SaidAfter(Surroundings at, ExtractedQuote? previous)
        {
            // 1. After the quote: “…,” X said / “…,” said X / “…?” he asked.
            if (at.LastInner is not '.' || at.After.TrimStart().StartsWith(',') || StartsLower(at.After) || at.After.TrimStart().StartsWith('―') || at.After.TrimStart().StartsWith('—'))
            {
                var match = AfterSubjectFirst().Match(at.After);
                if (!match.Success)
                {
                    match = AfterVerbFirst().Match(at.After);
                }

                if (!match.Success)
                {
                    match = AfterDash().Match(at.After);
                }

                if (!match.Success)
                {
                    match = Reporting(AfterNameMoreVerbs(), at.After);
                }

                if (!match.Success)
                {
                    match = Reporting(MoreVerbsFirst(), at.After);
                }

                if (!match.Success)
                {
                    match = AfterDocument().Match(at.After);
                }

                if (!match.Success)
                {
                    match = AccordingToAfter().Match(at.After);
                }

                if (match.Success && ResolveSpeaker(match.Groups["who"], at.Quotation.CloseEnd, previous) is { } speaker)
                {
                    var kind = IsInsideIndirectSpeech(at.Before) || WithinASentence(at.Before, at.Content, at.StartsSentence, afterComma: false) ? QuoteKind.Partial : QuoteKind.Direct;
                    return at.SaidBy(kind, speaker);
                }
            }

            return null;
        }

        /// <summary>2. Introduced before the quote: X said: “…” / He told Arab News: “…” / according to X, “…” / X said that “…”.</summary>
        private ExtractedQuote? IntroducedBefore(Surroundings at)
        {
            // 2. Before the quote: X said: “…” / He told Arab News: “…” / according to X, “…” / X said that “…”.
            var beforeMatch = BeforeQuote().Match(at.Before);
            if (beforeMatch.Success && NameParts.EndsInFunctionWord(beforeMatch.Groups["who"].Value))
            {
                beforeMatch = Match.Empty; // "Trump swiped at Ryan in a series of tweets:" is not said by "a series of"
            }

            var accordingTo = false;
            if (!beforeMatch.Success)
            {
                beforeMatch = Reporting(BeforeQuoteMoreVerbs(), at.Before);
            }

            if (!beforeMatch.Success)
            {
                beforeMatch = Reporting(RelativeClauseBefore(), at.Before);
            }

            if (!beforeMatch.Success)
            {
                // "The host reiterated, “…”": a description opens the sentence, with any verb of the lexicon.
                beforeMatch = Reporting(DescribedBefore(), at.Before);
            }

            if (!beforeMatch.Success)
            {
                // "The senator returned to the stage and declared, “…”": the subject stands a clause earlier.
                beforeMatch = Reporting(CoordinatedBefore(), at.Before);
            }

            if (!beforeMatch.Success)
            {
                beforeMatch = ListItemBefore().Match(at.Before);
            }

            // "… the candidate Mitt Romney -- ''It is disqualifying …'' -- and …": the quote set off by dashes after a name.
            if (!beforeMatch.Success && DashAfter().IsMatch(at.After))
            {
                beforeMatch = DashBefore().Match(at.Before);
            }

            if (!beforeMatch.Success)
            {
                beforeMatch = VerbFirstBefore().Match(at.Before);
            }

            if (!beforeMatch.Success)
            {
                beforeMatch = AccordingTo().Match(at.Before);
                accordingTo = beforeMatch.Success;
            }

            if (beforeMatch.Success && (_people.Resolve(beforeMatch.Groups["who"], at.BeforeStart, requirePerson: beforeMatch.Groups["sep"].Value.Length == 0
                && !(QuotedRightAfterVerb(at.Before, at.Content) && !ArticleLed().IsMatch(beforeMatch.Groups["who"].Value))) ?? NameEnding(beforeMatch.Groups["who"], at.BeforeStart)) is { } introduced)
            {
                var sep = beforeMatch.Groups["sep"].Value;
                // "“A,” Mr. Obama said, “is that …”": the second part of an interrupted quotation may open in lower case.
                // "According to X, “the shelling …”" introduces the quote as a whole, whatever its first letter.
                var mayOpenLower = accordingTo || (at.Index > 0 && at.BeforeStart == _quotations[at.Index - 1].CloseEnd && !SentenceEnds().IsMatch(at.Before));
                var kind = (sep is ":" || (sep is "," or "" && at.Words >= 3)) && !WithinASentence(at.Before, at.Content, at.StartsSentence, afterComma: !mayOpenLower) && !at.SentenceGoesOn
                    ? QuoteKind.Direct
                    : QuoteKind.Partial;
                return at.SaidBy(kind, introduced);
            }

            return null;
        }

        /// <summary>The introduction closes the paragraph before: "Caddell continued:".</summary>
        private ExtractedQuote? IntroducedByParagraphBefore(Surroundings at)
        {
            // The introduction closes the paragraph before: "Caddell continued:" / "The New York Times reports:".
            if (at.Quotation.Open == at.Paragraph.Start && at.Quotation.Paragraph > 0)
            {
                var previousParagraph = _paragraphs[at.Quotation.Paragraph - 1];
                var lead = text[previousParagraph.Start..previousParagraph.End];
                var colon = BeforeQuote().Match(lead);
                if (colon.Success && colon.Groups["sep"].Value == ":" && !_quotations.Any(q => q.CloseEnd > previousParagraph.End - 1 && q.Open < previousParagraph.End && q.CloseEnd >= previousParagraph.Start + colon.Index)
                    && _people.Resolve(colon.Groups["who"], previousParagraph.Start) is { } heading)
                {
                    return at.SaidBy(QuoteKind.Direct, heading);
                }
            }

            return null;
        }

        /// <summary>"…, saying, “…”": the speaker is the sentence's subject, the name before the participle, or the speaker of the quote the sentence began with.</summary>
        private ExtractedQuote? SaidWhileDoing(Surroundings at, ExtractedQuote? previous)
        {
            // "…, saying, “…”" / "…, adding later, “…”": the speaker is the sentence's subject.
            if (ParticipleBefore().IsMatch(at.Before))
            {
                // "arguing that he will bring a “common-sense” approach": a phrase in the writer's sentence is partial.
                var participleKind = WithinASentence(at.Before, at.Content, at.StartsSentence, afterComma: true) ? QuoteKind.Partial : QuoteKind.Direct;
                // "footage of Hillary Clinton asking, “…”": the name right before the participle.
                var named = NameBeforeParticiple().Match(at.Before);
                if (named.Success && _people.Resolve(named.Groups["who"], at.BeforeStart, requirePerson: true) is { } participant)
                {
                    return at.SaidBy(participleKind, participant);
                }

                var opener = SentenceOpener().Match(text[at.SentenceStart..at.Quotation.Open]);
                if (opener.Success && _people.Resolve(opener.Groups["who"], at.SentenceStart, requirePerson: true) is { } subjectSpeaker)
                {
                    return at.SaidBy(participleKind, subjectSpeaker);
                }

                // "“…,” Trump said, adding later, “…”": the speaker of the quote this sentence began with.
                if (previous is not null && previous.Span.End > at.SentenceStart && previous.Span.End <= at.Quotation.Open)
                {
                    return at.Continuing(previous, participleKind);
                }
            }

            return null;
        }

        /// <summary>3. The same speaker going on: the sentence interrupted by an attribution, or a quote standing alone after one of theirs.</summary>
        private ExtractedQuote? Continued(Surroundings at, ExtractedQuote? previous)
        {
            // 3a. "“Every time you say that,” Tester said, referring to …, “you give …”": the same sentence goes on.
            if (at.Content.Length > 0 && char.IsLower(at.Content.TrimStart()[0]) && previous is not null && at.Index > 0
                && _quotations[at.Index - 1].LastParagraph == at.Quotation.Paragraph && at.Quotation.Open - _quotations[at.Index - 1].CloseEnd < 200
                && previous.Span.Start == _quotations[at.Index - 1].Content.Start
                && text[_quotations[at.Index - 1].CloseEnd..at.Quotation.Open].TrimEnd().EndsWith(',')
                && !SentenceEnds().IsMatch(text[_quotations[at.Index - 1].CloseEnd..at.Quotation.Open]))
            {
                return at.Continuing(previous);
            }

            // 3. A quote standing alone right after a quote of the same speaker continues it — as a direct quote, even
            // after a partial one: "… “that loop-hole,” she said. “We have no context …”"
            if (at.StartsSentence && previous is not null && Continues(previous, at.Quotation, out var sameParagraph) && (sameParagraph || at.Words >= 4))
            {
                return at.Continuing(previous, at.SentenceGoesOn ? QuoteKind.Partial : QuoteKind.Direct);
            }

            return null;
        }

        /// <summary>4. A quoted phrase inside someone's paraphrase, or a sentence that ends with who said it.</summary>
        private ExtractedQuote? WithinParaphrase(Surroundings at)
        {
            // 4. A quoted phrase inside someone's paraphrase: Kerim Has … said … Turkey’s “peaceful silence.”
            var sentenceEnd = SentenceEndAfter(at.LastParagraph, at.Quotation.CloseEnd);
            var sentenceBefore = text[at.SentenceStart..at.Quotation.Open];
            var subject = SentenceSubject().Match(sentenceBefore);
            if (subject.Success && _people.Resolve(subject.Groups["who"], at.SentenceStart, requirePerson: true) is { } paraphrased)
            {
                return at.SaidBy(QuoteKind.Partial, paraphrased);
            }

            var trailing = SentenceEndsWithAttribution(text[at.Quotation.CloseEnd..sentenceEnd]);
            if (trailing.Success && _people.Resolve(trailing.Groups["who"], at.Quotation.CloseEnd) is { } later)
            {
                return at.SaidBy(QuoteKind.Partial, later);
            }

            return null;
        }

        /// <summary>"In a Bloomberg interview Trump declared": the person the phrase ends in, when the phrase itself names no one.</summary>
        private (Speaker Speaker, TextSpan Mention)? NameEnding(Group who, int offset)
        {
            var name = TrailingName().Match(who.Value).Groups["name"];
            return name.Success ? _people.Resolve(name.Value, offset + who.Index + name.Index, requirePerson: true) : null;
        }

        /// <summary>
        /// The speaker an attribution names; "it" ("“…,” it added") is the document or body quoted just before, never a person.
        /// </summary>
        private (Speaker Speaker, TextSpan Mention)? ResolveSpeaker(Group who, int offset, ExtractedQuote? previous)
        {
            if (who.Value is not ("it" or "It"))
            {
                return _people.Resolve(who, offset);
            }

            return previous is not null && !_people.IsPerson(previous.Speaker.Name) && offset - previous.Span.End < 600
                ? (previous.Speaker, new TextSpan(offset + who.Index, who.Length))
                : null;
        }

        /// <summary>
        /// A quotation woven into the writer's own sentence — "to “go to your place and vote”", "Oz is “smart as hell,”",
        /// "officers who, ''in fits and starts, …''" — is a partial quote: only a quotation that opens a sentence, follows
        /// a colon or a dash, follows a comma with a capital, or follows the reporting verb itself ("said “We …”") is direct.
        /// </summary>
        /// <param name="afterComma">Whether a comma before a quotation in lower case makes it partial ("officers who, ''in fits and starts''").</param>
        private static bool WithinASentence(string before, string content, bool startsSentence, bool afterComma)
        {
            if (startsSentence)
            {
                return false;
            }

            var lead = before.TrimEnd();
            var first = content.TrimStart().FirstOrDefault(c => !char.IsPunctuation(c));
            var capital = char.IsUpper(first) || char.IsDigit(first);
            if (lead.Length == 0)
            {
                return false;
            }

            return lead[^1] switch
            {
                ':' or '—' or '―' or '–' => false,
                ',' => afterComma && !capital,
                _ when char.IsLetterOrDigit(lead[^1]) || lead[^1] is '’' or '\'' => !(capital && EndsWithSpeechVerb(lead)),
                _ => false,
            };
        }

        /// <summary>"Trump declared “I think …”": the quotation follows the reporting verb itself and opens with a capital.</summary>
        private static bool QuotedRightAfterVerb(string before, string content)
        {
            var first = content.TrimStart().FirstOrDefault(c => !char.IsPunctuation(c));
            return char.IsUpper(first) && EndsWithSpeechVerb(before.TrimEnd());
        }

        private static bool EndsWithSpeechVerb(string lead)
        {
            var space = lead.LastIndexOf(' ');
            if (NameParts.SpeechVerbWords.Contains(lead[(space + 1)..]))
            {
                return true;
            }

            // "Lee told reporters “…”", "she told the crowd “…”": the verb, then only whom it was said to.
            var audience = Audience().Match(lead);
            return audience.Success && NameParts.SpeechVerbWords.Contains(audience.Groups["verb"].Value);
        }

        /// <summary>True when <paramref name="previous"/> ends in this paragraph or the one before, with nothing but white space or its own attribution between.</summary>
        private bool Continues(ExtractedQuote previous, Quotation quotation, out bool sameParagraph)
        {
            var previousParagraph = _paragraphs.FindIndex(p => p.Start <= previous.Span.End && previous.Span.End <= p.End);
            sameParagraph = previousParagraph == quotation.Paragraph;
            return quotation.Paragraph - previousParagraph is 0 or 1 && previous.Span.End < quotation.Open;
        }

        private IEnumerable<ExtractedQuote> Paraphrases()
        {
            foreach (var paragraph in _paragraphs)
            {
                foreach (var sentence in SentenceSplitter.Split(text, paragraph.Start, paragraph.End))
                {
                    if (_quotations.Any(q => q.Open < sentence.End && q.CloseEnd > sentence.Start))
                    {
                        continue;
                    }

                    if (!NameParts.HasSpeechVerb(text.AsSpan(sentence.Start, sentence.Length)))
                    {
                        continue;
                    }

                    var s = text.Substring(sentence.Start, sentence.Length);
                    var match = ParaphraseLead().Match(s);
                    var offset = sentence.Start;
                    if (!match.Success)
                    {
                        match = SentenceEndsWithAttribution(s);
                    }

                    if (match.Success && _people.Resolve(match.Groups["who"], offset, requirePerson: true) is { } speaker)
                    {
                        yield return new ExtractedQuote(QuoteKind.Paraphrase, sentence, s, speaker.Speaker, speaker.Mention);
                    }
                }
            }
        }

        private int SentenceStartBefore(TextSpan paragraph, int position)
        {
            var start = paragraph.Start;
            foreach (var sentence in SentenceSplitter.Split(text, paragraph.Start, paragraph.End))
            {
                if (sentence.Start <= position)
                {
                    start = sentence.Start;
                }
            }

            return start;
        }

        private int SentenceEndAfter(TextSpan paragraph, int position)
        {
            foreach (var sentence in SentenceSplitter.Split(text, paragraph.Start, paragraph.End))
            {
                if (sentence.End >= position)
                {
                    return sentence.End;
                }
            }

            return paragraph.End;
        }

        private static bool StartsLower(string after)
        {
            var trimmed = after.TrimStart();
            return trimmed.Length > 0 && char.IsLower(trimmed[0]);
        }

        private static bool IsInsideIndirectSpeech(string before) => IndirectLead().IsMatch(before);

        private static bool IsTitle(string[] words)
        {
            if (words.Length is < 2 or > 6)
            {
                return false;
            }

            var small = new HashSet<string>(StringComparer.Ordinal) { "of", "the", "a", "an", "and", "is", "to", "in", "on", "for", "with", "at", "or" };
            return words.All(w => small.Contains(w) || (w.Length > 0 && char.IsUpper(w[0]))) && char.IsUpper(words[0][0])
                && words.Count(w => char.IsUpper(w[0])) >= 2;
        }
    }

    /// <summary>
    /// The leftmost match of <paramref name="pattern"/> whose verb (with its particle: "chimed in", "swiped at") the
    /// lexicon knows; patterns with a word where the verb goes stay small however large the lexicon grows.
    /// </summary>
    private static Match Reporting(Regex pattern, string text)
    {
        for (var match = pattern.Match(text); match.Success; match = match.Index + 1 < text.Length ? pattern.Match(text, match.Index + 1) : Match.Empty)
        {
            var verb = match.Groups["verb"].Value;
            var particle = match.Groups["particle"];
            if (ReportingVerbs.Reports(verb) || (particle.Success && ReportingVerbs.Reports($"{verb} {particle.Value}")))
            {
                return match;
            }
        }

        return Match.Empty;
    }

    private const string Pronoun = @"(?:he|she|they|He|She|They)";
    internal const string NameToken = @"(?:(?:Mr|Mrs|Ms|Dr|Jr|Sr|St|Gen|Lt|Col|Sen|Rep|Gov|Prof|Rev|Capt|Sgt|Maj|Adm|Brig|Cmdr)\.|(?:[A-Z]\.){1,3}|[A-Z][\p{Ll}\p{Lu}'’\-]*)";
    internal const string Name = NameToken + @"(?:\s+(?:(?:al|el|bin|ibn|de|van|von|da|di|du|la|le|der|abu|bint)[\s\-])?" + NameToken + @")*";

    // "White House press secretary Josh Earnest", "Tulsa police Chief Chuck Jordan".
    private const string TitledName = @"(?:[A-Z][\w.’'\-]*\s+){0,4}(?:[a-z0-9][\w\-/]*\s+){1,3}" + Name;
    private const string Nominal = @"(?:\b(?:the|a|an|one|The|A|An|One)\s+(?:[A-Z][\w\-’']*\s+){0,3}[a-z0-9][\w\-’']*|\b(?:my|our|his|her|their|My|Our|His|Her|Their)\s+[a-z][\w\-’']*|[A-Z][\w\-]*(?:’s|'s)\s+[a-z][\w\-’']*)(?:\s+[\w\-’']+){0,5}?";
    private const string Party = @"(?:\s*\([^)\n]{1,30}\))?";
    private const string Who = "(?<who>" + Pronoun + "|" + Nominal + "|" + TitledName + "|" + Name + ")" + Party;
    private const string Adverbs = @"(?:(?:" + NameParts.AdverbWords + @"|had|has|have|would|will|\p{Ll}+ly)\s+){0,2}";
    private const string Verb = "(?<verb>" + ReportingVerbs.AroundQuotes + ")";
    private const string Appositive = @"(?:,\s*[^,“”""\n]+,)?";
    private const string Participle = @"(?:adding|saying|asking|writing|noting|explaining|insisting|arguing|warning|declaring|telling\s+\w+|" +
        @"chanting|singing|tweeting|asserting|joking|shouting|yelling|claiming|stating|replying|responding|recalling|continuing|" +
        @"concluding|announcing|pointing\s+out|quipping|conceding|observing|remarking|typing|posting|texting|promising|vowing|urging|" +
        @"asking\s+\w+|telling\s+\w+\s+\w+|crying|exclaiming|wondering|repeating|reiterating)";

    // "“…,” Mr. Morgan of the Sierra Club said." / "“…,” Scott Pruitt, the attorney general of Oklahoma, one of the states suing, said".
    [GeneratedRegex(@"^\s*[,—–-]?\s*" + Who + @"(?:\s+of\s+(?:the\s+)?[A-Z][\w’'\-]*(?:\s+[A-Z][\w’'\-]*){0,3})?(?:(?:,\s*[^,“”""\n]+){1,2},)?\s+" + Adverbs + Verb + @"\b", RegexOptions.NonBacktracking)]
    private static partial Regex AfterSubjectFirst();

    [GeneratedRegex(@"^\s*[,—–-]?\s*" + Verb + @"\s+(?<who>" + Pronoun + @"|the\s+" + Name + @"|(?:the|a|an|one)\s+[^,.;:“”""\n]{1,60}?|" + TitledName + "|" + Name + @")" + Party + @"(?:\s*(?:[,.;:!?]|$)|\s+(?:on|in|at|during|after|before|in\s+a|to)\b)", RegexOptions.NonBacktracking)]
    private static partial Regex AfterVerbFirst();

    // "” ― Pamela Padilla": the byline form of a vox pop.
    [GeneratedRegex(@"^\s*[―—–]+\s*(?<who>" + Name + @")\s*[.,]?\s*$", RegexOptions.NonBacktracking)]
    private static partial Regex AfterDash();

    [GeneratedRegex(Who + Appositive + @"\s+" + Adverbs + Verb + @"(?:\s+(?:[A-Z][\w’'.\-]*(?:\s+[A-Z][\w’'.\-]*){0,4}|reporters|journalists|lawmakers|supporters|me|us|him|her|them|(?:his|her|their|its)\s+[\w\-]+(?:\s+[\w\-]+){0,4}?|of\s+[A-Z][\w’'\-]*(?:\s+[A-Z][\w’'\-]*)?|the\s+[\w\-]+(?:\s+[\w\-]+){0,3}?|an?\s+[\w\-]+(?:\s+[\w\-]+){0,3}?))?(?:\s+(?:on|in|at|during|after|before|late|early)\s+[^:“”""\n]+?)?\s*(?<sep>:|,|\bthat\b)?\s*$", RegexOptions.NonBacktracking)]
    private static partial Regex BeforeQuote();

    // A word where the verb goes, checked against the lexicon by Reporting(); a particle may follow ("chimed in").
    private const string Lexical = @"(?<verb>\p{Ll}[\p{Ll}\-]*)(?:\s+(?<particle>in|up|out|on|at|back|aloud|off|aim))?";
    private const string FewAdverbs = @"(?:(?:\p{Ll}+ly|then|also|later|further|again|often|now|still|even|just|once)\s+){0,2}";

    // "…,” Trump interjected." / "…,” fumed Ryan." / "Trump declared on Twitter: “…”": the rarer verbs, right by a name or a pronoun.
    [GeneratedRegex(@"^\s*[,—–-]?\s*(?<who>" + Pronoun + "|" + Name + @")\s+" + FewAdverbs + Lexical + @"\b", RegexOptions.NonBacktracking)]
    private static partial Regex AfterNameMoreVerbs();

    [GeneratedRegex(@"^\s*[,—–-]?\s*" + Lexical + @"\s+(?<who>" + Pronoun + "|" + Name + @")\s*(?:[,.;:!?]|$)", RegexOptions.NonBacktracking)]
    private static partial Regex MoreVerbsFirst();

    // "Trump swiped at Ryan in a series of tweets: “…”".
    [GeneratedRegex(@"\b(?<who>" + Pronoun + "|" + Name + @")\s+" + FewAdverbs + Lexical + @"(?:\s+[\w’'\-]+){0,7}?\s*(?<sep>:|,)\s*$", RegexOptions.NonBacktracking)]
    private static partial Regex BeforeQuoteMoreVerbs();

    [GeneratedRegex(@"(?:^\s*|[.!?][""”’']?\s+)(?<who>" + Pronoun + "|" + Nominal + "|" + TitledName + "|" + Name + @")" + Party + @"\s+[^.;:!?“”""\n]{1,100}?\s+and\s+(?:then\s+)?" + FewAdverbs + Lexical + @"(?:\s+[\w’'\-]+){0,3}?\s*(?<sep>:|,)\s*$", RegexOptions.NonBacktracking)]
    private static partial Regex CoordinatedBefore();

    [GeneratedRegex(@"(?:^\s*|[.!?][""”’']?\s+)(?<who>" + Nominal + @")\s+" + FewAdverbs + Lexical + @"(?:\s+[\w’'\-]+){0,7}?\s*(?<sep>:|,)\s*$", RegexOptions.NonBacktracking)]
    private static partial Regex DescribedBefore();

    // "Stevie Wonder, who joked of the museum, “…”".
    [GeneratedRegex(@"\b(?<who>" + Name + @"),\s+who\s+" + FewAdverbs + Lexical + @"(?:\s+[\w’'\-]+){0,5}?\s*(?<sep>:|,)\s*$", RegexOptions.NonBacktracking)]
    private static partial Regex RelativeClauseBefore();

    // "Meghan McCain, Twitter: “…”": a list of reactions, each a name, where it was said, and a colon.
    [GeneratedRegex(@"(?:^\s*|[.!?][""”’']?\s+)(?<who>[A-Z][\p{L}'’\-]+(?:\s+[A-Z][\p{L}'’.\-]*){1,3}),\s*[A-Z][\w.’'\-]*(?:\s+[A-Z][\w.’'\-]*){0,3}\s*(?<sep>:)\s*$", RegexOptions.NonBacktracking)]
    private static partial Regex ListItemBefore();

    [GeneratedRegex(@"\b(?<who>" + Name + @")\s*(?:--|—|–)\s*$", RegexOptions.NonBacktracking)]
    private static partial Regex DashBefore();

    [GeneratedRegex(@"^\s*(?:--|—|–)", RegexOptions.NonBacktracking)]
    private static partial Regex DashAfter();

    // "“…,” the letter reads." / "“…,” it added.": a document, or the body quoted just before, as the speaker.
    [GeneratedRegex(@"^\s*[,—–-]?\s*(?<who>it|It|(?:the|its|his|her|their|The)\s+(?:[\w\-]+\s+){0,2}(?:article|letter|statement|report|post|tweet|sign|message|note|headline|email|ad|advertisement|release|memo|text|caption|banner|placard|petition|document|order|ruling|complaint|filing|lawsuit|indictment|resolution|editorial|column|survey|book|transcript|video|website|site|page|leaflet|flyer|poster|slogan|notice|bulletin|communique|communiqué|decision|judgment|verdict|motion|brief|proposal|bill|amendment|draft|agreement|declaration))\s+(?:(?:\p{Ll}+ly|also|further|then|later)\s+){0,2}(?<verb>read|reads|said|says|stated|states|added|adds|wrote|writes|noted|notes|continued|continues|concluded|concludes|declared|declares|warned|warns|went\s+on|goes\s+on)\b", RegexOptions.NonBacktracking)]
    private static partial Regex AfterDocument();

    // "“It is illegal …,” according to the Equal Employment Opportunity Commission.".
    [GeneratedRegex(@"^\s*[,—–-]?\s*according\s+to\s+" + Who + Appositive + @"\s*(?:[.,;:!?]|$)", RegexOptions.NonBacktracking)]
    private static partial Regex AccordingToAfter();

    [GeneratedRegex(@"\b(?<verb>told|asked|assured|reminded|warned|informed|urged)\s+(?:reporters|journalists|supporters|lawmakers|me|us|him|her|them|(?:the|a|an|his|her|their)\s+[\w\-]+|[A-Z][\w.’'\-]*(?:\s+[A-Z][\w.’'\-]*){0,2})$", RegexOptions.NonBacktracking)]
    private static partial Regex Audience();

    [GeneratedRegex(@"^\s*" + Participle + @"\b", RegexOptions.NonBacktracking)]
    private static partial Regex ParticipleAfter();

    [GeneratedRegex(@"\b[Aa]ccording to\s+" + Who + Appositive + @"\s*(?<sep>,|:)?\s*$", RegexOptions.NonBacktracking)]
    private static partial Regex AccordingTo();

    [GeneratedRegex(Participle + @"(?:\s+\w+){0,5}\s*[:,]?\s*$", RegexOptions.NonBacktracking)]
    private static partial Regex ParticipleBefore();

    [GeneratedRegex(@"(?<who>" + Name + @")\s+" + Participle + @"(?:\s+\w+){0,5}\s*[:,]?\s*$", RegexOptions.NonBacktracking)]
    private static partial Regex NameBeforeParticiple();

    // "Said Ellis: “…”": the verb first, at the start of a sentence.
    [GeneratedRegex(@"(?:^|[.!?][""”’']?\s+)(?:Said|Says|Added|Adds|Wrote|Writes|Asked|Explained|Noted|Replied|Continued)\s+(?<who>" + Name + @")\s*(?<sep>:|,)\s*$", RegexOptions.NonBacktracking)]
    private static partial Regex VerbFirstBefore();

    [GeneratedRegex(@"^(?:[^,“”""]*,\s*)?(?<who>" + Pronoun + "|" + Name + @")\b", RegexOptions.NonBacktracking)]
    private static partial Regex SentenceOpener();

    [GeneratedRegex(@"\s\p{Ll}+\s+(?<name>" + Name + ")$", RegexOptions.NonBacktracking)]
    private static partial Regex TrailingName();

    [GeneratedRegex(@"^(?:the|a|an|The|A|An)\s", RegexOptions.NonBacktracking)]
    private static partial Regex ArticleLed();

    // The end of a sentence, not of an abbreviation ("Mr. Obama said,").
    [GeneratedRegex(@"\p{Ll}{3,}[.!?][""”’']?\s", RegexOptions.NonBacktracking)]
    private static partial Regex SentenceEnds();

    [GeneratedRegex(@"\b(?:" + ReportingVerbs.AroundQuotes + @")(?:\s+\w+){0,6}?\s+that\s+[^.]*$|\b(?:" + ReportingVerbs.AroundQuotes + @")\s+(?:it\s+)?(?:was|is|were|are|would|will)\b[^.]*$", RegexOptions.NonBacktracking)]
    private static partial Regex IndirectLead();

    // The subject of a reporting sentence that carries a quoted phrase: "Kerim Has, a lecturer …, said Russia’s …".
    [GeneratedRegex(@"^(?:[^,“”""]*,\s*)?" + Who + Appositive + @"\s+" + Adverbs + Verb + @"\b", RegexOptions.NonBacktracking)]
    private static partial Regex SentenceSubject();

    [GeneratedRegex(@"^" + Who + Appositive + @"\s+" + Adverbs + Verb + @"\b", RegexOptions.NonBacktracking)]
    private static partial Regex ParaphraseLead();

    /// <summary>"…, X said." or "…, said X." closing a sentence: the earlier of the two forms.</summary>
    private static Match SentenceEndsWithAttribution(string sentence)
    {
        var subjectFirst = TrailingSubjectFirst().Match(sentence);
        var verbFirst = TrailingVerbFirst().Match(sentence);
        return !verbFirst.Success || (subjectFirst.Success && subjectFirst.Index <= verbFirst.Index) ? subjectFirst : verbFirst;
    }

    // Two patterns rather than one alternation: each stays under the non-backtracking engine's automaton size limit.
    private const string TrailingEnd = @"(?:\s+[^,.]{0,60})?[.!?]?[”""]?\s*$";

    [GeneratedRegex(@",\s*" + Who + @"\s+" + Adverbs + Verb + TrailingEnd, RegexOptions.NonBacktracking)]
    private static partial Regex TrailingSubjectFirst();

    [GeneratedRegex(@",\s*" + Verb + @"\s+" + Who + TrailingEnd, RegexOptions.NonBacktracking)]
    private static partial Regex TrailingVerbFirst();
}
