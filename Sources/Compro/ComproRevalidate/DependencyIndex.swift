import ComproPublish
import ComproRender

/// The live manifest turned inside out: for each input, the outputs that read it, and for each
/// query, the outputs that ran it and the answer they got. With it a change costs the outputs it
/// touches, not a pass over every output of the site.
struct DependencyIndex {
    private(set) var itemOutputs: [String: Set<String>] = [:]
    private(set) var queryOutputs: [String: Set<String>] = [:]
    /// Every output that ran a query got the same answer (when an answer changes, all of them are
    /// rendered again), so one answer per query is kept.
    private(set) var answers: [String: [String]] = [:]
    /// Recorded query keys parsed once (nil: a key this version cannot read; always stale).
    private(set) var parsed: [String: ContentQuery?] = [:]

    init(_ manifest: ReleaseManifest) {
        for (path, output) in manifest.outputs { add(path, output) }
    }

    mutating func replace(_ path: String, old: ReleaseManifest.Output?, new: ReleaseManifest.Output?) {
        if let old { remove(path, old) }
        if let new { add(path, new) }
    }

    private mutating func add(_ path: String, _ output: ReleaseManifest.Output) {
        for item in output.items { itemOutputs[item, default: []].insert(path) }
        for (key, answer) in output.queries {
            queryOutputs[key, default: []].insert(path)
            answers[key] = answer
            if parsed[key] == nil { parsed[key] = .some(ContentQuery(key)) }
        }
    }

    private mutating func remove(_ path: String, _ output: ReleaseManifest.Output) {
        for item in output.items {
            itemOutputs[item]?.remove(path)
            if itemOutputs[item]?.isEmpty == true { itemOutputs[item] = nil }
        }
        for key in output.queries.keys {
            queryOutputs[key]?.remove(path)
            if queryOutputs[key]?.isEmpty == true {
                queryOutputs[key] = nil
                answers[key] = nil
                parsed[key] = nil
            }
        }
    }
}
