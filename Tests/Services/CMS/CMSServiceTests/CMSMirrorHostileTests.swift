import CMSService
import ComproCMSSource
import Foundation
import Hummingbird
import HummingbirdTesting
import KoniJSON
import KoniServiceTestSupport
import NIOCore
import Synchronization
import Testing

/// The daemon's CMS mirror against a CMS that answers wrongly: a real CMS's export and change
/// feed, cut, bent or swollen by a proxy. Every wrong answer is refused with its reason and the
/// mirror keeps what it had (docs/security.md, "The daemon's CMS mirror").
@Suite struct CMSMirrorHostileTests {
    /// What the proxy serves instead of the real answers (nil: the real one).
    final class Script: Sendable {
        let export = Mutex<[UInt8]?>(nil)
        let changes = Mutex<[UInt8]?>(nil)
    }

    /// The real CMS's export of a branch with three published news items, as lines.
    static func realExport(_ client: some TestClientProtocol) async throws -> [[UInt8]] {
        try await client.send(.post, "/api/v1/cms/admin/sites", json: Samples.site(slug: "uji"))
        for slug in ["satu", "dua", "tiga"] { try await client.send(.post, "/api/v1/cms/admin/sites/uji/news", json: Samples.news(slug, published: true)) }
        return try await client.execute(uri: "/api/v1/cms/sites/uji/export", method: .get) { response in
            Array(response.body.readableBytesView).split(separator: 0x0A).map(Array.init)
        }
    }

    /// A CMS on a port that answers like the real one unless the script says otherwise.
    static func proxy(real: [[UInt8]], realChanges: [UInt8], script: Script) -> some ApplicationProtocol {
        let router = Router()
        router.get("/api/v1/cms/sites/uji/export") { _, _ in
            let body: [UInt8] = script.export.withLock { $0 } ?? real.flatMap { line -> [UInt8] in line + [0x0A] }
            return Response(status: .ok, headers: [.contentType: "application/x-ndjson"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
        router.get("/api/v1/cms/sites/uji/changes") { _, _ in
            let body = script.changes.withLock { $0 } ?? realChanges
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    @Test func wrongExportsAndFeedsAreRefusedAndTheMirrorKeepsWhatItHad() async throws {
        let test = try await CMSTestApp()
        try await test.application(publisher: RecordingPublisher()).test(.router) { cms in
            let real = try await Self.realExport(cms)
            let header = try JSONValue.parse(real[0])
            let cursor = try #require(header["cursor"]?.int)
            let realChanges = Array(#"{"changes": [], "next": \#(cursor), "more": false}"#.utf8)
            let script = Script()
            try await Self.proxy(real: real, realChanges: realChanges, script: script).test(.live) { proxy in
                let client = CMSClient(baseURL: "http://127.0.0.1:\(try #require(proxy.port))")
                func refused(_ lines: [[UInt8]], _ reason: String, _ mirror: CMSMirror, sourceLocation: SourceLocation = #_sourceLocation) async {
                    script.export.withLock { $0 = lines.flatMap { line -> [UInt8] in line + [0x0A] } }
                    do {
                        try await mirror.catchUp()
                        Issue.record("accepted; expected: \(reason)", sourceLocation: sourceLocation)
                    } catch {
                        #expect(error.description.contains(reason), "\(error.description)", sourceLocation: sourceLocation)
                    }
                }
                // Before the first good export: every bad one leaves the mirror empty.
                let fresh = CMSMirror(slug: "uji", client: client)
                let end = real.count - 1
                await refused(Array(real[..<end]), "the export ended early", fresh)  // cut before its last line
                await refused(Array(real[..<(end - 1)]) + [real[end]], "the export ended early", fresh)  // an item missing, the end line kept
                await refused(real + [Array(#"{"collection":"news"}"#.utf8)], "lines after the end", fresh)
                await refused([real[0], Array("{not json".utf8)] + Array(real[1...]), "not JSON", fresh)
                for bad in ["-1", "1e300", "9007199254740994", "1.5", "\"7\"", "null"] {
                    let bent = String(decoding: real[0], as: UTF8.self).replacingOccurrences(of: "\"cursor\":\(cursor)", with: "\"cursor\":\(bad)")
                    #expect(bent != String(decoding: real[0], as: UTF8.self), "the header names its cursor as \"cursor\":\(cursor)")
                    await refused([Array(bent.utf8)] + Array(real[1...]), "cursor", fresh)
                }
                await refused([real[0], [UInt8](repeating: 0x20, count: (16 << 20) + 10)] + Array(real[1...]), "longer than", fresh)
                #expect(fresh.takeChanges(everything: true) == nil, "nothing was loaded")

                // After a good export: a feed that goes back, or names an impossible seq, changes nothing.
                script.export.withLock { $0 = nil }
                let mirror = CMSMirror(slug: "uji", client: client)
                try await mirror.catchUp()
                let loaded = try #require(mirror.takeChanges(everything: true))
                #expect(loaded.items.count == 3 && loaded.cursor == String(cursor))
                for (body, reason) in [
                    (#"{"changes": [], "next": \#(cursor - 1), "more": false}"#, "went back"),
                    (#"{"changes": [{"seq": 1e20, "collection": "news", "id": "x", "deleted": true}], "next": \#(cursor + 1)}"#, "seq"),
                    (#"{"changes": [{"seq": \#(cursor + 1), "collection": "news", "id": "x"}], "next": \#(cursor + 1)}"#, "without the item"),
                    (#"{"next": \#(cursor + 1)}"#, "without 'changes'"),
                ] {
                    script.changes.withLock { $0 = Array(body.utf8) }
                    do {
                        try await mirror.catchUp()
                        Issue.record("feed accepted; expected: \(reason)")
                    } catch {
                        #expect("\(error)".contains(reason), "\(error)")
                    }
                    let after = try #require(mirror.takeChanges(everything: true))
                    #expect(after.cursor == String(cursor) && after.items.count == 3, "\(reason): the mirror moved")
                }
            }
        }
    }
}
