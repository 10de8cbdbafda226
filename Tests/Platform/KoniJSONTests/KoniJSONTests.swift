import Foundation
import KoniJSON
import Testing

/// Ordered JSON, its bounds, and field reads that name the field.
@Suite struct KoniJSONTests {
    @Test func keyOrderAndValuesSurviveARoundTrip() throws {
        let text = #"{"z":1,"a":[true,null,"ü\n\"x\""],"m":{"rating_elo":2100,"f":1.5}}"#
        let value = try JSONValue.parse(text)
        #expect(value.jsonText == text)
        guard case .object(let pairs) = value else { Issue.record("not an object"); return }
        #expect(pairs.map(\.key) == ["z", "a", "m"])
    }

    @Test func malformedAndHostileTextIsRefusedWithAnOffset() {
        for text in ["", "{", #"{"a":1,}"#, "[1 2]", #"{"a":1,"a":2}"#, "nul", "1 2", String(repeating: "[", count: 100) + String(repeating: "]", count: 100)] {
            #expect(throws: JSONSyntaxError.self, "\(text.prefix(20))") { try JSONValue.parse(text) }
        }
        let deep = String(repeating: "[", count: JSONValue.maximumDepth - 1) + String(repeating: "]", count: JSONValue.maximumDepth - 1)
        #expect(throws: Never.self) { try JSONValue.parse(deep) }
    }

    @Test func fieldsNameTheirPath() throws {
        let fields = try JSONFields(try JSONValue.parse(#"{"title":5,"photos":[{"src":"/a.jpg"}],"n":1.5}"#))
        #expect(throws: FieldError(field: "title", reason: "expected text, found number")) { try fields.string("title") }
        let photo = try fields.objectList("photos")[0]
        #expect(photo.field("alt") == "photos[0].alt")
        #expect(throws: FieldError.self) { try fields.int("n") }
        #expect(throws: FieldError.self) { try fields.checkKeys(["title"]) }
    }

    /// PostgreSQL cannot store U+0000 in text or JSONB; the fuzzer found it reaching the CMS's SQL as a 500.
    @Test func aNULCharacterIsRefusedNamingTheField() throws {
        let fields = try JSONFields(try JSONValue.parse(#"{"title":"a\u0000b","tags":["ok","x\u0000"],"stats":{"goals":{"k\u0000":1}},"clean":"a"}"#))
        #expect(throws: FieldError.self) { try fields.string("title") }
        #expect((try? fields.string("title")) == nil)
        do { _ = try fields.stringList("tags"); Issue.record("accepted") } catch { #expect(error.field == "tags[1]") }
        do { _ = try fields.freeObject("stats"); Issue.record("accepted") } catch { #expect(error.field == "stats" && error.reason.contains("NUL")) }
        #expect(try fields.string("clean") == "a")
    }

    @Test func rfc3339IsUTCWithMilliseconds() {
        #expect(RFC3339.string(Date(timeIntervalSince1970: 1_764_050_403.607)) == "2025-11-25T06:00:03.607Z")
    }
}
