import ComproModel

/// The short forms of items used in lists and sections.
extension PageBuilder {
    func tagLinks(_ item: NewsItem) -> [[String: Any]] {
        var seen = Set<String>()
        return zip(item.tags, item.tagSlugs).compactMap { tag, slug in
            guard !slug.isEmpty, seen.insert(slug).inserted else { return nil }
            return ["name": tag, "url": OutputSpec.tag(slug, page: 0).urlPath]
        }
    }

    func newsCard(_ item: NewsItem) -> [String: Any] {
        [
            "title": item.title, "url": OutputSpec.newsItem(item.meta.slug).urlPath, "date_iso": item.date.htmlDateTime,
            "date_text": strings.date(item.date), "summary": item.summary, "cover": item.cover?.src ?? "",
            "cover_alt": item.cover?.alt ?? "", "cover_picture": picture(item.cover, layout: .card, lazy: true), "author": item.author,
            "tags": tagLinks(item),
        ]
    }

    func eventCard(_ event: EventItem) -> [String: Any] {
        [
            "title": event.title, "url": OutputSpec.event(event.meta.slug).urlPath, "start_iso": event.start.htmlDateTime,
            "end_iso": event.end?.htmlDateTime ?? "", "date_text": strings.dateRange(event.start, event.end),
            "time_text": strings.timeRange(event.start, event.end, zone: tenant.timeZone), "location": event.location,
            "summary": event.summary, "cover": event.cover?.src ?? "", "cover_alt": event.cover?.alt ?? "",
            "cover_picture": picture(event.cover, layout: .card, lazy: true),
            "upcoming": event.lastDay >= index.today, "registration_url": event.registrationURL,
        ]
    }

    func galleryCard(_ gallery: Gallery) -> [String: Any] {
        [
            "title": gallery.title, "url": OutputSpec.gallery(gallery.meta.slug).urlPath, "date_iso": gallery.date.htmlDateTime,
            "date_text": strings.date(gallery.date), "summary": gallery.summary, "cover": gallery.photos.first?.src ?? "",
            "cover_alt": gallery.photos.first?.alt ?? "", "count": gallery.photos.count,
            "cover_picture": picture(gallery.photos.first.map { ImageRef(src: $0.src, alt: $0.alt) }, layout: .card, lazy: true),
        ]
    }

    func athleteCard(_ athlete: Athlete) -> [String: Any] {
        [
            "name": athlete.name, "url": OutputSpec.athlete(athlete.meta.slug).urlPath, "sport": athlete.sport,
            "photo": athlete.photo?.src ?? "", "photo_alt": athlete.photo?.alt ?? athlete.name, "region": athlete.region,
            "photo_picture": picture(athlete.photo, alt: athlete.photo?.alt ?? athlete.name, layout: .card, lazy: true),
        ]
    }
}
