import ComproModel
import ComproPublish
import Foundation
import Testing

@Suite struct ReleaseManifestJSONTests {
    static let awkward = "kutip \" garis \\ baris\nbaru \t tab \u{1} kendali / garis miring <b>&amp; Ünïcödé 🏅"

    func manifest(base: String?) -> ReleaseManifest {
        ReleaseManifest(
            tenant: "jatim", release: "20261201T100000.000001Z", base: base, today: 20_423,
            revisions: ["news/\(Self.awkward)": "abc", "theme": "assets/theme.0f3a.css"],
            removedRevisions: ["news/lama", Self.awkward],
            outputs: [
                "berita/index.html": .init(
                    url: "/berita/", sha256: "00ff", items: ["news/a", Self.awkward], queries: ["newsPage:1:10": ["news/a", "#pages=3"], "year": []]),
                "assets/site.css": .init(url: nil, sha256: "ee", items: [], queries: [:]),
            ],
            removedOutputs: ["tag/\(Self.awkward)/index.html"], staticFiles: ["images/a.svg": "/tmp/\(Self.awkward)"],
            archive: ArchiveLayout(
                perPage: 10, news: [.init(epochSeconds: -86_400, slug: "lama"), .init(epochSeconds: 1_790_000_000, slug: "baru-2")],
                tags: ["pon": [.init(epochSeconds: 1_790_000_000, slug: "a/b")], "kosong": []]
            )
        )
    }

    @Test(arguments: [nil, "20261130T090000.000000Z"])
    func theWrittenTextDecodesToTheSameManifest(base: String?) throws {
        let original = manifest(base: base)
        let decoded = try JSONDecoder().decode(ReleaseManifest.self, from: Data(original.jsonBytes()))
        #expect(decoded.format == original.format)
        #expect(decoded.tenant == original.tenant)
        #expect(decoded.release == original.release)
        #expect(decoded.base == original.base)
        #expect(decoded.today == original.today)
        #expect(decoded.revisions == original.revisions)
        #expect(decoded.removedRevisions == original.removedRevisions)
        #expect(decoded.outputs == original.outputs)
        #expect(decoded.removedOutputs == original.removedOutputs)
        #expect(decoded.staticFiles == original.staticFiles)
        #expect(decoded.archive == original.archive)
    }

    @Test func aCachedArchiveTextIsTheArchiveAsWritten() throws {
        let original = manifest(base: nil)
        let layout = try #require(original.archive)
        #expect(original.jsonBytes(cachedArchive: layout.jsonBytes()) == original.jsonBytes())
        var older = original
        older.archive = nil
        let decoded = try JSONDecoder().decode(ReleaseManifest.self, from: Data(older.jsonBytes()))
        #expect(decoded.archive == nil, "a manifest written before archive layouts reads as one without")
    }

    @Test func aMalformedArchiveKeyIsRefusedWithItsText() throws {
        let text = #"{"archive":{"news":["12x/lama"],"perPage":10,"tags":{}}}"#
        struct ArchiveOnly: Decodable { var archive: ArchiveLayout? }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(ArchiveOnly.self, from: Data(text.utf8)) }
        #expect(ArchiveLayout.Key("12/") == nil)
        #expect(ArchiveLayout.Key("-5/a") == ArchiveLayout.Key(epochSeconds: -5, slug: "a"))
    }

    @Test func equalManifestsAreEqualBytesAndValidJSON() throws {
        let bytes = manifest(base: nil).jsonBytes()
        #expect(bytes == manifest(base: nil).jsonBytes())
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(object["tenant"] as? String == "jatim")
        #expect((object["outputs"] as? [String: Any])?.count == 2)
    }
}
