using Microsoft.Data.Sqlite;

namespace BriefingBot.Storage.Sqlite;

/// <summary>
/// The database schema and its migrations, tracked in <c>PRAGMA user_version</c>. Each migration runs once, in a
/// transaction, in order; a database from a newer version of the bot is refused rather than damaged.
/// </summary>
internal static class Schema
{
    private static readonly string[] Migrations =
    [
        // 1: corpus, keyword index, embeddings keyed by the hash of the text they encode (a passage's own text), so
        // copies and unchanged passages reuse them.
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE sources (
            path TEXT PRIMARY KEY,
            hash TEXT NOT NULL,
            length INTEGER NOT NULL,
            ingested_at TEXT NOT NULL);
        CREATE TABLE articles (
            id TEXT PRIMARY KEY,
            source_path TEXT NOT NULL,
            source TEXT NOT NULL,
            title TEXT NOT NULL,
            outlet TEXT,
            url TEXT,
            published TEXT,
            published_utc TEXT,
            author TEXT,
            dateline TEXT,
            text TEXT NOT NULL,
            first_ingested TEXT NOT NULL);
        CREATE INDEX articles_by_source ON articles (source_path);
        CREATE INDEX articles_by_published ON articles (published_utc);
        CREATE TABLE passages (
            id INTEGER PRIMARY KEY,
            article_id TEXT NOT NULL,
            ordinal INTEGER NOT NULL,
            paragraph INTEGER NOT NULL,
            start INTEGER NOT NULL,
            length INTEGER NOT NULL,
            sentences TEXT NOT NULL,
            text TEXT NOT NULL,
            own_start INTEGER NOT NULL,
            text_hash BLOB NOT NULL);
        CREATE INDEX passages_by_article ON passages (article_id);
        CREATE INDEX passages_by_hash ON passages (text_hash);
        CREATE VIRTUAL TABLE passages_fts USING fts5 (
            text, content = 'passages', content_rowid = 'id', tokenize = 'porter unicode61 remove_diacritics 2');
        CREATE TABLE vectors (
            text_hash BLOB NOT NULL,
            model TEXT NOT NULL,
            vector BLOB NOT NULL,
            PRIMARY KEY (text_hash, model));
        INSERT INTO meta (key, value) VALUES ('corpus_version', '0');
        """,

        // 2: who said what. Sources are marked unread so the next ingestion extracts quotes from every article.
        """
        CREATE TABLE quotes (
            id INTEGER PRIMARY KEY,
            article_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            start INTEGER NOT NULL,
            length INTEGER NOT NULL,
            text TEXT NOT NULL,
            speaker TEXT NOT NULL,
            speaker_key TEXT NOT NULL,
            description TEXT,
            aliases TEXT NOT NULL,
            mention_start INTEGER NOT NULL,
            mention_length INTEGER NOT NULL);
        CREATE INDEX quotes_by_article ON quotes (article_id);
        CREATE INDEX quotes_by_speaker ON quotes (speaker_key);
        CREATE VIRTUAL TABLE quotes_fts USING fts5 (
            text, content = 'quotes', content_rowid = 'id', tokenize = 'porter unicode61 remove_diacritics 2');
        UPDATE sources SET hash = '';
        """,

        // 3: the briefing ledger: one row per channel and scheduled occurrence.
        """
        CREATE TABLE briefing_ledger (
            channel TEXT NOT NULL,
            occurrence TEXT NOT NULL,
            state TEXT NOT NULL,
            owner TEXT NOT NULL,
            lease_until TEXT NOT NULL,
            window_from TEXT,
            window_to TEXT,
            posted_at TEXT,
            PRIMARY KEY (channel, occurrence));
        """,

        // 4: corpus files that could not be ingested, by size and modification time, so they are not read again.
        """
        CREATE TABLE rejected_sources (
            path TEXT PRIMARY KEY,
            length INTEGER NOT NULL,
            modified_ticks INTEGER NOT NULL,
            problems TEXT NOT NULL);
        """,

        // 5: keyword search moves to a Lucene index beside the database (KeywordIndex); the database logs which
        // sources each write changed, and names itself so an index of another database is never taken for its own.
        """
        DROP TABLE IF EXISTS passages_fts;
        CREATE TABLE keyword_log (seq INTEGER PRIMARY KEY AUTOINCREMENT, source_path TEXT NOT NULL);
        INSERT INTO meta (key, value) VALUES ('database_id', lower(hex(randomblob(16))));
        """,

        // 6: a live corpus. Feeds and what each of their items became (a source named by the article's URL; a
        // syndicated copy maps its URL to the source already stored); topics channels follow and the articles
        // posted to them; passages removed, so the in-memory vector index drops them without a reload.
        """
        CREATE TABLE feeds (
            url TEXT PRIMARY KEY,
            outlet TEXT,
            interval_seconds INTEGER NOT NULL,
            fetch_articles INTEGER NOT NULL,
            added_at TEXT NOT NULL,
            etag TEXT,
            last_modified TEXT,
            last_success TEXT,
            last_error TEXT,
            last_error_at TEXT,
            failures INTEGER NOT NULL DEFAULT 0,
            next_poll TEXT);
        CREATE TABLE feed_items (
            url TEXT PRIMARY KEY,
            feed_url TEXT NOT NULL,
            source_path TEXT NOT NULL,
            item_hash TEXT NOT NULL,
            seen_at TEXT NOT NULL);
        CREATE INDEX feed_items_by_feed ON feed_items (feed_url);
        CREATE INDEX feed_items_by_source ON feed_items (source_path);
        CREATE INDEX sources_by_hash ON sources (hash);
        CREATE TABLE follows (
            channel TEXT NOT NULL,
            words TEXT NOT NULL,
            created_by TEXT,
            created_at TEXT NOT NULL,
            PRIMARY KEY (channel, words));
        CREATE TABLE follow_posts (
            channel TEXT NOT NULL,
            article_id TEXT NOT NULL,
            words TEXT NOT NULL,
            state TEXT NOT NULL,
            queued_at TEXT NOT NULL,
            posted_at TEXT,
            PRIMARY KEY (channel, article_id));
        CREATE INDEX follow_posts_by_state ON follow_posts (state, channel);
        CREATE TABLE removed_passages (seq INTEGER PRIMARY KEY AUTOINCREMENT, passage_id INTEGER NOT NULL);
        INSERT INTO meta (key, value) VALUES ('vector_resets', '0');
        """,

        // 7: answers as shown with the votes on them (each voter a keyed hash, never an id), and channels' own settings.
        """
        CREATE TABLE shown_answers (
            id TEXT PRIMARY KEY,
            platform TEXT NOT NULL,
            channel TEXT,
            question TEXT NOT NULL,
            shown TEXT NOT NULL,
            sources TEXT NOT NULL,
            generated INTEGER NOT NULL,
            shown_at TEXT NOT NULL);
        CREATE TABLE votes (
            answer_id TEXT NOT NULL,
            voter TEXT NOT NULL,
            up INTEGER NOT NULL,
            comment TEXT,
            voted_at TEXT NOT NULL,
            PRIMARY KEY (answer_id, voter));
        CREATE TABLE channel_settings (
            channel TEXT PRIMARY KEY,
            only_asker INTEGER,
            briefing_on INTEGER,
            briefing_time TEXT,
            briefing_zone TEXT,
            updated_by TEXT,
            updated_at TEXT NOT NULL);
        INSERT INTO meta (key, value) VALUES ('voter_key', lower(hex(randomblob(32))));
        """,

        // 8: the events already handled (shared with any other process on this file) and leases on shared work.
        """
        CREATE TABLE handled_events (key TEXT PRIMARY KEY, expires TEXT NOT NULL);
        CREATE INDEX handled_events_by_expiry ON handled_events (expires);
        CREATE TABLE leases (name TEXT PRIMARY KEY, owner TEXT NOT NULL, held_until TEXT NOT NULL);
        """,

        // 9: the questions of each conversation, so a follow-up reaching another process is read in its context.
        """
        CREATE TABLE conversation_turns (seq INTEGER PRIMARY KEY AUTOINCREMENT, conversation TEXT NOT NULL, question TEXT NOT NULL, at TEXT NOT NULL);
        CREATE INDEX conversation_turns_by_conversation ON conversation_turns (conversation, at);
        """,

        // 10: notes left on leases for their next holder (a Discord shard's session, so the next holder resumes it).
        "CREATE TABLE lease_notes (name TEXT PRIMARY KEY, note TEXT NOT NULL);",

        // 11: the story each article belongs to, kept as articles are ingested.
        """
        CREATE TABLE article_stories (article_id TEXT PRIMARY KEY, story TEXT NOT NULL);
        CREATE INDEX article_stories_by_story ON article_stories (story);
        """,
    ];

    public static int Latest => Migrations.Length;

    public static void Migrate(SqliteConnection connection)
    {
        while (true)
        {
            // The version is read inside a write transaction: a second process opening the same new file waits for
            // the first one's migration and then sees it done, instead of running it again.
            using var transaction = connection.BeginTransaction(deferred: false);
            var version = Convert.ToInt32(SqliteCorpusStore.Scalar(connection, transaction, "PRAGMA user_version"), System.Globalization.CultureInfo.InvariantCulture);
            if (version > Latest)
            {
                throw new Core.StoreException(
                    $"The database has schema version {version}, newer than this BriefingBot knows ({Latest}). Use a newer BriefingBot or another Storage:DatabasePath.");
            }

            if (version == Latest)
            {
                transaction.Commit();
                return;
            }

            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = Migrations[version] + $"\nPRAGMA user_version = {version + 1};";
                command.ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }
}
