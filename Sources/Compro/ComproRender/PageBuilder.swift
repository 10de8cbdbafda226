import ComproModel

/// Builds the template data of one output, recording every item and query it touches.
final class PageBuilder {
    let renderer: SiteRenderer
    let spec: OutputSpec
    var deps = OutputDependencies()
    /// Whether this output recorded the athlete-link query (once, ``athleteSlug(_:)``).
    var ranAthleteLinks = false

    init(renderer: SiteRenderer, spec: OutputSpec) {
        self.renderer = renderer
        self.spec = spec
    }

    var index: ContentIndex { renderer.index }
    var tenant: TenantConfig { renderer.tenant }
    var strings: LocaleStrings { renderer.strings }

    // MARK: Recorded reads

    func run(_ query: ContentQuery) -> [String] {
        let answer = index.evaluate(query)
        deps.ran(query, answer: answer)
        return answer
    }

    func news(_ query: ContentQuery) -> [NewsItem] {
        run(query).compactMap { id in id.hasPrefix("news/") ? index.newsBySlug[String(id.dropFirst(5))] : nil }
    }

    func events(_ query: ContentQuery) -> [EventItem] {
        run(query).compactMap { id in id.hasPrefix("event/") ? index.eventsBySlug[String(id.dropFirst(6))] : nil }
    }

    func athletes(_ query: ContentQuery) -> [Athlete] {
        run(query).compactMap { id in id.hasPrefix("athlete/") ? index.athletesBySlug[String(id.dropFirst(8))] : nil }
    }

    func galleries(_ query: ContentQuery) -> [Gallery] {
        run(query).compactMap { id in id.hasPrefix("gallery/") ? index.galleriesBySlug[String(id.dropFirst(8))] : nil }
    }

    func pages(_ query: ContentQuery) -> [Page] {
        run(query).compactMap { id in id.hasPrefix("page/") ? index.pagesBySlug[String(id.dropFirst(5))] : nil }
    }

    func read<T>(_ kind: ContentKind, _ slug: String, from table: SlugTable<T>) -> T? {
        deps.read(ItemID(kind, slug))
        return table[slug]
    }

    // MARK: URLs

    func absolute(_ path: String) -> String {
        if path.hasPrefix("http://") || path.hasPrefix("https://") { return path }
        return tenant.baseURL + (path.hasPrefix("/") ? path : "/" + path)
    }

    func markdown(_ text: String) -> String { renderer.markdown.html(from: text) }
}
