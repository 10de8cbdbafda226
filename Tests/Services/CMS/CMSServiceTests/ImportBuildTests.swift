import CMSService
import ComproBuild
import ComproModel
import Foundation
import KoniServiceTestSupport
import KoniTestSupport
import Hummingbird
import HummingbirdTesting
import KoniJSON
import Testing

/// `koni-compro cms import` then `koni-compro build --cms` gives the same site as the folder.
@Suite struct ImportBuildTests {
    static let binary = Repository.binary("koni-compro")

    /// Runs the CLI without blocking a cooperative thread (the CMS answers it from this process).
    static func run(_ arguments: [String]) async throws -> ProcessRun {
        try await ProcessRunner.runAsync(binary, arguments, environment: ProcessRunner.cliEnvironment, directory: Repository.root)
    }

    /// Every file under `root`, except the manifest folder `.koni/`, with its bytes.
    static func files(under root: String) throws -> [String: Data] {
        var result: [String: Data] = [:]
        let base = URL(fileURLWithPath: root).resolvingSymlinksInPath().path
        guard let enumerator = FileManager.default.enumerator(atPath: base) else { return result }
        while let relative = enumerator.nextObject() as? String {
            if relative == ".koni" || relative.hasPrefix(".koni/") { continue }
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: "\(base)/\(relative)", isDirectory: &isDirectory)
            if isDirectory.boolValue { continue }
            result[relative] = FileManager.default.contents(atPath: "\(base)/\(relative)")
        }
        return result
    }

    @Test func importedTenantBuildsByteForByteTheSameSite() async throws {
        let app = try await CMSTestApp(maximumBodyBytes: 1 << 20).application(publisher: RecordingPublisher())
        // The fixture without its tournaments: the CMS does not keep them (GMS does), so a folder
        // with tournaments cannot round-trip through the CMS; the import says so (below).
        let tenants = TemporaryFolders.make("import-tenants")
        try FileManager.default.createDirectory(atPath: tenants, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: "\(Repository.fixtureTenants)/uji", toPath: "\(tenants)/uji")
        try FileManager.default.removeItem(atPath: "\(tenants)/uji/content/tournaments")
        let folderOut = TemporaryFolders.make("folder")
        let cmsOut = TemporaryFolders.make("cms")
        let sourceOut = TemporaryFolders.make("source")
        // A copy of the tenant whose tenant.yml says `source: cms`: built from the CMS without --cms.
        let cmsTenants = TemporaryFolders.make("cms-tenants")
        try FileManager.default.createDirectory(atPath: cmsTenants, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: "\(tenants)/uji", toPath: "\(cmsTenants)/uji")
        let folder = try await Self.run(["build", "uji", "--tenants", tenants, "--out", folderOut])
        #expect(folder.status == 0, "\(folder.errors)")

        try await app.test(.live) { client in
            let url = "http://127.0.0.1:\(client.port ?? 0)"
            let imported = try await Self.run(["cms", "import", "uji", "--cms", url, "--token", TestKeys.admin, "--tenants", tenants])
            #expect(imported.status == 0, "\(imported.errors)")
            #expect(imported.output.contains("imported uji: tenant created, 22 item(s) created"), "\(imported.output)")
            // The draft arrived unpublished.
            let drafts = try await client.send(.get, "/api/v1/cms/sites/uji/news/draf", token: nil)
            #expect(drafts.status == .notFound)

            let built = try await Self.run(["build", "uji", "--cms", url, "--tenants", tenants, "--out", cmsOut])
            #expect(built.status == 0, "\(built.errors)")
            let yml = try String(contentsOfFile: "\(cmsTenants)/uji/tenant.yml", encoding: .utf8) + "source: cms\ncms:\n  url: \(url)\n"
            try yml.write(toFile: "\(cmsTenants)/uji/tenant.yml", atomically: true, encoding: .utf8)
            let bySource = try await Self.run(["build", "uji", "--tenants", cmsTenants, "--out", sourceOut])
            #expect(bySource.status == 0, "\(bySource.errors)")
            // The cursor the build read is stored beside the release, for the daemon that starts next,
            // when that daemon reads the tenant from the same CMS: not for a folder tenant built
            // with --cms (a daemon reads it from its folder).
            #expect(!FileManager.default.fileExists(atPath: "\(cmsOut)/uji/source-cursor"))
            let sameCMSOut = TemporaryFolders.make("same-cms")
            let sameCMS = try await Self.run(["build", "uji", "--cms", url, "--tenants", cmsTenants, "--out", sameCMSOut])
            #expect(sameCMS.status == 0, "\(sameCMS.errors)")
            for out in [sourceOut, sameCMSOut] {
                let stored = (try? String(contentsOfFile: "\(out)/uji/source-cursor", encoding: .utf8)) ?? ""
                let release = (try? FileManager.default.destinationOfSymbolicLink(atPath: "\(out)/uji/current"))?.split(separator: "/").last.map(String.init)
                let fields = stored.split(whereSeparator: \.isWhitespace).map(String.init)
                #expect(fields.count == 3 && fields.first == release && (Int(fields[1]) ?? 0) > 0 && fields.last == "cms:\(url)", "\(out): \(stored)")
            }

            let withTournaments = try await Self.run(["cms", "import", "uji", "--cms", url, "--token", TestKeys.admin, "--tenants", Repository.fixtureTenants])
            #expect(withTournaments.output.contains("2 tournament file(s) not imported: tournaments are kept in GMS"), "\(withTournaments.output)")

            // A second import updates in place and changes nothing.
            let again = try await Self.run(["cms", "import", "uji", "--cms", url, "--token", TestKeys.admin, "--tenants", tenants])
            // Items with sections or photos (3 pages, 1 gallery) are rewritten; the rest are equal and left alone.
            #expect(again.output.contains("0 item(s) created, 4 updated, 18 unchanged"), "\(again.output) \(again.errors)")
        }

        let expected = try Self.files(under: "\(folderOut)/uji/current")
        let actual = try Self.files(under: "\(cmsOut)/uji/current")
        #expect(expected.count > 30)
        #expect(Set(actual.keys) == Set(expected.keys))
        for (path, bytes) in expected {
            #expect(actual[path] == bytes, "\(path) differs")
        }
        #expect(try Self.files(under: "\(sourceOut)/uji/current") == expected)
    }

    /// `--dry-run` lists what the folder no longer has, `--prune` deletes it; a batch with one
    /// invalid item is refused whole, naming the item and field.
    @Test func pruneDeletesWhatTheFolderNoLongerHasAndABadBatchChangesNothing() async throws {
        let test = try await CMSTestApp(maximumBodyBytes: 1 << 20)
        let app = try await test.application(publisher: RecordingPublisher())
        let copy = TemporaryFolders.make("import") + "/tenants"
        try FileManager.default.copyItem(atPath: Repository.fixtureTenants, toPath: copy)
        try await app.test(.live) { client in
            let url = "http://127.0.0.1:\(client.port ?? 0)"
            let arguments = ["cms", "import", "uji", "--cms", url, "--token", TestKeys.admin, "--tenants", copy]
            #expect(try await Self.run(arguments).status == 0)
            try FileManager.default.removeItem(atPath: "\(copy)/uji/content/news/berita-01.md")
            try FileManager.default.removeItem(atPath: "\(copy)/uji/content/athletes/sari-dewi.md")

            let dry = try await Self.run(arguments + ["--dry-run"])
            #expect(dry.status == 0, "\(dry.errors)")
            #expect(dry.output.contains("2 item(s) in the CMS are not in the folder and would be deleted: news/berita-01, athletes/sari-dewi"), "\(dry.output)")
            #expect(try await client.send(.get, "/api/v1/cms/sites/uji/news/berita-01", token: nil).status == .ok, "a dry run deletes nothing")

            let pruned = try await Self.run(arguments + ["--prune"])
            #expect(pruned.status == 0, "\(pruned.errors)")
            #expect(pruned.output.contains("2 deleted"), "\(pruned.output)")
            #expect(try await client.send(.get, "/api/v1/cms/sites/uji/news/berita-01", token: nil).status == .notFound)
            #expect(try await client.send(.get, "/api/v1/cms/sites/uji/athletes/sari-dewi", token: nil).status == .notFound)

            let batch = "/api/v1/cms/admin/sites/uji/news/batch"
            let good = Samples.news("satu")
            let bad = Samples.news("dua").setting("date", .string("kemarin"))
            let refused = try await client.send(.post, batch, json: .object([("upsert", .array([good, bad]))]))
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body["error"]?["field"] == .string("upsert[1].date"), "\(refused.body.jsonText)")
            #expect(try await client.send(.get, "/api/v1/cms/sites/uji/news/satu", token: nil).status == .notFound, "all or nothing")
            let twice = try await client.send(.post, batch, json: .object([("upsert", .array([good, good]))]))
            #expect(twice.body["error"]?["field"] == .string("upsert[1].slug"), "\(twice.body.jsonText)")
            let tooMany = JSONValue.array((0...500).map { Samples.news("n\($0)") })
            #expect(try await client.send(.post, batch, json: .object([("upsert", tooMany)])).status == .unprocessableContent)
            #expect(try await client.send(.post, batch, json: .object([("prune_except", .array([.string("../x")]))])).status == .unprocessableContent)
            #expect(try await client.send(.post, batch, token: nil, json: .object([("upsert", .array([good]))])).status == .unauthorized)
        }
    }

    @Test func importRefusesAFolderWithErrorsAndSendsNothing() async throws {
        let test = try await CMSTestApp()
        let app = try await test.application(publisher: RecordingPublisher())
        let copy = TemporaryFolders.make("import") + "/tenants"
        try FileManager.default.copyItem(atPath: Repository.fixtureTenants, toPath: copy)
        try "---\ntitle: Rusak\n---\n".write(toFile: "\(copy)/uji/content/news/berita-01.md", atomically: true, encoding: .utf8)
        try await app.test(.live) { client in
            let result = try await Self.run([
                "cms", "import", "uji", "--cms", "http://127.0.0.1:\(client.port ?? 0)", "--token", TestKeys.admin, "--tenants", copy,
            ])
            #expect(result.status == 1)
            #expect(result.errors.contains("uji/content/news/berita-01.md"))
            #expect(result.errors.contains("missing required field 'date'"))
        }
        #expect(try await test.query("SELECT count(*) FROM cms_site_settings", as: Int.self) == [0])
    }
}
