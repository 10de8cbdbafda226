import ComproModel

/// A content file split into its YAML front matter and Markdown body.
struct FrontMatter {
    var yaml: String
    var body: String
    /// File line on which the YAML starts.
    var yamlFirstLine: Int
    /// File line on which the body starts.
    var bodyFirstLine: Int = 1

    /// Splits `text`, which must start with a `---` line and close the front matter with `---`
    /// (or `...`) on a line of its own.
    ///
    /// Scans UTF-8 bytes for line ends instead of splitting the file into lines: content files
    /// are read for every build, and splitting by Characters was 8 % of a 10,000-page build.
    static func split(_ text: String, file: String) throws(ContentError) -> FrontMatter {
        let bytes = text.utf8
        var lineStart = bytes.startIndex
        if text.hasPrefix("\u{FEFF}") { lineStart = bytes.index(lineStart, offsetBy: 3) }
        var lineEnd = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
        guard Self.isLine(bytes[lineStart..<lineEnd], "---") else {
            throw ContentError(file: file, line: 1, "missing front matter: the file must start with a line '---', then YAML fields, then '---'")
        }
        guard lineEnd < bytes.endIndex else { throw Self.notClosed(file) }
        let yamlStart = bytes.index(after: lineEnd)
        lineStart = yamlStart
        while true {
            lineEnd = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
            let line = bytes[lineStart..<lineEnd]
            if Self.isLine(line, "---") || Self.isLine(line, "...") {
                // The YAML ends before the newline that ends its last line.
                let yaml = lineStart == yamlStart ? "" : String(text[yamlStart..<bytes.index(before: lineStart)])
                let body = (lineEnd == bytes.endIndex ? "" : String(text[bytes.index(after: lineEnd)...])).trimmingLeadingNewlines
                let before = bytes.prefix(bytes.count - body.utf8.count).count { $0 == UInt8(ascii: "\n") }
                return FrontMatter(yaml: yaml, body: body, yamlFirstLine: 2, bodyFirstLine: before + 1)
            }
            guard lineEnd < bytes.endIndex else { throw Self.notClosed(file) }
            lineStart = bytes.index(after: lineEnd)
        }
    }

    /// Whether `line` is `marker` followed only by spaces, tabs or a carriage return.
    private static func isLine(_ line: Substring.UTF8View.SubSequence, _ marker: StaticString) -> Bool {
        var trimmedEnd = line.endIndex
        while trimmedEnd > line.startIndex {
            let before = line.index(before: trimmedEnd)
            let byte = line[before]
            guard byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") else { break }
            trimmedEnd = before
        }
        let expected = UnsafeBufferPointer(start: marker.utf8Start, count: marker.utf8CodeUnitCount)
        return line[line.startIndex..<trimmedEnd].elementsEqual(expected)
    }

    private static func notClosed(_ file: String) -> ContentError {
        ContentError(file: file, line: 1, "front matter is not closed: add a line '---' after the YAML fields")
    }
}

extension String {
    var trimmingLeadingNewlines: String {
        String(drop { $0 == "\n" || $0 == "\r" })
    }
}
