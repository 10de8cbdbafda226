import ComproModel

/// The digest the CMS's `/sites/{tenant}/state` reports, computed over a reader's own copy: a
/// SHA-256 over the lines `<collection>:<id>:<seq>` of the site and every published item,
/// sorted bytewise by collection, then id, joined by newlines. Equal digests mean the copy holds
/// every published item at its latest change.
package struct SiteDigest: Sendable {
    private var lines: [(collection: String, id: String, seq: Int)] = []

    package init() {}

    package mutating func add(collection: String, id: String, seq: Int) {
        lines.append((collection, id, seq))
    }

    package var count: Int { lines.count }

    package var hex: String {
        let sorted = lines.sorted { a, b in
            a.collection != b.collection
                ? Array(a.collection.utf8).lexicographicallyPrecedes(b.collection.utf8) : Array(a.id.utf8).lexicographicallyPrecedes(b.id.utf8)
        }
        return Digest.sha256Hex(sorted.map { "\($0.collection):\($0.id):\($0.seq)" }.joined(separator: "\n"))
    }
}
