import ComproModel

/// Each section type renders through its own template, `sections/<type>`.
extension PageBuilder {
    func section(_ section: Section, page: Page?) throws(RenderError) -> [String: Any] {
        let data: [String: Any]
        switch section {
        case .hero(let title, let subtitle, let image, let label, let url):
            data = [
                "title": title, "subtitle": subtitle, "image": image?.src ?? "", "image_alt": image?.alt ?? "",
                "image_picture": picture(image, layout: .lead, lazy: false),
                "cta_label": label, "cta_url": url,
            ]
        case .text(let title, let markdownText):
            data = ["title": title, "html": markdown(markdownText)]
        case .body:
            data = ["title": "", "html": markdown(page?.body ?? "")]
        case .image(let image, let caption):
            data = ["src": image.src, "alt": image.alt, "caption": caption, "picture": picture(image, layout: .lead, lazy: true)]
        case .galleryStrip(let title, let slug, let limit):
            guard let gallery = read(.gallery, slug, from: index.galleriesBySlug) else { throw missing(.gallery, slug) }
            data = [
                "title": title.isEmpty ? gallery.title : title, "gallery_title": gallery.title,
                "gallery_url": OutputSpec.gallery(slug).urlPath,
                "photos": gallery.photos.prefix(limit).map { photo in
                    [
                        "src": photo.src, "alt": photo.alt, "caption": photo.caption,
                        "picture": picture(ImageRef(src: photo.src, alt: photo.alt), layout: .card, lazy: true),
                    ]
                },
            ]
        case .stats(let title, let items):
            data = ["title": title, "items": items.map { ["value": $0.value, "label": $0.label] }]
        case .callToAction(let title, let text, let label, let url):
            data = ["title": title, "text": text, "label": label, "url": url]
        case .latestNews(let title, let limit, let tag):
            let items = news(.latestNews(limit: limit, tag: tag)).map(newsCard)
            data = [
                "title": title.isEmpty ? strings["latest_news"] : title, "items": items, "empty": items.isEmpty,
                "more_url": tag.map { OutputSpec.tag($0, page: 0).urlPath } ?? "/berita/",
            ]
        case .upcomingEvents(let title, let limit):
            let items = events(.upcomingEvents(limit: limit)).map(eventCard)
            data = ["title": title.isEmpty ? strings["upcoming_events"] : title, "items": items, "empty": items.isEmpty, "more_url": "/agenda/"]
        case .featuredAthletes(let title, let limit, let sport):
            let items = athletes(.featuredAthletes(limit: limit, sport: sport)).map(athleteCard)
            data = ["title": title.isEmpty ? strings["featured_athletes"] : title, "items": items, "empty": items.isEmpty, "more_url": "/atlet/"]
        case .latestResults(let title, let limit):
            let items = latestResults(limit: limit)
            data = ["title": title.isEmpty ? strings["latest_results"] : title, "items": items, "empty": items.isEmpty, "more_url": "/turnamen/"]
        case .contact(let title, let showMap):
            let contact = tenant.contact ?? Contact()
            data = [
                "title": title.isEmpty ? strings["contact"] : title, "address": contact.address, "phone": contact.phone,
                "email": contact.email, "hours": contact.hours, "map_url": contact.mapURL,
                "show_map": showMap && !contact.mapURL.isEmpty,
            ]
        }
        var context = rootContext()
        context["section"] = data
        let html = try renderer.templates.render("sections.\(section.typeName)", context)
        return ["type": section.typeName, "html": html]
    }
}
