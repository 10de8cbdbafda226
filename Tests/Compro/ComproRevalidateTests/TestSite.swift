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
        #expect(missing.isEmpty && extra.isEmpty && different.isEmpty,
            "\(context): missing \(missing.prefix(5)), extra \(extra.prefix(5)), different \(different.prefix(5))", sourceLocation: sourceLocation)
    }
}

/// A small deterministic generator (SplitMix64) so a failing seed can be replayed.
struct SeededRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    mutating func pick<T>(_ values: [T]) -> T { values[int(0...(values.count - 1))] }

    mutating func chance(_ percent: Int) -> Bool { int(0...99) < percent }
}
