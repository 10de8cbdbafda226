import ComproBuild
import ComproContent
import ComproServiceSource
import ComproModel
import ComproPublish
import ComproRevalidate
import Foundation
import HummingbirdTesting
import KoniJSON
import KoniServiceTestSupport
import KoniTestSupport
import Testing

@testable import GMSService

/// A branch whose `tenant.yml` says `gms: {url: …}`: its tournament pages come from GMS's export
/// (not from its folder), a result kept in GMS reaches the tournament's table, the home page's
/// latest results and the sitemap through the revalidation engine, and the live tree equals a
/// full build of the same content afterwards.
@Suite struct SiteTournamentTests {
    static let now = SiteDate.parse("2026-12-20T10:00:00+07:00", defaultOffsetSeconds: 0)!

    static func environment(tenants: String, out: String) -> BuildEnvironment {
        BuildEnvironment(
            tenantsDirectory: tenants, templatesDirectory: Repository.templates, themesDirectory: Repository.themes, outputDirectory: out, now: now)
    }

    static func tree(_ out: String) throws -> [String: Data] {
        let reader = try ReleaseReader(currentLink: "\(out)/uji/current")
        var result: [String: Data] = [:]
        for path in reader.allPaths() { result[path] = reader.read(path) }
        return result
    }

    /// A full build of the folder with GMS's tournaments, as `koni-compro build` makes it.
    static func fullBuild(tenants: String, out: String, gms: String) async throws -> [String: Data] {
        let snapshot = try await ServiceSource().snapshot(of: .tournament, tenant: "uji", from: gms, timeZone: .jakarta)
        let content = try LocalContentSource(tenantsDirectory: tenants).load("uji", replacing: [snapshot])
        let built = content
        let result = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(
                    returning: Result { () throws(BuildFailure) in try SiteBuilder(environment: environment(tenants: tenants, out: out)).build(content: built) }
                )
            }
        }
        _ = try result.get()
        return try tree(out)
    }

    @Test func aResultKeptInGMSReachesTheBranchsPagesAndEqualsAFullBuild() async throws {
        let gms = try await GMSTestApp()
        try await gms.application().test(.live) { client in
            let url = "http://127.0.0.1:\(try #require(client.port))"
            let admin = GMSTestApp.gameAdmin
            let created = try await client.jsonRequest(.post, "/api/v1/gms/uji/tournaments", json: GMSTestApp.tournament("piala-walikota"), token: admin)
            let tournamentID = try #require(created.json["id"]?.text, "\(created.text)")
            var matchIDs: [String] = []
            for (position, pair) in [("Persiu", "Uji United"), ("PS Uji Timur", "Persiu Muda")].enumerated() {
                let match = try await client.jsonRequest(
                    .post, "/api/v1/gms/uji/tournaments/\(tournamentID)/matches",
                    json: GMSTestApp.match(round: 1, position: position + 1, home: pair.0, away: pair.1), token: admin
                )
                matchIDs.append(try #require(match.json["id"]?.text, "\(match.text)"))
            }
            #expect(
                try await client.jsonRequest(.post, "/api/v1/gms/uji/matches/\(matchIDs[0])/result", json: GMSTestApp.score(2, 0), token: admin).status == 200)

            // The fixture branch, its tournaments now kept in GMS (its folder still has two, which must not show).
            let tenants = TemporaryFolders.make("gms-tenants")
            try FileManager.default.removeItem(atPath: tenants)
            try FileManager.default.copyItem(atPath: Repository.fixtureTenants, toPath: tenants)
            let yml = try String(contentsOfFile: "\(tenants)/uji/tenant.yml", encoding: .utf8) + "gms:\n  url: \(url)\n"
            try yml.write(toFile: "\(tenants)/uji/tenant.yml", atomically: true, encoding: .utf8)
            let daemonOut = TemporaryFolders.make("gms-daemon")
            let revalidator = Revalidator(
                builder: SiteBuilder(environment: Self.environment(tenants: tenants, out: daemonOut)), serviceSource: ServiceSource()
            )
            _ = try await revalidator.revalidate(tenant: "uji")
            var live = try Self.tree(daemonOut)
            let page = String(decoding: try #require(live["turnamen/piala-walikota/index.html"]), as: UTF8.self)
            #expect(page.contains("2 – 0") && page.contains("Persiu"), "the result kept in GMS is on the page")
            #expect(live["turnamen/kejurkot-catur-2026/index.html"] == nil, "the folder's tournaments are not read for a GMS branch")

            // A second result: the event's change re-reads GMS's export; only what it changed is rendered.
            #expect(
                try await client.jsonRequest(.post, "/api/v1/gms/uji/matches/\(matchIDs[1])/result", json: GMSTestApp.score(1, 3), token: admin).status == 200)
            let started = ContinuousClock.now
            let regeneration = try await revalidator.revalidate(tenant: "uji", changes: [ContentChange(entity: .tournament, slug: "piala-walikota")])
            print(
                "gms: a result to the live pages of a GMS branch in \(ContinuousClock.now - started) (export read, \(regeneration.written.count) files written; debug build)"
            )
            #expect(
                regeneration.written.contains { $0.hasPrefix("turnamen/piala-walikota/") } && regeneration.written.contains("index.html"),
                "\(regeneration.written)")
            #expect(!regeneration.written.contains { $0.hasPrefix("berita/berita-0") }, "news pages were not rendered again")
            live = try Self.tree(daemonOut)
            let table = String(decoding: try #require(live["turnamen/piala-walikota/index.html"]), as: UTF8.self)
            #expect(table.contains("1 – 3") && table.contains("Persiu Muda"))
            let home = String(decoding: try #require(live["index.html"]), as: UTF8.self)
            #expect(home.contains("block--latest_results") && home.contains("1 – 3"), "the home page's latest results")

            let full = try await Self.fullBuild(tenants: tenants, out: TemporaryFolders.make("gms-full"), gms: url)
            let different = full.keys.filter { live[$0] != full[$0] }.sorted()
            #expect(Set(live.keys) == Set(full.keys) && different.isEmpty, "the live tree differs from a full build: \(different.prefix(5))")

            // A process without a tournament source refuses a GMS branch's changes, naming why.
            let revalidatorWithoutGMS = Revalidator(builder: SiteBuilder(environment: Self.environment(tenants: tenants, out: daemonOut)))
            do {
                _ = try await revalidatorWithoutGMS.revalidate(tenant: "uji")
                Issue.record("a GMS branch revalidated without a tournament source")
            } catch {
                #expect("\(error)".contains("without a service source"), "\(error)")
            }
            // GMS unreachable: the change fails naming GMS's address, and the live site stays.
            try yml.replacingOccurrences(of: url, with: "http://127.0.0.1:1").write(toFile: "\(tenants)/uji/tenant.yml", atomically: true, encoding: .utf8)
            do {
                _ = try await revalidator.revalidate(tenant: "uji", changes: [ContentChange(entity: .settings)])
                Issue.record("a change of a GMS branch was published while GMS was unreachable")
            } catch {
                #expect("\(error)".contains("gms: http://127.0.0.1:1"), "\(error)")
            }
            #expect(try Self.tree(daemonOut) == live)
        }
    }
}
