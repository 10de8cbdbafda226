/// Which URLs content may link to.
///
/// Allowed: relative references (`/berita/`, `#top`, `foto.svg`) and the schemes `http`, `https`,
/// `mailto` and `tel`. Everything else (`javascript:`, `data:`, `vbscript:`, `file:` …) is refused.
/// Browsers ignore ASCII control characters and whitespace inside a scheme, so those are stripped
/// before the scheme is read (`java\tscript:` is still `javascript:`).
public enum URLPolicy {
    public static let allowedSchemes: Set<String> = ["http", "https", "mailto", "tel"]

    /// Whether `url` may appear as a link or image destination.
    public static func isSafe(_ url: String) -> Bool {
        var scheme = ""
        for scalar in url.unicodeScalars {
            if scalar.value <= 0x20 || scalar.value == 0x7F { continue }
            if scalar == ":" {
                return allowedSchemes.contains(scheme.lowercased())
            }
            if scalar == "/" || scalar == "?" || scalar == "#" {
                return true
            }
            scheme.unicodeScalars.append(scalar)
        }
        return true
    }

    /// Whether `url` is an absolute http(s) URL or a site path; used for front-matter fields such as
    /// `registration_url` and image sources, where relative file names make no sense.
    ///
    /// A site path must stay on the site: browsers read `\` as `/` and drop tabs and newlines
    /// inside URLs, so `/\evil.com` and `/<tab>/evil.com` are `//evil.com`, another host. Neither
    /// kind of URL may hold control characters, whitespace or backslashes.
    public static func isSiteOrWebURL(_ url: String) -> Bool {
        guard url.utf8.count <= 2048, !url.unicodeScalars.contains(where: isForbiddenInURL) else { return false }
        if url.hasPrefix("/") { return !url.hasPrefix("//") && isSafe(url) }
        let lower = url.lowercased()
        return lower.hasPrefix("https://") || lower.hasPrefix("http://")
    }

    private static func isForbiddenInURL(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value <= 0x20 || scalar.value == 0x7F || scalar == "\\" || scalar.properties.isWhitespace
            || (0x80...0x9F).contains(scalar.value)
    }
}
