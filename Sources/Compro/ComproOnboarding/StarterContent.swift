import ComproModel
import ComproTheme

/// The files a new tenant starts with: settings, a home page made of sections, a profile page,
/// a welcome news item and a logo. Written in Indonesian, ready for the branch's admin to edit.
///
/// Every value inserted here was validated by ``TenantRequest`` (slug, host names, name
/// characters), and strings are still written as escaped YAML double-quoted scalars.
struct StarterContent {
    let request: TenantRequest
    let theme: Theme
    /// Today in the tenant's time zone, `2026-11-25`.
    let today: String

    /// Paths relative to the tenant folder, and their contents.
    var files: [(path: String, text: String)] {
        [
            ("tenant.yml", tenantYAML),
            ("content/pages/index.md", homePage),
            ("content/pages/profil.md", profilePage),
            ("content/news/selamat-datang.md", welcomeNews),
            ("static/images/logo.svg", logoSVG),
        ]
    }

    var name: String { request.name }

    var tenantYAML: String {
        """
        # \(name): created by `koni-compro tenant new \(request.slug)` on \(today).
        # Every field is described in docs/content-format.md.
        name: \(yaml(name))
        tagline: \(yaml("Situs resmi \(name)"))
        description: \(yaml("Berita, agenda, galeri, dan profil atlet \(name)."))
        domains:
        \(request.allDomains.map { "  - \($0)" }.joined(separator: "\n"))
        locale: id-ID
        timezone: Asia/Jakarta
        logo: /images/logo.svg
        theme:
          preset: \(request.theme)
        source: local

        """
    }

    var homePage: String {
        """
        ---
        title: Beranda
        menu: false
        order: 0
        summary: \(yaml("Situs resmi \(name): berita, agenda, dan prestasi olahraga."))
        sections:
          - type: hero
            title: \(yaml("Selamat datang di situs \(name)"))
            subtitle: "Berita, agenda, dan prestasi olahraga dari daerah kami."
            cta_label: Profil kami
            cta_url: /profil/
          - type: latest_news
            title: Berita Terbaru
            limit: 6
          - type: upcoming_events
            title: Agenda Mendatang
            limit: 3
          - type: cta
            title: Ikuti kabar terbaru
            text: "Baca berita dan agenda terbaru kami."
            label: Semua berita
            url: /berita/
        ---

        """
    }

    var profilePage: String {
        """
        ---
        title: Profil
        order: 1
        summary: \(yaml("Profil, visi, dan misi \(name)."))
        sections:
          - type: text
            title: Visi
            body: "Mewujudkan prestasi olahraga yang membanggakan daerah dan Indonesia."
          - type: body
        ---
        ## Tentang kami

        \(markdownText(name)) mengoordinasikan pembinaan olahraga prestasi di daerahnya.
        Halaman ini dibuat otomatis: ganti teks ini dengan sejarah, susunan pengurus, dan
        program kerja organisasi.

        """
    }

    var welcomeNews: String {
        """
        ---
        title: \(yaml("Selamat datang di situs resmi \(name)"))
        date: \(today)
        summary: \(yaml("Situs resmi \(name) kini hadir dengan berita, agenda, dan profil atlet."))
        tags: [pengumuman]
        author: Admin
        ---
        Situs resmi \(markdownText(name)) kini hadir. Di sini akan dimuat berita terbaru, agenda
        kegiatan, galeri foto, dan profil atlet kebanggaan daerah.

        """
    }

    /// A round badge in the theme's primary colour with the branch's initials.
    var logoSVG: String {
        let primary = theme.values["color-primary"] ?? "#b3141c"
        let onPrimary = theme.values["color-on-primary"] ?? "#ffffff"
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 120" width="120" height="120" role="img" aria-label="\(xml(name))">
              <circle cx="60" cy="60" r="56" fill="\(primary)"/>
              <circle cx="60" cy="60" r="48" fill="none" stroke="\(onPrimary)" stroke-width="3"/>
              <text x="60" y="56" text-anchor="middle" font-family="system-ui, sans-serif" font-size="20" font-weight="700" fill="\(onPrimary)">KONI</text>
              <text x="60" y="82" text-anchor="middle" font-family="system-ui, sans-serif" font-size="18" fill="\(onPrimary)">\(xml(initials))</text>
            </svg>

            """
    }

    /// `KONI Kabupaten Malang` → `KM`: the first letters of the words after "KONI", at most three.
    var initials: String {
        let words = name.split(separator: " ").filter { $0.uppercased() != "KONI" }
        let letters = words.compactMap { $0.first(where: \.isLetter) }.prefix(3)
        return letters.isEmpty ? "" : String(letters).uppercased()
    }

    /// A YAML double-quoted scalar.
    func yaml(_ text: String) -> String { YAMLScalar.doubleQuoted(text) }

    /// Text that Markdown shows literally: its punctuation is backslash-escaped.
    func markdownText(_ text: String) -> String {
        var result = ""
        for character in text {
            if "\\`*_{}[]()#+-.!<>&|~".contains(character) { result.append("\\") }
            result.append(character)
        }
        return result
    }

    func xml(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
