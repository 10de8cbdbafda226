import KoniServiceKit

/// The schema of `payment_db` (the seed's `payments`, `payment_methods`, `refunds`, plus the
/// Midtrans order ids a payment used and the notifications it received).
enum PaymentMigrations {
    static let all: [Migration] = [
        Migration(
            version: 1, name: "payments, orders, refunds, methods, notifications and outbox",
            statements: [
                """
                CREATE TABLE payments (
                    id uuid PRIMARY KEY,
                    tenant_id uuid,
                    owner_kind text NOT NULL CHECK (owner_kind IN ('tenant_invoice', 'marketplace_order', 'booking')),
                    owner_id text NOT NULL CHECK (length(owner_id) BETWEEN 1 AND 100),
                    amount bigint NOT NULL CHECK (amount BETWEEN 1 AND 1000000000000),
                    currency text NOT NULL DEFAULT 'IDR',
                    description text NOT NULL,
                    customer_name text,
                    customer_email text,
                    status text NOT NULL CHECK (status IN ('pending', 'paid', 'failed', 'partially_refunded', 'refunded')),
                    order_id text NOT NULL UNIQUE,
                    attempt integer NOT NULL DEFAULT 1 CHECK (attempt BETWEEN 1 AND 20),
                    snap_token text,
                    redirect_url text,
                    payment_type text,
                    transaction_id text,
                    refunded_amount bigint NOT NULL DEFAULT 0,
                    failure_reason text,
                    idempotency_key text NOT NULL UNIQUE,
                    request_hash text NOT NULL,
                    version integer NOT NULL DEFAULT 1,
                    created_at timestamptz NOT NULL DEFAULT now(),
                    updated_at timestamptz NOT NULL DEFAULT now(),
                    paid_at timestamptz,
                    CHECK (refunded_amount BETWEEN 0 AND amount)
                )
                """,
                // One charge at a time per invoice, order or booking: what keeps an invoice from being paid twice.
                "CREATE UNIQUE INDEX payments_one_live_per_owner ON payments (owner_kind, owner_id) WHERE status IN ('pending', 'paid', 'partially_refunded')",
                "CREATE INDEX payments_listing ON payments (created_at DESC, id DESC)",
                "CREATE INDEX payments_tenant_listing ON payments (tenant_id, created_at DESC, id DESC)",
                "CREATE INDEX payments_pending ON payments (updated_at) WHERE status = 'pending'",
                """
                CREATE TABLE payment_orders (
                    order_id text PRIMARY KEY,
                    payment_id uuid NOT NULL REFERENCES payments (id),
                    created_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                """
                CREATE TABLE refunds (
                    id uuid PRIMARY KEY,
                    payment_id uuid NOT NULL REFERENCES payments (id),
                    amount bigint NOT NULL CHECK (amount > 0),
                    reason text NOT NULL,
                    refund_key text NOT NULL UNIQUE,
                    idempotency_key text,
                    status text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
                    failure_reason text,
                    requested_by text NOT NULL,
                    created_at timestamptz NOT NULL DEFAULT now(),
                    updated_at timestamptz NOT NULL DEFAULT now(),
                    UNIQUE (payment_id, idempotency_key)
                )
                """,
                """
                CREATE TABLE payment_methods (
                    code text PRIMARY KEY,
                    name text NOT NULL,
                    kind text NOT NULL CHECK (kind IN ('bank_transfer', 'ewallet', 'qris', 'card', 'retail')),
                    enabled boolean NOT NULL DEFAULT true,
                    position integer NOT NULL
                )
                """,
                """
                INSERT INTO payment_methods (code, name, kind, position) VALUES
                    ('bca_va', 'BCA Virtual Account', 'bank_transfer', 1),
                    ('bni_va', 'BNI Virtual Account', 'bank_transfer', 2),
                    ('bri_va', 'BRI Virtual Account', 'bank_transfer', 3),
                    ('echannel', 'Mandiri Bill Payment', 'bank_transfer', 4),
                    ('permata_va', 'Permata Virtual Account', 'bank_transfer', 5),
                    ('other_qris', 'QRIS', 'qris', 6),
                    ('gopay', 'GoPay', 'ewallet', 7),
                    ('shopeepay', 'ShopeePay', 'ewallet', 8)
                """,
                """
                CREATE TABLE payment_notifications (
                    id bigserial PRIMARY KEY,
                    order_id text NOT NULL,
                    transaction_status text NOT NULL,
                    signature_valid boolean NOT NULL,
                    outcome text NOT NULL,
                    received_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                "CREATE INDEX payment_notifications_order ON payment_notifications (order_id, id)",
            ] + Outbox.migrationStatements),
        Migration(
            version: 2, name: "when the current Snap call started",
            statements: [
                "ALTER TABLE payments ADD COLUMN snap_requested_at timestamptz"
            ]),
    ]
}
