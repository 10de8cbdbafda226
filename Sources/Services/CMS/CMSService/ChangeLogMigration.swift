import KoniServiceKit

/// The change log behind `/sites/{tenant}/changes`: one row per item (and one for the site's
/// settings and theme) holding the tenant-local sequence number of its latest change, deletions
/// included, so that a reader that remembers a cursor can ask for exactly what changed since.
///
/// The log is written by PostgreSQL triggers, not by the API code: no write path (an admin
/// request, a section edit, a cascade, a bulk import, an operator's SQL) can change an item
/// without the log knowing.
///
/// Each tenant's counter is a column of its `cms_site_settings` row. A trigger increments it
/// with `UPDATE … RETURNING`, which takes the row's lock until the transaction ends, so one
/// tenant's sequence numbers are handed out in commit order: a reader never sees number 7
/// committed while 6 is still in flight, and a cursor can never skip a change. Different
/// tenants do not wait for each other.
enum ChangeLogMigration {
    static let migration = Migration(
        version: 2, name: "change log",
        statements: [
            "ALTER TABLE cms_site_settings ADD COLUMN change_seq bigint NOT NULL DEFAULT 0",
            """
            CREATE TABLE cms_changes (
                tenant_id uuid NOT NULL REFERENCES cms_site_settings (tenant_id) ON DELETE CASCADE,
                item_id uuid NOT NULL,
                collection text NOT NULL,
                seq bigint NOT NULL,
                PRIMARY KEY (tenant_id, item_id)
            )
            """,
            "CREATE INDEX cms_changes_feed ON cms_changes (tenant_id, seq)",
            // Numbers the given items' latest change, per tenant, in one step per tenant.
            """
            CREATE FUNCTION cms_log_items(p_collection text, p_tenants uuid[], p_items uuid[]) RETURNS void
            LANGUAGE plpgsql AS $$
            DECLARE
                t uuid;
                ids uuid[];
                base bigint;
            BEGIN
                FOR t IN SELECT DISTINCT x FROM unnest(p_tenants) AS x WHERE x IS NOT NULL ORDER BY x LOOP
                    SELECT array_agg(DISTINCT u.item) INTO ids FROM unnest(p_tenants, p_items) AS u(tenant, item)
                        WHERE u.tenant = t AND u.item IS NOT NULL;
                    CONTINUE WHEN ids IS NULL;
                    UPDATE cms_site_settings SET change_seq = change_seq + cardinality(ids) WHERE tenant_id = t
                        RETURNING change_seq - cardinality(ids) INTO base;
                    -- The tenant itself is being deleted: its log goes with it.
                    CONTINUE WHEN base IS NULL;
                    INSERT INTO cms_changes (tenant_id, item_id, collection, seq)
                        SELECT t, i, p_collection, base + row_number() OVER (ORDER BY i) FROM unnest(ids) AS i
                        ON CONFLICT (tenant_id, item_id) DO UPDATE SET seq = EXCLUDED.seq, collection = EXCLUDED.collection;
                END LOOP;
            END
            $$
            """,
            logFunction("cms_content_changed", collection: "TG_ARGV[0]", item: "id"),
            // A section belongs to its page: changing one changes the page.
            logFunction("cms_sections_changed", collection: "'pages'", item: "page_id"),
            // Photos carry no tenant: it is their gallery's (a gallery being deleted logs itself).
            """
            CREATE FUNCTION cms_photos_changed() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'DELETE' THEN
                    PERFORM cms_log_items('galleries', (SELECT array_agg(g.tenant_id) FROM old_rows r JOIN cms_galleries g ON g.id = r.gallery_id),
                        (SELECT array_agg(g.id) FROM old_rows r JOIN cms_galleries g ON g.id = r.gallery_id));
                ELSE
                    PERFORM cms_log_items('galleries', (SELECT array_agg(g.tenant_id) FROM new_rows r JOIN cms_galleries g ON g.id = r.gallery_id),
                        (SELECT array_agg(g.id) FROM new_rows r JOIN cms_galleries g ON g.id = r.gallery_id));
                END IF;
                RETURN NULL;
            END
            $$
            """,
            // Settings and theme are one entry, the site, whose id is the tenant's.
            """
            CREATE FUNCTION cms_site_row_changed() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM cms_log_items('site', ARRAY[NEW.tenant_id], ARRAY[NEW.tenant_id]);
                RETURN NULL;
            END
            $$
            """,
            """
            CREATE FUNCTION cms_site_changed() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM cms_log_items('site', (SELECT array_agg(tenant_id) FROM new_rows), (SELECT array_agg(tenant_id) FROM new_rows));
                RETURN NULL;
            END
            $$
            """,
        ] + contentTriggers + siteTriggers + backfill)

    /// A statement trigger's function that logs the rows it touched: `item` names the column
    /// holding the logged item's id, `collection` is an SQL expression for its collection.
    static func logFunction(_ name: String, collection: String, item: String) -> String {
        """
        CREATE FUNCTION \(name)() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                PERFORM cms_log_items(\(collection), (SELECT array_agg(tenant_id) FROM old_rows), (SELECT array_agg(\(item)) FROM old_rows));
            ELSE
                PERFORM cms_log_items(\(collection), (SELECT array_agg(tenant_id) FROM new_rows), (SELECT array_agg(\(item)) FROM new_rows));
            END IF;
            RETURN NULL;
        END
        $$
        """
    }

    static let contentTables = [
        ("cms_pages", "pages"), ("cms_news", "news"), ("cms_events", "events"), ("cms_galleries", "galleries"), ("cms_athletes", "athletes"),
    ]

    static let contentTriggers: [String] =
        contentTables.flatMap { table, collection in
            triggers(on: table, function: "cms_content_changed('\(collection)')")
        } + triggers(on: "cms_sections", function: "cms_sections_changed()") + triggers(on: "cms_gallery_photos", function: "cms_photos_changed()")

    /// Statement-level triggers with transition tables, so that a bulk write logs its rows in one
    /// step per tenant instead of one per row.
    static func triggers(on table: String, function: String) -> [String] {
        [
            "CREATE TRIGGER \(table)_log_insert AFTER INSERT ON \(table) REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION \(function)",
            "CREATE TRIGGER \(table)_log_update AFTER UPDATE ON \(table) REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION \(function)",
            "CREATE TRIGGER \(table)_log_delete AFTER DELETE ON \(table) REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION \(function)",
        ]
    }

    /// `UPDATE OF settings`: the counter's own update must not log itself. A column list rules
    /// out transition tables, so that trigger is per row (settings change one tenant at a time).
    static let siteTriggers = [
        "CREATE TRIGGER cms_site_settings_log_insert AFTER INSERT ON cms_site_settings REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cms_site_changed()",
        "CREATE TRIGGER cms_site_settings_log_update AFTER UPDATE OF settings, version ON cms_site_settings FOR EACH ROW EXECUTE FUNCTION cms_site_row_changed()",
        "CREATE TRIGGER cms_themes_log_insert AFTER INSERT ON cms_themes REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cms_site_changed()",
        "CREATE TRIGGER cms_themes_log_update AFTER UPDATE ON cms_themes REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cms_site_changed()",
    ]

    /// What existed before the log: every item and site numbered once, per tenant.
    static let backfill: [String] =
        [
            "INSERT INTO cms_changes (tenant_id, item_id, collection, seq) SELECT tenant_id, tenant_id, 'site', 0 FROM cms_site_settings"
        ]
        + contentTables.map { table, collection in
            "INSERT INTO cms_changes (tenant_id, item_id, collection, seq) SELECT tenant_id, id, '\(collection)', 0 FROM \(table)"
        } + [
            """
            UPDATE cms_changes c SET seq = n.seq FROM (
                SELECT tenant_id, item_id, row_number() OVER (PARTITION BY tenant_id ORDER BY collection COLLATE "C", item_id) AS seq FROM cms_changes
            ) n WHERE c.tenant_id = n.tenant_id AND c.item_id = n.item_id
            """,
            "UPDATE cms_site_settings s SET change_seq = coalesce((SELECT max(seq) FROM cms_changes c WHERE c.tenant_id = s.tenant_id), 0)",
        ]
}
