import KoniServiceKit

/// The schema of `tenant_db` (the seed's `tenants`, `subscriptions`, `subscription_invoices`,
/// plus the domains each branch answers to, the plans, and the per-year invoice counters that
/// keep invoice numbers gapless).
enum TenantMigrations {
    static let all: [Migration] = [
        Migration(
            version: 1, name: "tenants, domains, plans, subscriptions, invoices, inbox and outbox",
            statements: [
                """
                CREATE TABLE tenants (
                    id uuid PRIMARY KEY,
                    slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'),
                    name text NOT NULL,
                    level text NOT NULL CHECK (level IN ('pusat', 'provinsi', 'kabupaten-kota')),
                    parent_id uuid REFERENCES tenants (id),
                    domains text[] NOT NULL DEFAULT '{}',
                    status text NOT NULL CHECK (status IN ('active', 'suspended')),
                    suspended_reason text,
                    theme_preset text NOT NULL,
                    version integer NOT NULL DEFAULT 1,
                    created_at timestamptz NOT NULL DEFAULT now(),
                    updated_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                "CREATE INDEX tenants_listing ON tenants (created_at DESC, id DESC)",
                // Every name a branch answers to (its <slug>.koni.id and custom domains): unique across branches.
                """
                CREATE TABLE tenant_domains (
                    domain text PRIMARY KEY,
                    tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE
                )
                """,
                """
                CREATE TABLE plans (
                    code text PRIMARY KEY,
                    name text NOT NULL,
                    price_idr bigint NOT NULL CHECK (price_idr BETWEEN 0 AND 1000000000000),
                    period_months integer NOT NULL CHECK (period_months BETWEEN 1 AND 24),
                    active boolean NOT NULL DEFAULT true
                )
                """,
                """
                INSERT INTO plans (code, name, price_idr, period_months) VALUES
                    ('bulanan', 'KONI Compro bulanan', 250000, 1),
                    ('tahunan', 'KONI Compro tahunan', 2500000, 12)
                """,
                """
                CREATE TABLE subscriptions (
                    id uuid PRIMARY KEY,
                    tenant_id uuid NOT NULL UNIQUE REFERENCES tenants (id),
                    plan_code text NOT NULL REFERENCES plans (code),
                    status text NOT NULL CHECK (status IN ('active', 'past_due', 'cancelled')),
                    current_period_start date NOT NULL,
                    current_period_end date NOT NULL CHECK (current_period_end > current_period_start),
                    created_at timestamptz NOT NULL DEFAULT now(),
                    updated_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                """
                CREATE TABLE invoice_sequences (
                    year integer PRIMARY KEY,
                    last integer NOT NULL
                )
                """,
                """
                CREATE TABLE subscription_invoices (
                    id uuid PRIMARY KEY,
                    subscription_id uuid NOT NULL REFERENCES subscriptions (id),
                    tenant_id uuid NOT NULL REFERENCES tenants (id),
                    number text NOT NULL UNIQUE,
                    year integer NOT NULL,
                    sequence integer NOT NULL,
                    plan_code text NOT NULL,
                    amount bigint NOT NULL CHECK (amount >= 0),
                    period_start date NOT NULL,
                    period_end date NOT NULL,
                    due_date date NOT NULL,
                    status text NOT NULL CHECK (status IN ('issued', 'paid', 'void')),
                    payment_attempt integer NOT NULL DEFAULT 1,
                    payment_id uuid,
                    issued_at timestamptz NOT NULL DEFAULT now(),
                    paid_at timestamptz,
                    UNIQUE (year, sequence),
                    UNIQUE (subscription_id, period_start)
                )
                """,
                "CREATE INDEX invoices_tenant ON subscription_invoices (tenant_id, issued_at DESC)",
            ] + InboxConsumer.migrationStatements + Outbox.migrationStatements)
    ]
}
