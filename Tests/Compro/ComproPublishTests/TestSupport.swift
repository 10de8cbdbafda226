import ComproPublish
import Foundation

/// A manifest with just the digests, for publishes whose manifest the test does not look into.
func manifest(_ release: String, _ digests: [String: String]) -> ReleaseManifest {
    ReleaseManifest(
        tenant: "uji", release: release, today: 0, revisions: [:],
        outputs: digests.mapValues { .init(url: nil, sha256: $0, items: [], queries: [:]) }, staticFiles: [:]
    )
}

/// A file's text, or nil when it cannot be read.
func read(_ path: String) -> String? {
    FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
}
