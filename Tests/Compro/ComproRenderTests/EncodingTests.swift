@testable import ComproRender
import Testing

/// The hand-written encoders must write exactly what the code they replace wrote.
@Suite struct EncodingTests {
    static let awkward: [String] = [
        "", "plain", "Juara \"Umum\" & <Porprov>", "a\\b/c", "tab\there\nline\r\u{0}\u{1}\u{8}\u{b}\u{c}\u{1f}\u{7f}",
        "Jawa Timur – Sidoarjo · 🏅", "it's", "e\u{301}", "</script><!--", "x&amp;y", String(repeating: "ab<", count: 100),
    ]

    @Test func jsonLDMatchesJSONSerialization() {
        for text in Self.awkward {
            let object: [String: Any] = [
                "@context": "https://schema.org", "@type": "NewsArticle", "headline": text, "keywords": text,
                "image": [text, "https://x.id/a.jpg"], "publisher": ["@type": "Organization", "name": text, "logo": ["url": text]],
                "dateModified": "2026-01-02", "datePublished": "2026-01-01", "mainEntityOfPage": "/berita/\(text)/",
                "eventAttendanceMode": "m", "eventStatus": "s", "sameAs": [String](), "startDate": "d",
            ]
            #expect(JSONLD.encode(object) == JSONLD.serialized(object), "\(text.debugDescription)")
        }
    }

    @Test func jsonLDFallsBackForOtherTypes() {
        let object: [String: Any] = ["count": 3, "name": "a<b"]
        #expect(JSONLD.encode(object) == JSONLD.serialized(object))
    }

    @Test func htmlEscapeMatchesTheLibrary() {
        let library: [Character: String] = ["<": "&lt;", ">": "&gt;", "&": "&amp;", "\"": "&quot;", "'": "&#39;"]
        for text in Self.awkward where !text.contains("e\u{301}") {
            let expected = text.map { library[$0] ?? String($0) }.joined()
            #expect(HTMLEscape.escape(text) == expected, "\(text.debugDescription)")
        }
        // A quote followed by a combining mark is one Character the library does not escape; here it is.
        #expect(HTMLEscape.escape("\"\u{301}") == "&quot;\u{301}")
    }
}
