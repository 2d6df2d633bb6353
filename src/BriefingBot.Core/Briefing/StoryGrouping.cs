using System.Text.RegularExpressions;
using BriefingBot.Core.Answering;
using BriefingBot.Core.Articles;
using BriefingBot.Core.Text;

namespace BriefingBot.Core.Briefing;

/// <summary>
/// Groups a window's articles into stories: each article read as weighted words and the event it reports
/// (<see cref="Document"/>), the words weighed by their rarity around the window (<see cref="Weigh"/>), then joined
/// by their words and by the event they report, never across a contradiction in place or day (<see cref="Group"/>).
/// </summary>
internal static partial class StoryGrouping
{

    /// <summary>Stories more than this apart are different stories however alike their words.</summary>
    internal static readonly TimeSpan StorySpan = TimeSpan.FromDays(3);

    private const int TermsPerArticle = 400;

    /// <summary>A name in at most this share of the background's articles marks an event.</summary>
    private const double RareName = 0.02;

    /// <summary>A name in this share of an outlet's articles (of at least so many) is the outlet's furniture, not news.</summary>
    private const double OutletFurnitureShare = 0.3;

    private const int OutletFurnitureFrom = 5;

    /// <summary>Names are counted before the window when at least this many articles were written before it, in at most so many.</summary>
    private const int MinNameHistory = 50;

    private const int MaxNameHistory = 2000;

    internal static readonly TimeSpan BackgroundSpan = TimeSpan.FromDays(30);

    /// <summary>How far back a name is looked for to tell whether it is new: a town no one wrote of before marks an event.</summary>
    internal static readonly TimeSpan NameHistorySpan = TimeSpan.FromDays(365);

    /// <summary>An article as the grouping sees it: its lead (headline and first sentences) as weighted words.</summary>
    internal sealed class Document
    {
        public required Article Article { get; init; }

        public required DateTimeOffset When { get; init; }

        public required List<TextSpan> Sentences { get; init; }

        public required Dictionary<string, double> Counts { get; init; }

        public Dictionary<string, double> Vector { get; set; } = [];

        /// <summary>The consonant skeletons of the names it uses (spellings of one place meet).</summary>
        public HashSet<string> Names { get; private init; } = [];

        /// <summary>The kind of event its headline and lead report ("chemical", "bombing"…), when they say.</summary>
        public string? Kind => Event.Kind;

        /// <summary>The event it reports: kind, place, day.</summary>
        public required ReportedEvent Event { get; init; }

        /// <summary>Its rare names: the ones the background seldom uses; set by <see cref="Weigh"/>.</summary>
        public HashSet<string> Anchors { get; set; } = [];

        public static Document Of(Article article)
        {
            var sentences = SentenceSplitter.SplitArticle(article.Text);

            // The headline counts twice and the lead once more: they name the event; the body adds its details.
            var lead = string.Join(' ', sentences.Take(3).Select(article.Slice));
            var counts = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var term in Terms.Of($"{article.Title} {article.Title} {lead} {article.Text}"))
            {
                counts[term] = counts.GetValueOrDefault(term) + 1;
            }

            return new Document
            {
                Article = article,
                When = article.ReportedAt,
                Sentences = sentences,
                Counts = counts,
                Names = NamesOf($"{article.Title}. {article.Text}"),
                Event = EventReader.Read(article, sentences),
            };
        }
    }

    /// <summary>TF-IDF over the window's articles, so words every article of the crisis shares ("Idlib") weigh little.</summary>
    /// <param name="background">The articles of the year before the window and of the window, newest first.</param>
    /// <param name="windowStart">Where the window starts: words weigh by the month around it, names by the time before it.</param>
    internal static void Weigh(List<Document> documents, IReadOnlyList<Article> background, DateTimeOffset windowStart, GroupingMemo? memo = null)
    {
        var df = new Dictionary<string, int>(StringComparer.Ordinal);
        var dated = background.Select(a => (Article: a, When: a.ReportedAt)).ToList(); // each date parsed once
        var recent = dated.Where(a => a.When >= windowStart - BackgroundSpan).Select(a => a.Article).ToList();
        static string[] TermsOf(Article a) => Terms.Of($"{a.Title} {a.Text}").Distinct(StringComparer.Ordinal).ToArray();
        foreach (var article in recent)
        {
            foreach (var term in memo is null ? TermsOf(article) : memo.Terms(article, TermsOf))
            {
                df[term] = df.GetValueOrDefault(term) + 1;
            }
        }

        var total = Math.Max(recent.Count, 1);

        // A name the articles before the window seldom used ("Khan Shaykhun" before 4 April 2017, not "Idlib") marks one
        // event — counted before the window, since on the days of the event every article names it. Read on every core.
        // With too little written before the window to tell, rarity is counted over the window and its month as well.
        var window = documents.ToDictionary(d => d.Article.Id, d => d.Names);
        var before = dated.Where(a => a.When < windowStart).OrderByDescending(a => a.When).Take(MaxNameHistory).Select(a => a.Article).ToList();
        var beforeSuffices = before.Count >= MinNameHistory;
        var history = (beforeSuffices ? before : recent)
            .AsParallel().Select(a => (a.Outlet, Names: window.GetValueOrDefault(a.Id)
                ?? (memo is null ? NamesOf($"{a.Title}. {a.Text}") : memo.Names(a, x => NamesOf($"{x.Title}. {x.Text}"))))).ToList();
        var nameDf = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (_, names) in history)
        {
            foreach (var name in names)
            {
                nameDf[name] = nameDf.GetValueOrDefault(name) + 1;
            }
        }

        // An outlet's own furniture ("Sputnik", "Tags", "Comment") stands in most of its articles: it names no event.
        var furniture = (beforeSuffices ? history.Concat(documents.Select(d => (d.Article.Outlet, d.Names))) : history)
            .Where(x => x.Outlet is not null)
            .GroupBy(x => x.Outlet!, StringComparer.Ordinal)
            .Where(g => g.Count() >= OutletFurnitureFrom)
            .ToDictionary(
                g => g.Key,
                g => g.SelectMany(x => x.Names).GroupBy(n => n, StringComparer.Ordinal).Where(n => n.Count() >= g.Count() * OutletFurnitureShare)
                    .Select(n => n.Key).ToHashSet(StringComparer.Ordinal),
                StringComparer.Ordinal);
        foreach (var document in documents)
        {
            var own = document.Article.Outlet is { } outlet ? furniture.GetValueOrDefault(outlet) : null;
            document.Anchors = document.Names
                .Where(n => nameDf.GetValueOrDefault(n) <= Math.Max(2, history.Count * RareName) && own?.Contains(n) != true)
                .ToHashSet(StringComparer.Ordinal);
        }

        foreach (var document in documents)
        {
            // The strongest terms say what an article is about; the long tail only blurs centroids and costs time.
            document.Vector = document.Counts
                .Select(kv => (Term: kv.Key, Weight: (1 + Math.Log(kv.Value)) * Math.Log(1 + (total / (double)Math.Max(1, df.GetValueOrDefault(kv.Key))))))
                .OrderByDescending(x => x.Weight)
                .ThenBy(x => x.Term, StringComparer.Ordinal)
                .Take(TermsPerArticle)
                .ToDictionary(x => x.Term, x => x.Weight, StringComparer.Ordinal);
            TermVectors.Normalize(document.Vector);
        }
    }

    /// <summary>
    /// Groups in two passes. First in time order, an article joins the story whose centroid it is nearest, if near
    /// and recent enough; then stories whose centroids are that near merge, nearest pair first, so a story does not
    /// stay split because its first article happened to be worded apart.
    /// </summary>
    internal static List<List<Document>> Group(List<Document> documents, double sameStoryAbove)
    {
        var stories = new List<Story>();
        foreach (var document in documents.OrderBy(d => d.When).ThenBy(d => d.Article.Id.Value, StringComparer.Ordinal))
        {
            var best = -1;
            var bestScore = 0.0;
            for (var i = 0; i < stories.Count; i++)
            {
                if (document.When - stories[i].Latest > StorySpan || stories[i].Contradicts(document))
                {
                    continue;
                }

                var score = TermVectors.Cosine(document.Vector, stories[i].Centroid);
                if (score > bestScore)
                {
                    (best, bestScore) = (i, score);
                }
            }

            if (best >= 0 && bestScore >= sameStoryAbove)
            {
                stories[best].Add(document);
            }
            else
            {
                stories.Add(new Story(document));
            }
        }

        var similarity = new double[stories.Count, stories.Count];
        for (var i = 0; i < stories.Count; i++)
        {
            for (var j = i + 1; j < stories.Count; j++)
            {
                similarity[i, j] = stories[i].Near(stories[j]) && !stories[i].Contradicts(stories[j]) ? TermVectors.Cosine(stories[i].Centroid, stories[j].Centroid) : 0;
            }
        }

        var alive = Enumerable.Repeat(true, stories.Count).ToArray();
        while (true)
        {
            var (a, b, best) = (-1, -1, sameStoryAbove);
            for (var i = 0; i < stories.Count; i++)
            {
                for (var j = i + 1; alive[i] && j < stories.Count; j++)
                {
                    if (alive[j] && similarity[i, j] >= best)
                    {
                        (a, b, best) = (i, j, similarity[i, j]);
                    }
                }
            }

            if (a < 0)
            {
                break;
            }

            stories[a].Merge(stories[b]);
            alive[b] = false;
            for (var k = 0; k < stories.Count; k++)
            {
                if (alive[k] && k != a)
                {
                    var score = stories[a].Near(stories[k]) && !stories[a].Contradicts(stories[k]) ? TermVectors.Cosine(stories[a].Centroid, stories[k].Centroid) : 0;
                    similarity[Math.Min(a, k), Math.Max(a, k)] = score;
                }
            }
        }

        // Then stories of one event that their words kept apart ("Trump says attack cannot be tolerated", "86 dead in
        // suspected chemical attack"): near in time, the same kind of event in their leads, and a rare name in common.
        // Always the first matching pair in (row, column) order is merged, as a scan from the start after each merge
        // would find it. Only pairs with the grown story can have changed: the next pair is in an earlier row's
        // column for it, or in its own row on.
        bool Joins(int a, int b) => alive[a] && alive[b] && stories[a].Near(stories[b]) && SameEvent(stories[a], stories[b]);
        for (var i = 0; i < stories.Count; i++)
        {
            for (var j = i + 1; j < stories.Count; j++)
            {
                if (!Joins(i, j))
                {
                    continue;
                }

                stories[i].Merge(stories[j]);
                alive[j] = false;
                var earlier = Enumerable.Range(0, i).FirstOrDefault(k => Joins(k, i), -1);
                (i, j) = earlier >= 0 ? (earlier, earlier) : (i, i); // j++ resumes the scan at the row's first column
            }
        }

        return stories.Where((_, i) => alive[i]).Select(s => s.Members).ToList();
    }

    /// <summary>
    /// Nothing contradicting (so their days meet), and one town or district; or the same kind of event with a rare name
    /// in common, or the same place (or one each names of the other's): a name alone joins too much (a town in the news
    /// all week).
    /// </summary>
    private static bool SameEvent(Story a, Story b)
    {
        if (a.Contradicts(b))
        {
            return false;
        }

        var (x, y) = (a.Event, b.Event);
        if (x.Specific && y.Specific && x.PlaceKey == y.PlaceKey && EventKinds.Compatible(a.Kind, b.Kind))
        {
            return true; // one town or district, one day: "strikes" in one report are "shelling" in another
        }

        return a.Kind is not null && a.Kind == b.Kind && (a.Anchors.Overlaps(b.Anchors) || x.PlaceMeets(y) || y.PlaceMeets(x));
    }

    /// <summary>
    /// The consonant skeletons of the capitalised words of a text that are not a sentence's first word, nor a word the
    /// text also writes in lower case (a headline's "Suspected Gas Attack" names nothing).
    /// </summary>
    private static HashSet<string> NamesOf(string text)
    {
        var matches = Word().Matches(text);
        var lower = matches.Select(m => m.Value).Where(w => char.IsLower(w[0])).ToHashSet(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match match in matches)
        {
            var word = match.Value;
            if (word.Length < 4 || !char.IsUpper(word[0]) || Terms.IsStopword(word.ToLowerInvariant()) || SentenceInitial(text, match.Index)
                || lower.Contains(word.ToLowerInvariant()))
            {
                continue;
            }

            // Y is a vowel in transliterations too: Shaykhun and Sheikhoun are one town.
            if (QuestionAnalysis.Skeleton(word).Replace("y", string.Empty, StringComparison.Ordinal) is { Length: >= 3 } skeleton)
            {
                names.Add(skeleton);
            }
        }

        return names;
    }

    private static bool SentenceInitial(string text, int index)
    {
        var i = index - 1;
        while (i >= 0 && char.IsWhiteSpace(text[i]))
        {
            i--;
        }

        return i < 0 || text[i] is '.' or '!' or '?' or '"' or '“' or '\n' or ':';
    }

    [GeneratedRegex(@"\p{L}[\p{L}’'\-]*", RegexOptions.NonBacktracking)]
    private static partial Regex Word();

    /// <summary>A story being grouped: its articles, their centroid and the time span they cover.</summary>
    private sealed class Story(Document first)
    {
        public List<Document> Members { get; } = [first];

        public Dictionary<string, double> Centroid { get; private set; } = new(first.Vector, StringComparer.Ordinal);

        public DateTimeOffset Earliest { get; private set; } = first.When;

        public DateTimeOffset Latest { get; private set; } = first.When;

        /// <summary>The kind of event most of its articles report (the first to appear among equals).</summary>
        public string? Kind { get; private set; } = first.Kind;

        /// <summary>The rare names of all its articles.</summary>
        public HashSet<string> Anchors { get; private set; } = new(first.Anchors, StringComparer.Ordinal);

        /// <summary>The event its articles report, as most of them say it (see <see cref="Consensus"/>).</summary>
        public ReportedEvent Event { get; private set; } = first.Event;

        /// <summary>
        /// Whether its event and <paramref name="other"/>'s differ in place or day: then they are two events. A place
        /// differs when the smaller story's reports do not name the larger's.
        /// </summary>
        public bool Contradicts(Story other) => Members.Count >= other.Members.Count ? Apart(Event, other.Event) : Apart(other.Event, Event);

        public bool Contradicts(Document document) => Apart(Event, document.Event);

        /// <summary>Whether the <paramref name="smaller"/> report's place or day keeps it out of the <paramref name="larger"/>'s event.</summary>
        private static bool Apart(ReportedEvent larger, ReportedEvent smaller) => larger.PlaceDisagrees(smaller) || !larger.DayAgrees(smaller);

        public void Add(Document document)
        {
            Members.Add(document);
            Update();
        }

        public void Merge(Story other)
        {
            Members.AddRange(other.Members);
            Update();
        }

        public bool Near(Story other) => other.Earliest - Latest <= StorySpan && Earliest - other.Latest <= StorySpan;

        private void Update()
        {
            Centroid = StoryGrouping.Centroid(Members);
            Earliest = Members.Min(m => m.When);
            Latest = Members.Max(m => m.When);
            // The kind most of its articles report; none when two kinds are as common (a shelling story one article of
            // which leads with the chemical attack of the day before is not thereby a chemical-attack story).
            var kinds = Members.Select(m => m.Kind).OfType<string>().GroupBy(k => k).Select(g => (g.Key, Count: g.Count())).OrderByDescending(g => g.Count).ToList();
            Kind = kinds.Count > 0 && (kinds.Count == 1 || kinds[0].Count > kinds[1].Count) ? kinds[0].Key : null;
            Anchors = Members.SelectMany(m => m.Anchors).ToHashSet(StringComparer.Ordinal);
            Event = Consensus(Members.Select(m => m.Event).ToList());
        }

        /// <summary>
        /// One event for many reports of it: the town or district most of them name (the first named among equals), the
        /// places most of them name, and the day most of those that state one give.
        /// </summary>
        private static ReportedEvent Consensus(List<ReportedEvent> events)
        {
            var place = events.Where(e => e.Specific).GroupBy(e => e.PlaceKey).OrderByDescending(g => g.Count()).FirstOrDefault()?.First()
                ?? events.FirstOrDefault(e => e.PlaceKey is not null) ?? events[0];
            var day = events.Where(e => e.DayStated).GroupBy(e => e.Day).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).FirstOrDefault()?.First()
                ?? events.MinBy(e => e.Day)!;
            return place with
            {
                Mentioned = events.SelectMany(e => e.Mentioned).GroupBy(k => k, StringComparer.Ordinal).Where(g => 2 * g.Count() > events.Count)
                    .Select(g => g.Key).ToHashSet(StringComparer.Ordinal),
                Day = day.Day,
                DayStated = day.DayStated,
                Span = day.Span,
            };
        }
    }

    /// <summary>The normalised sum of the members' term vectors.</summary>
    internal static Dictionary<string, double> Centroid(List<Document> members)
    {
        var centroid = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (term, weight) in members.SelectMany(m => m.Vector))
        {
            centroid[term] = centroid.GetValueOrDefault(term) + weight;
        }

        TermVectors.Normalize(centroid);
        return centroid;
    }
}
