import ComproModel
import Foundation

/// What `koni-compro tenant new` was asked to create.
package struct TenantRequest: Sendable, Hashable {
    /// `kab-malang`: the folder name, the publish folder and `<slug>.koni.id`.
    package var slug: String
    /// `KONI Kabupaten Malang`.
    package var name: String
    /// Custom domains beside `<slug>.koni.id` (which is always first and canonical).
    package var domains: [String]
    /// A preset of `Themes/`.
    package var theme: String

    package init(slug: String, name: String, domains: [String] = [], theme: String = ThemeSelection.defaultPreset) {
        self.slug = slug
        self.name = name
        self.domains = domains
        self.theme = theme
    }

    /// `<slug>.koni.id` followed by the custom domains.
    package var allDomains: [String] {
        var result = ["\(slug).koni.id"]
        for domain in domains where !result.contains(domain) { result.append(domain) }
        return result
    }

    /// The longest slug: a DNS label (`<slug>.koni.id`) has at most 63 characters.
    package static let maximumSlugLength = 63
    package static let maximumNameLength = BranchName.maximumLength

    /// Why `name` is refused, or nil (``BranchName``).
    package static func nameProblem(_ name: String) -> String? { BranchName.problem(with: name) }
}
