import KoniServiceKit

/// The schema of `gms_db`: the seed's `tournaments`, `matches`, `match_participants` and
/// `gms_sync_logs`, the sync's resumable position per source and tournament, the inbox and the
/// outbox.
enum GMSMigrations {
    static let all: [Migration] = [
        Migration(
            version: 1, name: "tournaments, matches, participants, sync state and logs, outbox",
            statements: [
                """
                CREATE TABLE tournaments (
                    id uuid PRIMARY KEY,
                    tenant_id uuid NOT NULL,
                    slug text NOT NULL,
                    name text NOT NULL,
                    sport_code text NOT NULL,
                    format text NOT NULL CHECK (format IN ('league', 'knockout')),
                    starts_on date NOT NULL,
                    ends_on date NOT NULL CHECK (ends_on >= starts_on),
                    venue text NOT NULL DEFAULT '',
                    external_source text,
                    external_id text,
                    version integer NOT NULL DEFAULT 1,
                    created_at timestamptz NOT NULL DEFAULT now(),
                    updated_at timestamptz NOT NULL DEFAULT now(),
                    UNIQUE (tenant_id, slug),
                    UNIQUE (external_source, external_id)
                )
                """,
                """
                CREATE TABLE matches (
                    id uuid PRIMARY KEY,
                    tenant_id uuid NOT NULL,
                    tournament_id uuid NOT NULL REFERENCES tournaments (id) ON DELETE CASCADE,
                    round integer NOT NULL CHECK (round BETWEEN 1 AND 64),
                    position integer NOT NULL CHECK (position BETWEEN 1 AND 4096),
                    scheduled_at timestamptz NOT NULL,
                    venue text NOT NULL DEFAULT '',
                    status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'live', 'completed', 'cancelled')),
                    home_name text NOT NULL DEFAULT '',
                    away_name text NOT NULL DEFAULT '',
                    home_athlete_id uuid,
                    away_athlete_id uuid,
                    score jsonb,
                    winner text CHECK (winner IN ('home', 'away')),
                    external_id text,
                    version integer NOT NULL DEFAULT 1,
                    completed_at timestamptz,
                    updated_at timestamptz NOT NULL DEFAULT now(),
                    UNIQUE (tournament_id, round, position),
                    UNIQUE (tournament_id, external_id)
                )
                """,
                "CREATE INDEX matches_home_athlete ON matches (home_athlete_id) WHERE home_athlete_id IS NOT NULL",
                "CREATE INDEX matches_away_athlete ON matches (away_athlete_id) WHERE away_athlete_id IS NOT NULL",
                // Each athlete's own statistics of a match (goals, assists …), as the result gave them.
                """
                CREATE TABLE match_participants (
                    match_id uuid NOT NULL REFERENCES matches (id) ON DELETE CASCADE,
                    athlete_id uuid NOT NULL,
                    side text NOT NULL CHECK (side IN ('home', 'away')),
                    stats jsonb NOT NULL DEFAULT '{}',
                    PRIMARY KEY (match_id, athlete_id)
                )
                """,
                "CREATE INDEX match_participants_athlete ON match_participants (athlete_id)",
                // Where the last sync of a source stopped: the tournaments' cursor and the
                // `updated_since` of the next run; one row per source.
                """
                CREATE TABLE gms_sync_state (
                    source text PRIMARY KEY,
                    tournaments_since text,
                    tournaments_cursor text,
                    tournaments_seen_until text
                )
                """,
                // The same for each synced tournament's matches.
                """
                CREATE TABLE gms_sync_tournaments (
                    source text NOT NULL,
                    external_id text NOT NULL,
                    tournament_id uuid NOT NULL REFERENCES tournaments (id) ON DELETE CASCADE,
                    matches_since text,
                    matches_cursor text,
                    matches_seen_until text,
                    PRIMARY KEY (source, external_id)
                )
                """,
                """
                CREATE TABLE gms_sync_logs (
                    id bigserial PRIMARY KEY,
                    source text NOT NULL,
                    started_at timestamptz NOT NULL DEFAULT now(),
                    finished_at timestamptz,
                    status text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'rate_limited', 'interrupted')),
                    requests integer NOT NULL DEFAULT 0,
                    retries integer NOT NULL DEFAULT 0,
                    pages integer NOT NULL DEFAULT 0,
                    tournaments integer NOT NULL DEFAULT 0,
                    matches integer NOT NULL DEFAULT 0,
                    refused integer NOT NULL DEFAULT 0,
                    waited_ms bigint NOT NULL DEFAULT 0,
                    error text
                )
                """,
            ] + Outbox.migrationStatements),
        // A tournament's matches are read again only when the tournaments' listing returned it
        // (the contract bumps a tournament's updated_at when its matches change).
        Migration(
            version: 2, name: "match passes only for tournaments that changed",
            statements: [
                "ALTER TABLE gms_sync_tournaments ADD COLUMN matches_due boolean NOT NULL DEFAULT true"
            ]),
    ]
}
