import CMSWire
import ComproContent
import ComproModel
import KoniJSON
import Testing

/// The folder's front matter and the CMS's JSON are read by the same rules (`ItemRules`,
/// `SettingsRules`, `Section.decode`): the same content is the same item either way, and the same
/// mistake is refused either way, each format naming the field in its own form.
@Suite struct SharedRulesTests {
    static func folder(_ kind: ContentKind, _ frontMatter: String) throws(ContentError) -> ParsedItem {
        try ItemParser(timeZone: .jakarta).parse(kind, text: "---\n\(frontMatter)\n---\nIsi.\n", file: "uji/content/\(kind.folder)/contoh.md")
    }

    static func cms(_ kind: ContentKind, _ json: String) throws -> ParsedItem {
        try ContentWire.decode(kind, JSONFields(JSONValue.parse(json)), timeZone: .jakarta, source: "cms", revision: "1")
    }

    /// The item's content fields as the CMS serves them, without the body (whose trailing newline
    /// is the file's).
    static func fields(_ item: ParsedItem) -> [String] {
        guard case .object(let pairs) = ContentWire.encode(item) else { return [] }
        return pairs.filter { $0.key != "body" }.map { "\($0.key)=\($0.value.jsonText)" }
    }

    static let sameContent: [(ContentKind, String, String)] = [
        (
            .news,
            "slug: contoh\ntitle: Juara Renang\ndate: 2026-11-20 09:30\nsummary: Ringkas\ncover: /images/a.jpg\ncover_alt: Kolam\ntags: [renang, prestasi]\nauthor: Humas",
            #"{"slug":"contoh","title":"Juara Renang","date":"2026-11-20 09:30","summary":"Ringkas","cover":{"src":"/images/a.jpg","alt":"Kolam"},"tags":["renang","prestasi"],"author":"Humas","body":"Isi."}"#
        ),
        (
            .event,
            "slug: contoh\ntitle: Porprov\nstart: 2026-12-01\nend: 2026-12-07\nlocation: Malang\nregistration_url: https://koni.id/daftar\ncover: /images/b.jpg",
            #"{"slug":"contoh","title":"Porprov","start":"2026-12-01","end":"2026-12-07","location":"Malang","registration_url":"https://koni.id/daftar","cover":{"src":"/images/b.jpg"},"body":"Isi."}"#
        ),
        (
            .gallery, "slug: contoh\ntitle: Latihan\ndate: 2026-11-01\nphotos:\n  - {src: /images/c.jpg, alt: Atlet, caption: Pagi}",
            #"{"slug":"contoh","title":"Latihan","date":"2026-11-01","photos":[{"src":"/images/c.jpg","alt":"Atlet","caption":"Pagi"}],"body":"Isi."}"#
        ),
        (
            .athlete,
            "slug: contoh\nname: Siti\nsport: Renang\nphoto: /images/d.jpg\nbirth_year: 2004\nfeatured: true\nachievements: [Emas PON]\nstats: {medali: 3}",
            #"{"slug":"contoh","name":"Siti","sport":"Renang","photo":{"src":"/images/d.jpg"},"birth_year":2004,"featured":true,"achievements":["Emas PON"],"stats":{"medali":3},"body":"Isi."}"#
        ),
        (
            .page, "slug: contoh\ntitle: Profil\norder: 5\nmenu: false\nsections:\n  - {type: stats, items: [{value: '38', label: Cabor}]}",
            #"{"slug":"contoh","title":"Profil","order":5,"menu":false,"sections":[{"type":"stats","items":[{"value":"38","label":"Cabor"}]}],"body":"Isi."}"#
        ),
    ]

    @Test(arguments: 0..<sameContent.count)
    func theSameContentIsTheSameItemEitherWay(_ index: Int) throws {
        let (kind, frontMatter, json) = Self.sameContent[index]
        let fromFolder = Self.fields(try Self.folder(kind, frontMatter))
        #expect(fromFolder == Self.fields(try Self.cms(kind, json)))
        #expect(fromFolder.count == ContentWire.fields(of: kind).count - 1, "every field but the body compared")
    }

    /// A mistake in both spellings: the folder's error names the file and line, the CMS's the
    /// field's path; both give the same reason.
    static let mistakes: [(kind: ContentKind, frontMatter: String, json: String, field: String, reason: String)] = [
        (
            .news, "title: A\ndate: 2026-11-20\ntags: [renang, '!!!']", #"{"slug":"a","title":"A","date":"2026-11-20","tags":["renang","!!!"]}"#,
            "tags[1]", "tag '!!!' has no letters or digits"
        ),
        (.news, "title: A\ndate: kemarin", #"{"slug":"a","title":"A","date":"kemarin"}"#, "date", "'kemarin' is not a date"),
        (
            .event, "title: A\nstart: 2026-12-07\nend: 2026-12-01", #"{"slug":"a","title":"A","start":"2026-12-07","end":"2026-12-01"}"#, "end",
            "before it starts"
        ),
        (
            .gallery, "title: A\ndate: 2026-11-01\nphotos: []", #"{"slug":"a","title":"A","date":"2026-11-01","photos":[]}"#, "photos",
            "a list of {src, alt, caption}"
        ),
        (
            .athlete, "name: A\nsport: Renang\nbirth_year: 1800", #"{"slug":"a","name":"A","sport":"Renang","birth_year":1800}"#, "birth_year",
            "1800 is not a plausible year"
        ),
        (.athlete, "name: A\nsport: '!!!'", #"{"slug":"a","name":"A","sport":"!!!"}"#, "sport", "'!!!' has no letters or digits"),
        (
            .page, "title: A\nsections:\n  - {type: image, alt: Foto}", #"{"slug":"a","title":"A","sections":[{"type":"image","alt":"Foto"}]}"#,
            "sections[0].src", "required"
        ),
    ]

    @Test(arguments: 0..<mistakes.count)
    func theSameMistakeIsRefusedEitherWay(_ index: Int) {
        let mistake = Self.mistakes[index]
        do {
            _ = try Self.folder(mistake.kind, mistake.frontMatter)
            Issue.record("the folder accepted \(mistake.frontMatter)")
        } catch {
            #expect(error.description.hasPrefix("uji/content/\(mistake.kind.folder)/contoh.md:"), "\(error)")
            #expect(error.reason.contains(mistake.reason), "\(error)")
        }
        do {
            _ = try Self.cms(mistake.kind, mistake.json)
            Issue.record("the CMS accepted \(mistake.json)")
        } catch let error as FieldError {
            #expect(error.field == mistake.field, "\(error)")
            #expect(error.reason.contains(mistake.reason), "\(error)")
        } catch {
            Issue.record("\(error)")
        }
    }

    /// `tenant.yml`, one setting per line.
    static let settingLines: [(key: String, line: String)] = [
        ("name", "name: KONI Jawa Timur"), ("short_name", "short_name: KONI Jatim"), ("tagline", "tagline: Juara"),
        ("domains", "domains: [jatim.koni.id, www.koni-jatim.id]"), ("locale", "locale: id-ID"), ("timezone", "timezone: Asia/Makassar"),
        ("logo", "logo: /images/logo.svg"), ("navigation", "navigation: [{title: Berita, url: /berita/}]"),
        ("contact", "contact: {address: Surabaya, email: info@koni-jatim.id}"),
        ("social", "social: [{platform: instagram, url: 'https://instagram.com/konijatim'}]"), ("news_per_page", "news_per_page: 12"),
    ]
    static let settings = settingLines.map(\.line).joined(separator: "\n")
    static let settingsJSON =
        #"{"name":"KONI Jawa Timur","short_name":"KONI Jatim","tagline":"Juara","domains":["jatim.koni.id","www.koni-jatim.id"],"locale":"id-ID","timezone":"Asia/Makassar","logo":"/images/logo.svg","navigation":[{"title":"Berita","url":"/berita/"}],"contact":{"address":"Surabaya","email":"info@koni-jatim.id"},"social":[{"platform":"instagram","url":"https://instagram.com/konijatim"}],"news_per_page":12}"#

    @Test func theSameSettingsAreTheSameEitherWay() throws {
        let folder = try TenantConfigParser.parse(Self.settings, slug: "jatim", file: "jatim/tenant.yml")
        let cms = try SettingsWire.decode(JSONFields(JSONValue.parse(Self.settingsJSON)), slug: "jatim")
        #expect(SettingsWire.encode(folder).jsonText == SettingsWire.encode(cms).jsonText)
        #expect(folder.timeZone == .makassar && folder.newsPerPage == 12 && folder.baseURL == "https://jatim.koni.id")

        // No menu (`~`, or null as the CMS serves it) means one made from the pages, not an empty one.
        let unsetFolder = try TenantConfigParser.parse("name: KONI Jatim\nnavigation: ~", slug: "jatim", file: "jatim/tenant.yml")
        let unsetCMS = try SettingsWire.decode(JSONFields(JSONValue.parse(#"{"name":"KONI Jatim","navigation":null}"#)), slug: "jatim")
        #expect(unsetFolder.navigation == nil && unsetCMS.navigation == nil)
        #expect(SettingsWire.encode(unsetFolder).jsonText == SettingsWire.encode(unsetCMS).jsonText)
    }

    /// Each line replaces one setting of ``settings``; the CMS gets the same value.
    static let settingMistakes: [(line: String, key: String, value: JSONValue, field: String, reason: String)] = [
        (
            "domains: [jatim.koni.id, bad_domain.id]", "domains", .array([.string("jatim.koni.id"), .string("bad_domain.id")]), "domains[1]",
            "is not a host name"
        ),
        ("locale: ''", "locale", .string(""), "locale", "is not a locale name"),
        ("timezone: Asia/Tokyo", "timezone", .string("Asia/Tokyo"), "timezone", "'Asia/Tokyo' is not one of"),
        ("news_per_page: 0", "news_per_page", .number(0), "news_per_page", "must be between 1 and 100"),
        (
            "social: [{platform: myspace, url: 'https://myspace.com/x'}]", "social",
            .array([.object([("platform", .string("myspace")), ("url", .string("https://myspace.com/x"))])]), "social[0].platform", "'myspace' is not one of"
        ),
        ("base_url: 'ftp://jatim'", "base_url", .string("ftp://jatim"), "base_url", "must be an absolute http(s) URL"),
    ]

    @Test(arguments: 0..<settingMistakes.count)
    func theSameSettingMistakeIsRefusedEitherWay(_ index: Int) throws {
        let mistake = Self.settingMistakes[index]
        var lines = Self.settingLines.map { $0.key == mistake.key ? mistake.line : $0.line }
        if !Self.settingLines.contains(where: { $0.key == mistake.key }) { lines.append(mistake.line) }
        let yaml = lines.joined(separator: "\n")
        do {
            _ = try TenantConfigParser.parse(yaml, slug: "jatim", file: "jatim/tenant.yml")
            Issue.record("the folder accepted \(mistake.line)")
        } catch {
            #expect(error.description.hasPrefix("jatim/tenant.yml:"), "\(error)")
            #expect(error.reason.contains(mistake.reason), "\(error)")
        }
        guard case .object(var pairs) = try JSONValue.parse(Self.settingsJSON) else { Issue.record("not an object"); return }
        pairs.removeAll { $0.key == mistake.key }
        pairs.append((mistake.key, mistake.value))
        do {
            _ = try SettingsWire.decode(JSONFields(.object(pairs)), slug: "jatim")
            Issue.record("the CMS accepted \(mistake.line)")
        } catch let error as FieldError {
            #expect(error.field == mistake.field, "\(error)")
            #expect(error.reason.contains(mistake.reason), "\(error)")
        } catch {
            Issue.record("\(error)")
        }
    }
}
