import CMSWire
import ComproContent
import ComproModel
import KoniJSON
import Testing

@Suite struct WireTests {
    @Test func jsonKeepsKeyOrderAndRoundTrips() throws {
        let text = #"{"z":1,"a":[true,false,null],"m":{"y":"é\n\"","b":-2.5e3},"n":0.1}"#
        let value = try JSONValue.parse(text)
        #expect(value.jsonText == #"{"z":1,"a":[true,false,null],"m":{"y":"é\n\"","b":-2500},"n":0.1}"#)
        #expect(try JSONValue.parse(value.jsonText) == value)
        #expect(try JSONValue.parse(#""\ud83c\udfc5""#) == .string("🏅"))
    }

    @Test func hostileJSONIsRefused() {
        for bad in ["", "{", #"{"a":1,}"#, #"{"a" 1}"#, "[1 2]", "01", "1.", "nul", #""\x""#, "\"a\u{01}\"", #"{"a":1,"a":2}"#, #""\ud800""#, "1e999"] {
            #expect(throws: JSONSyntaxError.self, "\(bad)") { try JSONValue.parse(bad) }
        }
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(deep) }
    }

    @Test func itemsSurviveTheWireUnchanged() throws {
        let date = try #require(SiteDate.parse("2026-11-24T09:30:00+09:00", defaultOffsetSeconds: 7 * 3600))
        let athlete = Athlete(
            meta: ItemMetadata(slug: "sari", source: "x", revision: "r"), name: "Sari", sport: "Catur", photo: ImageRef(src: "/a.svg", alt: "Sari"),
            birthYear: 2002, featured: true, achievements: ["Emas"], stats: [("z", .number(3)), ("a", .string("B 50-55 kg"))], body: "Teks"
        )
        let news = NewsItem(meta: ItemMetadata(slug: "n", source: "x", revision: "r"), title: "T", date: date, tags: ["a b"], body: "**x**")
        for item in [ParsedItem.athlete(athlete), .news(news)] {
            let json = try JSONValue.parse(ContentWire.encode(item).jsonText)
            let back = try ContentWire.decode(item.kindAndMeta.0, try JSONFields(json), timeZone: .jakarta, source: "x", revision: "r")
            #expect(ContentWire.encode(back) == ContentWire.encode(item))
        }
        let decoded = try ContentWire.decode(.news, try JSONFields(ContentWire.encode(.news(news))), timeZone: .jakarta, source: "x", revision: "r")
        guard case .news(let again) = decoded else { Issue.record("not news"); return }
        #expect(again.date == date)
        #expect(again.date.offsetSeconds == 9 * 3600)
        #expect(again.date.hasTime)
    }
}
