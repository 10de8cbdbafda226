import ComproModel
import KoniJSON
import KoniServiceKit

/// How one content kind maps between its wire JSON (``CMSWire/ContentWire``) and its table.
///
/// Each wire field is one column (dates two: `_at` and `_text`); `sections` and `photos` live
/// in child tables. The store builds its SQL from these lists, so a kind's columns are written
/// down once.
struct ContentSchema: Sendable {
    enum ColumnType: Sendable {
        case text, optionalText, int, optionalInt, bool, textArray, date, optionalDate, optionalJSON, orderedJSON
    }

    struct Column: Sendable {
        /// Field name in the wire JSON.
        var key: String
        /// Column name (for dates the prefix of `_at`/`_text`).
        var column: String
        var type: ColumnType

        init(_ key: String, _ type: ColumnType, column: String? = nil) {
            self.key = key
            self.type = type
            self.column = column ?? key
        }

        /// The SQL columns this field occupies.
        var sqlColumns: [String] {
            switch type {
            case .date, .optionalDate: ["\(column)_at", "\(column)_text"]
            case .orderedJSON: [column, "\(column)_text"]
            default: [column]
            }
        }

        /// SELECT expressions that read the field back (JSON read as text, dates as their text).
        var selectExpression: String {
            switch type {
            case .date, .optionalDate: "\(column)_text"
            case .optionalJSON: "\(column)::text"
            case .orderedJSON: "\(column)_text"
            default: column
            }
        }
    }

    enum Children: Sendable { case none, sections, photos }

    var kind: ContentKind
    /// What the CMS's events name a change of this collection (`data.entity`).
    var entity: ContentChangeData.Entity
    var table: String
    /// URL segment: `/news`, `/events`, …
    var collection: String
    var columns: [Column]
    var children: Children
    /// The first key of the generator's canonical order; the second is always the slug, bytewise.
    var sortKey: SortKey

    /// One column of an ordering, with its SQL type (for casting a cursor's text back).
    struct SortKey: Sendable {
        var column: String
        var type: String
        var descending = false
        /// Compared bytewise (`COLLATE "C"`), as the generator compares strings.
        var bytewise = false

        var expression: String { bytewise ? "\(column) COLLATE \"C\"" : column }
    }

    /// The column the admin list's `?q=` searches (with the slug).
    var searchColumn: String { kind == .athlete ? "name" : "title" }

    /// ORDER BY of public lists; the generator's canonical order.
    var order: String { "\(sortKey.expression)\(sortKey.descending ? " DESC" : ""), slug COLLATE \"C\"" }

    /// The rows after a row whose sort key reads `$key` (as text) and slug `$slug`, in ``order``.
    /// The first comparison is a range the list index starts its scan at; the rest only sorts out
    /// rows that share the key.
    func after(key: String, slug: String) -> String {
        let value = "\(key)::\(sortKey.type)"
        let (from, beyond) = sortKey.descending ? ("<=", "<") : (">=", ">")
        return "(\(sortKey.expression) \(from) \(value) AND (\(sortKey.expression) \(beyond) \(value) OR slug COLLATE \"C\" > \(slug)))"
    }

    static let all: [ContentSchema] = [page, news, event, gallery, athlete]

    static func forKind(_ kind: ContentKind) -> ContentSchema {
        all.first { $0.kind == kind }!
    }

    static let page = ContentSchema(
        kind: .page, entity: .page, table: "cms_pages", collection: "pages",
        columns: [.init("title", .text), .init("order", .int, column: "page_order"), .init("menu", .bool), .init("summary", .text), .init("body", .text)],
        children: .sections, sortKey: SortKey(column: "page_order", type: "integer")
    )
    static let news = ContentSchema(
        kind: .news, entity: .news, table: "cms_news", collection: "news",
        columns: [
            .init("title", .text), .init("date", .date), .init("summary", .text), .init("cover", .optionalJSON), .init("tags", .textArray),
            .init("author", .text), .init("body", .text),
        ],
        children: .none, sortKey: SortKey(column: "date_at", type: "timestamptz", descending: true)
    )
    static let event = ContentSchema(
        kind: .event, entity: .event, table: "cms_events", collection: "events",
        columns: [
            .init("title", .text), .init("start", .date), .init("end", .optionalDate), .init("location", .text), .init("registration_url", .text),
            .init("summary", .text), .init("cover", .optionalJSON), .init("body", .text),
        ],
        children: .none, sortKey: SortKey(column: "start_at", type: "timestamptz")
    )
    static let gallery = ContentSchema(
        kind: .gallery, entity: .gallery, table: "cms_galleries", collection: "galleries",
        columns: [.init("title", .text), .init("date", .date), .init("summary", .text), .init("body", .text)],
        children: .photos, sortKey: SortKey(column: "date_at", type: "timestamptz", descending: true)
    )
    static let athlete = ContentSchema(
        kind: .athlete, entity: .athlete, table: "cms_athletes", collection: "athletes",
        columns: [
            .init("name", .text), .init("sport", .text), .init("photo", .optionalJSON), .init("region", .text), .init("club", .text),
            .init("birth_year", .optionalInt), .init("featured", .bool), .init("achievements", .textArray), .init("stats", .orderedJSON),
            .init("body", .text),
        ],
        children: .none, sortKey: SortKey(column: "name", type: "text", bytewise: true)
    )
}
