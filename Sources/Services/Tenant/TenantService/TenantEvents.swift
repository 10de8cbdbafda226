import Foundation
import KoniJSON
import KoniServiceKit

/// `tenant.created`, `tenant.updated`, `tenant.suspended` (shared/MISSION.md: tenant_id, slug,
/// name, domains[]; also level, parent_id, status and theme_preset, which the provisioner and the
/// CMS use) and `tenant.subscription_paid` (tenant_id, subscription_id, invoice_id, amount).
enum TenantEvents {
    static func changed(_ type: EventType, _ tenant: TenantRecord, traceID: String) -> OutboxEvent {
        let data = JSONValue.object([
            ("tenant_id", .string(tenant.id.uuidString.lowercased())), ("slug", .string(tenant.slug)), ("name", .string(tenant.name)),
            ("domains", .array(tenant.allDomains.map { .string($0) })), ("level", .string(tenant.level.rawValue)),
            ("parent_id", tenant.parentID.map { .string($0.uuidString.lowercased()) } ?? .null), ("status", .string(tenant.status.rawValue)),
            ("theme_preset", .string(tenant.themePreset)), ("version", .number(Double(tenant.version))),
        ])
        return OutboxEvent(type: type, tenantID: tenant.id, tenantSlug: tenant.slug, data: data, traceID: traceID)
    }

    static func subscriptionPaid(_ invoice: InvoiceRecord, tenantSlug: String, traceID: String) -> OutboxEvent {
        let data = JSONValue.object([
            ("tenant_id", .string(invoice.tenantID.uuidString.lowercased())), ("subscription_id", .string(invoice.subscriptionID.uuidString.lowercased())),
            ("invoice_id", .string(invoice.id.uuidString.lowercased())), ("invoice_number", .string(invoice.number)),
            ("amount", .number(Double(invoice.amount))),
            ("period_start", .string(invoice.periodStart)), ("period_end", .string(invoice.periodEnd)),
        ])
        return OutboxEvent(type: .tenantSubscriptionPaid, tenantID: invoice.tenantID, tenantSlug: tenantSlug, data: data, traceID: traceID)
    }
}
