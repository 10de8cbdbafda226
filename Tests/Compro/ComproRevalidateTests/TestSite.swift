import ComproBuild
import ComproModel
import ComproPublish
import Foundation
import KoniTestSupport
import Testing

enum TestSite {
    static let repository = Repository.root
    static let fixtureTenants = Repository.fixtureTenants
    static let now = SiteDate.parse("2026-11-25T10:00:00+07:00", defaultOffsetSeconds: 0)!

    static func temporaryDirectory(_ name: String) -> String {
        TemporaryFolders.make(name)
    }

    static func copyOfFixture() throws -> String {
        let destination = temporaryDirectory("tenants")
        try FileManager.default.removeItem(atPath: destination)
        try FileManager.default.copyItem(atPath: fixtureTenants, toPath: destination)
        return destination
    }

    static func environment(tenants: String, out: String) -> BuildEnvironment {
        BuildEnvironment(
            tenantsDirectory: tenants, templatesDirectory: "\(repository)/Templates", themesDirectory: "\(repository)/Themes",
            outputDirectory: out, now: now, keepReleases: 3
        )
    }

    /// Runs blocking work (a full build) on a Dispatch thread, so that tests running in parallel
    /// never starve Swift's small cooperative thread pool (the event consumers run on it).
    static func offPool<T: Sendable, E: Error>(_ work: @escaping @Sendable () throws(E) -> T) async -> Result<T, E> {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: Result { () throws(E) in try work() })
            }
        }
    }

    /// Every served path of the live site with its bytes.
    static func tree(currentLink: String) throws -> [String: Data] {
        let reader = try ReleaseReader(currentLink: currentLink)
        var result: [String: Data] = [:]
        for path in reader.allPaths() { result[path] = reader.read(path) }
        return result
    }

    static func expectEqual(_ live: [String: Data], _ full: [String: Data], _ context: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let missing = Set(full.keys).subtracting(live.keys).sorted()
        let extra = Set(live.keys).subtracting(full.keys).sorted()
        let different = full.keys.filter { live[$0] != nil && live[$0] != full[$0] }.sorted()
        #expect(
            missing.isEmpty && extra.isEmpty && different.isEmpty,
            "\(context): missing \(missing.prefix(5)), extra \(extra.prefix(5)), different \(different.prefix(5))", sourceLocation: sourceLocation)
    }
}
