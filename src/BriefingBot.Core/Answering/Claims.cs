using System.Globalization;
using System.Text.RegularExpressions;
using BriefingBot.Core.Articles;
using BriefingBot.Core.Text;

namespace BriefingBot.Core.Answering;

/// <summary>Whether a source holds an actor responsible or reports the actor denying it.</summary>
public enum ClaimStance
{
    Blames,
    Denies,
}

/// <summary>
/// One source's account of who did it: "the Syrian government", as the United States said in an article of 5 April,
/// or the Syrian government denying it; cited by <paramref name="N"/>.
/// </summary>
/// <param name="Actor">The party held responsible, or denying ("the Syrian government", "Russia", "rebels").</param>
/// <param name="ClaimedBy">Who the sentence says holds the actor responsible ("The United States"), when it says.</param>
/// <param name="Span">Where the sentence that says it stands in the article.</param>
public sealed record Claim(int N, Article Article, string Actor, ClaimStance Stance, string? ClaimedBy, DateTimeOffset? Date, TextSpan Span)
{
    /// <summary>The sentence that says it, verbatim.</summary>
    public string Sentence => Article.Slice(Span);

    /// <summary>"the Syrian government — according to the United States (nna, 5 Apr 2017)" / "the Syrian government denies it (trt, 4 Apr 2017)".</summary>
    public string Label
    {
        get
        {
            var where = string.Join(", ", new[] { Article.Outlet, Date?.ToString("d MMM yyyy", CultureInfo.InvariantCulture) }.Where(s => !string.IsNullOrEmpty(s)));
            var said = where.Length == 0 ? string.Empty : $" ({where})";
            return Stance == ClaimStance.Denies
                ? $"{Actor} denies it{said}"
                : ClaimedBy is null ? $"{Actor} — as the article puts it{said}" : $"{Actor} — according to {ClaimedBy}{said}";
        }
    }
}

/// <summary>
/// Reads who a sentence holds responsible for an attack, and who it says holds them so: "Washington accuses the regime
/// of killing …", "… carried out by Russian jets", "Damascus denied responsibility and blamed rebels". Parties are named
/// as a reader of the crisis knows them, whatever the outlet's word ("the regime", "Assad's forces", "Damascus"): the
/// crisis profile's parties (<see cref="Crisis.CrisisProfile.Parties"/>).
/// </summary>
public static partial class Claims
{
    /// <summary>True when <paramref name="question"/> asks who did something or who is to blame.</summary>
    public static bool AsksWhoDidIt(string question) => WhoDidIt().IsMatch(question);

    /// <summary>
    /// The claims <paramref name="sentence"/> makes: each party it holds responsible and each party it reports
    /// denying, with who holds them responsible when it says. Empty when it makes none.
    /// </summary>
    public static IReadOnlyList<(string Actor, ClaimStance Stance, string? ClaimedBy)> In(string sentence)
    {
        var result = new List<(string, ClaimStance, string?)>();
        foreach (var pattern in new[] { BlamedParty(), CarriedOutBy(), PartyStruck(), PartyResponsible(), RebelDepot() })
        {
            foreach (Match match in pattern.Matches(sentence))
            {
                foreach (var party in PartiesIn(match.Groups["actor"].Value))
                {
                    // "Damascus denied responsibility and blamed rebels": the one blaming is the one denying, found below.
                    var by = match.Groups["by"].Success && !Denial().IsMatch(match.Groups["by"].Value)
                        ? Tidy(match.Groups["by"].Value)
                        : match.Groups["by"].Success ? null : Figures.AttributionIn(sentence) ?? SaidFirst(sentence);
                    // "Russia has said it believes …" names no one but the speaker; a party never blames itself here.
                    if (by is not null && PartiesIn(by).Contains(party))
                    {
                        continue;
                    }

                    if (!result.Any(r => r.Item1 == party && r.Item2 == ClaimStance.Blames))
                    {
                        result.Add((party, ClaimStance.Blames, by));
                    }
                }
            }
        }

        foreach (Match match in PartyDenied().Matches(sentence))
        {
            foreach (var party in PartiesIn(match.Groups["actor"].Value).Take(1))
            {
                if (!result.Any(r => r.Item1 == party && r.Item2 == ClaimStance.Denies))
                {
                    result.Add((party, ClaimStance.Denies, null));
                }
            }
        }

        // "Damascus denied responsibility and blamed rebels": the one denying is the one blaming.
        var denier = result.FirstOrDefault(r => r.Item2 == ClaimStance.Denies).Item1;
        return denier is null
            ? result
            : result.Select(r => r.Item2 == ClaimStance.Blames && r.Item3 is null && r.Item1 != denier ? (r.Item1, r.Item2, denier) : r).ToList();
    }

    /// <summary>
    /// The claims of the sentences given, when they disagree — two parties held responsible, or a party held
    /// responsible that denies it: one per article, party and stance, in the order given (oldest first), not yet
    /// numbered (<see cref="Claim.N"/> is 0). Empty when the sentences agree or make no claim.
    /// </summary>
    /// <param name="about">Whether a sentence that makes a claim is about what was asked; asked only of those that make one.</param>
    public static IReadOnlyList<Claim> Differing(IEnumerable<(Article Article, TextSpan Span)> sentences, Func<Article, TextSpan, bool> about)
    {
        var claims = new List<Claim>();
        foreach (var (article, span) in sentences)
        {
            var made = In(article.Slice(span));
            if (made.Count == 0 || !about(article, span))
            {
                continue;
            }

            foreach (var (actor, stance, by) in made)
            {
                if (!claims.Any(c => c.Actor == actor && c.Stance == stance && (c.Article.Id == article.Id || c.ClaimedBy == by)))
                {
                    claims.Add(new Claim(0, article, actor, stance, by, article.PublishedAt, span));
                }
            }
        }

        var blamed = claims.Where(c => c.Stance == ClaimStance.Blames).Select(c => c.Actor).Distinct().ToList();
        var denied = claims.Where(c => c.Stance == ClaimStance.Denies && blamed.Contains(c.Actor)).ToList();
        if (blamed.Count < 2 && denied.Count == 0)
        {
            return [];
        }

        // A denial by a party nobody here holds responsible says nothing about this event.
        return claims.Where(c => c.Stance == ClaimStance.Blames || blamed.Contains(c.Actor)).Take(8).ToList();
    }

    /// <summary>"Who was responsible, by source: the Syrian government — according to … [1]; the Syrian government denies it (…) [3]".</summary>
    public static string Line(IEnumerable<Claim> claims) =>
        "Sources differ on who was responsible: " + string.Join("; ", claims.Select(c => $"{c.Label} [{c.N}]"));

    private static List<string> PartiesIn(string phrase)
    {
        var found = new List<(int At, string Party)>();
        // The parties of the crisis and the words outlets use for each, from its profile.
        foreach (var (party, words) in Crisis.CrisisProfile.Active.PartyPatterns)
        {
            if (words.Match(phrase) is { Success: true } match && !found.Any(f => f.Party == party))
            {
                found.Add((match.Index, party));
            }
        }

        return found.OrderBy(f => f.At).Select(f => f.Party).ToList();
    }

    /// <summary>"The United States has said the deaths were caused by …": the sentence's opening subject, before its verb of saying.</summary>
    private static string? SaidFirst(string sentence)
    {
        var match = OpeningSpeaker().Match(sentence);
        return match.Success ? Tidy(match.Groups["by"].Value) : null;
    }

    /// <summary>"The United States has" → "The United States", "Human Rights Watch on Monday" → "Human Rights Watch"; a pronoun is nobody.</summary>
    private static string? Tidy(string who)
    {
        who = TrailingWords().Replace(who.Trim().TrimEnd(',', '.'), string.Empty);
        return who.Length == 0 || who is "It" or "it" or "They" or "they" or "He" or "he" or "She" or "she" or "We" or "we"
            ? null
            : who.StartsWith("The ", StringComparison.Ordinal) ? "the " + who[4..] : who;
    }

    [GeneratedRegex(@"(?:\s+(?:has|have|had|also|directly|repeatedly|again|later|earlier|previously|in\s+turn|(?:on|last|this)\s+(?:" + Lexicon.WeekdayAlternation + @"|week|month|year)))+$", RegexOptions.NonBacktracking)]
    private static partial Regex TrailingWords();

    private const string ActorPhrase = @"(?<actor>(?:the\s+|a\s+|its\s+)?[\w’'\-]+(?:\s+(?:or\s+|and\s+)?[\w’'\-]+){0,5}?)";

    [GeneratedRegex(@"\bwho\b[^?]*\b(?:behind|responsible|blame[ds]?|carried\s+out|carry\s+out|launched|conducted|attacked|bombed|struck|shelled|fired|dropped|used|committed|perpetrated|did)\b|\bwhich\s+(?:side|party|group|country|forces?)\b[^?]*\b(?:behind|responsible|blame[ds]?|carried|attacked|bombed|used)\b", RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex WhoDidIt();

    // "X blamed/accused Y of/for", "held Y responsible", "pinning the blame on Y", "blamed on Y".
    [GeneratedRegex(@"(?:(?<by>\b[A-Z][\w’'\-]*(?:\s+[\w’'\-]+){0,4}?)\s+(?:has\s+|have\s+|had\s+|also\s+|repeatedly\s+|again\s+|in\s+turn\s+)*)?\b(?:blam(?:ed|es)|accus(?:ed|es)|held|holds)\s+" + ActorPhrase + @"(?:\s+(?:of|for|responsible|over)\b|\s*[.,;]|$)|\b(?:blaming|accusing|holding)\s+" + ActorPhrase + @"(?:\s+(?:of|for|responsible|over)\b|\s*[.,;]|$)|\b(?:blam(?:ed|es|e)(?:\s+(?:the|an|this|that|it)(?:\s+[\w\-]+){0,2})?|pinn(?:ed|ing)\s+the\s+blame)\s+on\s+" + ActorPhrase + @"(?:[.,;]|\s+(?:for|over|saying|and)\b|$)", RegexOptions.NonBacktracking)]
    private static partial Regex BlamedParty();

    // "… carried out by Syrian regime or Russian jets", "dropped by Syrian aircraft", "air strikes by Syrian regime".
    [GeneratedRegex(@"\b(?:carried\s+out|launched|conducted|committed|perpetrated|caused|dropped|fired)\s+(?:either\s+)?by\s+" + ActorPhrase + @"(?:[.,;]|\s+(?:on|in|at|which|that|killed|targeting|against)\b|$)|\b(?:air\s*strikes?|strikes?|raids?|attacks?|bombing|shelling|bombardment)\s+by\s+" + ActorPhrase + @"(?:[.,;]|\s+(?:on|in|at|which|that|killed|targeting|against)\b|$)", RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex CarriedOutBy();

    // "Russian warplanes struck …", "government forces shelled …".
    [GeneratedRegex(@"(?<actor>\b[\w’'\-]+(?:\s+[\w’'\-]+){0,2})\s+(?:warplanes|jets|war\s+jets|aircraft|planes|helicopters|forces|troops|artillery|army|air\s+force|air\s*strikes?|strikes?|raids?)\s+(?:had\s+|have\s+|has\s+)?(?:struck|bombed|shelled|pounded|attacked|hit|targeted|dropped|fired|carried\s+out|launched|used)\b", RegexOptions.NonBacktracking)]
    private static partial Regex PartyStruck();

    // "the regime was behind …", "the regime was responsible for", "Y bears primary responsibility".
    [GeneratedRegex(@"(?<actor>\b[\w’'\-]+(?:\s+[\w’'\-]+){0,3})\s+(?:was|were|is|are|had\s+been|has\s+been)\s+(?:\w+\s+)?(?:responsible|behind|to\s+blame)\b|(?<actor>\b[\w’'\-]+(?:\s+[\w’'\-]+){0,3})\s+bears?\s+(?:\w+\s+)?responsibility\b", RegexOptions.NonBacktracking)]
    private static partial Regex PartyResponsible();

    // "Damascus denied responsibility", "Russia has categorically denied any involvement", "the regime which denied any responsibility".
    [GeneratedRegex(@"(?<actor>\b[\w’'\-]+(?:\s+[\w’'\-]+){0,3})\s+(?:which\s+|has\s+|have\s+|had\s+|always\s+|repeatedly\s+|strongly\s+|categorically\s+|also\s+)*(?:denied|denies|deny|rejected|rejects)\s+(?:any\s+|the\s+|all\s+)?(?:responsibility|involvement|role|accusations?|allegations?|charges?|using|carrying|that\s+(?:it|its|the)|the\s+use)\b", RegexOptions.NonBacktracking)]
    private static partial Regex PartyDenied();

    // "Russia has said … poison gas had leaked from a rebel chemical weapons depot": the gas was the rebels'.
    [GeneratedRegex(@"\b(?<actor>rebel|opposition|terrorist|militant)s?(?:’|')?\s+(?:chemical\s+)?(?:weapons\s+)?(?:depot|warehouse|arsenal|stockpile|workshop|factory)", RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex RebelDepot();

    [GeneratedRegex(@"\b(?:denied|denies|deny|rejected|rejects)\b", RegexOptions.NonBacktracking)]
    private static partial Regex Denial();

    // The sentence's subject up to its verb of saying: "EU diplomatic chief Federica Mogherini said Tuesday …".
    [GeneratedRegex(@"^(?:\([^)]*\)\s*)?(?<by>[A-Z][\w’'\-]*(?:\s+[\w’'\-]+){0,8}?)\s+(?:has\s+|have\s+|had\s+)?(?:said|says|claimed|claims|alleged|alleges|believes|insisted|insists|stated|told)\b", RegexOptions.NonBacktracking)]
    private static partial Regex OpeningSpeaker();
}
