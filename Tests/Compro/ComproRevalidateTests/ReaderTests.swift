import ComproBuild
import ComproPublish
import ComproRevalidate
import ComproTestSupport
import Foundation
import Synchronization
import Testing

/// Readers of the published tree, running while hundreds of regenerations swap releases, must
/// never see a missing or partial file, nor an article from one generation with the home page
/// of another.
@Suite struct ReaderTests {
    final class Observations: Sendable {
        private struct State {
            var reads = 0
            var problems: [String] = []
            var stop = false
        }
        private let state = Mutex(State())

        var reads: Int { state.withLock { $0.reads } }
        var problems: [String] { state.withLock { $0.problems } }
        var stopped: Bool { state.withLock { $0.stop } }
        func finish() { state.withLock { $0.stop = true } }
        func record(_ problem: String?) {
            state.withLock { state in
                state.reads += 1
                if let problem, state.problems.count < 20 { state.problems.append(problem) }
            }
        }
    }

    static func generation(in html: String) -> String? {
        guard let start = html.range(of: "GENERASI-") else { return nil }
        return String(html[start.upperBound...].prefix { $0.isNumber })
    }

    @Test func readersNeverSeeAMissingPartialOrMixedSite() async throws {
        let tenants = try Fixture.copyOfTenants()
        let out = Fixture.temporaryDirectory("readers")
        let file = "\(tenants)/uji/content/news/berita-11.md"
        let original = try String(contentsOfFile: file, encoding: .utf8)
        func write(_ generation: Int) throws {
            try original.replacingOccurrences(of: "Berita uji nomor 11:", with: "GENERASI-\(generation):").write(
                toFile: file, atomically: true, encoding: .utf8)
        }
        try write(0)
        let revalidator = Revalidator(builder: SiteBuilder(environment: Fixture.environment(tenants: tenants, out: out)), compactionThreshold: 40)
        _ = try await revalidator.revalidate(tenant: "uji")

        let observations = Observations()
        let link = "\(out)/uji/current"
        let readers = (0..<3).map { _ in
            Thread {
                while !observations.stopped {
                    guard let reader = try? ReleaseReader(currentLink: link) else {
                        observations.record("current could not be resolved")
                        continue
                    }
                    let home = reader.read("index.html").map { String(decoding: $0, as: UTF8.self) }
                    let article = reader.read("berita/berita-11/index.html").map { String(decoding: $0, as: UTF8.self) }
                    let feed = reader.read("feed.xml").map { String(decoding: $0, as: UTF8.self) }
                    guard let home, let article, let feed else {
                        observations.record("missing file in \(reader.root)")
                        continue
                    }
                    if !home.contains("</html>") || !article.contains("</html>") || !feed.contains("</feed>") {
                        observations.record("partial file in \(reader.root)")
                        continue
                    }
                    let generations = Set([Self.generation(in: home), Self.generation(in: article), Self.generation(in: feed)])
                    observations.record(generations.count == 1 ? nil : "mixed generations \(generations) in \(reader.root)")
                }
            }
        }
        readers.forEach { $0.start() }
        for generation in 1...200 {
            try write(generation)
            _ = try await revalidator.revalidate(tenant: "uji", changes: [ContentChange(entity: .news, slug: "berita-11")])
        }
        observations.finish()
        while readers.contains(where: { !$0.isFinished }) { try await Task.sleep(for: .milliseconds(10)) }
        #expect(observations.problems.isEmpty, "\(observations.problems)")
        #expect(observations.reads > 200, "readers ran \(observations.reads) times")
        let final = try ReleaseReader(currentLink: link).read("berita/berita-11/index.html").map { String(decoding: $0, as: UTF8.self) }
        #expect(final.flatMap(Self.generation) == "200")
    }
}
