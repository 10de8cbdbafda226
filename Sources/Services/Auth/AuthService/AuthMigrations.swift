import KoniServiceKit

/// The schema of `auth_db`: accounts, the seed's nine roles and their permissions (seeded from
/// ``RoleMatrix``, so the tables and the checks in every service agree), the roles each user
/// holds (per branch where the role is per branch), refresh tokens with their rotation family,
/// the outbox, and the events already consumed.
enum AuthMigrations {
    static let all: [Migration] = [schema, seed, paymentsSeed, tenantBranches]

    static let schema = Migration(
        version: 1, name: "accounts, roles, permissions, refresh tokens",
        statements: [
            """
            CREATE TABLE users (
                id uuid PRIMARY KEY,
                email text NOT NULL,
                email_key text NOT NULL UNIQUE,
                name text NOT NULL,
                password_hash text NOT NULL,
                status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
                created_at timestamptz NOT NULL DEFAULT now(),
                updated_at timestamptz NOT NULL DEFAULT now(),
                password_changed_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            """
            CREATE TABLE roles (
                name text PRIMARY KEY,
                description text NOT NULL,
                per_branch boolean NOT NULL,
                rank integer NOT NULL
            )
            """,
            "CREATE TABLE permissions (name text PRIMARY KEY)",
            """
            CREATE TABLE role_permissions (
                role text NOT NULL REFERENCES roles (name) ON DELETE CASCADE,
                permission text NOT NULL REFERENCES permissions (name) ON DELETE CASCADE,
                scope text NOT NULL CHECK (scope IN ('all', 'own', 'self')),
                PRIMARY KEY (role, permission)
            )
            """,
            """
            CREATE TABLE user_roles (
                user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
                role text NOT NULL REFERENCES roles (name),
                tenant_id uuid,
                tenant_slug text,
                granted_by uuid,
                granted_at timestamptz NOT NULL DEFAULT now(),
                CHECK ((tenant_id IS NULL) = (tenant_slug IS NULL))
            )
            """,
            // One grant of a role per branch (or one global grant): NULL is spelled out so that it is unique too.
            "CREATE UNIQUE INDEX user_roles_once ON user_roles (user_id, role, coalesce(tenant_id, '00000000-0000-0000-0000-000000000000'::uuid))",
            """
            CREATE TABLE refresh_tokens (
                id uuid PRIMARY KEY,
                family_id uuid NOT NULL,
                user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
                token_hash bytea NOT NULL UNIQUE,
                tenant_id uuid,
                tenant_slug text,
                created_at timestamptz NOT NULL DEFAULT now(),
                expires_at timestamptz NOT NULL,
                used_at timestamptz,
                revoked_at timestamptz,
                revoked_reason text
            )
            """,
            "CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id)",
            "CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id) WHERE revoked_at IS NULL",
            """
            CREATE TABLE consumed_events (
                id text PRIMARY KEY,
                type text NOT NULL,
                consumed_at timestamptz NOT NULL DEFAULT now()
            )
            """,
        ] + Outbox.migrationStatements)

    /// The roles and the matrix, as ``RoleMatrix`` says; re-running only adds what is missing.
    static let seed = Migration(version: 2, name: "the nine roles and their permissions", statements: seedStatements)

    /// The matrix again once `payments:read` and `payments:refund` joined it (the Payment
    /// service): the statements only add what is missing, so a database seeded by version 2 gains them.
    static let paymentsSeed = Migration(version: 3, name: "payments permissions", statements: seedStatements)

    /// The branches the Tenant service announced (their SSO domains), and its events' inbox.
    static let tenantBranches = Migration(
        version: 4, name: "branches of the Tenant service",
        statements: [
            """
            CREATE TABLE auth_branches (
                id uuid PRIMARY KEY,
                slug text NOT NULL UNIQUE,
                name text NOT NULL,
                domains text[] NOT NULL,
                suspended boolean NOT NULL,
                version integer NOT NULL,
                updated_at timestamptz NOT NULL DEFAULT now()
            )
            """
        ])

    static var seedStatements: [String] {
        var statements: [String] = []
        for role in RoleMatrix.roles {
            statements.append(
                "INSERT INTO roles (name, description, per_branch, rank) VALUES (\(literal(role.name)), \(literal(role.description)), \(role.perBranch), \(role.rank)) ON CONFLICT (name) DO NOTHING"
            )
        }
        for permission in RoleMatrix.permissions {
            statements.append("INSERT INTO permissions (name) VALUES (\(literal(permission.rawValue))) ON CONFLICT DO NOTHING")
        }
        for role in RoleMatrix.roles {
            for (permission, scope) in role.permissions {
                statements.append(
                    "INSERT INTO role_permissions (role, permission, scope) VALUES (\(literal(role.name)), \(literal(permission.rawValue)), \(literal(scope.rawValue))) ON CONFLICT DO NOTHING"
                )
            }
        }
        return statements
    }

    /// A SQL string literal of one of the matrix's own names (constants of this package, never input).
    private static func literal(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }
}
