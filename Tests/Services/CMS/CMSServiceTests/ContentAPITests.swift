import CMSService
import Foundation
import KoniServiceTestSupport
import Hummingbird
import HummingbirdTesting
import KoniJSON
import KoniServiceKit
import Testing

/// Create, read, update, delete, publish and validation of every content kind, through HTTP.
@Suite struct ContentAPITests {
    static let kinds: [(collection: String, body: JSONValue, titleKey: String)] = [
        ("news", Samples.news("juara-umum"), "title"), ("events", Samples.event, "title"), ("galleries", Samples.gallery, "title"),
        ("athletes", Samples.athlete, "name"), ("pages", Samples.page, "title"),
    ]

    @Test func crudAndPublishOfEveryKind() async throws {
        let app = try await CMSTestApp().application(publisher: RecordingPublisher())
        try await app.test(.router) { client in
            #expect(try await client.send(.post, "/api/v1/cms/admin/sites", json: Samples.site(slug: "jatim")).status == .created)
            for kind in Self.kinds {
                let base = "/api/v1/cms/admin/sites/jatim/\(kind.collection)"
                let created = try await client.send(.post, base, json: kind.body)
                #expect(created.status == .created, "\(kind.collection): \(created.body.jsonText)")
                let id = try #require(created.body["id"]?.string)
                #expect(created.body["version"]?.int == 1)
                #expect(created.body["published"] == .bool(false))
                #expect(created.headers[.eTag] == "\"1\"")
                // Every field sent comes back as sent.
                if case .object(let pairs) = kind.body {
                    for (key, value) in pairs where key != "sections" && key != "photos" {
                        #expect(created.body[key] == value, "\(kind.collection).\(key)")
                    }
                }
                // Unpublished: invisible to the public.
                let slug = try #require(kind.body["slug"]?.string)
                #expect(try await client.send(.get, "/api/v1/cms/sites/jatim/\(kind.collection)/\(slug)", token: nil).status == .notFound)
                let published = try await client.send(.post, "\(base)/\(id)/publish")
                #expect(published.status == .ok)
                #expect(published.body["published"] == .bool(true))
                #expect(published.body["version"]?.int == 2)
                let visible = try await client.send(.get, "/api/v1/cms/sites/jatim/\(kind.collection)/\(slug)", token: nil)
                #expect(visible.status == .ok)
                #expect(visible.body[kind.titleKey] == kind.body[kind.titleKey])

                let changed = kind.body.setting(kind.titleKey, .string("Judul baru"))
                let updated = try await client.send(.put, "\(base)/\(id)", json: changed, headers: [.ifMatch: "\"2\""])
                #expect(updated.status == .ok, "\(updated.body.jsonText)")
                #expect(updated.body[kind.titleKey] == .string("Judul baru"))
                #expect(updated.body["version"]?.int == 3)
                let list = try await client.send(.get, "/api/v1/cms/sites/jatim/\(kind.collection)", token: nil)
                #expect(list.body["total"]?.int == 1)
                #expect(list.body["items"]?.array?.first?[kind.titleKey] == .string("Judul baru"))

                #expect(try await client.send(.post, "\(base)/\(id)/unpublish").body["published"] == .bool(false))
                #expect(try await client.send(.get, "/api/v1/cms/sites/jatim/\(kind.collection)", token: nil).body["total"]?.int == 0)
                #expect(try await client.send(.delete, "\(base)/\(id)").status == .noContent)
                #expect(try await client.send(.get, "\(base)/\(id)").status == .notFound)
            }
        }
    }

    @Test func theAdminListSearchesTitlesAndSlugsWithWildcardsTakenLiterally() async throws {
        let app = try await CMSTestApp().application(publisher: RecordingPublisher())
        try await app.test(.router) { (client: any TestClientProtocol) async throws in
            #expect(try await client.send(.post, "/api/v1/cms/admin/sites", json: Samples.site(slug: "jatim")).status == .created)
            let base = "/api/v1/cms/admin/sites/jatim/news"
            for (slug, title) in [("porprov-dibuka", "Porprov dibuka"), ("diskon", "Diskon 100% tiket"), ("lain", "Berita lain")] {
                #expect(try await client.send(.post, base, json: Samples.news(slug).setting("title", .string(title))).status == .created)
            }
            func titles(_ query: String) async throws -> [String] {
                let reply = try await client.send(.get, "\(base)?q=\(query)")
                #expect(reply.status == .ok)
                return reply.body["items"]?.array?.compactMap { $0["title"]?.string } ?? []
            }
            #expect(try await titles("PORPROV") == ["Porprov dibuka"])
            #expect(try await titles("100%25") == ["Diskon 100% tiket"], "% is a character here, not a wildcard")
            #expect(try await titles("%25") == ["Diskon 100% tiket"])
            #expect(try await titles("_") == [], "_ is a character here, not a wildcard")
            #expect(try await titles("lain").count == 1, "the slug is searched too")
            #expect(try await client.send(.get, "\(base)?q=porprov").body["total"]?.int == 1)
            #expect(try await client.send(.get, "\(base)?q=\(String(repeating: "a", count: 101))").status == .badRequest)
            #expect(try await client.send(.get, "\(base)?q=a%0Ab").status == .badRequest)
        }
    }

    @Test func storedFieldsKeepWhatTheGeneratorRenders() async throws {
        let app = try await CMSTestApp().application(publisher: RecordingPublisher())
        try await app.test(.router) { client in
            try await client.send(.post, "/api/v1/cms/admin/sites", json: Samples.site(slug: "jatim"))
            let base = "/api/v1/cms/admin/sites/jatim"
            // Offsets, time-of-day flags and stats key order survive the database.
            let news = Samples.news("waktu").setting("date", .string("2026-11-24T09:30:00+08:00"))
            #expect(try await client.send(.post, "\(base)/news", json: news).body["date"] == .string("2026-11-24T09:30:00+08:00"))
            let local = Samples.news("lokal").setting("date", .string("2026-11-24 09:30"))
            #expect(try await client.send(.post, "\(base)/news", json: local).body["date"] == .string("2026-11-24T09:30:00+07:00"))
            let day = Samples.news("hari").setting("date", .string("2026-11-24"))
            #expect(try await client.send(.post, "\(base)/news", json: day).body["date"] == .string("2026-11-24"))
            let athlete = try await client.send(.post, "\(base)/athletes", json: Samples.athlete)
            #expect(athlete.body["stats"]?.jsonText == #"{"goals":45,"assists":12,"apps":80}"#)
            let page = try await client.send(.post, "\(base)/pages", json: Samples.page)
            #expect(page.body["sections"]?.array?.map { $0["type"]?.string } == ["hero", "stats", "body"])
            #expect(page.body["body"] == .string("## Sejarah\n\nBerdiri 1967."))
            let gallery = try await client.send(.post, "\(base)/galleries", json: Samples.gallery)
            #expect(gallery.body["photos"]?.array?.map { $0["src"]?.string } == ["/images/a.jpg", "/images/b.jpg"])
        }
    }

    @Test func validationFailuresNameTheFieldAndChangeNothing() async throws {
        let test = try await CMSTestApp()
        let app = try await test.application(publisher: RecordingPublisher())
        let cases: [(String, JSONValue, String)] = [
            ("news", Samples.news("a").setting("slug", .string("../etc")), "slug"),
            ("news", Samples.news("a").setting("date", .string("31/12/2026")), "date"),
            ("news", Samples.news("a").removing("title"), "title"),
            ("news", Samples.news("a").setting("title", .number(5)), "title"),
            ("news", Samples.news("a").setting("cover", .object([("src", .string("javascript:alert(1)"))])), "cover.src"),
            ("news", Samples.news("a").setting("titel", .string("typo")), "titel"),
            ("events", Samples.event.setting("end", .string("2026-11-01")), "end"),
            ("events", Samples.event.setting("registration_url", .string("ftp://x")), "registration_url"),
            ("galleries", Samples.gallery.setting("photos", .array([])), "photos"),
            ("galleries", Samples.gallery.setting("photos", .array([.object([("src", .string("/a.jpg"))])])), "photos[0].alt"),
            ("athletes", Samples.athlete.setting("birth_year", .number(1800)), "birth_year"),
            ("athletes", Samples.athlete.setting("stats", .array([])), "stats"),
            ("pages", Samples.page.setting("slug", .string("berita")), "slug"),
            ("pages", Samples.page.setting("sections", .array([.object([("type", .string("carousel"))])])), "sections[0].type"),
            ("pages", Samples.page.setting("order", .number(1.5)), "order"),
            // U+0000, which PostgreSQL cannot store (found by the OpenAPI fuzzer as a 500).
            ("news", Samples.news("a").setting("title", .string("a\u{0}b")), "title"),
            ("news", Samples.news("a").setting("tags", .array([.string("x\u{0}")])), "tags[0]"),
            ("athletes", Samples.athlete.setting("stats", .object([("k\u{0}", .number(1))])), "stats"),
            ("galleries", Samples.gallery.setting("photos", .array([.object([("src", .string("/a.jpg")), ("alt", .string("\u{0}"))])])), "photos[0].alt"),
            // Markdown bombs for Debian 12's libcmark-gfm (docs/security.md): refused before any parser sees them.
            (
                "news",
                Samples.news("a").setting("body", .string("|" + String(repeating: "a|", count: 700) + "\n|" + String(repeating: "-|", count: 700) + "\n")),
                "body"
            ),
            ("events", Samples.event.setting("body", .string(String(repeating: "- ", count: 3333) + "x" + String(repeating: "\n", count: 3333))), "body"),
            (
                "pages",
                Samples.page.setting("sections", .array([.object([("type", .string("text")), ("body", .string(String(repeating: "'''''\n", count: 500)))])])),
                "sections[0].body"
            ),
        ]
        try await app.test(.router) { client in
            try await client.send(.post, "/api/v1/cms/admin/sites", json: Samples.site(slug: "jatim"))
            for (collection, body, field) in cases {
                let reply = try await client.send(.post, "/api/v1/cms/admin/sites/jatim/\(collection)", json: body)
                #expect(reply.status == .unprocessableContent, "\(collection) \(field): \(reply.body.jsonText)")
                #expect(reply.body["error"]?["code"] == .string("validation_failed"))
                #expect(reply.body["error"]?["field"] == .string(field), "\(reply.body.jsonText)")
                #expect((reply.body["error"]?["message"]?.string ?? "").isEmpty == false)
            }
        }
        for table in ["cms_news", "cms_events", "cms_galleries", "cms_athletes", "cms_pages"] {
            #expect(try await test.query("SELECT count(*) FROM \(table)", as: Int.self) == [0], "\(table)")
        }
        #expect(
            try await test.query("SELECT count(*) FROM outbox WHERE type = 'cms.page_updated' AND payload LIKE '%\"entity\":\"news\"%'", as: Int.self) == [0])
    }

    @Test func badRequestsAreRefusedClearly() async throws {
        let test = try await CMSTestApp(maximumBodyBytes: 4096)
        let app = try await test.application(publisher: RecordingPublisher())
        try await app.test(.router) { client in
            try await client.send(.post, "/api/v1/cms/admin/sites", json: Samples.site(slug: "jatim"))
            let base = "/api/v1/cms/admin/sites/jatim/news"
            let malformed = try await client.send(.post, base, raw: #"{"slug": "a", "title": }"#)
            #expect(malformed.status == .badRequest)
            #expect(malformed.body["error"]?["code"] == .string("malformed_json"))
            let duplicateKey = try await client.send(.post, base, raw: #"{"slug": "a", "slug": "b"}"#)
            #expect(duplicateKey.status == .badRequest)
            let notObject = try await client.send(.post, base, raw: "[1, 2]")
            #expect(notObject.status == .unprocessableContent)
            let huge = Samples.news("besar").setting("body", .string(String(repeating: "x", count: 10_000)))
            let tooLarge = try await client.send(.post, base, json: huge)
            #expect(tooLarge.status == .contentTooLarge)
            #expect(tooLarge.body["error"]?["code"] == .string("body_too_large"))
            let unknownTenant = try await client.send(.post, "/api/v1/cms/admin/sites/tidak-ada/news", json: Samples.news("a"))
            #expect(unknownTenant.status == .notFound)
            #expect(unknownTenant.body["error"]?["code"] == .string("tenant_not_found"))
            #expect(try await client.send(.get, "/api/v1/cms/sites/tidak-ada/news", token: nil).status == .notFound)
            let wrongType = try await client.send(.post, base, raw: "slug=a", headers: [.contentType: "application/x-www-form-urlencoded"])
            #expect(wrongType.status == .unsupportedMediaType)
            let badPage = try await client.send(.get, "/api/v1/cms/sites/jatim/news?per_page=1000", token: nil)
            #expect(badPage.status == .badRequest)
            #expect(badPage.body["error"]?["field"] == .string("per_page"))
            // OFFSET costs the database every row it skips: a page may not start past the 1,000,000th item.
            let deep = try await client.send(.get, "/api/v1/cms/sites/jatim/news?per_page=100&page=10002", token: nil)
            #expect(deep.status == .badRequest)
            #expect(deep.body["error"]?["field"] == .string("page"))
            #expect(try await client.send(.get, "/api/v1/cms/sites/jatim/news?per_page=100&page=10001", token: nil).status == .ok)
            let overflow = try await client.send(.get, "/api/v1/cms/sites/jatim/news?page=9223372036854775807", token: nil)
            #expect(overflow.status == .badRequest)
        }
        #expect(try await test.query("SELECT count(*) FROM cms_news", as: Int.self) == [0])
    }

    @Test func publicReadsArePagedAndCacheable() async throws {
        let app = try await CMSTestApp().application(publisher: RecordingPublisher())
        try await app.test(.router) { client in
            try await client.send(.post, "/api/v1/cms/admin/sites", json: Samples.site(slug: "jatim"))
            for day in 1...5 {
                try await client.send(
                    .post, "/api/v1/cms/admin/sites/jatim/news",
                    json: Samples.news("berita-\(day)", published: true).setting("date", .string("2026-11-0\(day)")))
            }
            try await client.send(.post, "/api/v1/cms/admin/sites/jatim/news", json: Samples.news("draf"))
            let first = try await client.send(.get, "/api/v1/cms/sites/jatim/news?per_page=2", token: nil)
            #expect(first.body["total"]?.int == 5)
            #expect(first.body["pages"]?.int == 3)
            #expect(first.body["items"]?.array?.map { $0["slug"]?.string } == ["berita-5", "berita-4"])
            let last = try await client.send(.get, "/api/v1/cms/sites/jatim/news?per_page=2&page=3", token: nil)
            #expect(last.body["items"]?.array?.map { $0["slug"]?.string } == ["berita-1"])
            let etag = try #require(first.headers[.eTag])
            let again = try await client.send(.get, "/api/v1/cms/sites/jatim/news?per_page=2", token: nil, headers: [.ifNoneMatch: etag])
            #expect(again.status == .notModified)
            let site = try await client.send(.get, "/api/v1/cms/sites/jatim", token: nil)
            #expect(site.body["settings"]?["name"] == .string("KONI jatim"))
            #expect(site.body["theme"]?["overrides"]?.jsonText == ##"{"color-primary":"#9b1c1c"}"##)
            let siteTag = try #require(site.headers[.eTag])
            #expect(try await client.send(.get, "/api/v1/cms/sites/jatim", token: nil, headers: [.ifNoneMatch: siteTag]).status == .notModified)
            // A change gives a new tag.
            try await client.send(
                .post, "/api/v1/cms/admin/sites/jatim/news", json: Samples.news("baru", published: true).setting("date", .string("2026-11-09")))
            #expect(try await client.send(.get, "/api/v1/cms/sites/jatim/news?per_page=2", token: nil, headers: [.ifNoneMatch: etag]).status == .ok)
        }
    }

    /// `?after=`: pages that follow the generator's order by position, not by offset, ties on
    /// the date broken by slug, and that refuse a forged cursor with a 400.
    @Test func keysetPagesWalkTheWholeListInOrder() async throws {
        let app = try await CMSTestApp().application(publisher: RecordingPublisher())
        try await app.test(.router) { client in
            try await client.send(.post, "/api/v1/cms/admin/sites", json: Samples.site(slug: "jatim"))
            for n in 1...7 {
                // Three items share each date: the slug decides.
                let date = "2026-11-0\(1 + n % 3)T08:00:00+07:00"
                try await client.send(.post, "/api/v1/cms/admin/sites/jatim/news", json: Samples.news("b\(n)", published: true).setting("date", .string(date)))
            }
            let whole = try await client.send(.get, "/api/v1/cms/sites/jatim/news?per_page=100", token: nil)
            let expected = whole.body["items"]?.array?.compactMap { $0["slug"]?.string } ?? []
            #expect(expected.count == 7)
            var walked: [String] = []
            var after = "start"
            for _ in 0..<10 {
                let page = try await client.send(.get, "/api/v1/cms/sites/jatim/news?per_page=3&after=\(after)", token: nil)
                #expect(page.status == .ok)
                #expect(page.body["total"] == nil, "no count of the whole collection")
                walked += page.body["items"]?.array?.compactMap { $0["slug"]?.string } ?? []
                guard let next = page.body["next"]?.string else { break }
                after = next
            }
            #expect(walked == expected)
            let athletes = try await client.send(.get, "/api/v1/cms/sites/jatim/athletes?after=start", token: nil)
            #expect(athletes.body["items"]?.array?.isEmpty == true)
            #expect(athletes.body["next"] == .null)

            let forged = Base64URL.encode(JSONValue.array([.string("bukan tanggal"), .string("b1")]).jsonBytes)
            for bad in ["zzz", forged, Base64URL.encode(Array("[1,2]".utf8))] {
                let refused = try await client.send(.get, "/api/v1/cms/sites/jatim/news?after=\(bad)", token: nil)
                #expect(refused.status == .badRequest, "\(bad)")
                #expect(refused.body["error"]?["code"] == .string("invalid_cursor"))
            }
            #expect(try await client.send(.get, "/api/v1/cms/sites/jatim/news?after=start&page=2", token: nil).status == .badRequest)
        }
    }

    @Test func themeAndSettingsAreValidatedLikeTenantYML() async throws {
        let app = try await CMSTestApp().application(publisher: RecordingPublisher())
        try await app.test(.router) { client in
            try await client.send(.post, "/api/v1/cms/admin/sites", json: Samples.site(slug: "jatim"))
            let theme = "/api/v1/cms/admin/sites/jatim/theme"
            let unknownPreset = try await client.send(.put, theme, json: .object([("preset", .string("pelangi"))]), headers: [.ifMatch: "\"1\""])
            #expect(unknownPreset.status == .unprocessableContent)
            #expect(unknownPreset.body["error"]?["field"] == .string("preset"))
            let badColour = try await client.send(
                .put, theme, json: .object([("preset", .string("malam")), ("overrides", .object([("color-primary", .string("merah"))]))]),
                headers: [.ifMatch: "\"1\""])
            #expect(badColour.status == .unprocessableContent)
            #expect(badColour.body["error"]?["field"] == .string("overrides.color-primary"))
            let good = try await client.send(
                .put, theme, json: .object([("preset", .string("malam")), ("overrides", .object([("radius", .string("12px"))]))]), headers: [.ifMatch: "\"1\""])
            #expect(good.status == .ok)
            #expect(good.body["preset"] == .string("malam"))
            #expect(good.body["version"]?.int == 2)
            let settings = "/api/v1/cms/admin/sites/jatim/settings"
            let badDomain = try await client.send(
                .put, settings, json: .object([("name", .string("KONI Jatim")), ("domains", .array([.string("Bad Domain")])), ("version", .number(1))]))
            #expect(badDomain.status == .unprocessableContent)
            #expect(badDomain.body["error"]?["field"] == .string("domains[0]"))
            let badZone = try await client.send(
                .put, settings, json: .object([("name", .string("KONI Jatim")), ("timezone", .string("Europe/Paris")), ("version", .number(1))]))
            #expect(badZone.body["error"]?["field"] == .string("timezone"))
            let updated = try await client.send(
                .put, settings, json: .object([("name", .string("KONI Jawa Timur")), ("news_per_page", .number(6)), ("version", .number(1))]))
            #expect(updated.status == .ok)
            #expect(updated.body["news_per_page"]?.int == 6)
            #expect(updated.body["short_name"] == .string("KONI Jawa Timur"))
        }
    }
}
