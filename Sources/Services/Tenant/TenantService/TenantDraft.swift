import ComproModel
import Foundation
import KoniJSON

/// What a create or update request asks a branch to be, checked with the rules of
/// `koni-compro tenant new` (the slug is a DNS label, the name fits YAML and Markdown, host names
/// are real host names); whether a domain is taken is the store's question.
struct TenantDraft: Sendable {
    var slug: String
    var name: String
    var level: TenantLevel
    var parentID: UUID?
    var domains: [String]
    var themePreset: String

    static let maximumDomains = 10

    /// A new branch from a `POST /api/v1/tenants` body.
    static func creating(_ body: JSONValue, presets: [String]) throws(FieldError) -> TenantDraft {
        let fields = try JSONFields(body)
        try fields.checkKeys(["slug", "name", "level", "parent_id", "domains", "theme_preset"])
        let slug = try fields.requiredString("slug")
        if let problem = Slug.problem(with: slug) { throw fields.error("slug", problem) }
        guard slug.utf8.count <= 63 else { throw fields.error("slug", "longer than 63 characters, the limit of a DNS label (\(slug.prefix(20))….koni.id)") }
        var draft = TenantDraft(slug: slug, name: "", level: .kabupatenKota, parentID: nil, domains: [], themePreset: ThemeSelection.defaultPreset)
        try draft.apply(fields, presets: presets, required: true)
        return draft
    }

    /// Applies the fields of a create or `PATCH` body; on `PATCH` every field is optional.
    mutating func apply(_ fields: JSONFields, presets: [String], required: Bool) throws(FieldError) {
        if required || fields.has("name") {
            let name = try fields.requiredString("name")
            if let problem = BranchName.problem(with: name) { throw fields.error("name", problem) }
            self.name = name
        }
        if required || fields.has("level") {
            let text = try fields.requiredString("level")
            guard let level = TenantLevel(rawValue: text) else {
                throw fields.error("level", "one of \(TenantLevel.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            self.level = level
        }
        if fields.has("parent_id") {
            if case .null? = fields.value("parent_id") {
                parentID = nil
            } else {
                guard let text = try fields.string("parent_id"), let id = UUID(uuidString: text) else { throw fields.error("parent_id", "not a branch id") }
                parentID = id
            }
        }
        if fields.has("domains") {
            let list = try fields.stringList("domains")
            guard list.count <= Self.maximumDomains else { throw fields.error("domains", "at most \(Self.maximumDomains) domains") }
            var domains: [String] = []
            for domain in list where domain != "\(slug).koni.id" {
                if let problem = HostName.problem(with: domain) { throw fields.error("domains", problem) }
                // Names under koni.id belong to the branch of the same slug, never to another one.
                guard !domain.hasSuffix(".koni.id"), domain != "koni.id" else {
                    throw fields.error("domains", "'\(domain)' is under koni.id; a branch answers there only as \(slug).koni.id")
                }
                if !domains.contains(domain) { domains.append(domain) }
            }
            self.domains = domains
        }
        if fields.has("theme_preset") {
            let preset = try fields.requiredString("theme_preset")
            guard presets.contains(preset) else {
                throw fields.error("theme_preset", "'\(preset.prefix(40))' is not a preset; one of \(presets.joined(separator: ", "))")
            }
            themePreset = preset
        }
        if level == .pusat, parentID != nil { throw fields.error("parent_id", "KONI Pusat has no parent branch") }
    }
}
