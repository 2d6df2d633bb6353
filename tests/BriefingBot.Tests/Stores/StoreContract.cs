using BriefingBot.Core.Articles;
using BriefingBot.Core.Briefing;
using BriefingBot.Core.Chat;
using BriefingBot.Core.Coordination;
using BriefingBot.Core.Diagnostics;
using BriefingBot.Core.Feedback;
using BriefingBot.Core.Feeds;
using BriefingBot.Core.Follows;
using BriefingBot.Core.Ingestion;
using BriefingBot.Core.Quotes;
using BriefingBot.Core.Settings;

namespace BriefingBot.Tests.Stores;

/// <summary>
/// What every store provider must do, run against each of them: the corpus and its search, embeddings and quotes,
/// the briefing ledger, the memory of handled events and leases — and two instances on one database seeing each
/// other's writes.
/// </summary>
public abstract class StoreContract : IDisposable
{
    private const string Model = "test-encoder";
    private static readonly DateTimeOffset Now = new(2018, 9, 12, 8, 0, 0, TimeSpan.Zero);
    private readonly List<IDisposable> _opened = [];

    /// <summary>The contracts one store object implements, on the test's database.</summary>
    protected sealed record Store(ICorpusStore Corpus, IBriefingLedger Ledger, IEventMemory Events, ILeaseStore Leases, IConversationStore Conversations)
    {
        public required IFollowStore Follows { get; init; }

        public required IChannelSettingsStore Settings { get; init; }

        public required IFeedbackStore Feedback { get; init; }

        public required IFeedStore Feeds { get; init; }

        public required IRejectedSources Rejected { get; init; }

        public required IStoreProbe Probe { get; init; }
    }

    /// <summary>A new store object on the test's database (the first call makes the database): another instance, for the second call.</summary>
    protected abstract (Store Store, IDisposable Owner) Open();

    protected virtual void DisposeDatabase()
    {
    }

    private Store NewStore()
    {
        var (store, owner) = Open();
        _opened.Add(owner);
        return store;
    }

    public void Dispose()
    {
        foreach (var owner in _opened)
        {
            owner.Dispose();
        }

        DisposeDatabase();
        GC.SuppressFinalize(this);
    }

    private static IngestedArticle Article(string id, string published, params string[] paragraphs)
    {
        var (article, problem) = ArticleBuilder.Build(new RawArticle(id, $"Story {id}", "Wire", $"https://example.org/{id}", published, null, paragraphs), id, id, Now);
        Assert.Null(problem);
        return article! with { Quotes = QuoteExtractor.Extract(article!.Article.Text) };
    }

    private static Task<SourceWriteResult> WriteAsync(Store store, string path, params IngestedArticle[] articles) =>
        store.Corpus.ReplaceSourceAsync(new SourceRecord(path, $"hash-{path}-{articles.Length}", 100, Now), articles);

    /// <summary>A unit vector of its own for each text, the same for the same text.</summary>
    private static float[] VectorOf(string text)
    {
        var random = new Random(StringComparer.Ordinal.GetHashCode(text) & 0x7fffffff);
        var vector = Enumerable.Range(0, 64).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        return vector.Select(v => v / norm).ToArray();
    }

    private static async Task<int> EmbedAsync(Store store)
    {
        var missing = await store.Corpus.GetPassagesWithoutEmbeddingAsync(Model, 0, 1000);
        await store.Corpus.StoreEmbeddingsAsync(Model, missing.Select(p => (p.PassageId, VectorOf(p.Text))).ToList());
        return missing.Count;
    }

    private const string Posts = "Turkish troops reinforced twelve observation posts in Idlib province on Sunday.";
    private const string Strikes = "Russian jets struck villages in southern Idlib, a war monitor said on Tuesday.";
    private const string Lavrov = "\"There will be no humanitarian corridor without a ceasefire,\" Russian Foreign Minister Sergei Lavrov told reporters in Moscow.";

    [SkippableFact]
    public async Task Articles_passages_and_quotes_read_back_as_written()
    {
        var store = NewStore();
        var written = await WriteAsync(store, "a.jsonl", Article("a1", "2018-09-10T09:30:00Z", Posts, Lavrov), Article("a2", "2018-09-11", Strikes));
        Assert.Equal(2, written.ArticlesStored);
        Assert.Empty(written.Problems);

        var articles = await store.Corpus.GetArticlesAsync([new ArticleId("a1"), new ArticleId("a2"), new ArticleId("missing")]);
        Assert.Equal(["a1", "a2"], articles.Keys.Select(k => k.Value).Order(StringComparer.Ordinal));
        var a1 = articles[new ArticleId("a1")];
        Assert.Equal("Story a1", a1.Title);
        Assert.Equal("https://example.org/a1", a1.Url);
        Assert.Equal(new DateTimeOffset(2018, 9, 10, 9, 30, 0, TimeSpan.Zero), a1.PublishedAt);
        Assert.Equal(Now, a1.FirstIngested);

        var hits = await store.Corpus.SearchKeywordsAsync(["observation"], 5);
        var passages = await store.Corpus.GetPassagesAsync(hits.Select(h => h.PassageId).ToList());
        var passage = Assert.Single(passages);
        Assert.Equal(a1.Id, passage.ArticleId);
        Assert.Equal(a1.Slice(passage.Span), passage.Text);
        Assert.All(passage.Sentences, s => Assert.Contains(a1.Slice(s), passage.Text, StringComparison.Ordinal));

        var quote = Assert.Single(await store.Corpus.GetQuotesAsync(new QuoteFilter(ArticleIds: [a1.Id])));
        Assert.Equal(QuoteKind.Direct, quote.Kind);
        Assert.Equal(a1.Slice(quote.Span), quote.Text);
        Assert.Equal("Sergei Lavrov", quote.Speaker.Name);
        Assert.Contains("Foreign Minister", quote.Speaker.Description, StringComparison.Ordinal);

        var stats = await store.Corpus.GetStatsAsync();
        Assert.Equal(2, stats.Articles);
        Assert.Equal("2018-09-10", stats.EarliestPublished);
        Assert.Equal("2018-09-11", stats.LatestPublished);
        Assert.Equal(2, Assert.Single(stats.Outlets).Articles);
        Assert.Equal(["a.jsonl"], (await store.Corpus.GetSourcesAsync()).Keys);
    }

    [SkippableFact]
    public async Task A_source_written_again_is_replaced_its_articles_keep_when_they_were_first_seen_and_passage_ids_are_never_reused()
    {
        var store = NewStore();
        await WriteAsync(store, "a.jsonl", Article("a1", "2018-09-10", Posts));
        var before = (await store.Corpus.SearchKeywordsAsync(["observation"], 5)).Single().PassageId;

        var later = Article("a1", "2018-09-10", Strikes);
        later = later with { Article = later.Article with { FirstIngested = Now.AddDays(1) } };
        await WriteAsync(store, "a.jsonl", later);

        Assert.Empty(await store.Corpus.SearchKeywordsAsync(["observation"], 5));
        var after = (await store.Corpus.SearchKeywordsAsync(["jets"], 5)).Single().PassageId;
        Assert.True(after > before, $"passage id {after} after {before}");
        Assert.Equal(Now, (await store.Corpus.GetArticlesAsync([new ArticleId("a1")]))[new ArticleId("a1")].FirstIngested);
        Assert.Equal(1, (await store.Corpus.GetStatsAsync()).Articles);
    }

    [SkippableFact]
    public async Task An_id_another_source_uses_is_skipped_for_the_same_text_and_kept_under_an_id_of_its_own_for_another()
    {
        var store = NewStore();
        await WriteAsync(store, "a.jsonl", Article("x", "2018-09-10", Posts));
        var copy = await WriteAsync(store, "b.jsonl", Article("x", "2018-09-10", Posts));
        Assert.Equal(0, copy.ArticlesStored);
        Assert.Contains("same text", Assert.Single(copy.Problems).Reason, StringComparison.Ordinal);

        var other = await WriteAsync(store, "c.jsonl", Article("x", "2018-09-11", Strikes), Article("x", "2018-09-11", Lavrov));
        Assert.Equal(2, other.ArticlesStored);
        Assert.Equal(2, other.Problems.Count);
        Assert.All(other.Problems, p => Assert.True(p.Stored));
        var ids = (await store.Corpus.GetArticlesAsync([new ArticleId("x"), new ArticleId("x~2"), new ArticleId("x~3")])).Keys.Select(k => k.Value);
        Assert.Equal(["x", "x~2", "x~3"], ids.Order(StringComparer.Ordinal));
    }

    [SkippableFact]
    public async Task A_removed_source_leaves_no_article_passage_quote_vector_or_search_hit()
    {
        var store = NewStore();
        await WriteAsync(store, "a.jsonl", Article("a1", "2018-09-10", Posts), Article("a2", "2018-09-10", Lavrov));
        await WriteAsync(store, "b.jsonl", Article("b1", "2018-09-11", Strikes));
        await EmbedAsync(store);
        Assert.Equal("a1", (await store.Corpus.SearchVectorAsync(VectorOf(Posts), 1)).Single().ArticleId.Value);

        await store.Corpus.RemoveSourceAsync("a.jsonl");

        Assert.Empty(await store.Corpus.GetArticlesAsync([new ArticleId("a1"), new ArticleId("a2")]));
        Assert.Empty(await store.Corpus.SearchKeywordsAsync(["observation", "ceasefire"], 5));
        Assert.Empty(await store.Corpus.SearchQuotesAsync(["ceasefire"], 5));
        Assert.Empty(await store.Corpus.GetSpeakersAsync());
        Assert.All(await store.Corpus.SearchVectorAsync(VectorOf(Posts), 5), hit => Assert.Equal("b1", hit.ArticleId.Value));
        Assert.Equal(["b.jsonl"], (await store.Corpus.GetSourcesAsync()).Keys);
        var stats = await store.Corpus.GetStatsAsync();
        Assert.Equal((1, stats.Passages), (stats.Articles, stats.PassagesEmbedded));
    }

    [SkippableFact]
    public async Task Keyword_search_matches_word_forms_ranks_and_counts_document_frequencies()
    {
        var store = NewStore();
        await WriteAsync(store, "a.jsonl",
            Article("a1", "2018-09-10", Posts),
            Article("a2", "2018-09-11", "Observers said the troops stayed. Troops and more troops arrived at the posts near Idlib."),
            Article("a3", "2018-09-12", Strikes));

        var hits = await store.Corpus.SearchKeywordsAsync(["troop"], 10);
        Assert.Equal(["a2", "a1"], hits.Select(h => h.ArticleId.Value));
        Assert.True(hits[0].Score > hits[1].Score);
        Assert.Empty(await store.Corpus.SearchKeywordsAsync(["\")) OR *:* --", "text:*"], 10)); // query syntax is never read as such

        var (frequencies, passages) = await store.Corpus.GetDocumentFrequenciesAsync(["idlib", "troops", "jets", "ankara"]);
        Assert.Equal(3, passages);
        Assert.Equal(3, frequencies["idlib"]);
        Assert.Equal(2, frequencies["troops"]);
        Assert.Equal(1, frequencies["jets"]);
        Assert.Equal(0, frequencies["ankara"]);
    }

    [SkippableFact]
    public async Task Each_distinct_text_is_embedded_once_searched_by_cosine_and_another_models_vectors_are_forgotten()
    {
        var store = NewStore();
        await WriteAsync(store, "a.jsonl", Article("a1", "2018-09-10", Posts), Article("a2", "2018-09-10", Strikes));
        await WriteAsync(store, "b.jsonl", Article("copy", "2018-09-11", Posts));
        Assert.Equal(2, await store.Corpus.CountPassagesWithoutEmbeddingAsync(Model));
        Assert.Equal(2, await EmbedAsync(store));
        Assert.Equal(0, await store.Corpus.CountPassagesWithoutEmbeddingAsync(Model));

        var hits = await store.Corpus.SearchVectorAsync(VectorOf(Strikes), 3);
        Assert.Equal("a2", hits[0].ArticleId.Value);
        Assert.InRange(hits[0].Score, 0.98, 1.01);
        Assert.Equal(["a1", "copy"], hits.Skip(1).Select(h => h.ArticleId.Value).Order(StringComparer.Ordinal));

        Assert.Equal(2, (await store.Corpus.GetPassagesWithoutEmbeddingAsync("another-encoder", 0, 100)).Count);
        Assert.Equal(2, await store.Corpus.CountPassagesWithoutEmbeddingAsync(Model));
    }

    [SkippableFact]
    public async Task Quotes_are_found_by_speaker_article_id_and_topic()
    {
        var store = NewStore();
        await WriteAsync(store, "a.jsonl",
            Article("a1", "2018-09-10", Lavrov),
            Article("a2", "2018-09-11", "\"Turkey will not allow a new wave of refugees,\" President Recep Tayyip Erdogan said in Ankara.",
                "\"We have our observation posts and we will defend them,\" Erdogan said."));

        var speakers = await store.Corpus.GetSpeakersAsync();
        Assert.Equal(["Recep Tayyip Erdogan", "Sergei Lavrov"], speakers.Select(s => s.Name));
        Assert.Equal(2, speakers[0].Direct);

        var erdogan = await store.Corpus.GetQuotesAsync(new QuoteFilter(SpeakerKeys: [speakers[0].Key]));
        Assert.Equal(2, erdogan.Count);
        Assert.All(erdogan, q => Assert.Equal("a2", q.ArticleId.Value));
        Assert.True(erdogan[0].Span.Start < erdogan[1].Span.Start);
        Assert.Equal([erdogan[1].Id], (await store.Corpus.GetQuotesAsync(new QuoteFilter(Ids: [erdogan[1].Id]))).Select(q => q.Id));

        var topic = await store.Corpus.SearchQuotesAsync(["refugee"], 10);
        Assert.Equal(erdogan[0].Id, Assert.Single(topic).QuoteId);
        Assert.Equal(2, (await store.Corpus.SearchQuotesAsync(["ceasefire", "defend"], 10)).Count);
    }

    [SkippableFact]
    public async Task A_window_gives_its_newest_articles_oldest_first_counts_the_undated_and_any_number_of_ids_can_be_asked_for()
    {
        var store = NewStore();
        var articles = Enumerable.Range(1, 30)
            .Select(d => Article($"d{d:00}", $"2018-08-{d:00}T12:00:00Z", $"Day {d} of the talks in Astana ended without a deal on Idlib, the envoy said.", Lavrov))
            .Append(Article("undated", "sometime", "An undated report on Idlib said the talks in Astana had stalled."))
            .ToArray();
        await WriteAsync(store, "month.jsonl", articles);

        var window = await store.Corpus.GetArticlesInWindowAsync(new DateTimeOffset(2018, 8, 10, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2018, 8, 20, 0, 0, 0, TimeSpan.Zero), 4);
        Assert.Equal(["d16", "d17", "d18", "d19"], window.Select(a => a.Id.Value));
        Assert.Equal((10, 0), await store.Corpus.CountArticlesInWindowAsync(new DateTimeOffset(2018, 8, 10, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2018, 8, 20, 0, 0, 0, TimeSpan.Zero)));
        Assert.Equal((1, 1), await store.Corpus.CountArticlesInWindowAsync(Now.AddHours(-1), Now.AddHours(1)));

        var ids = articles.Select(a => a.Article.Id).Concat(Enumerable.Range(0, 40_000).Select(i => new ArticleId($"none-{i}"))).ToList();
        Assert.Equal(30, (await store.Corpus.GetQuotesAsync(new QuoteFilter(ArticleIds: ids))).Count);
    }

    [SkippableFact]
    public async Task Each_article_keeps_its_story_which_lists_its_articles_oldest_first_and_goes_with_the_article()
    {
        var store = NewStore();
        await WriteAsync(store, "a.jsonl", Article("a1", "2018-09-10T09:00:00Z", Posts), Article("a2", "2018-09-08T09:00:00Z", Strikes));
        await WriteAsync(store, "b.jsonl", Article("b1", "2018-09-09T09:00:00Z", Strikes), Article("b2", "undated", Lavrov));
        Assert.Equal([new DateOnly(2018, 9, 8), new DateOnly(2018, 9, 9), new DateOnly(2018, 9, 10), DateOnly.FromDateTime(Now.UtcDateTime)],
            await store.Corpus.GetDaysWithoutStoriesAsync());

        await store.Corpus.SetStoriesAsync(new Dictionary<ArticleId, string> { [new("a1")] = "s", [new("a2")] = "s", [new("b1")] = "t" });
        await store.Corpus.SetStoriesAsync(new Dictionary<ArticleId, string> { [new("b1")] = "s" }); // a story's articles move with a regrouping

        Assert.Equal(["a2", "b1", "a1"], (await store.Corpus.GetStoryArticlesAsync("s", 10)).Select(a => a.Value));
        Assert.Equal(["a2", "b1"], (await store.Corpus.GetStoryArticlesAsync("s", 2)).Select(a => a.Value));
        Assert.Empty(await store.Corpus.GetStoryArticlesAsync("t", 10));
        var stories = await NewStore().Corpus.GetStoriesAsync([new("a1"), new("b1"), new("b2"), new("none")]); // another instance reads them
        Assert.Equal(new Dictionary<ArticleId, string> { [new("a1")] = "s", [new("b1")] = "s" }, stories);
        Assert.Equal([DateOnly.FromDateTime(Now.UtcDateTime)], await store.Corpus.GetDaysWithoutStoriesAsync());

        await store.Corpus.RemoveSourceAsync("a.jsonl");

        Assert.Equal(["b1"], (await store.Corpus.GetStoryArticlesAsync("s", 10)).Select(a => a.Value));
        Assert.Empty(await store.Corpus.GetStoriesAsync([new("a1"), new("a2")]));
    }

    [SkippableFact]
    public async Task A_follow_is_per_channel_an_article_is_queued_once_and_taken_by_one_instance_and_posts_are_counted()
    {
        var store = NewStore();
        var other = NewStore();
        Assert.True(await store.Follows.AddFollowAsync(new Follow("discord:1", "aid convoy", "4242", Now)));
        Assert.False(await other.Follows.AddFollowAsync(new Follow("discord:1", "aid convoy", "99", Now.AddMinutes(1))));
        Assert.True(await store.Follows.AddFollowAsync(new Follow("slack:C1", "aid convoy", null, Now.AddMinutes(2))));
        Assert.Equal(["discord:1"], (await other.Follows.GetFollowsAsync("discord:1")).Select(f => f.Channel));
        Assert.Equal("4242", (await other.Follows.GetFollowsAsync("discord:1"))[0].CreatedBy);
        Assert.Equal(2, (await other.Follows.GetFollowsAsync(null)).Count);

        await WriteAsync(store, "a.jsonl", Article("a1", "2018-09-10", Posts), Article("a2", "2018-09-10", Strikes));
        Assert.True(await store.Follows.QueueAsync(new QueuedPost("discord:1", new("a1"), "aid convoy", Now)));
        Assert.False(await other.Follows.QueueAsync(new QueuedPost("discord:1", new("a1"), "aid convoy", Now.AddMinutes(1)))); // never twice
        Assert.True(await store.Follows.QueueAsync(new QueuedPost("discord:1", new("a2"), "aid convoy", Now.AddMinutes(2))));
        Assert.Equal(["a1", "a2"], (await other.Follows.GetQueuedAsync()).Select(p => p.Article.Value));

        var first = await store.Follows.TakeAsync("discord:1", [new("a1"), new("a2")], Now.AddMinutes(3));
        var second = await other.Follows.TakeAsync("discord:1", [new("a1"), new("a2")], Now.AddMinutes(3));
        Assert.Equal(["a1", "a2"], first.Select(a => a.Value).Order(StringComparer.Ordinal));
        Assert.Empty(second);
        Assert.Empty(await store.Follows.GetQueuedAsync());
        Assert.Equal(1, await other.Follows.CountPostedAsync("discord:1", Now)); // one post of two articles
        Assert.Equal(0, await other.Follows.CountPostedAsync("discord:1", Now.AddHours(1)));
        Assert.False(await other.Follows.QueueAsync(new QueuedPost("discord:1", new("a1"), "aid convoy", Now.AddHours(2)))); // posted: never again

        Assert.True(await other.Follows.RemoveFollowAsync("discord:1", "aid convoy"));
        Assert.False(await store.Follows.RemoveFollowAsync("discord:1", "aid convoy"));
        Assert.Equal(["slack:C1"], (await store.Follows.GetFollowsAsync(null)).Select(f => f.Channel));
    }

    [SkippableFact]
    public async Task The_follow_cursor_starts_at_the_stores_end_and_reads_what_is_stored_after_it()
    {
        var store = NewStore();
        await WriteAsync(store, "a.jsonl", Article("a1", "2018-09-10", Posts));
        var start = await store.Follows.GetFollowCursorAsync();
        Assert.Empty((await store.Follows.GetStoredAfterAsync(start, 10)).Articles); // a first start takes nothing old for news

        await WriteAsync(store, "b.jsonl", Article("b1", "2018-09-11", Strikes));
        var (articles, cursor) = await NewStore().Follows.GetStoredAfterAsync(start, 10);
        Assert.Equal(["b1"], articles.Select(a => a.Value));
        await store.Follows.SetFollowCursorAsync(cursor);
        Assert.Equal(cursor, await NewStore().Follows.GetFollowCursorAsync());
        Assert.Empty((await store.Follows.GetStoredAfterAsync(cursor, 10)).Articles);
    }

    [SkippableFact]
    public async Task A_channels_settings_are_saved_whole_replaced_and_read_by_every_instance()
    {
        var store = NewStore();
        await store.Settings.SaveChannelSettingsAsync(new ChannelSettings("discord:1", OnlyAsker: true, BriefingOn: true, BriefingTime: new TimeOnly(7, 30),
            BriefingZone: "Europe/Istanbul", UpdatedBy: "4242", UpdatedAt: Now));
        await store.Settings.SaveChannelSettingsAsync(new ChannelSettings("slack:C1", BriefingOn: false, UpdatedAt: Now));
        await store.Settings.SaveChannelSettingsAsync(new ChannelSettings("slack:C1", OnlyAsker: false, UpdatedAt: Now.AddMinutes(5)));

        var all = (await NewStore().Settings.GetChannelSettingsAsync()).ToDictionary(s => s.Channel);
        Assert.Equal(new ChannelSettings("discord:1", true, true, new TimeOnly(7, 30), "Europe/Istanbul", "4242", Now), all["discord:1"]);
        Assert.Equal(new ChannelSettings("slack:C1", OnlyAsker: false, UpdatedAt: Now.AddMinutes(5)), all["slack:C1"]); // replaced, not merged
    }

    [SkippableFact]
    public async Task A_person_has_one_vote_on_an_answer_which_they_may_change_and_comment_and_counts_are_by_day_and_platform()
    {
        var store = NewStore();
        var other = NewStore();
        Assert.Equal(await store.Feedback.VoterKeyAsync(), await other.Feedback.VoterKeyAsync());
        Assert.Equal((false, (bool?)null), await store.Feedback.VoteAsync("nope", "v1", up: true, Now));
        await store.Feedback.RememberAnswerAsync(new ShownAnswer("ans1", "discord", "discord:1", "How many posts?", "Twelve [1]", ["Posts — Wire, 2018-09-10"], false, Now));

        Assert.Equal((true, (bool?)null), await other.Feedback.VoteAsync("ans1", "v1", up: true, Now));
        Assert.Equal((true, (bool?)true), await store.Feedback.VoteAsync("ans1", "v1", up: false, Now.AddMinutes(1))); // changed, not added
        Assert.Equal((true, (bool?)null), await store.Feedback.VoteAsync("ans1", "v2", up: true, Now.AddMinutes(2)));
        Assert.True(await other.Feedback.CommentAsync("ans1", "v1", "wrong town", Now.AddMinutes(3)));
        Assert.False(await other.Feedback.CommentAsync("ans1", "v3", "never voted", Now.AddMinutes(3)));

        Assert.Equal([new VoteCount(DateOnly.FromDateTime(Now.UtcDateTime), "discord", 1, 1)], await other.Feedback.CountVotesAsync());
        var (answer, vote) = Assert.Single(await store.Feedback.VotedDownAsync());
        Assert.Equal(("ans1", "How many posts?", "Twelve [1]"), (answer.Id, answer.Question, answer.Shown));
        Assert.Equal(["Posts — Wire, 2018-09-10"], answer.Sources);
        Assert.Equal(("v1", false, "wrong town"), (vote.Voter, vote.Up, vote.Comment));
    }

    [SkippableFact]
    public async Task A_feed_keeps_its_poll_state_through_updates_and_its_items_lead_to_their_sources()
    {
        var store = NewStore();
        var other = NewStore();
        const string Feed = "https://news.example/feed.xml";
        await store.Feeds.AddFeedAsync(new FeedSource(Feed, "Wire", TimeSpan.FromMinutes(15), true), Now);
        await store.Feeds.RecordPollAsync(Feed, new FeedPollOutcome(null, null, "HTTP 503", Now.AddMinutes(5)), Now);
        await other.Feeds.RecordPollAsync(Feed, new FeedPollOutcome(null, null, "HTTP 503", Now.AddMinutes(10)), Now.AddMinutes(5));
        var failing = Assert.Single(await other.Feeds.GetFeedsAsync());
        Assert.Equal((2, "HTTP 503", (DateTimeOffset?)Now.AddMinutes(5), (DateTimeOffset?)Now.AddMinutes(10), (DateTimeOffset?)null),
            (failing.Failures, failing.LastError, failing.LastErrorAt, failing.NextPoll, failing.LastSuccess));

        await other.Feeds.AddFeedAsync(new FeedSource(Feed, "Wire Service", TimeSpan.FromMinutes(30), false), Now.AddMinutes(6)); // how it is read changes; its state stays
        await store.Feeds.RecordPollAsync(Feed, new FeedPollOutcome("\"v1\"", "Wed, 12 Sep 2018 08:00:00 GMT", null, Now.AddMinutes(40)), Now.AddMinutes(10));

        const string Item = "https://news.example/convoy", Copy = "https://mirror.example/convoy";
        await WriteAsync(store, Item, Article("c1", "2018-09-12", Posts));
        await store.Feeds.RememberItemAsync(Item, Feed, new FeedItemRecord(Item, "item-hash"), Now.AddMinutes(10));
        await other.Feeds.RememberItemAsync(Copy, Feed, new FeedItemRecord(Item, "item-hash"), Now.AddMinutes(11)); // the same text syndicated
        var polled = Assert.Single(await store.Feeds.GetFeedsAsync());
        Assert.Equal(new FeedSource(Feed, "Wire Service", TimeSpan.FromMinutes(30), false), polled.Feed);
        Assert.Equal((0, "\"v1\"", "Wed, 12 Sep 2018 08:00:00 GMT", (DateTimeOffset?)Now.AddMinutes(10), (DateTimeOffset?)Now.AddMinutes(40), 1),
            (polled.Failures, polled.ETag, polled.LastModified, polled.LastSuccess, polled.NextPoll, polled.Articles));
        Assert.Equal(new FeedItemRecord(Item, "item-hash"), await other.Feeds.GetItemAsync(Copy));
        Assert.Null(await other.Feeds.GetItemAsync("https://news.example/other"));
        Assert.Equal([Item, Copy], await other.Feeds.GetItemUrlsAsync(Item));
        Assert.Equal(Item, await other.Feeds.FindSourceByHashAsync($"hash-{Item}-1"));
        Assert.Null(await other.Feeds.FindSourceByHashAsync("no such text"));

        Assert.True(await other.Feeds.RemoveFeedAsync(Feed));
        Assert.False(await store.Feeds.RemoveFeedAsync(Feed));
        Assert.Empty(await store.Feeds.GetFeedsAsync());
        Assert.Single(await store.Corpus.GetArticlesAsync([new("c1")])); // the articles it brought stay
    }

    [SkippableFact]
    public async Task A_store_that_answers_reports_no_problem_to_the_health_probe_from_any_instance()
    {
        var first = NewStore();
        await WriteAsync(first, "a.jsonl", Article("a1", "2018-09-10", Posts));

        Assert.Null(await first.Probe.ProblemAsync());
        Assert.Null(await NewStore().Probe.ProblemAsync());
    }

    [SkippableFact]
    public async Task A_rejected_file_is_remembered_as_it_was_until_forgotten()
    {
        var store = NewStore();
        var problem = new IngestProblem("broken.jsonl", 3, "not JSON");
        await store.Rejected.RememberRejectedAsync(new RejectedSource("broken.jsonl", 120, Now, [problem]));
        await store.Rejected.RememberRejectedAsync(new RejectedSource("empty.md", 0, Now.AddHours(-1), []));

        var rejected = await NewStore().Rejected.GetRejectedAsync();
        Assert.Equal(["broken.jsonl", "empty.md"], rejected.Keys.Order(StringComparer.Ordinal));
        Assert.Equal((120L, Now), (rejected["broken.jsonl"].Length, rejected["broken.jsonl"].Modified));
        Assert.Equal([problem], rejected["broken.jsonl"].Problems);

        await store.Rejected.ForgetRejectedAsync("broken.jsonl");
        Assert.Equal(["empty.md"], (await NewStore().Rejected.GetRejectedAsync()).Keys);
    }

    [SkippableFact]
    public async Task A_briefing_is_claimed_by_one_owner_taken_over_when_its_claim_lapses_and_never_claimed_once_posted()
    {
        var first = NewStore();
        var second = NewStore();
        var occurrence = new DateTimeOffset(2018, 9, 12, 7, 0, 0, TimeSpan.Zero);
        var lease = TimeSpan.FromMinutes(5);

        Assert.True(await first.Ledger.TryClaimAsync("C1", occurrence, "one", Now, lease));
        Assert.False(await second.Ledger.TryClaimAsync("C1", occurrence, "two", Now.AddMinutes(1), lease));
        Assert.True(await first.Ledger.TryClaimAsync("C1", occurrence, "one", Now.AddMinutes(2), lease)); // renewed
        Assert.False(await second.Ledger.TryClaimAsync("C1", occurrence, "two", Now.AddMinutes(6), lease));
        Assert.True(await second.Ledger.TryClaimAsync("C1", occurrence, "two", Now.AddMinutes(8), lease)); // lapsed
        Assert.True(await second.Ledger.TryClaimAsync("C2", occurrence, "two", Now, lease));

        await first.Ledger.MarkPostedAsync("C1", occurrence, "one", occurrence.AddDays(-1), occurrence, Now); // not the holder: nothing
        Assert.False(await first.Ledger.IsPostedAsync("C1", occurrence));
        await second.Ledger.MarkPostedAsync("C1", occurrence, "two", occurrence.AddDays(-1), occurrence, Now.AddMinutes(9));
        Assert.True(await first.Ledger.IsPostedAsync("C1", occurrence));
        Assert.False(await first.Ledger.TryClaimAsync("C1", occurrence, "one", Now.AddDays(1), lease));

        await second.Ledger.ReleaseAsync("C2", occurrence, "two");
        Assert.True(await first.Ledger.TryClaimAsync("C2", occurrence, "one", Now, lease));
        Assert.Equal(occurrence, await first.Ledger.LastPostedUntilAsync("C1"));
        Assert.Equal(occurrence, await first.Ledger.LastPostedUntilAsync(null));
        Assert.Null(await first.Ledger.LastPostedUntilAsync("C2"));
    }

    [SkippableFact]
    public async Task An_event_offered_by_many_instances_at_once_is_handled_once_and_again_only_after_it_is_forgotten()
    {
        var stores = new[] { NewStore(), NewStore() };
        var keep = TimeSpan.FromHours(1);
        var offers = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() => stores[i % 2].Events.FirstTimeAsync("slack:Ev01", Now, keep))));
        Assert.Equal(1, offers.Count(first => first));
        Assert.True(await stores[0].Events.FirstTimeAsync("slack:Ev02", Now, keep));
        Assert.False(await stores[1].Events.FirstTimeAsync("slack:Ev01", Now.AddMinutes(59), keep));
        Assert.True(await stores[1].Events.FirstTimeAsync("slack:Ev01", Now.AddMinutes(61), keep));
        Assert.False(await stores[0].Events.FirstTimeAsync("slack:Ev01", Now.AddMinutes(62), keep));
    }

    [SkippableFact]
    public async Task A_lease_has_one_holder_who_renews_it_and_another_takes_it_when_it_lapses_or_is_released()
    {
        var first = NewStore();
        var second = NewStore();
        var ttl = TimeSpan.FromSeconds(30);
        var contenders = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => (i % 2 == 0 ? first : second).Leases.TryAcquireAsync("shard/0", $"instance-{i}", Now, ttl))));
        Assert.Equal(1, contenders.Count(won => won));
        var holder = Assert.Single(await first.Leases.GetLeasesAsync("shard/", Now));
        Assert.True(await second.Leases.TryAcquireAsync("shard/0", holder.Owner, Now.AddSeconds(20), ttl)); // renewal
        Assert.False(await first.Leases.TryAcquireAsync("shard/0", "late", Now.AddSeconds(40), ttl));
        Assert.True(await first.Leases.TryAcquireAsync("shard/0", "late", Now.AddSeconds(51), ttl)); // lapsed
        Assert.True(await first.Leases.TryAcquireAsync("shard/1", "late", Now.AddSeconds(51), ttl));
        Assert.True(await first.Leases.TryAcquireAsync("feed/x", "late", Now.AddSeconds(51), ttl));
        Assert.Equal(["shard/0", "shard/1"], (await second.Leases.GetLeasesAsync("shard/", Now.AddSeconds(52))).Select(l => l.Name));

        await second.Leases.ReleaseAsync("shard/1", "someone-else");
        Assert.False(await second.Leases.TryAcquireAsync("shard/1", holder.Owner, Now.AddSeconds(52), ttl));
        await first.Leases.ReleaseAsync("shard/1", "late");
        Assert.True(await second.Leases.TryAcquireAsync("shard/1", holder.Owner, Now.AddSeconds(52), ttl));
        Assert.Empty(await first.Leases.GetLeasesAsync("shard/", Now.AddHours(1)));
    }

    [SkippableFact]
    public async Task A_note_on_a_lease_is_left_by_its_holder_only_and_read_by_the_next_holder_after_the_lease_ends()
    {
        var first = NewStore();
        var second = NewStore();
        var ttl = TimeSpan.FromSeconds(30);
        Assert.Null(await second.Leases.ReadNoteAsync("shard/2"));
        Assert.False(await first.Leases.LeaveNoteAsync("shard/2", "one", "not held yet"));

        Assert.True(await first.Leases.TryAcquireAsync("shard/2", "one", Now, ttl));
        Assert.True(await first.Leases.LeaveNoteAsync("shard/2", "one", """{"session_id": "a", "seq": 41}"""));
        Assert.True(await first.Leases.LeaveNoteAsync("shard/2", "one", """{"session_id": "a", "seq": 42}"""));
        Assert.False(await second.Leases.LeaveNoteAsync("shard/2", "two", "from one who does not hold it"));
        await first.Leases.ReleaseAsync("shard/2", "one");

        // Released: the note stays for the next holder, and the one who left it may no longer change it.
        Assert.False(await first.Leases.LeaveNoteAsync("shard/2", "one", "after release"));
        Assert.Equal("""{"session_id": "a", "seq": 42}""", await second.Leases.ReadNoteAsync("shard/2"));
        Assert.True(await second.Leases.TryAcquireAsync("shard/2", "two", Now.AddSeconds(1), ttl));
        Assert.False(await first.Leases.LeaveNoteAsync("shard/2", "one", null));
        Assert.NotNull(await second.Leases.ReadNoteAsync("shard/2"));
        Assert.True(await second.Leases.LeaveNoteAsync("shard/2", "two", null));
        Assert.Null(await first.Leases.ReadNoteAsync("shard/2"));
        Assert.Null(await first.Leases.ReadNoteAsync("shard/3"));
    }

    [SkippableFact]
    public async Task A_conversations_latest_question_is_read_by_every_instance_while_it_is_young_enough()
    {
        var first = NewStore();
        var second = NewStore();
        await first.Conversations.RememberTurnAsync("slack:thread:C1/1.1", "What are Turkey's aims in Idlib?", Now);
        await second.Conversations.RememberTurnAsync("slack:thread:C1/1.1", "What are Russia's aims in Idlib?", Now.AddMinutes(2));
        await first.Conversations.RememberTurnAsync("slack:thread:C1/2.2", "Who set up the de-escalation zone?", Now.AddMinutes(3));

        Assert.Equal("What are Russia's aims in Idlib?", await first.Conversations.LatestTurnAsync("slack:thread:C1/1.1", Now.AddMinutes(-28)));
        Assert.Equal("Who set up the de-escalation zone?", await second.Conversations.LatestTurnAsync("slack:thread:C1/2.2", Now));
        Assert.Null(await second.Conversations.LatestTurnAsync("slack:thread:C1/1.1", Now.AddMinutes(3)));
        Assert.Null(await second.Conversations.LatestTurnAsync("discord:1400", Now.AddMinutes(-30)));
    }

    [SkippableFact]
    public async Task A_second_instance_searches_what_the_first_writes_embeds_and_removes()
    {
        var writer = NewStore();
        var reader = NewStore();
        Assert.Empty(await reader.Corpus.SearchKeywordsAsync(["observation"], 5));

        await WriteAsync(writer, "a.jsonl", Article("a1", "2018-09-10", Posts));
        await WriteAsync(writer, "b.jsonl", Article("b1", "2018-09-11", Strikes));
        await EmbedAsync(writer);
        Assert.Equal("a1", (await reader.Corpus.SearchKeywordsAsync(["observation"], 5)).Single().ArticleId.Value);
        Assert.Equal("b1", (await reader.Corpus.SearchVectorAsync(VectorOf(Strikes), 1)).Single().ArticleId.Value);

        await writer.Corpus.RemoveSourceAsync("b.jsonl");
        await WriteAsync(writer, "c.jsonl", Article("c1", "2018-09-12", "A convoy of forty trucks reached Idlib on Wednesday."));
        Assert.Empty(await reader.Corpus.SearchKeywordsAsync(["jets"], 5));
        Assert.Equal("c1", (await reader.Corpus.SearchKeywordsAsync(["convoy"], 5)).Single().ArticleId.Value);
        Assert.DoesNotContain(await reader.Corpus.SearchVectorAsync(VectorOf(Strikes), 5), hit => hit.ArticleId.Value == "b1");
    }

    [SkippableFact]
    public async Task Instances_starting_together_on_a_new_database_each_find_it_ready()
    {
        var stores = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(NewStore)));
        await WriteAsync(stores[0], "a.jsonl", Article("a1", "2018-09-10", Posts));
        foreach (var store in stores)
        {
            Assert.Equal(1, (await store.Corpus.GetStatsAsync()).Articles);
        }
    }
}
