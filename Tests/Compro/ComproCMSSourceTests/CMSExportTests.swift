@testable import ComproCMSSource
import CMSWire
import ComproContent
import ComproModel
import ComproTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import KoniJSON
import NIOCore
import Synchronization
import Testing

/// A build of a `source: cms` tenant reads the CMS's export (one stream of JSON lines) against a
/// live loopback server serving the fixture tenant in the CMS's wire form: the content is the
/// folder's, and an export that is cut, bent or breaks the rules fails naming it. The real CMS's
/// export, the mirror and its change feed are tested in CMSServiceTests.
@Suite struct CMSExportTests {
    static let cursor = 42

    /// The fixture tenant `uji` as the CMS's export lines: the site, each item, the end.
    static func fixtureExport() throws -> [String] {
        let source = LocalContentSource(tenantsDirectory: Fixture.tenants)
        let config = try source.loadConfig("uji")
        let site = JSONValue.object([
            ("tenant_id", .string("8d7f2c1e-0000-4000-8000-000000000001")), ("settings", SettingsWire.encode(config)),
            ("theme", SettingsWire.encodeTheme(config.theme)),
        ])
        var lines = [JSONValue.object([("cursor", .number(Double(cursor))), ("site_seq", .number(1)), ("site", site)]).jsonText]
        for (index, file) in source.contentFiles("uji").enumerated() where ContentWire.isCMSKind(file.kind) {
            guard case .success(let item) = source.parse(file, config: config), case .object(var pairs) = ContentWire.encode(item) else {
                throw CancellationError()
            }
            // The CMS exports what is published; a draft is not.
            if item.identity.1.draft { continue }
            pairs.append(("id", .string("item-\(index)")))
            lines.append(
                JSONValue.object([
                    ("collection", .string(CMSDocuments.collection(of: file.kind))), ("seq", .number(Double(index + 2))), ("item", .object(pairs)),
                ]).jsonText)
        }
        lines.append(JSONValue.object([("end", .bool(true)), ("items", .number(Double(lines.count - 1)))]).jsonText)
        return lines
    }

    /// What the fake CMS serves as `uji`'s export (the fixture's by default).
    final class Script: Sendable {
        let lines: Mutex<[String]>
        init(_ lines: [String]) { self.lines = Mutex(lines) }
    }

    func withCMS(_ body: @Sendable (String, Script) async throws -> Void) async throws {
        let script = Script(try Self.fixtureExport())
        let router = Router()
        router.get("/api/v1/cms/sites/uji/export") { _, _ -> Response in
            let text = script.lines.withLock { $0.map { $0 + "\n" }.joined() }
            return Response(status: .ok, headers: [.contentType: "application/x-ndjson"], body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            guard let port = client.port else { throw CancellationError() }
            try await body("http://127.0.0.1:\(port)", script)
        }
    }

    @Test func theExportIsTheFoldersContentWithTheCMSsCursor() async throws {
        try await withCMS { url, _ in
            let folder = try LocalContentSource(tenantsDirectory: Fixture.tenants).load("uji")
            let read = try await CMSTenantContentSource().load("uji", from: url, tenantsDirectory: Fixture.tenants)
            #expect(read.cursor == String(Self.cursor))
            let content = read.content
            #expect(content.tenant.name == folder.tenant.name && content.tenant.source == .cms && content.tenant.cmsURL == url)
            #expect(content.tenant.theme.preset == folder.tenant.theme.preset)
            #expect(content.news.map(\.title) == folder.news.map(\.title))
            #expect(content.news.count > 10)
            #expect(content.events.map(\.title) == folder.events.map(\.title))
            #expect(content.galleries.map(\.meta.slug) == folder.galleries.map(\.meta.slug))
            #expect(content.pages.map(\.meta.slug).sorted() == folder.pages.map(\.meta.slug).sorted())
            #expect(content.athletes.map(\.meta.slug) == folder.athletes.map(\.meta.slug))
            // Static files still come from the tenant's folder.
            #expect(content.staticFiles.map(\.path).sorted() == folder.staticFiles.map(\.path).sorted() && !content.staticFiles.isEmpty)
            #expect(content.news.first?.meta.source.hasPrefix("cms:uji/news/") == true)
        }
    }

    @Test func aCutOrBentExportFailsNamingTheExport() async throws {
        try await withCMS { url, script in
            let good = try Self.fixtureExport()
            let end = good.count - 1
            let source = CMSContentSource(client: CMSClient(baseURL: url), tenantsDirectory: nil)
            let cases: [([String], String)] = [
                (Array(good[..<end]), "the export ended early"),
                (Array(good[..<(end - 1)]) + [good[end]], "the export ended early"),
                (good + [#"{"collection":"news"}"#], "lines after the end"),
                (Array(good[1...]), "does not start with the site"),
                ([good[0], #"{"collection":"tournaments","seq":3,"item":{"id":"x"}}"#] + Array(good[1...]), "names no known collection"),
                ([good[0], #"{"collection":"news","seq":-1,"item":{"id":"x"}}"#] + Array(good[1...]), "no valid 'seq'"),
                ([good[0].replacingOccurrences(of: "\"cursor\":\(Self.cursor)", with: "\"cursor\":1e300")] + Array(good[1...]), "'cursor'"),
            ]
            for (lines, reason) in cases {
                script.lines.withLock { $0 = lines }
                do {
                    _ = try await source.load("uji")
                    Issue.record("accepted; expected: \(reason)")
                } catch {
                    #expect(String(describing: error).contains("cms:uji/export") && String(describing: error).contains(reason), "\(error)")
                }
            }
        }
    }

    @Test func anItemThatBreaksTheRulesIsNamedWithItsField() async throws {
        try await withCMS { url, script in
            let good = try Self.fixtureExport()
            let bad = #"{"collection":"news","seq":900,"item":{"id":"x","slug":"rusak","title":"","date":"kemarin","body":""}}"#
            script.lines.withLock { $0 = [good[0], bad] + Array(good[1..<(good.count - 1)]) + [#"{"end":true,"items":\#(good.count - 1)}"#] }
            do {
                _ = try await CMSContentSource(client: CMSClient(baseURL: url), tenantsDirectory: nil).load("uji")
                Issue.record("a news item without a title or a date was accepted")
            } catch {
                #expect(String(describing: error).contains("cms:uji/news/rusak") && String(describing: error).contains("title"), "\(error)")
            }
        }
    }

    @Test func aSlugThatIsNotOneIsRefusedBeforeAnyRequest() async throws {
        do {
            _ = try await CMSContentSource(client: CMSClient(baseURL: "http://127.0.0.1:9"), tenantsDirectory: nil).load("../admin")
            Issue.record("a traversal slug was read")
        } catch {
            #expect(String(describing: error).contains("tenant"), "\(error)")
        }
    }
}
