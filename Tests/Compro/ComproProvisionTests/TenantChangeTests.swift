import ComproModel
@testable import ComproProvision
import KoniJSON
import Testing

/// A `tenant.*` event's data is outside input, checked before anything is written, and the
/// settings it changes are rewritten in `tenant.yml` line by line, keeping the rest.
@Suite struct TenantChangeTests {
    @Test func aSettingsUpdateRewritesOnlyItsLinesOfTenantYML() throws {
        let change = TenantChange(
            slug: "kab-a", name: "KONI \"A\" Baru", domains: ["kab-a.koni.id", "konia.id"], status: .active, themePreset: "malam", version: 3)
        let written = """
            # KONI A: created by `koni-compro tenant new kab-a` on 2026-12-04.
            name: "KONI A"
            tagline: "Situs resmi KONI A"
            domains:
              - kab-a.koni.id
            locale: id-ID
            theme:
              preset: merah-putih
              overrides:
                color-primary: "#aa0000"
            source: local
            """
        let updated = try #require(TenantFileUpdate.apply(change, to: written))
        #expect(updated.contains("name: \"KONI \\\"A\\\" Baru\"") && updated.contains("  - kab-a.koni.id\n  - konia.id\nlocale:"))
        #expect(updated.contains("  preset: malam\n    color-primary") == false && updated.contains("  preset: malam\n  overrides:"))
        #expect(updated.contains("tagline: \"Situs resmi KONI A\"") && updated.hasPrefix("# KONI A: created by"))
        // A file written another way is left for a person.
        #expect(TenantFileUpdate.apply(change, to: "name: KONI A\ndomains: [kab-a.koni.id]\ntheme:\n  preset: malam\n") == nil)
    }

    @Test func aTenantEventsDataIsCheckedBeforeAnythingIsWritten() throws {
        func data(_ pairs: [(String, JSONValue)]) throws -> JSONFields {
            var base: [(key: String, value: JSONValue)] = [
                ("slug", .string("kab-a")), ("name", .string("KONI A")), ("domains", .array([.string("kab-a.koni.id")])), ("status", .string("active")),
                ("theme_preset", .string("merah-putih")), ("version", .number(2)),
            ]
            for (key, value) in pairs { base.removeAll { $0.key == key }; base.append((key, value)) }
            return try JSONFields(.object(base))
        }
        #expect(try TenantChange.parse(try data([]), tenantSlug: "kab-a").version == 2)
        let cases: [([(String, JSONValue)], String)] = [
            ([("slug", .string("kab-b"))], "slug"), ([("slug", .string("../x"))], "slug"), ([("name", .string("A\nB"))], "name"),
            ([("domains", .array([.string("evil.com")]))], "domains"), ([("domains", .array([]))], "domains"),
            ([("domains", .array([.string("kab-a.koni.id"), .string("a b")]))], "domains"), ([("status", .string("deleted"))], "status"),
            ([("theme_preset", .string("../../etc/passwd"))], "theme_preset"), ([("version", .number(1e18))], "version"),
            ([("version", .number(0))], "version"),
        ]
        for (changes, field) in cases {
            let fields = try data(changes)
            do throws(FieldError) {
                _ = try TenantChange.parse(fields, tenantSlug: "kab-a")
                Issue.record("accepted a bad \(field)")
            } catch {
                #expect(error.field == field, "\(error)")
            }
        }
    }
}
