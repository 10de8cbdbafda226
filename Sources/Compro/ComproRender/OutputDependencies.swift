import ComproModel

/// What one output was rendered from: the items it read and the queries it ran, each with the
/// answer it got. Recorded while rendering, so the record is exact by construction: content is
/// only reachable through ``RenderSession``, which writes down every read.
public struct OutputDependencies: Sendable, Hashable, Codable {
    public var items: Set<ItemID> = []
    public var queries: [String: [String]] = [:]

    public init() {}

    mutating func read(_ id: ItemID) { items.insert(id) }

    mutating func ran(_ query: ContentQuery, answer: [String]) {
        queries[query.description] = answer
        for entry in answer where !entry.hasPrefix("#") {
            items.insert(ItemID(rawValue: entry))
        }
    }
}
