@testable import ComproCMSSource
import ComproModel
import KoniJSON
import Testing

/// The digest a reader compares with the CMS's `/state`: the same for the same items whatever
/// the order they were read in, different when any item's change differs.
@Suite struct SiteDigestTests {
    @Test func theDigestIsOverSortedLinesAndIgnoresReadingOrder() {
        var digest = SiteDigest()
        digest.add(collection: "news", id: "b", seq: 2)
        digest.add(collection: "site", id: "uji", seq: 1)
        digest.add(collection: "news", id: "a", seq: 7)
        digest.add(collection: "events", id: "z", seq: 3)
        #expect(digest.count == 4)
        #expect(digest.hex == Digest.sha256Hex("events:z:3\nnews:a:7\nnews:b:2\nsite:uji:1"))

        var reordered = SiteDigest()
        for (collection, id, seq) in [("site", "uji", 1), ("events", "z", 3), ("news", "a", 7), ("news", "b", 2)] {
            reordered.add(collection: collection, id: id, seq: seq)
        }
        #expect(reordered.hex == digest.hex)

        var changed = reordered
        changed.add(collection: "news", id: "c", seq: 8)
        #expect(changed.hex != digest.hex)
    }

    /// Bytewise, as PostgreSQL's `COLLATE "C"` sorts on the CMS's side: upper case first.
    @Test func idsSortBytewise() {
        var digest = SiteDigest()
        digest.add(collection: "news", id: "a", seq: 1)
        digest.add(collection: "news", id: "B", seq: 2)
        #expect(digest.hex == Digest.sha256Hex("news:B:2\nnews:a:1"))
    }

    @Test func numbersFromTheCMSAreRangeCheckedBeforeConversion() {
        #expect(CMSDocuments.wholeNumber(.number(42)) == 42)
        #expect(CMSDocuments.wholeNumber(.number(9_007_199_254_740_992)) == 9_007_199_254_740_992)
        for bad: JSONValue in [.number(-1), .number(1.5), .number(1e300), .number(.infinity), .number(9_007_199_254_740_994), .string("7"), .null] {
            #expect(CMSDocuments.wholeNumber(bad) == nil, "\(bad)")
        }
        #expect(CMSDocuments.wholeNumber(nil) == nil)
    }
}
