import Foundation
import KoniJSON
import Testing

@testable import ComproAdmin

/// The admin's conversions between forms and the CMS's JSON, and its form parser against hostile
/// bodies (no server needed; the whole flow runs in the browser test).
@Suite struct AdminFormTests {
    @Test func formFieldsAreDecodedAndBounded() {
        let fields = AdminAPI.formFields("title=Juara+umum%21&body=a%0D%0Ab&slug=&csrf=x%ZZ&empty")
        #expect(fields["title"] == "Juara umum!")
        #expect(fields["body"] == "a\r\nb")
        #expect(fields["slug"] == "")
        #expect(fields["csrf"] == "", "a malformed escape decodes to nothing rather than to raw bytes")
        #expect(fields["empty"] == "")
        let many = (0..<10_000).map { "f\($0)=1" }.joined(separator: "&")
        #expect(AdminAPI.formFields(many).count == 200, "at most 200 fields are read")
    }

    @Test func newsGoesToTheCMSWithADerivedSlugWIBTimesAndLists() {
        let body = AdminKind.news.json(
            [
                "title": "Atlet Jatim Raih Emas", "slug": "", "date": "2026-12-04T09:30", "tags": "porprov, , emas ", "body": "Isi", "summary": "",
            ], published: true)
        #expect(body["slug"] == .string("atlet-jatim-raih-emas"))
        #expect(body["date"] == .string("2026-12-04T09:30:00+07:00"))
        #expect(body["tags"] == .array([.string("porprov"), .string("emas")]))
        #expect(body["summary"] == nil, "an empty optional field is left to the CMS's default")
        #expect(body["published"] == .bool(true))
    }

    @Test func anItemFromTheCMSFillsTheFormAndRoundTrips() throws {
        let item = try JSONValue.parse(
            """
            {"id":"x","slug":"budi","name":"Budi","sport":"Catur","birth_year":2008,"featured":true,"achievements":["Emas PON","Perak"],"body":"Profil","version":3}
            """)
        let values = AdminKind.athletes.values(item: item)
        #expect(values["name"] == "Budi" && values["birth_year"] == "2008" && values["featured"] == "1")
        #expect(values["achievements"] == "Emas PON, Perak")
        let back = AdminKind.athletes.json(values, published: false)
        #expect(back["achievements"] == item["achievements"])
        #expect(back["birth_year"] == .number(2008))
        #expect(back["featured"] == .bool(true))
        // A year that is not a number goes to the CMS as text, so its 422 names the field.
        #expect(AdminKind.athletes.json(["name": "B", "birth_year": "dua ribu"], published: false)["birth_year"] == .string("dua ribu"))
    }

    @Test func eventDaysStayDaysAndTimesBecomeWIB() {
        let body = AdminKind.events.json(["title": "Porprov", "start": "2026-11-20", "end": "2026-11-30T17:00"], published: false)
        #expect(body["start"] == .string("2026-11-20"))
        #expect(body["end"] == .string("2026-11-30T17:00:00+07:00"))
        #expect(body["slug"] == .string("porprov"))
    }

    @Test func everyPageTemplateRendersAndEscapes() {
        #expect(AdminPages.library != nil, "every template parses")
        let page = AdminPages.page(
            "itemList", title: "Berita", branch: "KONI <Jatim>", email: "a@koni.id", csrf: "t",
            values: [
                "items": [["itemID": "1", "itemTitle": "<script>x</script>", "itemDate": "", "itemPublished": false, "path": "berita"]], "path": "berita",
                "heading": "Berita",
            ])
        #expect(!page.contains("<script>x</script>") && page.contains("&lt;script&gt;"))
        #expect(!page.contains("KONI <Jatim>"))
        #expect(page.contains("Draf"))
    }
}

/// The settings screen's conversions.
@Suite struct AdminSettingsTests {
    static let current =
        (try? JSONValue.parse(
            """
            {"version":4,"name":"KONI Jatim","short_name":"Jatim","tagline":"Lama","description":"D","domains":["jatim.koni.id"],"timezone":"Asia/Jakarta",
             "navigation":[{"title":"Beranda","url":"/"},{"title":"Berita","url":"/berita/"}],
             "contact":{"address":"Jl. Kertajaya","phone":"031","email":"a@koni.id","hours":"","map_url":""},
             "social":[{"platform":"instagram","url":"https://instagram.com/konijatim"}],"news_per_page":10}
            """)) ?? .null

    @Test func theFormShowsTheSettingsAsLinesAndFields() {
        let values = AdminKind.settingsValues(Self.current)
        #expect(values["navigation"] == "Beranda | /\nBerita | /berita/")
        #expect(values["social"] == "instagram | https://instagram.com/konijatim")
        #expect(values["contact.address"] == "Jl. Kertajaya")
        #expect(values["news_per_page"] == "10")
    }

    @Test func aSaveReplacesOnlyTheFormsFieldsAndKeepsWhatOperationsOwns() {
        var form = AdminKind.settingsValues(Self.current)
        form["tagline"] = "Baru"
        form["navigation"] = "Beranda | /\n\n  Agenda |/agenda/  \nTanpa alamat"
        let document = AdminKind.settingsDocument(current: Self.current, form: form)
        #expect(document["version"] == nil, "the version travels in If-Match")
        #expect(document["domains"] == Self.current["domains"])
        #expect(document["timezone"] == .string("Asia/Jakarta"))
        #expect(document["tagline"] == .string("Baru"))
        #expect(
            document["navigation"]
                == .array([
                    .object([("title", .string("Beranda")), ("url", .string("/"))]), .object([("title", .string("Agenda")), ("url", .string("/agenda/"))]),
                    .object([("title", .string("Tanpa alamat")), ("url", .string(""))]),
                ]))
        let many = String(repeating: "a | /a/\n", count: 1000)
        form["social"] = many
        if case .array(let entries)? = AdminKind.settingsDocument(current: Self.current, form: form)["social"] { #expect(entries.count == 100) }
    }

    @Test func aCMSErrorLandsBesideTheFieldItNames() {
        #expect(AdminAPI.formField(for: "navigation[2].url", in: .settings) == "navigation")
        #expect(AdminAPI.formField(for: "contact.email", in: .settings) == "contact.email")
        #expect(AdminAPI.formField(for: "registration_url", in: .events) == "registration_url")
        #expect(AdminAPI.formField(for: "cover.src", in: .news) == "cover")
        #expect(AdminAPI.formField(for: "stats.goals", in: .news) == "title", "a field the form does not have: beside the title")
        #expect(AdminAPI.formField(for: nil, in: .athletes) == "name")
    }
}

/// Galleries: one photo per line.
@Suite struct AdminGalleryTests {
    @Test func photosAreLinesOfSourceAltAndCaption() throws {
        let body = AdminKind.galleries.json(
            [
                "title": "Porprov", "date": "2026-11-20T08:00",
                "photos": "/images/a.jpg | Pelari di garis start | Hari pertama\n\n/images/b.jpg|Podium\n | | ",
            ], published: true)
        #expect(
            body["photos"]
                == .array([
                    .object([("src", .string("/images/a.jpg")), ("alt", .string("Pelari di garis start")), ("caption", .string("Hari pertama"))]),
                    .object([("src", .string("/images/b.jpg")), ("alt", .string("Podium")), ("caption", .string(""))]),
                ]))
        let values = AdminKind.galleries.values(item: body)
        #expect(values["photos"] == "/images/a.jpg | Pelari di garis start | Hari pertama\n/images/b.jpg | Podium | ")
        let many = String(repeating: "/images/x.jpg | x\n", count: 1000)
        if case .array(let photos)? = AdminKind.galleries.json(["title": "x", "photos": many], published: false)["photos"] { #expect(photos.count == 200) }
    }
}

/// Times are typed and shown in the branch's own zone (WIB, WITA, WIT).
@Suite struct AdminTimeZoneTests {
    @Test func aWITABranchTypesAndReadsItsOwnWallTime() {
        let body = AdminKind.news.json(["title": "Makassar", "date": "2026-12-04T09:30"], published: false, zone: .makassar)
        #expect(body["date"] == .string("2026-12-04T09:30:00+08:00"))
        // Saved earlier from a WIB form: the same instant, shown as WITA wall time.
        let values = AdminKind.news.values(item: .object([("date", .string("2026-12-04T09:30:00+07:00"))]), zone: .makassar)
        #expect(values["date"] == "2026-12-04T10:30")
        #expect(AdminKind.events.values(item: .object([("start", .string("2026-11-20"))]), zone: .jayapura)["start"] == "2026-11-20", "a day stays a day")
        #expect(AdminField.offsetText(.jayapura) == "+09:00")
    }
}
