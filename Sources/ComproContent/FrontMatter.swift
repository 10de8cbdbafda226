import ComproModel

/// A content file split into its YAML front matter and Markdown body.
struct FrontMatter {
    var yaml: String
    var body: String
    /// File line on which the YAML starts.
    var yamlFirstLine: Int

    /// Splits `text`, which must start with a `---` line and close the front matter with `---`
    /// (or `...`) on a line of its own.
    static func split(_ text: String, file: String) throws(ContentError) -> FrontMatter {
        var text = Substring(text)
        if text.hasPrefix("\u{FEFF}") { text = text.dropFirst() }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let first = lines.first, first.trimmingTrailingSpace == "---" else {
            throw ContentError(file: file, line: 1, "missing front matter: the file must start with a line '---', then YAML fields, then '---'")
        }
        for index in 1..<lines.count {
            let line = lines[index].trimmingTrailingSpace
            if line == "---" || line == "..." {
                let yaml = lines[1..<index].joined(separator: "\n")
                let body = lines[(index + 1)...].joined(separator: "\n")
                return FrontMatter(yaml: yaml, body: body.trimmingLeadingNewlines, yamlFirstLine: 2)
            }
        }
        throw ContentError(file: file, line: 1, "front matter is not closed: add a line '---' after the YAML fields")
    }
}

extension Substring {
    var trimmingTrailingSpace: Substring {
        var slice = self
        while let last = slice.last, last == " " || last == "\t" || last == "\r" { slice.removeLast() }
        return slice
    }
}

extension String {
    var trimmingLeadingNewlines: String {
        String(drop { $0 == "\n" || $0 == "\r" })
    }
}
