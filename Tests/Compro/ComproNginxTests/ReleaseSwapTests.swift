import ComproBuild
import ComproModel
import ComproPublish
import ComproRender
import Foundation
import Synchronization
import Testing

/// Publishing new releases while Nginx serves the site: every response is a complete file of
/// one release, never an error or a mix.
@Suite struct ReleaseSwapTests {
    struct Sample: Sendable {
        var path: String
        var status: Int
        var body: [UInt8]
        var complete: Bool
    }

    /// Requests `paths` in a loop on a thread of its own until `stop` is set.
    final class Load: Sendable {
        private struct State {
            var stopped = false
            var samples: [Sample] = []
            var failures: [String] = []
        }
        private let state = Mutex(State())

        func run(port: Int, host: String, paths: [String]) -> Thread {
            let thread = Thread { [self] in
                var index = 0
                while !state.withLock({ $0.stopped }) {
                    let path = paths[index % paths.count]
                    index += 1
                    do {
                        let response = try RawHTTP.get(port: port, path, host: host)
                        let sample = Sample(path: path, status: response.status, body: response.body, complete: response.complete)
                        state.withLock { $0.samples.append(sample) }
                    } catch {
                        let failure = "\(path): \(error)"
                        state.withLock { $0.failures.append(failure) }
                    }
                }
            }
            thread.start()
            return thread
        }

        func stop() -> (samples: [Sample], failures: [String]) {
            state.withLock { state in
                state.stopped = true
                return (state.samples, state.failures)
            }
        }

        var count: Int { state.withLock { $0.samples.count } }
    }

    @Test
    func swappingReleasesUnderLoadNeverYieldsAnErrorOrAPartialBody() async throws {
        let directory = Paths.temporaryDirectory("swap")
        let builder = SiteBuilder(environment: PublishedSites.environment(tenants: Paths.fixtureTenants, out: directory, keep: 3))
        let content = try builder.source.load("uji")
        let renderer = try builder.renderer(for: content)
        let outputs = try renderer.renderAll()
        _ = try builder.publish(renderer: renderer, outputs: outputs)
        let stylesheet = "/" + renderer.siteCSSPath
        let paths = ["/", "/berita/", "/profil/", stylesheet, "/nope/"]

        // Each release changes the pages, so a response can be matched to the release it came from.
        var expected: [String: Set<[UInt8]>] = [:]
        func record(_ outputs: [RenderedOutput]) {
            for output in outputs {
                let path =
                    output.path == "index.html"
                    ? "/" : output.path.hasSuffix("/index.html") ? "/" + output.path.dropLast("index.html".count) : "/" + output.path
                expected[path, default: []].insert(output.bytes)
                if output.path == "404.html" { expected["/nope/", default: []].insert(output.bytes) }
            }
        }
        record(outputs)
        let releases = 25
        var versions: [[RenderedOutput]] = []
        for version in 1...releases {
            versions.append(
                outputs.map { output in
                    guard output.path.hasSuffix(".html") else { return output }
                    var changed = output
                    let text = String(decoding: output.bytes, as: UTF8.self)
                    changed.bytes = Array(text.replacingOccurrences(of: "</body>", with: "<!-- versi \(version) -->\n</body>").utf8)
                    return changed
                })
        }
        for version in versions { record(version) }

        try await withNginx(tenants: [content.tenant], sites: directory) { server in
            let load = Load()
            let thread = load.run(port: server.port, host: "uji.koni.id", paths: paths)
            var published: [String] = []
            for version in versions {
                // Let some requests land on each release before the next swap.
                let before = load.count
                while load.count < before + 5 { try await Task.sleep(for: .milliseconds(1)) }
                published.append(try builder.publish(renderer: renderer, outputs: version).release)
            }
            let minimum = load.count + 20
            while load.count < minimum { try await Task.sleep(for: .milliseconds(1)) }
            let (samples, failures) = load.stop()
            while !thread.isFinished { try await Task.sleep(for: .milliseconds(1)) }

            #expect(failures.isEmpty, "\(failures.prefix(5))")
            #expect(Set(published).count == releases)
            #expect(samples.count >= releases * 5)
            var seenVersions = Set<Int>()
            for sample in samples {
                let wanted = sample.path == "/nope/" ? 404 : 200
                #expect(sample.status == wanted, "\(sample.path): \(sample.status)")
                #expect(sample.complete, "\(sample.path): partial body")
                #expect(expected[sample.path]?.contains(sample.body) == true, "\(sample.path): body matches no published release")
                if sample.path == "/", let match = String(decoding: sample.body, as: UTF8.self).firstMatch(of: /<!-- versi (\d+) -->/) {
                    seenVersions.insert(Int(match.output.1) ?? 0)
                }
            }
            // The load really did span the swaps: pages of many different releases were served.
            #expect(seenVersions.count >= releases / 2, "saw \(seenVersions.count) releases")
            // Releases replaced less than a minute ago are kept beyond --keep for readers that
            // resolved `current` just before a swap (Publisher.pruneGraceSeconds).
            let kept = Publisher(outputDirectory: directory).releases("uji").count
            #expect(kept >= 3 && kept <= releases + 1, "pruned to --keep, but never a release replaced within the grace period")
            // Nothing stale once the swaps are over: the newest release answers, at once.
            let last = try #require(versions.last)
            for (path, file) in [("/", "index.html"), ("/berita/", "berita/index.html"), ("/nope/", "404.html")] {
                let response = try server.get(path, host: "uji.koni.id")
                let isNewest = response.body == last.first { $0.path == file }?.bytes
                #expect(isNewest, "\(path) is served from the newest release")
            }
            print("release swap: \(samples.count) responses across \(releases) releases, \(seenVersions.count) releases seen on /")
        }
    }
}

/// Adding a branch: its server block, `nginx -t`, `nginx -s reload`, while another branch is
/// being served.
@Suite struct NginxReloadTests {
    @Test
    func addingATenantAndReloadingDropsNoRequest() async throws {
        let sites = try PublishedSites.shared.get()
        let uji = try sites.config("uji")
        let jabar = try sites.config("jabar")
        try await withNginx(tenants: [uji], sites: sites.directory) { server in
            // Before: jabar.koni.id is an unknown host.
            #expect(try server.get("/", host: "jabar.koni.id").text == "Not found\n")
            let load = ReleaseSwapTests.Load()
            let thread = load.run(port: server.port, host: "uji.koni.id", paths: ["/", "/berita/"])
            while load.count < 20 { try await Task.sleep(for: .milliseconds(1)) }
            let oldWorkers = server.workerPIDs()
            #expect(!oldWorkers.isEmpty)
            try server.add(jabar)
            // The old workers finish the requests they hold and exit; new workers answer for jabar.
            var reloaded = false
            for _ in 0..<1000 where !reloaded {
                reloaded = server.workerPIDs().isDisjoint(with: oldWorkers)
                if !reloaded { try await Task.sleep(for: .milliseconds(10)) }
            }
            let after = load.count + 20
            while load.count < after { try await Task.sleep(for: .milliseconds(1)) }
            let (samples, failures) = load.stop()
            while !thread.isFinished { try await Task.sleep(for: .milliseconds(1)) }
            #expect(reloaded, "the old workers exited after the reload")
            #expect(failures.isEmpty, "\(failures.prefix(3))")
            #expect(samples.allSatisfy { $0.status == 200 && $0.complete })
            let home = try server.get("/", host: "jabar.koni.id")
            let isJabar = home.body == (try sites.file("jabar", "index.html"))
            #expect(isJabar, "jabar.koni.id answers with jabar's site: \(home.status) \(home.text.prefix(100))")
        }
    }
}
