import KoniServiceKit

/// The schema of `athlete_db` (the seed's `sports`, `tenant_sports`, `teams`, `athletes`, plus the
/// officials of a team, the matches already counted into an athlete's statistics, the inbox and
/// the outbox).
enum AthleteMigrations {
    static let all: [Migration] = [
        Migration(
            version: 1, name: "sports, teams, athletes, trigram search, inbox and outbox",
            statements: [
                // Typo-tolerant name search ("Muhamad" finds "Muhammad"); a trusted extension since PostgreSQL 13.
                "CREATE EXTENSION IF NOT EXISTS pg_trgm",
                """
                CREATE TABLE sports (
                    code text PRIMARY KEY,
                    name text NOT NULL,
                    stats jsonb NOT NULL
                )
                """,
                """
                INSERT INTO sports (code, name, stats) VALUES
                    ('sepak-bola', 'Sepak bola', '[{"key":"appearances","max":2000},{"key":"goals","max":5000},{"key":"assists","max":5000}]'),
                    ('catur', 'Catur', '[{"key":"rating_elo","max":4000},{"key":"games","max":100000},{"key":"wins","max":100000}]'),
                    ('bulu-tangkis', 'Bulu tangkis', '[{"key":"matches","max":100000},{"key":"wins","max":100000}]'),
                    ('bola-basket', 'Bola basket', '[{"key":"appearances","max":5000},{"key":"points","max":200000},{"key":"rebounds","max":100000}]'),
                    ('pencak-silat', 'Pencak silat', '[{"key":"bouts","max":10000},{"key":"wins","max":10000}]'),
                    ('atletik', 'Atletik', '[{"key":"races","max":10000},{"key":"medals","max":1000}]')
                """,
                """
                CREATE TABLE tenant_sports (
                    tenant_id uuid NOT NULL,
                    sport_code text NOT NULL REFERENCES sports (code),
                    PRIMARY KEY (tenant_id, sport_code)
                )
                """,
                """
                CREATE TABLE teams (
                    id uuid PRIMARY KEY,
                    tenant_id uuid NOT NULL,
                    sport_code text NOT NULL REFERENCES sports (code),
                    slug text NOT NULL,
                    name text NOT NULL,
                    created_at timestamptz NOT NULL DEFAULT now(),
                    UNIQUE (tenant_id, slug)
                )
                """,
                """
                CREATE TABLE team_officials (
                    team_id uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
                    user_id text NOT NULL,
                    PRIMARY KEY (team_id, user_id)
                )
                """,
                """
                CREATE TABLE athletes (
                    id uuid PRIMARY KEY,
                    tenant_id uuid NOT NULL,
                    slug text NOT NULL,
                    user_id text,
                    guardian_user_id text,
                    full_name text NOT NULL,
                    birth_date date NOT NULL,
                    gender text NOT NULL CHECK (gender IN ('L', 'P')),
                    phone text NOT NULL DEFAULT '',
                    address text NOT NULL DEFAULT '',
                    sport_code text NOT NULL REFERENCES sports (code),
                    club text NOT NULL DEFAULT '',
                    team_id uuid REFERENCES teams (id) ON DELETE SET NULL,
                    photo text NOT NULL DEFAULT '',
                    achievements text[] NOT NULL DEFAULT '{}',
                    stats jsonb NOT NULL DEFAULT '{}',
                    version integer NOT NULL DEFAULT 1,
                    created_at timestamptz NOT NULL DEFAULT now(),
                    updated_at timestamptz NOT NULL DEFAULT now(),
                    UNIQUE (tenant_id, slug)
                )
                """,
                "CREATE INDEX athletes_name_trigrams ON athletes USING gin (full_name gin_trgm_ops)",
                "CREATE INDEX athletes_team ON athletes (team_id)",
                // A match's statistics are added to an athlete once, however often match.completed arrives.
                """
                CREATE TABLE counted_matches (
                    match_id text NOT NULL,
                    athlete_id uuid NOT NULL REFERENCES athletes (id) ON DELETE CASCADE,
                    counted_at timestamptz NOT NULL DEFAULT now(),
                    PRIMARY KEY (match_id, athlete_id)
                )
                """,
            ] + InboxConsumer.migrationStatements + Outbox.migrationStatements),
        // The most alike names first, from the index itself (a GiST trigram index answers
        // `ORDER BY full_name <-> q LIMIT n` without sorting every match: 1 ms instead of 12 on
        // 100,000 athletes whose names share many trigrams), per branch (btree_gist for the uuid).
        Migration(
            version: 2, name: "nearest-name search per branch",
            statements: [
                "CREATE EXTENSION IF NOT EXISTS btree_gist",
                "DROP INDEX athletes_name_trigrams",
                "CREATE INDEX athletes_name_nearest ON athletes USING gist (tenant_id, full_name gist_trgm_ops)",
            ]),
        // Which athletes a branch site's featured section shows.
        Migration(
            version: 3, name: "featured athletes",
            statements: [
                "ALTER TABLE athletes ADD COLUMN featured boolean NOT NULL DEFAULT false"
            ]),
        // Multi-word name search by words first (see AthleteStore+Search): the words of a branch's
        // names (a few thousand, kept by a trigger, so every writer, COPY included, keeps them),
        // a trigram index to correct a query's words against them, and a word index on the names.
        Migration(
            version: 4, name: "name words for multi-word search",
            statements: [
                """
                CREATE TABLE athlete_name_words (
                    tenant_id uuid NOT NULL,
                    word text NOT NULL,
                    PRIMARY KEY (tenant_id, word)
                )
                """,
                "CREATE INDEX athlete_name_words_nearest ON athlete_name_words USING gist (tenant_id, word gist_trgm_ops)",
                // Each word keyed by its branch ("<tenant id> <word>"): a pair of words of one branch is
                // one GIN lookup, however many athletes other branches (or this one) have.
                """
                CREATE FUNCTION athlete_name_keys(tenant uuid, name text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
                    SELECT coalesce(array_agg(tenant::text || ' ' || word), '{}') FROM unnest(\(AthleteStore.nameWords("name"))) AS word WHERE word <> ''
                $$
                """,
                // fastupdate off: GIN's pending list (up to 4 MB of unmerged entries after a bulk import)
                // is read by every search until a vacuum merges it; athletes are written rarely.
                "CREATE INDEX athletes_name_keys ON athletes USING gin (athlete_name_keys(tenant_id, full_name)) WITH (fastupdate = off)",
                """
                CREATE FUNCTION athlete_name_words_keep() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO athlete_name_words (tenant_id, word)
                    SELECT NEW.tenant_id, word FROM unnest(\(AthleteStore.nameWords("NEW.full_name"))) AS word WHERE word <> ''
                    ON CONFLICT DO NOTHING;
                    RETURN NULL;
                END
                $$
                """,
                "CREATE TRIGGER athletes_name_words AFTER INSERT OR UPDATE OF full_name ON athletes FOR EACH ROW EXECUTE FUNCTION athlete_name_words_keep()",
                """
                INSERT INTO athlete_name_words (tenant_id, word)
                SELECT DISTINCT tenant_id, word FROM athletes, unnest(\(AthleteStore.nameWords("full_name"))) AS word WHERE word <> ''
                """,
            ]),
        // One-word search (see AthleteStore+Search): per branch and word, the names holding it,
        // shortest first. A name's count of distinct trigrams orders them as `similarity` to that
        // word does (the word's trigrams are all in the name, so similarity is their count over
        // the name's), so a page is an index range and not a sort of every name with the word.
        Migration(
            version: 5, name: "names by word, most alike first",
            statements: [
                """
                CREATE TABLE athlete_names_by_word (
                    tenant_id uuid NOT NULL,
                    word text NOT NULL,
                    trigrams integer NOT NULL,
                    full_name text NOT NULL,
                    athlete_id uuid NOT NULL REFERENCES athletes (id) ON DELETE CASCADE ON UPDATE CASCADE,
                    PRIMARY KEY (tenant_id, word, trigrams, full_name, athlete_id)
                )
                """,
                "CREATE INDEX athlete_names_by_word_athlete ON athlete_names_by_word (athlete_id)",
                """
                CREATE FUNCTION athlete_names_by_word_keep() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'UPDATE' THEN
                        DELETE FROM athlete_names_by_word WHERE athlete_id = NEW.id;
                    END IF;
                    INSERT INTO athlete_names_by_word (tenant_id, word, trigrams, full_name, athlete_id)
                    SELECT DISTINCT NEW.tenant_id, word, cardinality(show_trgm(NEW.full_name)), NEW.full_name, NEW.id
                    FROM unnest(\(AthleteStore.nameWords("NEW.full_name"))) AS word WHERE word <> '';
                    RETURN NULL;
                END
                $$
                """,
                // Deletions follow by the foreign key; an update only when the name or branch changed
                // (every statistics update sets full_name). An insert deletes nothing: in a bulk COPY
                // the function's cached plan for a DELETE, made while the table was empty, scanned it
                // whole for every row (100,000 athletes took over ten minutes instead of 20 s).
                "CREATE TRIGGER athletes_names_by_word AFTER INSERT ON athletes FOR EACH ROW EXECUTE FUNCTION athlete_names_by_word_keep()",
                """
                CREATE TRIGGER athletes_names_by_word_renamed AFTER UPDATE OF full_name, tenant_id ON athletes FOR EACH ROW
                WHEN (OLD.full_name IS DISTINCT FROM NEW.full_name OR OLD.tenant_id IS DISTINCT FROM NEW.tenant_id)
                EXECUTE FUNCTION athlete_names_by_word_keep()
                """,
                """
                INSERT INTO athlete_names_by_word (tenant_id, word, trigrams, full_name, athlete_id)
                SELECT DISTINCT tenant_id, word, cardinality(show_trgm(full_name)), full_name, id
                FROM athletes, unnest(\(AthleteStore.nameWords("full_name"))) AS word WHERE word <> ''
                """,
                // Without statistics the planner sorts every name holding a word instead of reading the
                // index in order (10 ms against 1 ms for "Alif" on 100,000 athletes).
                "ANALYZE athlete_names_by_word",
            ]),
    ]
}
