import ComproBuild
import ComproCMSSource
import ComproContent
import ComproModel
import ComproPublish
import ComproRevalidate
import Foundation
import KoniServiceTestSupport
import Hummingbird
import HummingbirdTesting
import KoniJSON
import KoniTestSupport
import Testing

/// The daemon's copy of a CMS tenant against the truth: after random batches of CMS changes
/// whose events are dropped, duplicated and reordered, and across a daemon restart with
/// changes made while it was down, the live site equals a fresh full build from the CMS.
@Suite struct CMSDifferentialTests {
    static let admin = "/api/v1/cms/admin/sites/uji"

    /// One random change through the admin API; returns the event hint it would have sent.
    static func change(_ client: some TestClientProtocol, round: Int, step: Int, random: inout SeededRandom) async throws -> ContentChange {
        let listed = try await client.send(.get, "\(admin)/news?per_page=100")
        let items = listed.body["items"]?.array ?? []
        let kind = items.count < 4 ? 0 : random.below(6)
        if kind == 0 {
            let slug = "baru-\(round)-\(step)"
            let body = JSONValue.object([
                ("slug", .string(slug)), ("title", .string("Baru \(round).\(step)")), ("date", .string("2026-0\(1 + random.below(9))-1\(random.below(10))")),
                ("summary", .string("Ringkasan")), ("tags", .array([.string(random.chance(50) ? "porprov" : "baru")])), ("body", .string("Isi.")),
                ("published", .bool(true)),
            ])
            #expect(try await client.send(.post, "\(admin)/news", json: body).status == .created)
            return ContentChange(entity: .news, slug: slug, action: "created")
        }
        let item = items[random.below(items.count)]
        let id = item["id"]?.string ?? ""
        let slug = item["slug"]?.string ?? ""
        let version = item["version"]?.int ?? 0
        switch kind {
        case 1:
            #expect(try await client.send(.delete, "\(admin)/news/\(id)").status == .noContent)
            return ContentChange(entity: .news, slug: slug, action: "deleted")
        case 2:
            let action = item["published"] == .bool(true) ? "unpublish" : "publish"
            #expect(try await client.send(.post, "\(admin)/news/\(id)/\(action)").status == .ok)
            return ContentChange(entity: .news, slug: slug, action: "\(action)ed")
        case 3:
            let renamed = "\(slug.prefix(20))-r\(round)\(step)"
            let put = try await client.send(.put, "\(admin)/news/\(id)", json: item.setting("slug", .string(renamed)), headers: [.ifMatch: "\"\(version)\""])
            #expect(put.status == .ok, "\(put.body.jsonText)")
            return ContentChange(entity: .news, slug: renamed, action: "updated")
        default:
            let edited = item.setting("title", .string("Disunting \(round).\(step)")).setting("date", .string("2025-12-0\(1 + random.below(9))"))
            let put = try await client.send(.put, "\(admin)/news/\(id)", json: edited, headers: [.ifMatch: "\"\(version)\""])
            #expect(put.status == .ok, "\(put.body.jsonText)")
            return ContentChange(entity: .news, slug: slug, action: "updated")
        }
    }

    /// Delivers `hints` as a broker might: some dropped, some twice, in any order, at once.
    static func deliver(_ hints: [ContentChange], to revalidator: Revalidator, random: inout SeededRandom) async throws -> Int {
        var deliveries: [ContentChange] = []
        for hint in hints {
            if random.chance(30) { continue }
            deliveries.append(hint)
            if random.chance(30) { deliveries.append(hint) }
        }
        for index in deliveries.indices.reversed() { deliveries.swapAt(index, random.below(index + 1)) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for hint in deliveries {
                group.addTask { _ = try await revalidator.revalidate(tenant: "uji", changes: [hint]) }
            }
            try await group.waitForAll()
        }
        return deliveries.count
    }

    @Test func theLiveSiteEqualsAFullBuildAfterLostDuplicatedAndReorderedEventsAndARestart() async throws {
        let seed = UInt64(ProcessInfo.processInfo.environment["KONI_DIFFERENTIAL_SEED"] ?? "") ?? UInt64.random(in: 1...UInt64.max)
        let app = try await CMSTestApp(maximumBodyBytes: 1 << 20).application(publisher: RecordingPublisher())
        let id = UUID().uuidString.prefix(8).lowercased()
        let tenants = TemporaryFolders.make("cms-diff-tenants-\(id)")
        let out = TemporaryFolders.make("cms-diff-out-\(id)")
        try FileManager.default.createDirectory(atPath: tenants, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: "\(Repository.fixtureTenants)/uji", toPath: "\(tenants)/uji")
        let environment = CMSRevalidationTests.environment(tenants: tenants, out: out)

        try await app.test(.live) { client in
            var random = SeededRandom(seed: seed)
            let url = "http://127.0.0.1:\(client.port ?? 0)"
            let imported = try await ImportBuildTests.run([
                "cms", "import", "uji", "--cms", url, "--token", TestKeys.admin, "--tenants", Repository.fixtureTenants,
            ])
            try #require(imported.status == 0, "\(imported.errors)")
            let yml = try String(contentsOfFile: "\(tenants)/uji/tenant.yml", encoding: .utf8) + "source: cms\ncms:\n  url: \(url)\n"
            try yml.write(toFile: "\(tenants)/uji/tenant.yml", atomically: true, encoding: .utf8)
            try FileManager.default.removeItem(atPath: "\(tenants)/uji/content")

            /// The live tree equals a full build of what the CMS holds now, given the live release's
            /// archive layout (which pages are closed depends on the order changes came in; the
            /// layout's own rules are ArchivePagesTests').
            func expectEqualToFullBuild(_ context: String) async throws {
                let fullOut = TemporaryFolders.make("cms-diff-full-\(id)-\(UUID().uuidString.prefix(6))")
                var fullEnvironment = environment
                fullEnvironment.outputDirectory = fullOut
                let content = try await CMSContentSource(client: CMSClient(baseURL: url), tenantsDirectory: tenants).load("uji")
                let layout = try Publisher(outputDirectory: out).liveArchiveLayout("uji")
                #expect(layout != nil, "seed \(seed), \(context): the live release records its archive layout")
                _ = try SiteBuilder(environment: fullEnvironment).build(content: content, archive: layout)
                let live = try CMSRevalidationTests.tree(out, "uji")
                let fresh = try CMSRevalidationTests.tree(fullOut, "uji")
                let differing = Set(live.keys).union(fresh.keys).filter { live[$0] != fresh[$0] }.sorted()
                #expect(differing.isEmpty, "seed \(seed), \(context): differs from a full build: \(differing.prefix(12))")
                try? FileManager.default.removeItem(atPath: fullOut)
            }

            var revalidator = Revalidator(builder: SiteBuilder(environment: environment), contentSources: ContentSources([.cms: CMSTenantContentSource()]))
            _ = try await revalidator.revalidate(tenant: "uji")
            try await expectEqualToFullBuild("first publish")

            for round in 1...8 {
                if round == 5 {
                    // The daemon stops; editors go on; a new daemon starts with nothing in memory.
                    #expect(try await revalidator.reconcile(tenant: "uji") == nil, "seed \(seed): nothing to catch up before the stop")
                    revalidator = Revalidator(builder: SiteBuilder(environment: environment), contentSources: ContentSources([.cms: CMSTenantContentSource()]))
                    #expect(try await revalidator.reconcile(tenant: "uji") == nil, "seed \(seed): the stored cursor is the CMS's: no read at start")
                    _ = try await Self.change(client, round: round, step: 0, random: &random)
                    revalidator = Revalidator(builder: SiteBuilder(environment: environment), contentSources: ContentSources([.cms: CMSTenantContentSource()]))
                    let caughtUp = try await revalidator.reconcile(tenant: "uji")
                    #expect(caughtUp != nil, "seed \(seed): a change made while the daemon was down is caught up at start")
                    try await expectEqualToFullBuild("restart")
                }
                var hints: [ContentChange] = []
                for step in 1...(1 + random.below(5)) { hints.append(try await Self.change(client, round: round, step: step, random: &random)) }
                let delivered = try await Self.deliver(hints, to: revalidator, random: &random)
                // Every event of the batch lost: the periodic comparison with the CMS finds it.
                if delivered == 0 { #expect(try await revalidator.reconcile(tenant: "uji") != nil, "seed \(seed)") }
                try await expectEqualToFullBuild("round \(round), \(hints.count) changes, \(delivered) deliveries")
            }
        }
    }
}
