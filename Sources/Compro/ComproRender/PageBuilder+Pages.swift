import ComproModel

/// The template and data of each kind of HTML page.
extension PageBuilder {
    func pageData() throws(RenderError) -> (String, PageInfo, [String: Any]) {
        switch spec {
        case .home:
            return try contentPage(slug: "index", template: "pages.home")
        case .page(let slug):
            return try contentPage(slug: slug, template: "pages.page")
        case .newsList(let number):
            let per = tenant.newsPerPage
            let answer = run(.newsPage(page: number, perPage: per))
            let items = answer.compactMap { $0.hasPrefix("news/") ? index.newsBySlug[String($0.dropFirst(5))] : nil }
            var info = PageInfo(heading: strings["news"] + pageSuffix(number), description: "")
            info.breadcrumbs = [(strings["news"], "/berita/")]
            return (
                "pages.news-list", info,
                [
                    "items": items.map(newsCard), "empty": items.isEmpty,
                    "pagination": archiveNavigation(number, answer: answer) { OutputSpec.newsList(page: $0).urlPath },
                ]
            )
        case .newsItem(let slug):
            guard let item = read(.news, slug, from: index.newsBySlug) else { throw missing(.news, slug) }
            var info = PageInfo(heading: item.title, description: item.summary, ogType: "article", image: item.cover?.src)
            info.breadcrumbs = [(strings["news"], "/berita/"), (item.title, spec.urlPath)]
            info.jsonLD = JSONLD.article(item, builder: self)
            var article = newsCard(item)
            article["html"] = markdown(item.body)
            article["cover_picture"] = picture(item.cover, layout: .lead, lazy: false)
            return ("pages.news-item", info, ["article": article])
        case .tag(let tag, let number):
            let per = tenant.newsPerPage
            let answer = run(.tagPage(tag: tag, page: number, perPage: per))
            let items = answer.compactMap { $0.hasPrefix("news/") ? index.newsBySlug[String($0.dropFirst(5))] : nil }
            let label = index.tagLabel(tag)
            var info = PageInfo(heading: "\(strings["tag"]): \(label)" + pageSuffix(number), description: "")
            info.breadcrumbs = [(strings["news"], "/berita/"), ("\(strings["tag"]): \(label)", OutputSpec.tag(tag, page: 0).urlPath)]
            return (
                "pages.tag", info,
                [
                    "tag": ["name": label, "slug": tag], "items": items.map(newsCard), "empty": items.isEmpty,
                    "pagination": archiveNavigation(number, answer: answer) { OutputSpec.tag(tag, page: $0).urlPath },
                ]
            )
        case .eventsList:
            let upcoming = events(.upcomingEvents(limit: nil)).map(eventCard)
            let past = events(.pastEvents).map(eventCard)
            var info = PageInfo(heading: strings["events"], description: "")
            info.breadcrumbs = [(strings["events"], "/agenda/")]
            return (
                "pages.events-list", info,
                [
                    "upcoming": upcoming, "past": past, "has_upcoming": !upcoming.isEmpty, "has_past": !past.isEmpty,
                ]
            )
        case .event(let slug):
            guard let event = read(.event, slug, from: index.eventsBySlug) else { throw missing(.event, slug) }
            var info = PageInfo(heading: event.title, description: event.summary, image: event.cover?.src)
            info.breadcrumbs = [(strings["events"], "/agenda/"), (event.title, spec.urlPath)]
            info.jsonLD = JSONLD.event(event, builder: self)
            var data = eventCard(event)
            data["upcoming"] = run(.eventStatus(slug)).first == "#upcoming"
            data["cover_picture"] = picture(event.cover, layout: .lead, lazy: false)
            data["html"] = markdown(event.body)
            return ("pages.event", info, ["event": data])
        case .galleriesList:
            var info = PageInfo(heading: strings["galleries"], description: "")
            info.breadcrumbs = [(strings["galleries"], "/galeri/")]
            return ("pages.galleries-list", info, ["items": galleries(.galleries).map(galleryCard)])
        case .gallery(let slug):
            guard let gallery = read(.gallery, slug, from: index.galleriesBySlug) else { throw missing(.gallery, slug) }
            var info = PageInfo(heading: gallery.title, description: gallery.summary, image: gallery.photos.first?.src)
            info.breadcrumbs = [(strings["galleries"], "/galeri/"), (gallery.title, spec.urlPath)]
            var data = galleryCard(gallery)
            data["html"] = markdown(gallery.body)
            data["photos"] = gallery.photos.map { photo in
                [
                    "src": photo.src, "alt": photo.alt, "caption": photo.caption,
                    "picture": picture(ImageRef(src: photo.src, alt: photo.alt), layout: .card, lazy: true),
                ]
            }
            return ("pages.gallery", info, ["gallery": data])
        case .athletesList:
            var groups: [(String, [Athlete])] = []
            for athlete in athletes(.athletes) {
                if let last = groups.indices.last, groups[last].0 == athlete.sport {
                    groups[last].1.append(athlete)
                } else if let existing = groups.firstIndex(where: { $0.0 == athlete.sport }) {
                    groups[existing].1.append(athlete)
                } else {
                    groups.append((athlete.sport, [athlete]))
                }
            }
            groups.sort { $0.0.localizedLowercase < $1.0.localizedLowercase }
            var info = PageInfo(heading: strings["athletes"], description: "")
            info.breadcrumbs = [(strings["athletes"], "/atlet/")]
            return (
                "pages.athletes-list", info,
                [
                    "sports": groups.map { ["name": $0.0, "anchor": Slug.make(from: $0.0) ?? "cabor", "athletes": $0.1.map(athleteCard)] }
                ]
            )
        case .athlete(let slug):
            guard let athlete = read(.athlete, slug, from: index.athletesBySlug) else { throw missing(.athlete, slug) }
            var info = PageInfo(heading: athlete.name, description: "\(athlete.name) – \(athlete.sport)", ogType: "profile", image: athlete.photo?.src)
            info.breadcrumbs = [(strings["athletes"], "/atlet/"), (athlete.name, spec.urlPath)]
            var data = athleteCard(athlete)
            data["html"] = markdown(athlete.body)
            data["photo_picture"] = picture(athlete.photo, alt: athlete.photo?.alt ?? athlete.name, layout: .portrait, lazy: false)
            data["achievements"] = athlete.achievements
            data["has_achievements"] = !athlete.achievements.isEmpty
            data["stats"] = athlete.stats.map { ["label": statLabel($0.key), "value": $0.value.displayText] }
            data["has_stats"] = !athlete.stats.isEmpty
            data["birth_year"] = athlete.birthYear.map(String.init) ?? ""
            data["club"] = athlete.club
            let matches = athleteMatches(slug)
            data["matches"] = matches
            data["has_matches"] = !matches.isEmpty
            return ("pages.athlete", info, ["athlete": data])
        case .tournamentsList:
            return tournamentsListData()
        case .tournament(let slug):
            return try tournamentData(slug)
        case .notFound:
            var info = PageInfo(heading: strings["not_found"], description: "")
            info.noindex = true
            return ("pages.404", info, [:])
        case .feed, .sitemap, .sitemapPart, .robots, .siteCSS, .themeCSS:
            throw RenderError.missingTemplate("\(spec) is not an HTML page")
        }
    }

    private func contentPage(slug: String, template: String) throws(RenderError) -> (String, PageInfo, [String: Any]) {
        guard let page = read(.page, slug, from: index.pagesBySlug) else {
            if slug == "index" {
                // A tenant without index.md still gets a home page: the latest news and events.
                let sections: [Section] = [.latestNews(title: "", limit: 6, tag: nil), .upcomingEvents(title: "", limit: 3)]
                return (
                    template, PageInfo(heading: tenant.name, description: tenant.description),
                    ["sections": try sections.map { s throws(RenderError) in try section(s, page: nil) }]
                )
            }
            throw missing(.page, slug)
        }
        var sections = page.sections
        if !page.body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, !sections.contains(.body) {
            sections.append(.body)
        }
        var rendered: [[String: Any]] = []
        for (position, section) in sections.enumerated() {
            var entry = try self.section(section, page: page)
            entry["anchor"] = "bagian-\(position + 1)"
            rendered.append(entry)
        }
        var info = PageInfo(heading: page.isHome ? tenant.name : page.title, description: page.summary)
        if !page.isHome { info.breadcrumbs = [(page.title, spec.urlPath)] }
        if page.isHome { info.jsonLD = JSONLD.organization(builder: self) }
        let hero = page.sections.lazy.compactMap { section -> String? in
            if case .hero(_, _, let image?, _, _) = section { return image.src }
            return nil
        }.first
        info.image = hero
        return (template, info, ["sections": rendered])
    }

    private func pageSuffix(_ number: Int) -> String {
        number > 0 ? " – \(strings["archive"]) \(strings["page"].lowercased()) \(number)" : ""
    }

    func missing(_ kind: ContentKind, _ slug: String) -> RenderError {
        .content(ContentError(file: "\(tenant.slug)/content/\(kind.folder)", "no \(kind.rawValue) with slug '\(slug)'"))
    }

    /// `rating_elo` → `Rating elo`.
    private func statLabel(_ key: String) -> String {
        let words = key.replacingOccurrences(of: "_", with: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }

    /// Navigation between a list's front (page 0) and its archive pages, from the facts its
    /// query answered (so that a change to them is what re-renders it), or `false` (an empty
    /// Mustache section) when there is nowhere to go. No page shows how many pages there are:
    /// that would change every archive page whenever an item is added.
    func archiveNavigation(_ page: Int, answer: [String], url: (Int) -> String) -> Any {
        if page == 0 {
            guard let older = answer.lazy.compactMap({ $0.hasPrefix("#older=") ? Int($0.dropFirst(7)) : nil }).first, older > 0 else { return false }
            return ["newer_url": "", "older_url": url(older), "status": ""]
        }
        let hasNewer = answer.contains("#newer=true")
        return [
            "newer_url": url(hasNewer ? page + 1 : 0), "older_url": page > 1 ? url(page - 1) : "",
            "status": "\(strings["archive"]) \(strings["page"].lowercased()) \(page)",
        ]
    }
}
