import KoniServiceKit

/// The schema of `media_db` (the seed's `media_files` and `media_folders`). Every row belongs to
/// a branch (`tenant_id`); a file's bytes are in the object store under `storage_key`.
enum MediaMigrations {
    static let all: [Migration] = [
        Migration(
            version: 1, name: "media tables and outbox",
            statements: [
                """
                CREATE TABLE media_folders (
                    id uuid PRIMARY KEY,
                    tenant_id uuid NOT NULL,
                    name text NOT NULL,
                    created_at timestamptz NOT NULL DEFAULT now(),
                    UNIQUE (tenant_id, name)
                )
                """,
                """
                CREATE TABLE media_files (
                    id uuid PRIMARY KEY,
                    tenant_id uuid NOT NULL,
                    folder_id uuid REFERENCES media_folders (id) ON DELETE RESTRICT,
                    filename text NOT NULL,
                    media_type text NOT NULL,
                    bytes bigint NOT NULL CHECK (bytes > 0),
                    sha256 text NOT NULL,
                    width integer NOT NULL CHECK (width > 0),
                    height integer NOT NULL CHECK (height > 0),
                    alt text NOT NULL DEFAULT '',
                    caption text NOT NULL DEFAULT '',
                    storage_key text NOT NULL UNIQUE,
                    uploaded_by text NOT NULL,
                    version integer NOT NULL DEFAULT 1,
                    created_at timestamptz NOT NULL DEFAULT now(),
                    updated_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                "CREATE INDEX media_files_listing ON media_files (tenant_id, created_at DESC, id DESC)",
                "CREATE INDEX media_files_folder ON media_files (folder_id)",
            ] + Outbox.migrationStatements)
    ]
}
