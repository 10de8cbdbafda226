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
    public static let maximumNameLength = BranchName.maximumLength

    /// Why `name` is refused, or nil (``BranchName``).
    public static func nameProblem(_ name: String) -> String? { BranchName.problem(with: name) }
}
