import ComproContent
import ComproModel
import Testing

@Suite struct ContentParsingTests {
    let parser = ItemParser(timeZone: .jakarta)

    func parseError(_ kind: ContentKind, _ text: String, file: String = "jatim/content/news/x.md") -> ContentError? {
        do {
            _ = try parser.parse(kind, text: text, file: file)
            return nil
        } catch {
            return error
        }
    }

    @Test func parsesANewsItem() throws {
        let text = """
            ---
            title: "Jatim Juara Umum: PORPROV 2026"
            date: 2026-11-20 09:00
            tags: [Pencak Silat, porprov]
            cover: /images/a.svg
            ---
            Isi **berita**.
            """
        guard case .news(let item) = try parser.parse(.news, text: text, file: "jatim/content/news/juara-umum.md") else {
            Issue.record("not news")
            return
        }
        #expect(item.meta.slug == "juara-umum")
        #expect(item.title == "Jatim Juara Umum: PORPROV 2026")
        #expect(item.date.rfc3339 == "2026-11-20T09:00:00+07:00")
        #expect(item.tags == ["Pencak Silat", "porprov"])
        #expect(item.cover?.alt == item.title)
        #expect(item.body == "Isi **berita**.")
        #expect(item.meta.revision.count == 64)
    }

    @Test func malformedYAMLNamesTheFileAndLine() throws {
        let error = try #require(parseError(.news, "---\ntitle: ok\ndate: 2026-01-01\ntags: [a, b\n---\nbody"))
        #expect(error.location.file == "jatim/content/news/x.md")
        #expect(error.location.line == 5 || error.location.line == 4)
        #expect(error.reason.contains("invalid YAML"))
    }

    @Test func missingRequiredFieldIsReported() throws {
        let error = try #require(parseError(.news, "---\ntitle: Tanpa tanggal\n---\n"))
        #expect(error.description.contains("missing required field 'date'"))
    }

    @Test func badDateNamesTheLineOfTheField() throws {
        let error = try #require(parseError(.news, "---\ntitle: A\n\ndate: 31/12/2026\n---\n"))
        #expect(error.location.line == 4)
        #expect(error.reason.contains("'date'"))
    }

    @Test func unknownFieldSuggestsTheRightOne() throws {
        let error = try #require(parseError(.news, "---\ntitle: A\ndate: 2026-01-01\ntitel: B\n---\n"))
        #expect(error.location.line == 4)
        #expect(error.reason.contains("did you mean 'title'"))
    }

    @Test func missingFrontMatterAndUnclosedFrontMatter() throws {
        #expect(try #require(parseError(.news, "title: A\n")).reason.contains("missing front matter"))
        #expect(try #require(parseError(.news, "---\ntitle: A\n")).reason.contains("not closed"))
    }

    @Test(arguments: ["../../etc", "Juara Umum", "a/b", "..", "%2e%2e"])
    func unsafeSlugsAreRefused(_ slug: String) throws {
        let error = try #require(parseError(.news, "---\ntitle: A\ndate: 2026-01-01\nslug: \"\(slug)\"\n---\n"))
        #expect(error.location.line == 4)
        #expect(error.reason.contains("not allowed") || error.reason.contains("empty"))
    }

    @Test func unsafeFileNameIsRefusedAsSlug() throws {
        let error = try #require(parseError(.news, "---\ntitle: A\ndate: 2026-01-01\n---\n", file: "jatim/content/news/Berita Baru.md"))
        #expect(error.reason.contains("not allowed"))
    }

    @Test func scriptURLsInFrontMatterAreRefused() throws {
        let error = try #require(parseError(.event, "---\ntitle: A\nstart: 2026-01-01\nregistration_url: javascript:alert(1)\n---\n"))
        #expect(error.reason.contains("registration_url"))
    }

    @Test func eventEndingBeforeItStarts() throws {
        let error = try #require(parseError(.event, "---\ntitle: A\nstart: 2026-01-05\nend: 2026-01-01\n---\n"))
        #expect(error.reason.contains("before it starts"))
    }

    @Test func athleteStatsKeepTypesAndOrder() throws {
        let text = "---\nname: Budi\nsport: Sepak Bola\nstats: {goals: 45, assists: 12, posisi: penyerang, rata: 1.5}\n---\n"
        guard case .athlete(let athlete) = try parser.parse(.athlete, text: text, file: "t/content/athletes/budi.md") else {
            Issue.record("not an athlete")
            return
        }
        #expect(athlete.stats.map(\.key) == ["goals", "assists", "posisi", "rata"])
        #expect(athlete.stats[0].value == .number(45))
        #expect(athlete.stats[2].value == .string("penyerang"))
        #expect(athlete.stats[3].value.displayText == "1.5")
    }

    @Test func pageSectionsAreTyped() throws {
        let text = """
            ---
            title: Beranda
            sections:
              - type: hero
                title: Selamat datang
              - type: latest_news
                limit: 4
                tag: Pencak Silat
              - type: stats
                items: [{value: "38", label: Kabupaten}]
            ---
            """
        guard case .page(let page) = try parser.parse(.page, text: text, file: "t/content/pages/index.md") else {
            Issue.record("not a page")
            return
        }
        #expect(page.isHome)
        #expect(page.sections.count == 3)
        #expect(page.sections[1] == .latestNews(title: "", limit: 4, tag: "pencak-silat"))
    }

    @Test func unknownSectionTypeIsReportedWithItsLine() throws {
        let text = "---\ntitle: A\nsections:\n  - type: hero\n    title: x\n  - type: carousel\n---\n"
        let error = try #require(parseError(.page, text, file: "t/content/pages/a.md"))
        #expect(error.location.line == 6)
        #expect(error.reason.contains("unknown section type 'carousel'"))
    }
}

@Suite struct TenantConfigTests {
    @Test func defaultsFollowTheSlug() throws {
        let config = try TenantConfigParser.parse("name: KONI Jawa Timur\n", slug: "jatim", file: "jatim/tenant.yml")
        #expect(config.domains == ["jatim.koni.id"])
        #expect(config.baseURL == "https://jatim.koni.id")
        #expect(config.locale == "id-ID")
        #expect(config.theme.preset == "merah-putih")
        #expect(config.newsPerPage == 10)
        #expect(config.navigation == nil)
    }

    @Test func invalidValuesNameTheLine() throws {
        func error(_ text: String) -> ContentError? {
            do {
                _ = try TenantConfigParser.parse(text, slug: "jatim", file: "jatim/tenant.yml")
                return nil
            } catch { return error }
        }
        #expect(try #require(error("name: A\ntimezone: Europe/Paris\n")).location.line == 2)
        #expect(try #require(error("name: A\ndomains: [\"jatim.koni.id\", \"bad host\"]\n")).reason.contains("host name"))
        #expect(try #require(error("name: A\nnews_per_page: 0\n")).reason.contains("between 1 and 100"))
        #expect(try #require(error("nama: A\n")).reason.contains("unknown field 'nama'"))
        #expect(try #require(error("tagline: x\n")).reason.contains("missing required field 'name'"))
        #expect(try #require(error("name: A\nsocial:\n  - platform: myspace\n    url: https://x.id\n")).location.line == 3)
    }
}
