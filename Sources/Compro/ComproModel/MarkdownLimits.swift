/// Bounds on a Markdown body, checked before it reaches the parser.
///
/// Debian 12's libcmark-gfm (0.29.0.gfm.6) predates the upstream fixes of CVE-2023-22483,
/// CVE-2023-22484, CVE-2023-22485, CVE-2023-22486, CVE-2023-24824 and CVE-2023-37463: inputs of a
/// few kilobytes (a table header followed by one-word lines, runs of quotes, lists nested on one
/// line followed by blank lines, `<?` or `![[]()` repeated) cost seconds, and some make it abort
/// the whole process. It is the parser the machine has, so every body is measured here first, in
/// one linear pass, and refused with the line and the reason when a construct those bugs scale
/// with exceeds what an article needs. The numbers are set so that each known pathological input
/// at its limit renders in well under 50 ms (`koni-markdown-bench` prints the times), and a long
/// article with tables, lists and quotes passes.
public enum MarkdownLimits {
    /// The largest body (128 KiB; a long article is 20–50 KiB).
    public static let maximumBytes = 128 * 1024
    /// The longest line (autolink scanning is quadratic within a paragraph's text).
    public static let maximumLineBytes = 8 * 1024
    /// Block containers opened on one line (`> > - 1.`) and the indentation before text.
    public static let maximumNesting = 16
    public static let maximumIndentation = 64
    /// Block quote and list markers at line starts, per body (each open container is revisited
    /// by every following blank line).
    public static let maximumContainerMarkers = 5_000
    /// A reference definition line (`[a]: /url`): each use of the reference copies its URL.
    public static let maximumReferenceDefinitionBytes = 1_024
    /// Columns of one table, and the cells of all tables (columns × rows; lines after a table's
    /// last row extend it, as GFM does).
    public static let maximumTableColumns = 64
    public static let maximumTableCells = 10_000
    /// Lines shaped like a table's delimiter row (`|-|-|`): one per table.
    public static let maximumDelimiterRows = 64
    /// Counts of the characters the quadratic paths scale with, per body.
    public static let maximumQuotes = 2_000
    public static let maximumAngleBrackets = 1_000
    public static let maximumSquareBrackets = 2_000
    public static let maximumAtSigns = 500
    public static let maximumEmphasisDelimiters = 5_000
    public static let maximumParentheses = 2_000
    /// `www.` starts an extended autolink, whose scan is quadratic in how many a paragraph holds.
    public static let maximumWWW = 300

    /// Why a body was refused, with the 1-based line of the body where the limit was passed.
    public struct Violation: Error, Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var reason: String

        public var description: String { "line \(line): \(reason)" }
    }

    /// The first limit `markdown` exceeds, or nil when it may be parsed.
    public static func check(_ markdown: String) -> Violation? {
        let bytes = markdown.utf8
        guard bytes.count <= maximumBytes else {
            return Violation(line: 1, reason: "Markdown of \(bytes.count) bytes; at most \(maximumBytes) are accepted")
        }
        var scanner = Scanner()
        var lineNumber = 0
        var line: [UInt8] = []
        line.reserveCapacity(256)
        var iterator = bytes.makeIterator()
        while true {
            let next = iterator.next()
            if let byte = next, byte != UInt8(ascii: "\n") {
                line.append(byte)
                continue
            }
            lineNumber += 1
            if let violation = scanner.scan(line, number: lineNumber) { return violation }
            line.removeAll(keepingCapacity: true)
            if next == nil { break }
        }
        return nil
    }

    /// Counters kept over the lines of one body.
    private struct Scanner {
        var quotes = 0
        var angles = 0
        var squares = 0
        var ats = 0
        var emphasis = 0
        var parentheses = 0
        var www = 0
        var cells = 0
        var delimiterRows = 0
        var containerMarkers = 0
        /// The table being read: its columns, the line it started on, and its rows so far.
        var table: (columns: Int, line: Int, rows: Int)?

        mutating func scan(_ line: [UInt8], number: Int) -> Violation? {
            guard line.count <= maximumLineBytes else {
                return Violation(line: number, reason: "a line of \(line.count) bytes; at most \(maximumLineBytes) are accepted")
            }
            let blank = line.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }
            if blank {
                // A blank line ends a table (GFM): the next one starts counting anew.
                table = nil
                return nil
            }
            // The parser ends a line at a lone carriage return too, which would hide a whole table
            // inside one of these lines: only \r\n is accepted.
            if let carriageReturn = line.firstIndex(of: UInt8(ascii: "\r")), carriageReturn != line.count - 1 {
                return Violation(line: number, reason: "a carriage return not followed by a line feed (old Mac line endings); save the text with \\n or \\r\\n")
            }
            let content: Int
            switch nesting(line, number: number) {
            case .failure(let violation): return violation
            case .success(let start): content = start
            }
            if line.count > maximumReferenceDefinitionBytes, Self.isReferenceDefinition(line) {
                return Violation(line: number, reason: "a reference definition of \(line.count) bytes; at most \(maximumReferenceDefinitionBytes) are accepted")
            }
            var previous: (UInt8, UInt8, UInt8) = (0, 0, 0)
            for byte in line {
                // NUL and other control characters have no place in an article; a NUL in a
                // reference URL is written out nine times longer by the renderer.
                if (byte < 0x20 && byte != UInt8(ascii: "\t") && byte != UInt8(ascii: "\r")) || byte == 0x7F {
                    return Violation(
                        line: number, reason: "the control character U+00\(byte < 16 ? "0" : "")\(String(byte, radix: 16, uppercase: true)) is not allowed")
                }
                if byte == UInt8(ascii: "."), previous == (UInt8(ascii: "w"), UInt8(ascii: "w"), UInt8(ascii: "w")) { www += 1 }
                previous = (previous.1, previous.2, byte | 0x20)
                switch byte {
                case UInt8(ascii: "("), UInt8(ascii: ")"): parentheses += 1
                case UInt8(ascii: "'"), UInt8(ascii: "\""): quotes += 1
                case UInt8(ascii: "<"): angles += 1
                case UInt8(ascii: "["): squares += 1
                case UInt8(ascii: "@"): ats += 1
                case UInt8(ascii: "*"), UInt8(ascii: "_"), UInt8(ascii: "~"): emphasis += 1
                default: continue
                }
            }
            if quotes > maximumQuotes { return Violation(line: number, reason: "more than \(maximumQuotes) quote characters") }
            if angles > maximumAngleBrackets { return Violation(line: number, reason: "more than \(maximumAngleBrackets) '<' characters") }
            if squares > maximumSquareBrackets { return Violation(line: number, reason: "more than \(maximumSquareBrackets) '[' characters") }
            if ats > maximumAtSigns { return Violation(line: number, reason: "more than \(maximumAtSigns) '@' characters") }
            if parentheses > maximumParentheses { return Violation(line: number, reason: "more than \(maximumParentheses) parentheses") }
            if www > maximumWWW { return Violation(line: number, reason: "more than \(maximumWWW) 'www.' autolinks") }
            if emphasis > maximumEmphasisDelimiters {
                return Violation(line: number, reason: "more than \(maximumEmphasisDelimiters) emphasis characters (*, _, ~)")
            }
            if let columns = Self.delimiterRowColumns(line[content...]) {
                delimiterRows += 1
                if delimiterRows > maximumDelimiterRows {
                    return Violation(line: number, reason: "more than \(maximumDelimiterRows) table delimiter rows (|---|)")
                }
                // Every delimiter-shaped row is checked: a heading or a fence also ends a table,
                // so a new table may start without a blank line.
                guard columns <= maximumTableColumns else {
                    return Violation(line: number, reason: "a table of \(columns) columns; at most \(maximumTableColumns) are accepted")
                }
                if let current = table {
                    table = (max(current.columns, columns), current.line, current.rows)
                } else {
                    // The header line above counts as a row.
                    table = (columns, number, 1)
                    cells += columns
                    return nil
                }
            }
            if var current = table {
                current.rows += 1
                table = current
                cells += current.columns
                if cells > maximumTableCells {
                    return Violation(
                        line: number,
                        reason: "more than \(maximumTableCells) table cells (the table that starts on line \(current.line) has \(current.columns) columns)")
                }
            }
            return nil
        }

        /// Containers opened at the start of the line (`>`, `-`/`*`/`+` and `1.`/`1)` list
        /// markers), and the indentation, each bounded.
        /// The index where the line's content starts, after its containers.
        mutating func nesting(_ line: [UInt8], number: Int) -> Result<Int, Violation> {
            var index = 0
            var depth = 0
            var indentation = 0
            while index < line.count {
                let byte = line[index]
                if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
                    indentation += byte == UInt8(ascii: "\t") ? 4 : 1
                    guard indentation <= maximumIndentation else {
                        return .failure(Violation(line: number, reason: "indented more than \(maximumIndentation) columns"))
                    }
                    index += 1
                    continue
                }
                var marker = 0
                if byte == UInt8(ascii: ">") {
                    marker = 1
                } else if byte == UInt8(ascii: "-") || byte == UInt8(ascii: "*") || byte == UInt8(ascii: "+") {
                    marker = Self.isSpace(line, index + 1) ? 1 : 0
                } else if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                    var end = index
                    while end < line.count, end - index < 10, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(line[end]) { end += 1 }
                    if end < line.count, line[end] == UInt8(ascii: ".") || line[end] == UInt8(ascii: ")"), Self.isSpace(line, end + 1) {
                        marker = end + 1 - index
                    }
                }
                guard marker > 0 else { return .success(index) }
                depth += 1
                guard depth <= maximumNesting else {
                    return .failure(Violation(line: number, reason: "more than \(maximumNesting) block quotes or list markers nested on one line"))
                }
                containerMarkers += 1
                guard containerMarkers <= maximumContainerMarkers else {
                    return .failure(Violation(line: number, reason: "more than \(maximumContainerMarkers) block quote and list markers"))
                }
                index += marker
            }
            return .success(index)
        }

        /// `[label]:` after at most three spaces.
        static func isReferenceDefinition(_ line: [UInt8]) -> Bool {
            guard let open = line.prefix(4).firstIndex(where: { $0 != UInt8(ascii: " ") }), line[open] == UInt8(ascii: "[") else { return false }
            guard let close = line[open...].firstIndex(of: UInt8(ascii: "]")) else { return false }
            return close + 1 < line.count && line[close + 1] == UInt8(ascii: ":")
        }

        static func isSpace(_ line: [UInt8], _ index: Int) -> Bool {
            index >= line.count || line[index] == UInt8(ascii: " ") || line[index] == UInt8(ascii: "\t")
        }

        /// The columns of a GFM delimiter row (`| --- | :-: |`, `---|---`), or nil for another line.
        static func delimiterRowColumns(_ line: ArraySlice<UInt8>) -> Int? {
            var pipes = 0
            var dashes = 0
            var cells = 0
            var cellHasDash = false
            for byte in line {
                switch byte {
                case UInt8(ascii: "|"):
                    pipes += 1
                    if cellHasDash { cells += 1 }
                    cellHasDash = false
                case UInt8(ascii: "-"):
                    dashes += 1
                    cellHasDash = true
                case UInt8(ascii: ":"), UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                    continue
                default:
                    return nil
                }
            }
            if cellHasDash { cells += 1 }
            guard dashes > 0, pipes > 0 || cells > 1 else { return nil }
            return max(cells, 1)
        }
    }
}
