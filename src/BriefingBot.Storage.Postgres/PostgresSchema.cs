using Npgsql;

namespace BriefingBot.Storage.Postgres;

/// <summary>
/// The PostgreSQL schema and its migrations, recorded in <c>schema_migrations</c>. They run at start in one
/// transaction under an advisory lock, so instances starting together apply each migration once: the second waits
/// for the first and then finds them done. A database from a newer version of the bot is refused rather than damaged.
/// </summary>
internal static class PostgresSchema
{
    /// <summary>The advisory lock key of migrations ("BBschema").</summary>
    private const long MigrationLock = 0x4242_7363_6865_6D61;

    private static readonly string[] Migrations =
    [
        // 1: the corpus, the logs the in-process indexes follow, the briefing ledger, handled events and leases.
        // Times are timestamptz; passage ids are given by the writer (never used twice); vectors are keyed by the hash of
        // the text they encode, and their rowid orders them for the in-process vector index.
        """
        CREATE TABLE meta (key text PRIMARY KEY, value text NOT NULL);
        CREATE TABLE sources (
            path text PRIMARY KEY,
            hash text NOT NULL,
            length bigint NOT NULL,
            ingested_at timestamptz NOT NULL);
        CREATE INDEX sources_by_hash ON sources (hash);
        CREATE TABLE articles (
            id text PRIMARY KEY,
            source_path text NOT NULL,
            source text NOT NULL,
            title text NOT NULL,
            outlet text,
            url text,
            published text,
            published_utc timestamptz,
            author text,
            dateline text,
            text text NOT NULL,
            first_ingested timestamptz NOT NULL);
        CREATE INDEX articles_by_source ON articles (source_path);
        CREATE INDEX articles_by_published ON articles (published_utc);
        CREATE INDEX articles_by_first_ingested ON articles (first_ingested) WHERE published_utc IS NULL;
        CREATE TABLE passages (
            id bigint PRIMARY KEY,
            article_id text NOT NULL,
            ordinal integer NOT NULL,
            paragraph integer NOT NULL,
            start integer NOT NULL,
            length integer NOT NULL,
            sentences text NOT NULL,
            text text NOT NULL,
            own_start integer NOT NULL,
            text_hash bytea NOT NULL);
        CREATE INDEX passages_by_article ON passages (article_id);
        CREATE INDEX passages_by_hash ON passages (text_hash);
        CREATE TABLE vectors (
            text_hash bytea NOT NULL,
            model text NOT NULL,
            vector bytea NOT NULL,
            rowid bigserial NOT NULL UNIQUE,
            PRIMARY KEY (text_hash, model));
        CREATE TABLE quotes (
            id bigserial PRIMARY KEY,
            article_id text NOT NULL,
            kind text NOT NULL,
            start integer NOT NULL,
            length integer NOT NULL,
            text text NOT NULL,
            speaker text NOT NULL,
            speaker_key text NOT NULL,
            description text,
            aliases text NOT NULL,
            mention_start integer NOT NULL,
            mention_length integer NOT NULL,
            search tsvector GENERATED ALWAYS AS (to_tsvector('english', text)) STORED);
        CREATE INDEX quotes_by_article ON quotes (article_id);
        CREATE INDEX quotes_by_speaker ON quotes (speaker_key);
        CREATE INDEX quotes_search ON quotes USING gin (search);
        CREATE TABLE keyword_log (seq bigserial PRIMARY KEY, source_path text NOT NULL);
        CREATE TABLE removed_passages (seq bigserial PRIMARY KEY, passage_id bigint NOT NULL);
        CREATE TABLE briefing_ledger (
            channel text NOT NULL,
            occurrence timestamptz NOT NULL,
            state text NOT NULL,
            owner text NOT NULL,
            lease_until timestamptz NOT NULL,
            window_from timestamptz,
            window_to timestamptz,
            posted_at timestamptz,
            PRIMARY KEY (channel, occurrence));
        CREATE TABLE handled_events (key text PRIMARY KEY, expires timestamptz NOT NULL);
        CREATE INDEX handled_events_by_expiry ON handled_events (expires);
        CREATE TABLE leases (name text PRIMARY KEY, owner text NOT NULL, held_until timestamptz NOT NULL);
        INSERT INTO meta (key, value) VALUES
            ('database_id', replace(gen_random_uuid()::text, '-', '')),
            ('vector_resets', '0'),
            ('passage_high', '0');
        """,

        // 2: the bot's own state beside the corpus: files that could not be ingested, feeds and their items, follows
        // and what was posted for them, answers shown with their votes (each voter a keyed hash), channels' settings.
        """
        CREATE TABLE rejected_sources (
            path text PRIMARY KEY,
            length bigint NOT NULL,
            modified_ticks bigint NOT NULL,
            problems text NOT NULL);
        CREATE TABLE feeds (
            url text PRIMARY KEY,
            outlet text,
            interval_seconds bigint NOT NULL,
            fetch_articles boolean NOT NULL,
            added_at timestamptz NOT NULL,
            etag text,
            last_modified text,
            last_success timestamptz,
            last_error text,
            last_error_at timestamptz,
            failures integer NOT NULL DEFAULT 0,
            next_poll timestamptz);
        CREATE TABLE feed_items (
            url text PRIMARY KEY,
            feed_url text NOT NULL,
            source_path text NOT NULL,
            item_hash text NOT NULL,
            seen_at timestamptz NOT NULL);
        CREATE INDEX feed_items_by_feed ON feed_items (feed_url);
        CREATE INDEX feed_items_by_source ON feed_items (source_path);
        CREATE TABLE follows (
            channel text NOT NULL,
            words text NOT NULL,
            created_by text,
            created_at timestamptz NOT NULL,
            PRIMARY KEY (channel, words));
        CREATE TABLE follow_posts (
            channel text NOT NULL,
            article_id text NOT NULL,
            words text NOT NULL,
            state text NOT NULL,
            queued_at timestamptz NOT NULL,
            posted_at timestamptz,
            seq bigserial NOT NULL,
            PRIMARY KEY (channel, article_id));
        CREATE INDEX follow_posts_by_state ON follow_posts (state, channel);
        CREATE TABLE shown_answers (
            id text PRIMARY KEY,
            platform text NOT NULL,
            channel text,
            question text NOT NULL,
            shown text NOT NULL,
            sources text[] NOT NULL,
            generated boolean NOT NULL,
            shown_at timestamptz NOT NULL);
        CREATE TABLE votes (
            answer_id text NOT NULL,
            voter text NOT NULL,
            up boolean NOT NULL,
            comment text,
            voted_at timestamptz NOT NULL,
            PRIMARY KEY (answer_id, voter));
        CREATE TABLE channel_settings (
            channel text PRIMARY KEY,
            only_asker boolean,
            briefing_on boolean,
            briefing_time text,
            briefing_zone text,
            updated_by text,
            updated_at timestamptz NOT NULL);
        INSERT INTO meta (key, value) VALUES ('voter_key', replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''));
        """,

        // 3: the questions of each conversation, so a follow-up reaching another instance is read in its context.
        """
        CREATE TABLE conversation_turns (seq bigserial PRIMARY KEY, conversation text NOT NULL, question text NOT NULL, at timestamptz NOT NULL);
        CREATE INDEX conversation_turns_by_conversation ON conversation_turns (conversation, at);
        """,

        // 4: notes left on leases for their next holder (a Discord shard's session, so the next holder resumes it).
        "CREATE TABLE lease_notes (name text PRIMARY KEY, note text NOT NULL);",

        // 5: the story each article belongs to, kept as articles are ingested.
        """
        CREATE TABLE article_stories (article_id text PRIMARY KEY, story text NOT NULL);
        CREATE INDEX article_stories_by_story ON article_stories (story);
        """,
    ];

    public static int Latest => Migrations.Length;

    public static void Migrate(NpgsqlConnection connection)
    {
        using var transaction = connection.BeginTransaction();
        Db.Execute(connection, transaction, "SELECT pg_advisory_xact_lock(@key)", ("@key", MigrationLock));
        Db.Execute(connection, transaction,
            "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())");
        var version = Convert.ToInt32(Db.Scalar(connection, transaction, "SELECT coalesce(max(version), 0) FROM schema_migrations"),
            System.Globalization.CultureInfo.InvariantCulture);
        if (version > Latest)
        {
            throw new Core.StoreException(
                $"The PostgreSQL database has schema version {version}, newer than this BriefingBot knows ({Latest}). Use a newer BriefingBot or another database.");
        }

        for (; version < Latest; version++)
        {
            Db.Execute(connection, transaction, Migrations[version]);
            Db.Execute(connection, transaction, "INSERT INTO schema_migrations (version) VALUES (@version)", ("@version", version + 1));
        }

        transaction.Commit();
    }
}
