import ComproModel
import Foundation
import Hummingbird
import KoniJSON
import KoniServiceKit
import PostgresNIO

extension TenantAPI {
    /// The registry: list, create, read, change (with the version seen), suspend and resume.
    func registerTenants(on api: RouterGroup<KoniRequestContext>) {
        api.get("") { request, context in
            guard let identity = context.identity else { throw APIError.unauthorized }
            var only: UUID?
            if !identity.allows(.tenantsRead, tenant: nil) {
                guard identity.permissions.contains(Permission.tenantsRead.claim(.own)), let own = identity.tenantID else {
                    throw APIError.forbidden("reading branches needs tenants:read")
                }
                only = own
            }
            let limit = try KeysetPaging.limit(request)
            let after = try KeysetPaging.after(request)
            let records = try await database.client.withConnection { try await store.list(only: only, after: after, limit: limit + 1, on: $0) }
            let page = records.prefix(limit)
            let next: JSONValue = records.count > limit ? page.last.map { .string(KeysetPaging.cursor(createdAt: $0.createdAt, id: $0.id)) } ?? .null : .null
            return Response.json(.object([("items", .array(page.map(\.json))), ("next", next)]))
        }
        api.post("") { request, context in
            try authorizeManage(context)
            let body = try await request.jsonBody(limit: 16 << 10)
            let draft = try APIError.validating { () throws(FieldError) in try TenantDraft.creating(body, presets: presets) }
            let now = Date()
            // The id every service already uses for the slug (tokens, CMS, Media): UUIDv5 of it.
            let tenant = TenantRecord(
                id: BranchID.derived(slug: draft.slug), slug: draft.slug, name: draft.name, level: draft.level, parentID: draft.parentID,
                domains: draft.domains,
                status: .active, suspendedReason: nil, themePreset: draft.themePreset, version: 1, createdAt: now, updatedAt: now
            )
            let created = try await write { connection -> TenantRecord in
                if try await store.tenant(id: tenant.id, on: connection) != nil {
                    throw APIError(.conflict, code: "slug_taken", message: "a branch '\(tenant.slug)' exists", field: "slug")
                }
                try await checkParent(tenant, on: connection)
                try await checkDomains(tenant, on: connection)
                do { try await store.insert(tenant, on: connection) } catch  where error.sqlState == "23505" {
                    throw APIError(.conflict, code: "taken", message: "the slug or a domain was taken meanwhile; try again")
                }
                try await Outbox.add(TenantEvents.changed(.tenantCreated, tenant, traceID: context.traceID), on: connection, logger: store.logger)
                return tenant
            }
            return Response.json(created.json, status: .created, headers: [.location: "\(Self.base)/\(created.id.uuidString.lowercased())"])
        }
        api.get(":id") { _, context in
            let tenant = try await readable(context)
            return Response.json(tenant.json, headers: [.eTag: "\"\(tenant.version)\""])
        }
        api.patch(":id") { request, context in
            try authorizeManage(context)
            let id = try tenantID(context)
            let body = try await request.jsonBody(limit: 16 << 10)
            let fields = try APIError.validating { () throws(FieldError) in
                let fields = try JSONFields(body)
                try fields.checkKeys(["name", "level", "parent_id", "domains", "theme_preset", "version"])
                return fields
            }
            let expected = try request.expectedVersion(fields, of: "the branch")
            let changed = try await write { connection -> TenantRecord in
                guard var tenant = try await store.tenant(id: id, lock: true, on: connection) else { throw notFound(id) }
                guard tenant.version == expected else {
                    throw APIError(
                        .preconditionFailed, code: "version_conflict", message: "the branch changed meanwhile (version \(tenant.version)); reload it")
                }
                var draft = TenantDraft(
                    slug: tenant.slug, name: tenant.name, level: tenant.level, parentID: tenant.parentID, domains: tenant.domains,
                    themePreset: tenant.themePreset
                )
                try APIError.validating { () throws(FieldError) in try draft.apply(fields, presets: presets, required: false) }
                // The levels go pusat > provinsi > kabupaten-kota, each branch one below its parent;
                // a branch with branches under it keeps its level, or they would sit under their
                // peer (and parents could go round in a circle).
                if draft.level != tenant.level {
                    let children = try await store.childCount(of: tenant.id, on: connection)
                    guard children == 0 else {
                        throw APIError(
                            .unprocessableContent, code: "validation_failed",
                            message: "\(children) branches sit under \(tenant.slug); move them before changing its level", field: "level")
                    }
                }
                tenant.name = draft.name
                tenant.level = draft.level
                tenant.parentID = draft.parentID
                tenant.domains = draft.domains
                tenant.themePreset = draft.themePreset
                try await checkParent(tenant, on: connection)
                try await checkDomains(tenant, on: connection)
                try await store.update(tenant, on: connection)
                tenant.version += 1
                try await Outbox.add(TenantEvents.changed(.tenantUpdated, tenant, traceID: context.traceID), on: connection, logger: store.logger)
                return tenant
            }
            return Response.json(changed.json, headers: [.eTag: "\"\(changed.version)\""])
        }
        api.post(":id/suspend") { request, context in
            try authorizeManage(context)
            let body = try await request.jsonBody(limit: 4096)
            let reason = try APIError.validating { () throws(FieldError) -> String in
                let fields = try JSONFields(body)
                try fields.checkKeys(["reason"])
                let reason = try fields.requiredString("reason").trimmingCharacters(in: .whitespaces)
                guard (1...300).contains(reason.count), !reason.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                    throw fields.error("reason", "one line of 1 to 300 characters")
                }
                return reason
            }
            return Response.json(try await setStatus(.suspended, reason: reason, context: context).json)
        }
        api.post(":id/resume") { _, context in
            try authorizeManage(context)
            return Response.json(try await setStatus(.active, reason: nil, context: context).json)
        }
    }

    /// Suspends or resumes; unchanged when the branch already is so (no event).
    private func setStatus(_ status: TenantStatus, reason: String?, context: KoniRequestContext) async throws -> TenantRecord {
        let id = try tenantID(context)
        return try await write { connection -> TenantRecord in
            guard var tenant = try await store.tenant(id: id, lock: true, on: connection) else { throw notFound(id) }
            guard tenant.status != status || tenant.suspendedReason != reason else { return tenant }
            tenant.status = status
            tenant.suspendedReason = reason
            try await store.update(tenant, on: connection)
            tenant.version += 1
            let type: EventType = status == .suspended ? .tenantSuspended : .tenantUpdated
            try await Outbox.add(TenantEvents.changed(type, tenant, traceID: context.traceID), on: connection, logger: store.logger)
            return tenant
        }
    }

    /// A parent must exist, be a level above, and not be the branch itself.
    private func checkParent(_ tenant: TenantRecord, on connection: PostgresConnection) async throws {
        guard let parentID = tenant.parentID else { return }
        guard parentID != tenant.id, let parent = try await store.tenant(id: parentID, on: connection) else {
            throw APIError(
                .unprocessableContent, code: "validation_failed", message: "no branch \(parentID.uuidString.lowercased()) to be the parent", field: "parent_id")
        }
        let allowed: [TenantLevel: TenantLevel] = [.provinsi: .pusat, .kabupatenKota: .provinsi]
        guard allowed[tenant.level] == parent.level else {
            throw APIError(
                .unprocessableContent, code: "validation_failed",
                message: "a \(tenant.level.rawValue) branch cannot sit under a \(parent.level.rawValue) branch (\(parent.slug))", field: "parent_id")
        }
    }

    /// Every name of the branch must be free: no other branch answers to it.
    private func checkDomains(_ tenant: TenantRecord, on connection: PostgresConnection) async throws {
        let taken = try await store.owners(of: tenant.allDomains, except: tenant.id, on: connection)
        if let first = taken.first {
            throw APIError(.conflict, code: "domain_taken", message: "'\(first.domain)' is already served by branch '\(first.slug)'", field: "domains")
        }
    }
}
