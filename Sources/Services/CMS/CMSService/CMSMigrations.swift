import KoniServiceKit

/// The schema of `cms_db`. Every content row belongs to a tenant (`tenant_id` from the Tenant
/// service, `tenant_slug` for addressing) and carries a `version` for optimistic concurrency.
/// Dates are kept twice: `<name>_at` (timestamptz, for ordering) and `<name>_text`, the value
/// as the author gave it (`2026-11-24` or `2026-11-24T09:30:00+07:00`), so that the time-zone
/// offset and the "has a time" flag survive.
enum CMSMigrations {
    static let common = """
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES cms_site_settings (tenant_id) ON DELETE CASCADE,
        tenant_slug text NOT NULL,
        slug text NOT NULL,
        published boolean NOT NULL DEFAULT false,
        published_at timestamptz,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (tenant_id, slug)
        """

    static let all: [Migration] = [
        Migration(
            version: 1, name: "cms tables and outbox",
            statements: [
                """
                CREATE TABLE cms_site_settings (
                    tenant_id uuid PRIMARY KEY,
                    tenant_slug text NOT NULL UNIQUE,
                    settings jsonb NOT NULL,
                    version integer NOT NULL DEFAULT 1,
                    created_at timestamptz NOT NULL DEFAULT now(),
                    updated_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                """
                CREATE TABLE cms_themes (
                    tenant_id uuid PRIMARY KEY REFERENCES cms_site_settings (tenant_id) ON DELETE CASCADE,
                    tenant_slug text NOT NULL,
                    preset text NOT NULL,
                    overrides jsonb NOT NULL DEFAULT '[]',
                    version integer NOT NULL DEFAULT 1,
                    updated_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                """
                CREATE TABLE cms_pages (\(common),
                    title text NOT NULL, page_order integer NOT NULL, menu boolean NOT NULL, summary text NOT NULL, body text NOT NULL)
                """,
                """
                CREATE TABLE cms_sections (
                    id uuid PRIMARY KEY,
                    tenant_id uuid NOT NULL,
                    tenant_slug text NOT NULL,
                    page_id uuid NOT NULL REFERENCES cms_pages (id) ON DELETE CASCADE,
                    position integer NOT NULL,
                    type text NOT NULL,
                    content jsonb NOT NULL,
                    UNIQUE (page_id, position) DEFERRABLE INITIALLY DEFERRED
                )
                """,
                """
                CREATE TABLE cms_news (\(common),
                    title text NOT NULL, date_at timestamptz NOT NULL, date_text text NOT NULL, summary text NOT NULL, cover jsonb,
                    tags text[] NOT NULL, author text NOT NULL, body text NOT NULL)
                """,
                """
                CREATE TABLE cms_events (\(common),
                    title text NOT NULL, start_at timestamptz NOT NULL, start_text text NOT NULL, end_at timestamptz, end_text text,
                    location text NOT NULL, registration_url text NOT NULL, summary text NOT NULL, cover jsonb, body text NOT NULL)
                """,
                """
                CREATE TABLE cms_galleries (\(common),
                    title text NOT NULL, date_at timestamptz NOT NULL, date_text text NOT NULL, summary text NOT NULL, body text NOT NULL)
                """,
                """
                CREATE TABLE cms_gallery_photos (
                    gallery_id uuid NOT NULL REFERENCES cms_galleries (id) ON DELETE CASCADE,
                    position integer NOT NULL,
                    src text NOT NULL,
                    alt text NOT NULL,
                    caption text NOT NULL,
                    PRIMARY KEY (gallery_id, position)
                )
                """,
                // `stats` is JSONB for queries (`stats->>'rating_elo'`); JSONB reorders keys, so the
                // author's order is kept beside it in `stats_text`, which is what the API serves.
                """
                CREATE TABLE cms_athletes (\(common),
                    name text NOT NULL, sport text NOT NULL, photo jsonb, region text NOT NULL, club text NOT NULL, birth_year integer,
                    featured boolean NOT NULL, achievements text[] NOT NULL, stats jsonb NOT NULL, stats_text text NOT NULL, body text NOT NULL)
                """,
                "CREATE INDEX cms_news_public ON cms_news (tenant_id, date_at DESC, slug) WHERE published",
                "CREATE INDEX cms_events_public ON cms_events (tenant_id, start_at, slug) WHERE published",
            ] + Outbox.migrationStatements),
        ChangeLogMigration.migration,
        // The public lists order slugs bytewise (`COLLATE "C"`, as the generator does); an index in
        // the database's collation cannot serve that order, so every page sorted the tenant's rows.
        Migration(
            version: 3, name: "list indexes in the lists' order",
            statements: [
                "DROP INDEX cms_news_public",
                "DROP INDEX cms_events_public",
            ]
                + ContentSchema.all.map { schema in
                    "CREATE INDEX \(schema.table)_ordered ON \(schema.table) (tenant_id, \(schema.order)) WHERE published"
                }),
        // Events consumed from other services (tenant.created), each applied once.
        Migration(version: 4, name: "consumed events", statements: InboxConsumer.migrationStatements),
    ]
}
