import KoniTestSupport
import ComproRevalidate
import Foundation

/// Makes random but realistic edits to a tenant folder and says which change hints they imply.
struct ContentEditor {
    let root: String
    /// Some tags come in two spellings of one slug: a tag page shows the newest item's spelling,
    /// so a respelled tag changes pages although no item moved.
    let tags = ["porprov", "PORPROV", "pencak-silat", "Pencak Silat", "sepak-bola", "atletik", "bonus", "pon", "catur"]
    let sports = ["Pencak Silat", "Catur", "Atletik", "Renang"]

    func files(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "\(root)/content/\(folder)")) ?? []).filter { $0.hasSuffix(".md") }.sorted()
    }

    func write(_ text: String, _ folder: String, _ slug: String) throws {
        try text.write(toFile: "\(root)/content/\(folder)/\(slug).md", atomically: true, encoding: .utf8)
    }

    func remove(_ folder: String, _ slug: String) throws {
        try FileManager.default.removeItem(atPath: "\(root)/content/\(folder)/\(slug).md")
    }

    func date(_ random: inout SeededRandom, withTime: Bool = true) -> String {
        let month = random.int(9...12), day = random.int(1...28)
        let base = "2026-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
        return withTime && random.chance(40) ? "\(base) \(random.int(10...20)):\(random.pick(["00", "30"]))" : base
    }

    func randomEdit(_ random: inout SeededRandom) throws -> [ContentChange] {
        switch random.int(0...99) {
        case 0..<40: return try editNews(&random)
        case 40..<55: return try editEvent(&random)
        case 55..<67: return try editAthlete(&random)
        case 67..<75: return try editGallery(&random)
        case 75..<87: return try editPage(&random)
        case 87..<92: return try editTheme(&random)
        case 92..<96: return try editTournament(&random)
        default: return try breakOrFix(&random)
        }
    }

    func editNews(_ random: inout SeededRandom) throws -> [ContentChange] {
        let existing = files("news").map { String($0.dropLast(3)) }
        let slug: String
        if existing.isEmpty || random.chance(30) {
            slug = "acak-\(random.int(1...60))"
        } else {
            slug = random.pick(existing)
        }
        if !existing.isEmpty, existing.contains(slug), random.chance(20) {
            try remove("news", slug)
            return [ContentChange(entity: .news, slug: slug, action: "deleted")]
        }
        let chosen = (0..<random.int(0...3)).map { _ in random.pick(tags) }
        try write(
            """
            ---
            title: "Berita \(slug) versi \(random.int(1...999))"
            date: \(date(&random))
            summary: Ringkasan \(random.int(1...99))
            tags: [\(Array(Set(chosen)).sorted().joined(separator: ", "))]
            draft: \(random.chance(10))
            \(random.chance(30) ? "cover: /images/logo.svg" : "")
            ---
            Isi berita **\(random.int(1...9999))**.
            """, "news", slug)
        return [ContentChange(entity: .news, slug: slug)]
    }

    func editEvent(_ random: inout SeededRandom) throws -> [ContentChange] {
        let slug = random.chance(50) ? random.pick(files("events").map { String($0.dropLast(3)) } + ["acara-baru"]) : "acara-\(random.int(1...8))"
        if files("events").contains("\(slug).md"), random.chance(20) {
            try remove("events", slug)
            return [ContentChange(entity: .event, slug: slug, action: "deleted")]
        }
        let start = random.int(1...26)
        let startText = "2026-11-\(start < 10 ? "0" : "")\(start)"
        let end = min(28, start + random.int(0...6))
        try write(
            """
            ---
            title: Acara \(slug) \(random.int(1...99))
            start: \(random.chance(50) ? startText + " 09:00" : startText)
            end: 2026-11-\(end < 10 ? "0" : "")\(end)
            location: GOR \(random.int(1...9))
            ---
            Jadwal.
            """, "events", slug)
        return [ContentChange(entity: .event, slug: slug)]
    }

    func editAthlete(_ random: inout SeededRandom) throws -> [ContentChange] {
        let slug = random.pick(files("athletes").map { String($0.dropLast(3)) } + ["atlet-baru-\(random.int(1...5))"])
        if files("athletes").count > 1, files("athletes").contains("\(slug).md"), random.chance(15) {
            try remove("athletes", slug)
            return [ContentChange(entity: .athlete, slug: slug, action: "deleted")]
        }
        try write(
            """
            ---
            name: Atlet \(random.pick(["Ayu", "Bima", "Citra", "Dodi"])) \(random.int(1...9))
            sport: \(random.pick(sports))
            featured: \(random.chance(50))
            stats: {menang: \(random.int(0...50))}
            ---
            """, "athletes", slug)
        return [ContentChange(entity: .athlete, slug: slug)]
    }

    /// A league whose results change (the table, the home page's latest results and the linked
    /// athletes' pages move with them), that may name an athlete another edit deletes, or that
    /// is deleted.
    func editTournament(_ random: inout SeededRandom) throws -> [ContentChange] {
        let slug = random.pick(["liga-sepak-bola-2026", "liga-acak"])
        if files("tournaments").contains("\(slug).md"), random.chance(15) {
            try remove("tournaments", slug)
            return [ContentChange(entity: .tournament, slug: slug, action: "deleted")]
        }
        let clubs = ["Persiu", "PS Uji Timur", "Uji United", "Persiu Muda"]
        var matches: [String] = []
        for position in 1...random.int(1...4) {
            let home = random.pick(clubs), away = random.pick(clubs.filter { $0 != home })
            let athlete = random.chance(25) ? ", home_athlete: \(random.pick(["andi-pratama", "sari-dewi", "atlet-baru-1"]))" : ""
            let score = random.chance(70) ? ", score: \"\(random.int(0...4))-\(random.int(0...4))\"" : ""
            matches.append(
                "  - {round: \(random.int(1...3)), position: \(position), time: \"\(date(&random))\", home: \(home), away: \(away)\(athlete)\(score)}")
        }
        try write(
            """
            ---
            name: Liga \(slug) \(random.int(1...99))
            sport: sepak-bola
            format: league
            starts_on: 2026-09-01
            ends_on: 2026-12-\(random.int(10...28))
            matches:
            \(matches.joined(separator: "\n"))
            ---
            """, "tournaments", slug)
        return [ContentChange(entity: .tournament, slug: slug)]
    }

    func editGallery(_ random: inout SeededRandom) throws -> [ContentChange] {
        let photos = (1...random.int(1...4)).map { "  - {src: /images/logo.svg, alt: Foto \($0), caption: Keterangan \($0)}" }.joined(separator: "\n")
        try write(
            """
            ---
            title: Defile \(random.int(1...99))
            date: \(date(&random, withTime: false))
            photos:
            \(photos)
            ---
            """, "galleries", "porprov-2026")
        return [ContentChange(entity: .gallery, slug: "porprov-2026")]
    }

    func editPage(_ random: inout SeededRandom) throws -> [ContentChange] {
        if random.chance(50) {
            let text = try String(contentsOfFile: "\(root)/content/pages/index.md", encoding: .utf8)
            let limit = random.int(1...6)
            let updated = text.replacingOccurrences(
                of: #"type: latest_news\n    limit: \d+"#, with: "type: latest_news\n    limit: \(limit)", options: .regularExpression)
            try updated.write(toFile: "\(root)/content/pages/index.md", atomically: true, encoding: .utf8)
            return [ContentChange(entity: .section, slug: "index")]
        }
        try write(
            """
            ---
            title: Profil \(random.int(1...99))
            order: \(random.int(0...5))
            menu: \(random.chance(70))
            ---
            Sejarah singkat \(random.int(1...99)).
            """, "pages", "profil")
        return [ContentChange(entity: .page, slug: "profil")]
    }

    func editTheme(_ random: inout SeededRandom) throws -> [ContentChange] {
        let path = "\(root)/tenant.yml"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let colour = String(format: "#%02x%02x%02x", random.int(0...120), random.int(0...60), random.int(0...60))
        let updated = text.replacingOccurrences(of: ##"color-primary: "#[0-9a-f]{6}""##, with: "color-primary: \"\(colour)\"", options: .regularExpression)
        try updated.write(toFile: path, atomically: true, encoding: .utf8)
        return [ContentChange(entity: .theme)]
    }

    /// Sometimes writes an invalid file, sometimes removes it again.
    func breakOrFix(_ random: inout SeededRandom) throws -> [ContentChange] {
        if files("news").contains("rusak.md") {
            try remove("news", "rusak")
        } else {
            try write("---\ntitle: Tanpa tanggal\n---\n", "news", "rusak")
        }
        return [ContentChange(entity: .news, slug: "rusak")]
    }
}
