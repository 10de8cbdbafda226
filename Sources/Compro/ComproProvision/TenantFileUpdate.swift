import ComproModel

/// Rewrites the name, the domains and the theme preset of a `tenant.yml` in the shape
/// `koni-compro tenant new` (and provisioning) writes, line by line, so that everything else in
/// the file (and its comments) stays as the branch left it.
enum TenantFileUpdate {
    /// The file with `change`'s values; nil when the file is not in that shape (a top-level
    /// `name:`, a `domains:` list of `  - ` lines, a `theme:` block with `  preset:`).
    static func apply(_ change: TenantChange, to text: String) -> String? {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let name = lines.firstIndex(where: { $0.hasPrefix("name:") }) else { return nil }
        lines[name] = "name: " + YAMLScalar.doubleQuoted(change.name)
        guard let domains = lines.firstIndex(where: { $0 == "domains:" }) else { return nil }
        var end = domains + 1
        while end < lines.count, lines[end].hasPrefix("  - ") { end += 1 }
        guard end > domains + 1 else { return nil }
        lines.replaceSubrange((domains + 1)..<end, with: change.domains.map { "  - \($0)" })
        guard let theme = lines.firstIndex(where: { $0 == "theme:" }) else { return nil }
        var index = theme + 1
        while index < lines.count, lines[index].hasPrefix("  ") {
            if lines[index].hasPrefix("  preset:") {
                lines[index] = "  preset: \(change.themePreset)"
                return lines.joined(separator: "\n")
            }
            index += 1
        }
        return nil
    }
}
