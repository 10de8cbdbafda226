import ComproModel
import ComproRevalidate
import KoniJSON

/// The body of `POST /api/revalidate`:
/// `{"tenant":"jatim","changes":[{"entity":"news","slug":"…","action":"updated"}],"paths":["/profil/"]}`.
package struct RevalidationRequest: Sendable, Equatable {
    package var tenant: String
    package var changes: [ContentChange]
    package var paths: [String]

    package static let actions: Set<String> = ["created", "updated", "deleted", "published", "unpublished"]
    /// Changes or paths one request may name.
    package static let maximumListCount = 1000

    package typealias Invalid = InvalidField

    /// Parses and checks a body; nothing in it is trusted.
    package static func parse(_ body: [UInt8]) throws(Invalid) -> RevalidationRequest {
        let object = try InvalidField.jsonObject(body)
        return try InvalidField.fields { () throws(FieldError) in
            try object.checkKeys(["tenant", "changes", "paths"])
            guard let tenant = try object.string("tenant") else { throw object.error("tenant", "required string") }
            guard Slug.isValid(tenant) else { throw object.error("tenant", "not a tenant slug") }
            if case .array(let list)? = object.value("changes"), list.count > maximumListCount {
                throw object.error("changes", "expected a list of at most \(maximumListCount) changes")
            }
            var changes: [ContentChange] = []
            for change in try object.objectList("changes") {
                changes.append(try Self.change(change))
            }
            if case .array(let list)? = object.value("paths"), list.count > maximumListCount {
                throw object.error("paths", "expected a list of at most \(maximumListCount) paths")
            }
            var paths: [String] = []
            for (index, path) in try object.stringList("paths").enumerated() {
                guard isSitePath(path) else { throw FieldError(field: "paths[\(index)]", reason: "a site path such as /profil/") }
                paths.append(path)
            }
            if changes.isEmpty && paths.isEmpty { throw object.error("changes", "name at least one change or path") }
            return RevalidationRequest(tenant: tenant, changes: changes, paths: paths)
        }
    }

    /// One `{"entity","slug","action"}` object, as in a request's `changes` or an event's `data`.
    static func change(_ change: JSONFields) throws(FieldError) -> ContentChange {
        let entities = ContentChange.Entity.allCases
        guard let name = try change.string("entity"), let entity = ContentChange.Entity(rawValue: name) else {
            throw change.error("entity", "one of \(entities.map(\.rawValue).joined(separator: ", "))")
        }
        let slug = try change.string("slug", default: "")
        if !slug.isEmpty && !Slug.isValid(slug) { throw change.error("slug", "not a valid slug") }
        let action = try change.string("action", default: "updated")
        guard actions.contains(action) else { throw change.error("action", "one of \(actions.sorted().joined(separator: ", "))") }
        return ContentChange(entity: entity, slug: slug, action: action)
    }

    static func isSitePath(_ path: String) -> Bool {
        guard path.hasPrefix("/"), path.utf8.count <= 512 else { return false }
        return path.split(separator: "/").allSatisfy { segment in
            segment != ".." && segment != "." && segment.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\\") && $0 != UInt8(ascii: "%") }
        }
    }
}
