import ComproModel
import ComproRevalidate
import Foundation

/// The body of `POST /api/revalidate`:
/// `{"tenant":"jatim","changes":[{"entity":"news","slug":"…","action":"updated"}],"paths":["/profil/"]}`.
public struct RevalidationRequest: Sendable, Equatable {
    public var tenant: String
    public var changes: [ContentChange]
    public var paths: [String]

    public static let actions: Set<String> = ["created", "updated", "deleted", "published", "unpublished"]

    public typealias Invalid = InvalidField

    /// Parses and checks a body; nothing in it is trusted.
    public static func parse(_ body: [UInt8]) throws(Invalid) -> RevalidationRequest {
        let object = try InvalidField.jsonObject(body)
        for key in object.keys where !["tenant", "changes", "paths"].contains(key) {
            throw Invalid(field: key, reason: "unknown field")
        }
        guard let tenant = object["tenant"] as? String else { throw Invalid(field: "tenant", reason: "required string") }
        guard Slug.isValid(tenant) else { throw Invalid(field: "tenant", reason: "not a tenant slug") }
        var changes: [ContentChange] = []
        if let raw = object["changes"] {
            guard let list = raw as? [Any], list.count <= 1000 else { throw Invalid(field: "changes", reason: "expected a list of at most 1000 changes") }
            for (index, element) in list.enumerated() {
                let field = "changes[\(index)]"
                guard let change = element as? [String: Any] else { throw Invalid(field: field, reason: "expected an object") }
                guard let entityName = change["entity"] as? String, let entity = ContentChange.Entity(rawValue: entityName) else {
                    throw Invalid(field: "\(field).entity", reason: "one of \(ContentChange.Entity.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                let slug = change["slug"] as? String ?? ""
                if !slug.isEmpty && !Slug.isValid(slug) { throw Invalid(field: "\(field).slug", reason: "not a valid slug") }
                let action = change["action"] as? String ?? "updated"
                guard actions.contains(action) else { throw Invalid(field: "\(field).action", reason: "one of \(actions.sorted().joined(separator: ", "))") }
                changes.append(ContentChange(entity: entity, slug: slug, action: action))
            }
        }
        var paths: [String] = []
        if let raw = object["paths"] {
            guard let list = raw as? [Any], list.count <= 1000 else { throw Invalid(field: "paths", reason: "expected a list of at most 1000 paths") }
            for (index, element) in list.enumerated() {
                guard let path = element as? String, isSitePath(path) else {
                    throw Invalid(field: "paths[\(index)]", reason: "a site path such as /profil/")
                }
                paths.append(path)
            }
        }
        if changes.isEmpty && paths.isEmpty { throw Invalid(field: "changes", reason: "name at least one change or path") }
        return RevalidationRequest(tenant: tenant, changes: changes, paths: paths)
    }

    static func isSitePath(_ path: String) -> Bool {
        guard path.hasPrefix("/"), path.utf8.count <= 512 else { return false }
        return path.split(separator: "/").allSatisfy { segment in
            segment != ".." && segment != "." && segment.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\\") && $0 != UInt8(ascii: "%") }
        }
    }
}
