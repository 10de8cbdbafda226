import ComproPublish
import Foundation

/// `<out>/<slug>/source-cursor`: the CMS cursor that the live release was generated from, one
/// line `<release> <cursor> <origin>` (the origin is the source and its address,
/// ``ContentMirror/origin``), written after each regeneration of a `source: cms` tenant (beside
/// `current`, outside what Nginx serves).
///
/// A daemon that starts compares it with the CMS's latest cursor: equal means the live site is
/// the CMS's content and nothing needs reading until an event comes; different (or a file that
/// names another release, after a `build` or a `rollback`, or another origin, after the tenant
/// moved to another CMS, or the older two-field line) means the site is caught up at once.
/// `koni-compro build` of a `source: cms` tenant writes it too (`package`: the CLI's, not API).
package enum SourceCursorFile {
    static func path(_ slug: String, publisher: Publisher) -> String { "\(publisher.tenantDirectory(slug))/source-cursor" }

    /// The stored cursor when it belongs to the live release and to `origin`; nil otherwise.
    package static func read(_ slug: String, publisher: Publisher, origin: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path(slug, publisher: publisher)), data.count < 4096 else { return nil }
        let fields = String(decoding: data, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard fields.count == 3, String(fields[0]) == publisher.currentRelease(slug), String(fields[2]) == origin else { return nil }
        return String(fields[1])
    }

    /// Replaces the file atomically (a temporary file renamed over it), durably when the
    /// publisher publishes durably.
    package static func store(_ cursor: String, origin: String, release: String, tenant slug: String, publisher: Publisher) throws(PublishError) {
        let target = path(slug, publisher: publisher)
        // One line of three fields: none may be empty or hold a space or a line break.
        guard ![cursor, origin, release].contains(where: { $0.isEmpty || $0.contains(where: \.isWhitespace) }) else {
            throw PublishError(path: target, reason: "a cursor, origin or release that is empty or holds whitespace cannot be stored")
        }
        let temporary = "\(target).tmp"
        let bytes = Array("\(release) \(cursor) \(origin)\n".utf8)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard descriptor >= 0 else { throw PublishError(path: temporary, reason: String(cString: strerror(errno))) }
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        let synced = !publisher.durable || fsync(descriptor) == 0
        close(descriptor)
        guard written == bytes.count, synced else { throw PublishError(path: temporary, reason: "cannot write: \(String(cString: strerror(errno)))") }
        guard rename(temporary, target) == 0 else { throw PublishError(path: target, reason: String(cString: strerror(errno))) }
        if publisher.durable {
            let folder = open(publisher.tenantDirectory(slug), O_RDONLY | O_CLOEXEC)
            defer { if folder >= 0 { close(folder) } }
            guard folder >= 0, fsync(folder) == 0 else {
                throw PublishError(path: target, reason: "cannot sync its folder: \(String(cString: strerror(errno)))")
            }
        }
    }
}
