import ComproTheme
import Foundation
import KoniJSON
import KoniTestSupport
import Testing

@testable import ComproAdmin

/// The theme editor's candidate, the section forms, covers and the "live in N ms" notice.
@Suite struct AdminThemeAndSectionTests {
    static let catalog = ThemeCatalog(directory: Repository.themes)

    @Test func aCandidateKeepsOnlyValuesThatDifferFromItsPreset() throws {
        let base = try Self.catalog.preset("merah-putih")
        let candidate = ThemeCandidate {
            ["preset": "merah-putih", "color-primary": "#0B5ED7", "color-text": base.values["color-text"] ?? "", "bogus": "x"][$0]
        }
        #expect(candidate.problems(presets: Self.catalog.presetNames()).isEmpty)
        let document = candidate.document(base: base)
        #expect(document["preset"] == .string("merah-putih"))
        #expect(document["overrides"] == .object([("color-primary", .string("#0B5ED7"))]), "the preset's own value and unknown names are not overrides")
        #expect(candidate.query == "preset=merah-putih&color-primary=%230B5ED7&color-text=\(AdminAPI.queryEncoded(base.values["color-text"] ?? ""))")
    }

    @Test func hostileValuesGetIndonesianReasonsAndNeverReachCSS() {
        let candidate = ThemeCandidate {
            [
                "preset": "../etc", "color-primary": "red;}body{display:none", "font-body": "x; url(javascript:1)", "radius": "1e9px",
                "content-width": String(repeating: "9", count: 5000) + "px",
            ][$0]
        }
        let problems = candidate.problems(presets: Self.catalog.presetNames())
        #expect(problems["preset"] == "Pilih salah satu tema dasar yang tersedia.")
        #expect(problems["color-primary"]?.contains("#rrggbb") == true)
        #expect(problems["font-body"] != nil && problems["radius"] != nil && problems["content-width"] != nil)
    }

    @Test func theContrastReportNamesPairsInIndonesian() throws {
        let base = try Self.catalog.preset("merah-putih")
        let pale = try base.applying([.init(property: "color-text", value: "#eeeeee")], file: "t")
        let rows = AdminAPI.contrastRows(pale)
        let text = rows.first { ($0["pairText"] as? String) == "Teks" && ($0["pairBackground"] as? String) == "Latar halaman" }
        #expect(text?["passes"] as? Bool == false)
        #expect((text?["ratio"] as? String)?.hasSuffix(":1") == true)
    }

    @Test func theThemeEditorRendersWithThePreviewAndEscapes() {
        let page = AdminPages.page(
            "themeEditor", title: "Tema", branch: "Jatim", email: "a@koni.id", csrf: "t",
            values: [
                "presets": [["presetName": "merah-putih", "presetLabel": "Merah <Putih>", "presetSelected": true]],
                "properties": [
                    ["fieldName": "color-primary", "fieldLabel": "Warna utama", "fieldValue": "\"><script>", "fieldPlaceholder": "#c8102e", "isColor": true]
                ],
                "pages": [["pagePath": "/", "pageLabel": "Beranda", "previewURL": "/admin/tema/pratinjau.html?halaman=%2F&preset=merah-putih"]],
                "previewURL": "/admin/tema/pratinjau.html?halaman=%2F&preset=merah-putih", "hasPages": true, "reports": [], "hasReport": false,
            ])
        #expect(page.contains("<iframe id=\"preview\""))
        #expect(page.contains("halaman=%2F&amp;preset=merah-putih"), "the URL is escaped inside the attribute")
        #expect(!page.contains("\"><script>") && !page.contains("Merah <Putih>"))
        #expect(page.contains("src=\"/admin/assets/theme-editor.js\""))
    }

    @Test func everySectionTypeOfTheSiteHasAFormThatRoundTrips() throws {
        #expect(Set(SectionForm.all.map(\.type)).count == SectionForm.all.count)
        let stats = try #require(SectionForm.named("stats"))
        let json = stats.json(["title": "Dalam angka", "items": "38 | Cabang olahraga\n\n1.204 | Atlet binaan"])
        #expect(
            json
                == .object([
                    ("type", .string("stats")), ("title", .string("Dalam angka")),
                    (
                        "items",
                        .array([
                            .object([("value", .string("38")), ("label", .string("Cabang olahraga"))]),
                            .object([("value", .string("1.204")), ("label", .string("Atlet binaan"))]),
                        ])
                    ),
                ]))
        #expect(stats.values(json)["items"] == "38 | Cabang olahraga\n1.204 | Atlet binaan")
        let contact = try #require(SectionForm.named("contact"))
        #expect(contact.json(["map": "1"])["map"] == .bool(true))
        #expect(SectionForm.of(.object([("type", .string("nope"))])) == nil)
    }

    @Test func thePanelListsSectionsWithMoveButtonsAtTheRightEnds() {
        let page =
            (try? JSONValue.parse(#"{"version":7,"sections":[{"type":"hero","title":"<Selamat>"},{"type":"text","title":"Sejarah","body":"x"}]}"#)) ?? .null
        let api = AdminAPIStub.panel(page)
        #expect(api.contains("/admin/halaman/p1/bagian/0/naik") && api.contains("/admin/halaman/p1/bagian/1/turun"))
        #expect(api.contains("&lt;Selamat&gt;") && !api.contains("<Selamat>"))
        #expect(api.contains("name=\"version\" value=\"7\""))
        // The first cannot move up and the last cannot move down.
        let first = api.range(of: "bagian/0/naik").map { String(api[$0.upperBound...].prefix(300)) } ?? ""
        #expect(first.contains("disabled"))
    }

    @Test func coversAreSourceAndAltOnOneLine() throws {
        let cover = try #require(AdminKind.news.fields.first { $0.name == "cover" })
        #expect(cover.wireValue("/images/juara.jpg | Para juara") == .object([("src", .string("/images/juara.jpg")), ("alt", .string("Para juara"))]))
        #expect(cover.wireValue("/images/juara.jpg") == .object([("src", .string("/images/juara.jpg"))]))
        #expect(cover.wireValue("") == nil)
        #expect(cover.formText(.object([("src", .string("/a.jpg")), ("alt", .string("A"))])) == "/a.jpg | A")
    }

    @Test func anUpdateKeepsTheFieldsTheFormDoesNotEdit() {
        let saved = (try? JSONValue.parse(#"{"title":"Profil","sections":[{"type":"body"}],"stats":{"x":1}}"#)) ?? .null
        let json = AdminKind.pages.json(["title": "Profil baru", "slug": "profil"], published: true, saved: saved)
        #expect(json["sections"] == .array([.object([("type", .string("body"))])]))
        #expect(json["title"] == .string("Profil baru"))
        #expect(AdminKind.pages.json(["title": "Baru"], published: false)["sections"] == nil, "a new page has no sections to keep")
    }

    @Test func theLiveNoticeReadsOnlyWhatItWrote() {
        #expect(AdminAPI.outcomeQuery("disimpan", .live(milliseconds: 37)) == "?hasil=disimpan&tayang=37")
        #expect(AdminAPI.outcomeQuery("disimpan", .unknown) == "?hasil=disimpan")
        #expect(AdminAPI.Live(queryValue: "37")?.sentence == "Tayang di situs dalam 37 ms.")
        #expect(AdminAPI.Live(queryValue: "menunggu") == .pending)
        #expect(AdminAPI.Live(queryValue: "-1") == nil && AdminAPI.Live(queryValue: "99999999999999999999") == nil && AdminAPI.Live(queryValue: "<b>") == nil)
    }
}

extension AdminThemeAndSectionTests {
    enum AdminAPIStub {
        static func panel(_ page: JSONValue) -> String { AdminAPI.sectionsPanel(pageID: "p1", page: page, csrf: "c") }
    }
}

/// CMS validation errors in Indonesian, the CMS's sentence kept as a detail.
@Suite struct AdminMessageTests {
    @Test func commonCMSReasonsAreSaidInIndonesian() {
        let url = AdminKind.events.fields.first { $0.name == "registration_url" }
        #expect(AdminMessage.indonesian("'javascript:alert(1)' must be a site path starting with / or an https:// URL", field: url).hasPrefix("Tulis alamat"))
        #expect(AdminMessage.indonesian("is required", field: nil) == "Wajib diisi.")
        #expect(
            AdminMessage.indonesian("'kemarin' is not a date; write 2026-11-24, 2026-11-24 09:30 or 2026-11-24T09:30:00+07:00", field: nil)
                .hasPrefix("Tulis tanggal"))
        #expect(
            AdminMessage.indonesian("slug 'A B' is not allowed: use lowercase letters a-z, digits and single hyphens", field: .slug).hasPrefix("Alamat (slug)"))
        #expect(AdminMessage.indonesian("1850 is not a plausible year", field: nil).contains("tahun lahir"))
    }

    @Test func anUnknownReasonFallsBackOnWhatTheFieldExpects() {
        let number = AdminField("limit", "Jumlah", .number)
        #expect(AdminMessage.indonesian("something new", field: number) == "Tulis angka bulat.")
        #expect(AdminMessage.indonesian("something new", field: nil) == "Isian ini tidak diterima.")
    }
}

/// The conflict screen: what the other save changed, against the admin's input.
@Suite struct AdminConflictTests {
    @Test func theDifferencesAreTheFieldsWhoseSavedValueIsNotTheInput() {
        let saved =
            (try? JSONValue.parse(#"{"title":"Diubah admin pusat","slug":"a","date":"2026-12-04T09:00:00+07:00","body":"Sama\r\n","tags":["PON"]}"#)) ?? .null
        let input = ["title": "Judul saya", "slug": "a", "date": "2026-12-04T09:00", "body": "Sama", "tags": "PON", "summary": ""]
        let differences = AdminKind.news.differences(saved: saved, input: input)
        #expect(differences.map { $0["differenceLabel"] as? String } == ["Judul"])
        #expect(differences.first?["differenceSaved"] as? String == "Diubah admin pusat")
        let page = AdminPages.page(
            "itemForm", title: "x", branch: "b", email: "e", csrf: "c",
            values: [
                "conflict": true, "currentTitle": "<T>", "differences": differences, "hasDifferences": true, "fields": [],
            ])
        #expect(page.contains("Yang berbeda dari isian Anda") && page.contains("<dt>Judul</dt>") && page.contains("&lt;T&gt;"))
    }
}
