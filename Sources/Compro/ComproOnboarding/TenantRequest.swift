import ComproModel
import Foundation

/// What `koni-compro tenant new` was asked to create.
public struct TenantRequest: Sendable, Hashable {
    /// `kab-malang`: the folder name, the publish folder and `<slug>.koni.id`.
    public var slug: String
    /// `KONI Kabupaten Malang`.
    public var name: String
    /// Custom domains beside `<slug>.koni.id` (which is always first and canonical).
    public var domains: [String]
    /// A preset of `Themes/`.
    public var theme: String

    public init(slug: String, name: String, domains: [String] = [], theme: String = ThemeSelection.defaultPreset) {
        self.slug = slug
        self.name = name
        self.domains = domains
        self.theme = theme
    }

    /// `<slug>.koni.id` followed by the custom domains.
    public var allDomains: [String] {
        var result = ["\(slug).koni.id"]
        for domain in domains where !result.contains(domain) { result.append(domain) }
        return result
    }

    /// The longest slug: a DNS label (`<slug>.koni.id`) has at most 63 characters.
    public static let maximumSlugLength = 63
    public static let maximumNameLength = 100

    /// Why `name` is refused, or nil. Names are written into YAML and Markdown, so only
    /// letters (any script), digits, spaces and `. , ' ‘ ’ ( ) & / -` are accepted.
    public static func nameProblem(_ name: String) -> String? {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return "the name is empty; write the branch's full name, e.g. \"KONI Kabupaten Malang\"" }
        if trimmed != name { return "the name starts or ends with spaces" }
        if name.count > maximumNameLength { return "the name is longer than \(maximumNameLength) characters" }
        let allowedPunctuation: Set<Character> = [" ", ".", ",", "'", "‘", "’", "(", ")", "&", "/", "-"]
        if let bad = name.first(where: { !($0.isLetter || $0.isNumber || allowedPunctuation.contains($0)) }) {
            let shown = bad.unicodeScalars.allSatisfy { $0.properties.generalCategory == .control } ? "a control character" : "'\(bad)'"
            return "the name contains \(shown); use letters, digits, spaces and . , ' ( ) & / -"
        }
        return nil
    }
}
