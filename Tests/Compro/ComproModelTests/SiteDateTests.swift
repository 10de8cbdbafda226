import ComproModel
import Testing

@Suite struct SiteDateTests {
    let wib = SiteTimeZone.jakarta.offsetSeconds

    @Test func parsesADayInTheTenantZone() throws {
        let date = try #require(SiteDate.parse("2026-11-24", defaultOffsetSeconds: wib))
        #expect(date.rfc3339 == "2026-11-24T00:00:00+07:00")
        #expect(date.isoDay == "2026-11-24")
        #expect(!date.hasTime)
        #expect(date.local.weekday == 2)  // a Tuesday
    }

    @Test func parsesTimesAndOffsets() throws {
        let local = try #require(SiteDate.parse("2026-11-24 09:30", defaultOffsetSeconds: wib))
        #expect(local.rfc3339 == "2026-11-24T09:30:00+07:00")
        let explicit = try #require(SiteDate.parse("2026-11-24T09:30:00+08:00", defaultOffsetSeconds: wib))
        #expect(explicit.epochSeconds == local.epochSeconds - 3600)
        let utc = try #require(SiteDate.parse("2026-11-24T02:30:00Z", defaultOffsetSeconds: wib))
        #expect(utc.epochSeconds == local.epochSeconds)
    }

    @Test(arguments: ["2026-13-01", "2026-02-30", "24-11-2026", "2026-11-24T25:00", "2026-11-24 09:30 WIB", "", "kemarin"])
    func refusesNonDates(_ text: String) {
        #expect(SiteDate.parse(text, defaultOffsetSeconds: wib) == nil)
    }

    @Test func leapYearsAndEpochArithmetic() throws {
        #expect(SiteDate.parse("2024-02-29", defaultOffsetSeconds: 0) != nil)
        #expect(SiteDate.parse("2100-02-29", defaultOffsetSeconds: 0) == nil)
        #expect(SiteDate.daysFromCivil(year: 1970, month: 1, day: 1) == 0)
        let date = try #require(SiteDate.parse("1969-12-31T23:59:59Z", defaultOffsetSeconds: 0))
        #expect(date.epochSeconds == -1)
        #expect(date.local.year == 1969)
    }
}

@Suite struct SlugTests {
    @Test(arguments: ["juara-umum", "pon-2024", "a", "x1"])
    func acceptsCanonicalSlugs(_ slug: String) {
        #expect(Slug.isValid(slug))
    }

    @Test(arguments: ["..", "../etc", "a/b", "%2e%2e", "Berita", "-a", "a-", "a--b", "a b", "", ".hidden", "a\u{0}b", "ä"])
    func refusesAnythingThatCouldEscapeOrIsNotCanonical(_ slug: String) {
        #expect(!Slug.isValid(slug))
        #expect(Slug.problem(with: slug) != nil)
    }

    @Test func makesSlugsFromFreeText() {
        #expect(Slug.make(from: "Pencak Silat") == "pencak-silat")
        #expect(Slug.make(from: "PON XXI / Aceh–Sumut 2024") == "pon-xxi-aceh-sumut-2024")
        #expect(Slug.make(from: "Café Olahraga") == "cafe-olahraga")
        #expect(Slug.make(from: "../../") == nil)
    }
}

@Suite struct URLPolicyTests {
    @Test(arguments: ["https://koni.id", "/berita/", "#atas", "foto.svg", "mailto:info@koni.id", "tel:+6231123"])
    func allowsSafeURLs(_ url: String) {
        #expect(URLPolicy.isSafe(url))
    }

    @Test(arguments: [
        "javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\tscript:alert(1)", " javascript:x", "data:text/html,<b>", "vbscript:x", "file:///etc/passwd",
    ])
    func refusesScriptAndDataURLs(_ url: String) {
        #expect(!URLPolicy.isSafe(url))
    }

    @Test func siteOrWebURLs() {
        #expect(URLPolicy.isSiteOrWebURL("/images/a.svg"))
        #expect(URLPolicy.isSiteOrWebURL("https://x.id/a"))
        #expect(!URLPolicy.isSiteOrWebURL("//evil.example/a"))
        #expect(!URLPolicy.isSiteOrWebURL("javascript:alert(1)"))
        #expect(!URLPolicy.isSiteOrWebURL("images/a.svg"))
        // Browsers read these as //evil.example: another host.
        for offSite in ["/\\evil.example", "/\t/evil.example", "/\n/evil.example", "/\\/evil.example", "https://a.id/\\x", "/a b", "/\u{85}x"] {
            #expect(!URLPolicy.isSiteOrWebURL(offSite), "\(offSite)")
        }
    }
}
