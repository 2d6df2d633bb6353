using System.Text.RegularExpressions;
using BriefingBot.Core.Answering;
using BriefingBot.Core.Articles;
using BriefingBot.Core.Quotes;
using BriefingBot.Core.Retrieval;
using BriefingBot.Core.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BriefingBot.Core.Briefing;

/// <summary>
/// Composes a briefing: the window's articles grouped into stories (copies, small edits, follow-ups and other
/// outlets' rewrites of one event together), ranked by how many outlets carry a story and how recent it is, each
/// with a headline, one to three verbatim lead sentences with their citations and all its articles; then the
/// window's notable quotes.
/// </summary>
public sealed partial class BriefingComposer(
    ICorpusStore store,
    IOptions<BriefingOptions> options,
    ILogger<BriefingComposer>? logger = null,
    IAnswerGenerator? generator = null)
{
    private readonly BriefingOptions _options = options.Value;

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

    /// <summary>At most this many of the window's newest articles are grouped.</summary>
    public const int MaxArticles = 2000;

    private static readonly TimeSpan BackgroundSpan = TimeSpan.FromDays(30);

    /// <summary>How far back a name is looked for to tell whether it is new: a town no one wrote of before marks an event.</summary>
    private static readonly TimeSpan NameHistorySpan = TimeSpan.FromDays(365);

    /// <summary>At most this many articles give word rarity (the grouped ones and those before them).</summary>
    private const int BackgroundArticles = 6000;

    public async Task<Briefing> ComposeAsync(DateTimeOffset from, DateTimeOffset to, bool sinceLastBriefing, CancellationToken cancellationToken = default)
    {
        var (total, undated) = await store.CountArticlesInWindowAsync(from, to, cancellationToken).ConfigureAwait(false);
        if (total == 0)
        {
            return new Briefing(from, to, sinceLastBriefing, [], [], 0, 0) { Zone = Zone };
        }

        var (articles, documents, stories) = await GroupWindowAsync(from, to, total, stored: true, cancellationToken).ConfigureAwait(false);
        var newest = documents.Max(d => d.When);
        var items = stories
            .Select(story => Item(story, newest))
            .OrderByDescending(i => i.Importance)
            .Take(_options.MaxItems)
            .ToList();

        if (generator is not null)
        {
            for (var i = 0; i < items.Count; i++)
            {
                items[i] = await GeneratedSummaryAsync(items[i], cancellationToken).ConfigureAwait(false);
            }
        }

        var quotes = await QuotesAsync(articles, items, cancellationToken).ConfigureAwait(false);
        return new Briefing(from, to, sinceLastBriefing, items, quotes, total, undated) { Zone = Zone };
    }

    /// <summary>
    /// Every story of the window as the briefing shows it (not only those it shows): the stored stories of its articles
    /// (see <see cref="StoryAssigner"/>), or, where any has none yet, the stories grouped afresh.
    /// </summary>
    public async Task<IReadOnlyList<IReadOnlyList<ArticleId>>> GroupAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        await GroupAsync(from, to, stored: true, cancellationToken).ConfigureAwait(false);

    /// <summary>The window's articles grouped into stories afresh, whatever is stored, each oldest first: what <see cref="StoryAssigner"/> stores.</summary>
    /// <param name="memo">What was read of each article for an earlier window of the same run, to read it once.</param>
    public async Task<IReadOnlyList<IReadOnlyList<ArticleId>>> GroupAfreshAsync(DateTimeOffset from, DateTimeOffset to, GroupingMemo? memo = null, CancellationToken cancellationToken = default) =>
        await GroupAsync(from, to, stored: false, cancellationToken, memo).ConfigureAwait(false);

    private async Task<IReadOnlyList<IReadOnlyList<ArticleId>>> GroupAsync(DateTimeOffset from, DateTimeOffset to, bool stored, CancellationToken cancellationToken, GroupingMemo? memo = null)
    {
        var (total, _) = await store.CountArticlesInWindowAsync(from, to, cancellationToken).ConfigureAwait(false);
        if (total == 0)
        {
            return [];
        }

        var (_, _, stories) = await GroupWindowAsync(from, to, total, stored, cancellationToken, memo).ConfigureAwait(false);
        return stories.Select(story => (IReadOnlyList<ArticleId>)story.OrderBy(d => d.When).ThenBy(d => d.Article.Id.Value, StringComparer.Ordinal)
            .Select(d => d.Article.Id).ToList()).ToList();
    }

    /// <summary>The window's articles read, as the grouping sees them, and the stories it makes of them; <paramref name="total"/> is the window's article count.</summary>
    /// <param name="stored">Whether the stored stories are read (when every article of the window has one) rather than grouped afresh.</param>
    private async Task<(IReadOnlyList<Article> Articles, List<Document> Documents, List<List<Document>> Stories)> GroupWindowAsync(
        DateTimeOffset from, DateTimeOffset to, int total, bool stored, CancellationToken cancellationToken, GroupingMemo? memo = null)
    {
        // A daily briefing reads the newest articles; past a few thousand the oldest of the window would not make the
        // top stories anyway, and a window over a whole archive must not be read into memory.
        var articles = await store.GetArticlesInWindowAsync(from, to, MaxArticles, cancellationToken).ConfigureAwait(false);
        var documents = articles
            .OrderByDescending(a => a.ReportedAt)
            .AsParallel()
            .AsOrdered()
            .Select(a => memo is null ? Document.Of(a) : memo.Document(a))
            .ToList();

        // Word rarity comes from the weeks around the window, not the window alone: on a day one story dominates,
        // its own words ("chemical", "Khan Sheikhoun") must still weigh as the rare words they usually are. Around
        // the articles read, when the window holds more than them, and from as many articles as that needs.
        var around = total > articles.Count ? documents.Min(d => d.When) : from;
        var background = await store.GetArticlesInWindowAsync(around - NameHistorySpan, to, BackgroundArticles, cancellationToken).ConfigureAwait(false);
        Weigh(documents, background, around, memo);
        var keys = stored ? await store.GetStoriesAsync(documents.Select(d => d.Article.Id).ToList(), cancellationToken).ConfigureAwait(false) : null;
        if (keys is not null && keys.Count == documents.Count)
        {
            return (articles, documents, documents.GroupBy(d => keys[d.Article.Id], StringComparer.Ordinal).Select(g => g.ToList()).ToList());
        }

        return (articles, documents, Group(documents));
    }

    /// <summary>Briefing:TimeZone, in which every briefing shows its window (checked when the options are validated).</summary>
    private TimeZoneInfo Zone => TimeZoneInfo.TryFindSystemTimeZoneById(_options.TimeZone, out var zone) ? zone : TimeZoneInfo.Utc;

    /// <summary>
    /// What the grouping read of each article, kept over the windows of one run of <see cref="StoryAssigner"/>: windows
    /// that overlap, and the year before each that gives its words' rarity, read each article once.
    /// </summary>
    public sealed class GroupingMemo
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<ArticleId, (DateTimeOffset When, Document Value)> _documents = new();
        private readonly System.Collections.Concurrent.ConcurrentDictionary<ArticleId, (DateTimeOffset When, string[] Value)> _terms = new();
        private readonly System.Collections.Concurrent.ConcurrentDictionary<ArticleId, (DateTimeOffset When, HashSet<string> Value)> _names = new();

        internal Document Document(Article article) => _documents.GetOrAdd(article.Id, _ => (article.ReportedAt, BriefingComposer.Document.Of(article))).Value;

        internal string[] Terms(Article article, Func<Article, string[]> read) => _terms.GetOrAdd(article.Id, _ => (article.ReportedAt, read(article))).Value;

        internal HashSet<string> Names(Article article, Func<Article, HashSet<string>> read) => _names.GetOrAdd(article.Id, _ => (article.ReportedAt, read(article))).Value;

        /// <summary>
        /// Drops what no window from <paramref name="from"/> on will read (windows come oldest first): articles before
        /// it, their words past the month a window weighs them over, their names past the year.
        /// </summary>
        public void Forget(DateTimeOffset from)
        {
            Drop(_documents, from - StorySpan);
            Drop(_terms, from - BackgroundSpan - TimeSpan.FromDays(1));
            Drop(_names, from - NameHistorySpan - TimeSpan.FromDays(1));
        }

        private static void Drop<T>(System.Collections.Concurrent.ConcurrentDictionary<ArticleId, (DateTimeOffset When, T Value)> memo, DateTimeOffset before)
        {
            foreach (var (id, entry) in memo)
            {
                if (entry.When < before)
                {
                    memo.TryRemove(id, out _);
                }
            }
        }
    }

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
    private static void Weigh(List<Document> documents, IReadOnlyList<Article> background, DateTimeOffset windowStart, GroupingMemo? memo = null)
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
            Normalize(document.Vector);
        }
    }

    /// <summary>
    /// Groups in two passes. First in time order, an article joins the story whose centroid it is nearest, if near
    /// and recent enough; then stories whose centroids are that near merge, nearest pair first, so a story does not
    /// stay split because its first article happened to be worded apart.
    /// </summary>
    private List<List<Document>> Group(List<Document> documents)
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

                var score = Cosine(document.Vector, stories[i].Centroid);
                if (score > bestScore)
                {
                    (best, bestScore) = (i, score);
                }
            }

            if (best >= 0 && bestScore >= _options.SameStoryAbove)
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
                similarity[i, j] = stories[i].Near(stories[j]) && !stories[i].Contradicts(stories[j]) ? Cosine(stories[i].Centroid, stories[j].Centroid) : 0;
            }
        }

        var alive = Enumerable.Repeat(true, stories.Count).ToArray();
        while (true)
        {
            var (a, b, best) = (-1, -1, _options.SameStoryAbove);
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
                    var score = stories[a].Near(stories[k]) && !stories[a].Contradicts(stories[k]) ? Cosine(stories[a].Centroid, stories[k].Centroid) : 0;
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
            Centroid = BriefingComposer.Centroid(Members);
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

    private static BriefingItem Item(List<Document> story, DateTimeOffset newest)
    {
        var centroid = Centroid(story);
        var sources = story
            .OrderBy(d => d.When)
            .ThenBy(d => d.Article.Id.Value, StringComparer.Ordinal)
            .Select((d, i) => new BriefingSource(i + 1, d.Article))
            .ToList();
        var numbers = sources.ToDictionary(s => s.Article.Id, s => s.N);

        var central = story.OrderByDescending(d => Cosine(d.Vector, centroid)).First();
        var summary = Summary(story, centroid, numbers);

        // More outlets and more articles make a story bigger; a newer one ranks above an older one of its size.
        var outlets = story.Select(d => d.Article.Outlet ?? d.Article.Source).Distinct(StringComparer.OrdinalIgnoreCase).Count();
        var ageDays = (newest - story.Max(d => d.When)).TotalDays;
        var importance = (2.0 * outlets) + story.Count + (1.0 / (1.0 + Math.Max(0, ageDays)));
        // Figures as the story's articles give them, oldest article first: the toll as it moved, who gave each.
        var figures = Answering.Figures.Differing(story
            .OrderBy(d => d.When)
            .ThenBy(d => d.Article.Id.Value, StringComparer.Ordinal)
            .Select(d => (numbers[d.Article.Id], d.Article, (IReadOnlyList<string>)d.Sentences.Take(12).Select(d.Article.Slice).ToList()))
            .ToList());
        return new BriefingItem(Headline(central.Article.Title), summary, sources, importance) { Figures = figures };
    }

    /// <summary>One to three lead sentences that say most of what the story's articles share, none repeating another.</summary>
    private static List<SummarySentence> Summary(List<Document> story, Dictionary<string, double> centroid, Dictionary<ArticleId, int> numbers)
    {
        var candidates = new List<(Document Document, TextSpan Span, Dictionary<string, double> Vector, double Score)>();
        foreach (var document in story)
        {
            var title = Terms.Of(document.Article.Title).ToHashSet(StringComparer.Ordinal);
            for (var i = 0; i < Math.Min(4, document.Sentences.Count); i++)
            {
                var span = document.Sentences[i];
                var text = document.Article.Slice(span);
                var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
                var terms = Terms.Of(text);
                if (words is < 6 or > 70 || (title.Count > 0 && title.IsSubsetOf(terms)) || PageFurniture().IsMatch(text))
                {
                    continue; // too short to say anything, too long to read, the headline repeated, or a dateline or tag list
                }

                var vector = terms.GroupBy(t => t, StringComparer.Ordinal).ToDictionary(g => g.Key, g => 1 + Math.Log(g.Count()), StringComparer.Ordinal);
                Normalize(vector);
                candidates.Add((document, span, vector, Cosine(vector, centroid) + (i == 0 ? 0.1 : 0)));
            }
        }

        var wanted = story.Count == 1 ? 2 : 3;
        var chosen = new List<(Document Document, TextSpan Span, Dictionary<string, double> Vector, double Score)>();
        foreach (var candidate in candidates.OrderByDescending(c => c.Score))
        {
            if (chosen.Count == wanted)
            {
                break;
            }

            if (chosen.Any(c => Cosine(c.Vector, candidate.Vector) > 0.5))
            {
                continue;
            }

            chosen.Add(candidate);
        }

        if (chosen.Count == 0 && story.Select(d => (d, d.Sentences.FirstOrDefault())).FirstOrDefault(x => x.Item2.Length > 0) is { d: not null } first)
        {
            chosen.Add((first.d, first.Item2, [], 0)); // a story of short sentences still gets its lead
        }

        return chosen
            .OrderBy(c => numbers[c.Document.Article.Id])
            .ThenBy(c => c.Span.Start)
            .Select(c => new SummarySentence(c.Document.Article.Slice(c.Span), numbers[c.Document.Article.Id], c.Document.Article.Id, c.Span))
            .ToList();
    }

    /// <summary>
    /// A model's summary of the story from its articles' leads (passage n is source n), used only when every
    /// sentence cites an article that supports it; otherwise the extractive summary stands.
    /// </summary>
    private async Task<BriefingItem> GeneratedSummaryAsync(BriefingItem item, CancellationToken cancellationToken)
    {
        var passages = item.Sources.Select(source =>
        {
            var article = source.Article;
            var lead = SentenceSplitter.SplitArticle(article.Text).Take(3).ToList();
            var span = TextSpan.FromBounds(lead[0].Start, lead[^1].End);
            return new RetrievedPassage(new Passage(0, article.Id, 0, 0, span, lead, article.Slice(span)), article, 0, null, null);
        }).ToList();

        var generation = await generator!.SummarizeAsync(item.Headline, passages, cancellationToken).ConfigureAwait(false);
        var (result, failure) = generation.Text is { } text ? AnswerVerifier.Check(item.Headline, text, passages, mustAddress: false) : (null, generation.Failure);
        foreach (var reason in result?.Dropped ?? [])
        {
            if (logger is not null)
            {
                LogSummarySentenceDropped(logger, reason);
            }
        }

        var sentences = result?.Sentences;
        if (sentences is null || sentences.Count > 3)
        {
            if (logger is not null)
            {
                LogSummaryFallback(logger, failure ?? "more than three sentences");
            }

            return item;
        }

        var summary = sentences
            .Select(s => new SummarySentence(s.Text, s.Passages[0], item.Sources[s.Passages[0] - 1].Article.Id, default))
            .ToList();
        return item with { Summary = summary, Generated = true };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A sentence of a generated briefing summary was left out: {Reason}")]
    private static partial void LogSummarySentenceDropped(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A generated briefing summary was not used: {Reason}; keeping the extractive one")]
    private static partial void LogSummaryFallback(ILogger logger, string reason);

    /// <summary>The window's notable quotes: direct, long enough to say something, one per speaker, from the top stories first.</summary>
    private async Task<List<QuoteHit>> QuotesAsync(IReadOnlyList<Article> articles, List<BriefingItem> items, CancellationToken cancellationToken)
    {
        if (_options.MaxQuotes == 0)
        {
            return [];
        }

        var byId = articles.ToDictionary(a => a.Id);
        var rank = new Dictionary<ArticleId, int>();
        for (var i = 0; i < items.Count; i++)
        {
            foreach (var source in items[i].Sources)
            {
                rank.TryAdd(source.Article.Id, i);
            }
        }

        var quotes = await store.GetQuotesAsync(new QuoteFilter(ArticleIds: byId.Keys.ToList()), cancellationToken).ConfigureAwait(false);
        // Named people before "a source" or "the group"; then the top stories first.
        return quotes
            .Where(q => q.Kind == QuoteKind.Direct && q.SpeakerKey != SpeakerRule.UnattributedKey && SpeakerRule.Accepts(q.Speaker)
                && q.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length >= 8)
            .OrderBy(q => IsNamed(q.Speaker) ? 0 : 1)
            .ThenBy(q => rank.GetValueOrDefault(q.ArticleId, int.MaxValue))
            .ThenByDescending(q => q.Text.Length)
            .DistinctBy(q => q.SpeakerKey)
            .Take(_options.MaxQuotes)
            .Select(q => new QuoteHit(q, byId[q.ArticleId], 0))
            .ToList();
    }

    private static bool IsNamed(Speaker speaker)
    {
        var words = speaker.Name.Split(' ');
        return words.Length >= 2 && words.All(w => w.Length > 0 && (char.IsUpper(w[0]) || w is "al" or "de" or "bin" or "van" or "von"))
            && words[0] is not ("The" or "A" or "An");
    }

    // Datelines and tag lists that some sites put into the body, and sentences that lean on the one before
    // ("He said …"), which read wrongly out of their article.
    [System.Text.RegularExpressions.GeneratedRegex(@"^(?:(?:Date of publication|Published|Updated|Last updated|Tags|Posted|Mon|Tue|Wed|Thu|Fri|Sat|Sun|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b[ :,]*(?:\d|January|February|March|April|May|June|July|August|September|October|November|December|Syria|[A-Z][a-z]+ [A-Z])|\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{4}\b|(?:He|She|They|It|This|These|Those|But|And|Also)\b)")]
    private static partial System.Text.RegularExpressions.Regex PageFurniture();

    private static string Headline(string title) =>
        title.Length <= 110 ? title : title[..title.LastIndexOf(' ', 108)].TrimEnd(',', ';', ':') + "…";

    private static Dictionary<string, double> Centroid(List<Document> members)
    {
        var centroid = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (term, weight) in members.SelectMany(m => m.Vector))
        {
            centroid[term] = centroid.GetValueOrDefault(term) + weight;
        }

        Normalize(centroid);
        return centroid;
    }

    private static void Normalize(Dictionary<string, double> vector)
    {
        var norm = Math.Sqrt(vector.Values.Sum(v => v * v));
        if (norm == 0)
        {
            return;
        }

        foreach (var key in vector.Keys.ToList())
        {
            vector[key] /= norm;
        }
    }

    private static double Cosine(Dictionary<string, double> a, Dictionary<string, double> b)
    {
        var (small, large) = a.Count <= b.Count ? (a, b) : (b, a);
        var sum = 0.0;
        foreach (var (term, weight) in small)
        {
            if (large.TryGetValue(term, out var other))
            {
                sum += weight * other;
            }
        }

        return sum;
    }
}
