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
            removedOutputs: ["tag/\(Self.awkward)/index.html"], staticFiles: ["images/a.svg": "/tmp/\(Self.awkward)"]
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
    }

    @Test func equalManifestsAreEqualBytesAndValidJSON() throws {
        let bytes = manifest(base: nil).jsonBytes()
        #expect(bytes == manifest(base: nil).jsonBytes())
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(object["tenant"] as? String == "jatim")
        #expect((object["outputs"] as? [String: Any])?.count == 2)
    }
}
