/// Rewrites a page's root-relative links (`href="/berita/"`, `src="/images/a.svg"`) into links
/// relative to the page itself (`href="../berita/index.html"`), so that a site written into a
/// sub-folder works from there and from `file://` (the theme comparison puts one site per preset
/// side by side in one folder).
///
/// The generator writes every attribute with double quotes and HTML-escapes its values, so the
/// attribute forms below are the only ones that occur; absolute (`https://`) and
/// protocol-relative (`//host`) URLs are left alone.
enum PortableLinks {
    static let attributes = ["href=\"", "src=\""]

    /// `html` of the file at `path` (`berita/juara/index.html`) with its site links made relative.
    static func rewrite(_ html: String, at path: String) -> String {
        let depth = path.split(separator: "/").count - 1
        let up = String(repeating: "../", count: depth)
        var result = html
        for attribute in attributes {
            var output = ""
            var rest = Substring(result)
            while let range = rest.range(of: attribute + "/") {
                output += rest[..<range.lowerBound]
                output += attribute
                let afterQuote = rest[range.upperBound...]
                // protocol-relative //host/...: not a site path
                if afterQuote.hasPrefix("/") {
                    output += "/"
                    rest = afterQuote
                    continue
                }
                let end = afterQuote.firstIndex(of: "\"") ?? afterQuote.endIndex
                output += relative(String(afterQuote[..<end]), up: up)
                rest = afterQuote[end...]
            }
            output += rest
            result = output
        }
        return result
    }

    /// `berita/?page=2#top` (without the leading slash) → `../berita/index.html?page=2#top`.
    static func relative(_ target: String, up: String) -> String {
        var path = Substring(target)
        var suffix = Substring("")
        if let cut = path.firstIndex(where: { $0 == "?" || $0 == "#" }) {
            suffix = path[cut...]
            path = path[..<cut]
        }
        var file = String(path)
        if file.isEmpty || file.hasSuffix("/") { file += "index.html" }
        return up + file + suffix
    }
}
