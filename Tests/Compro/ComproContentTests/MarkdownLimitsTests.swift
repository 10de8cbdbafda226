@testable import ComproContent
import ComproModel
import Testing

/// The inputs of the libcmark-gfm CVEs are refused before parsing, with the line; articles pass.
@Suite struct MarkdownLimitsTests {
    static func repeated(_ text: String, _ count: Int) -> String { String(repeating: text, count: count) }

    /// Each input took 0.1–4 s (or aborted the process) in Debian 12's libcmark-gfm at this size.
    static let pathological: [(name: String, text: String, reason: String)] = [
        ("700 columns × 700 rows", "|" + repeated("a|", 700) + "\n|" + repeated("-|", 700) + "\n" + repeated("|a\n", 700), "columns"),
        ("table autocompletion", "|" + repeated("a|", 60) + "\n|" + repeated("-|", 60) + "\n" + repeated("x\n", 1666), "table cells"),
        ("table header re-parse", repeated("|-|\n|-|-|\n", 1000), "delimiter rows"),
        ("smart quotes", repeated("'", 10_000), "a line of"),
        ("smart quotes on many lines", repeated("'''''\n", 2000), "quote characters"),
        ("list nested on one line, then blank lines", repeated("- ", 3333) + "x" + repeated("\n", 3333), "nested on one line"),
        ("many nested lists", repeated(repeated("- ", 16) + "x\n\n", 2000), "list markers"),
        ("autolink www underscores", repeated(repeated("www._", 800) + "\n\n", 6), "www."),
        ("autolink parentheses", repeated("http://a.b/" + repeated(")", 4000) + "\n\n", 31), "parentheses"),
        ("<? repeated", repeated("a <?\n", 2500), "'<' characters"),
        ("![[]() repeated", repeated("![[]()\n", 2000), "'[' characters"),
        ("a@ repeated", repeated(repeated("a@", 100) + "\n", 50), "'@' characters"),
        ("reference output growth", "[a]: /" + repeated("x", 5000) + "\n\n" + repeated("[a]", 1600), "reference definition"),
        ("200 KiB", repeated("kata ", 40_000), "bytes"),
        ("NUL in a reference URL", "[a]: /x\u{0}y\n\n[a]", "control character"),
        // Found in review: ways around the per-line and per-table counts.
        ("a table hidden behind lone carriage returns", repeated("|a", 1000) + "\r" + repeated("|-", 1000) + "\r" + repeated("x\r", 2000), "carriage return"),
        ("a second table after a heading", "|a|\n|-|\n# h\n" + repeated("|a", 4000) + "\n" + repeated("|-", 4000) + "\n" + repeated("x\n", 100), "columns"),
        ("a second wide table after a heading", "|a|\n|-|\n# h\n" + repeated("|a", 100) + "\n" + repeated("|-", 100) + "\n", "columns"),
        ("a table in a block quote", "> " + repeated("|a", 60) + "\n> " + repeated("|-", 60) + "\n" + repeated("> x\n", 5000), "table cells"),
    ]

    @Test(arguments: pathological.indices)
    func pathologicalInputsAreRefusedNamingTheLimit(_ index: Int) {
        let (name, text, reason) = Self.pathological[index]
        guard let violation = MarkdownLimits.check(text) else {
            Issue.record("\(name) was accepted")
            return
        }
        #expect(violation.reason.contains(reason), "\(name): \(violation)")
    }

    @Test func aLongArticleWithTablesListsAndQuotesPasses() {
        var article = "# Hasil Porprov\n\n\"Kami bangga,\" kata ketua. Lihat www.koni.id dan [jadwal](https://jatim.koni.id/agenda/).\n\n"
        article += "| Cabang | Emas | Perak |\n|---|---:|---:|\n" + Self.repeated("| Atletik | 3 | 4 |\n", 300) + "\n"
        for index in 0..<200 { article += "- butir \(index) dengan *penekanan* dan 'kutipan'\n  - anak butir\n\n> kutipan panjang\n\n" }
        #expect(article.utf8.count > 20_000)
        #expect(MarkdownLimits.check(article) == nil)
    }

    @Test func windowsLineEndingsAreLinesAsUsual() {
        let text = "Paragraf satu.\r\n\r\n| a | b |\r\n|---|---|\r\n| 1 | 2 |\r\n"
        #expect(MarkdownLimits.check(text) == nil)
    }

    @Test func theViolationNamesTheLine() {
        let text = "baris satu\n\nbaris tiga\n" + Self.repeated("> ", 20) + "dalam\n"
        #expect(MarkdownLimits.check(text)?.line == 4)
    }

    @Test func aContentFileNamesTheFileAndItsLine() throws {
        let file = "---\ntitle: Bom\ndate: 2026-01-01\n---\n\nParagraf.\n\n" + Self.repeated("> ", 20) + "x\n"
        do {
            _ = try ItemParser(timeZone: .jakarta).parse(.news, text: file, file: "uji/content/news/bom.md")
            Issue.record("accepted")
        } catch {
            #expect(error.description.hasPrefix("uji/content/news/bom.md:8:"), "\(error.description)")
            #expect(error.description.contains("Markdown body refused"))
        }
    }
}

/// YAML in front matter cannot expand (aliases of aliases) or nest without bound.
@Suite struct YAMLBombTests {
    @Test func aBillionLaughsIsRefusedQuickly() {
        var value = "&a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]"
        for level in 1..<9 { value = "&a\(level) [\(value)," + Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ",") + "]" }
        let file = "---\nname: A\nsport: Panahan\nregion: X\nbirth_year: 2004\nstats:\n  bom: \(value)\n---\nisi\n"
        let start = ContinuousClock.now
        do {
            _ = try ItemParser(timeZone: .jakarta).parse(.athlete, text: file, file: "uji/content/athletes/bom.md")
            Issue.record("accepted")
        } catch {
            #expect(error.description.contains("uji/content/athletes/bom.md"), "\(error.description)")
            #expect(error.description.contains("aliases"), "\(error.description)")
        }
        #expect(ContinuousClock.now - start < .seconds(5), "refused without expanding")
    }

    /// Yams hashes mapping keys while it composes: an aliased key expands before any budget.
    @Test func anAliasedKeyOfAliasesIsRefusedBeforeComposing() {
        var lines = ["l0: &l0 [a, b, c, d, e, f, g, h, i, j]"]
        for level in 1...12 { lines.append("l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ") + "]") }
        let file = "---\ntitle: Bom\ndate: 2026-01-01\n" + lines.joined(separator: "\n") + "\n? *l12\n: x\n---\nisi\n"
        let start = ContinuousClock.now
        do {
            _ = try ItemParser(timeZone: .jakarta).parse(.news, text: file, file: "uji/content/news/bom.md")
            Issue.record("accepted")
        } catch {
            #expect(error.description.contains("aliases"), "\(error.description)")
        }
        #expect(ContinuousClock.now - start < .seconds(2))
    }

    @Test func starsInsideTextAreNotAliases() {
        #expect(YAMLDocument.aliasCount("summary: dua *kata* dan \"*x, *y\"\ntags: [a, b] # *komentar\n") == 0)
        #expect(YAMLDocument.aliasCount("a: &x 1\nb: *x\nc: [*x, *x]\n- *x\n") == 4)
    }

    @Test func aFewAliasesStillWork() throws {
        let file = "---\ntitle: &t Juara\ndate: 2026-01-01\nsummary: *t\n---\nisi\n"
        guard case .news(let news) = try ItemParser(timeZone: .jakarta).parse(.news, text: file, file: "uji/content/news/a.md") else {
            Issue.record("not news")
            return
        }
        #expect(news.summary == "Juara")
    }

    @Test func deepNestingIsRefusedNotACrash() {
        let file = "---\ntitle: Bom\ndate: 2026-01-01\nx: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "\n---\nisi\n"
        do {
            _ = try ItemParser(timeZone: .jakarta).parse(.news, text: file, file: "uji/content/news/bom.md")
            Issue.record("accepted")
        } catch {
            #expect(error.description.contains("uji/content/news/bom.md:4"), "\(error.description)")
        }
    }
}

/// The section rules are shared by the folder and the CMS; each reports in its own form.
@Suite struct SharedSectionRulesTests {
    @Test func aFolderPageNamesTheFileLineAndField() {
        let file = "---\ntitle: Profil\nsections:\n  - type: image\n    alt: Foto\n  - type: stats\n---\n"
        do {
            _ = try ItemParser(timeZone: .jakarta).parse(.page, text: file, file: "uji/content/pages/profil.md")
            Issue.record("accepted")
        } catch {
            #expect(error.description.contains("uji/content/pages/profil.md:4"), "\(error.description)")
            #expect(error.description.contains("missing required field 'src'"), "\(error.description)")
        }
    }
}
