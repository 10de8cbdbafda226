import ComproModel
import Foundation

/// schema.org structured data for search engines.
enum JSONLD {
    /// JSON text safe inside `<script type="application/ld+json">`: keys sorted for reproducible
    /// output, and `<`, `>`, `&` escaped so content can never close the script element.
    ///
    /// Written by hand rather than with `JSONSerialization`, which bridges every value through
    /// Foundation objects and cost about 6 % of a 10,000-news build. The text is the same as
    /// `JSONSerialization` with `.sortedKeys, .withoutEscapingSlashes` (a test compares them); a
    /// value of a type this writer does not know falls back to `JSONSerialization`.
    static func encode(_ object: [String: Any]) -> String {
        var writer = JSONLDWriter()
        guard writer.write(object) else { return serialized(object) }
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// The reference encoding (and the fallback).
    static func serialized(_ object: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return ""
        }
        return String(decoding: data, as: UTF8.self)
            .replacingOccurrences(of: "<", with: "\\u003c")
            .replacingOccurrences(of: ">", with: "\\u003e")
            .replacingOccurrences(of: "&", with: "\\u0026")
    }

    static func organization(builder: PageBuilder) -> [String: Any] {
        let tenant = builder.tenant
        var object: [String: Any] = [
            "@context": "https://schema.org", "@type": "SportsOrganization", "name": tenant.name, "url": builder.absolute("/"),
        ]
        if !tenant.logo.isEmpty { object["logo"] = builder.absolute(tenant.logo) }
        if let contact = tenant.contact {
            if !contact.email.isEmpty { object["email"] = contact.email }
            if !contact.phone.isEmpty { object["telephone"] = contact.phone }
            if !contact.address.isEmpty { object["address"] = contact.address }
        }
        if !tenant.social.isEmpty { object["sameAs"] = tenant.social.map(\.url) }
        return object
    }

    static func article(_ item: NewsItem, builder: PageBuilder) -> [String: Any] {
        var publisher: [String: Any] = ["@type": "Organization", "name": builder.tenant.name]
        if !builder.tenant.logo.isEmpty { publisher["logo"] = ["@type": "ImageObject", "url": builder.absolute(builder.tenant.logo)] }
        var object: [String: Any] = [
            "@context": "https://schema.org", "@type": "NewsArticle", "headline": item.title,
            "datePublished": item.date.rfc3339, "dateModified": item.date.rfc3339,
            "mainEntityOfPage": builder.absolute(OutputSpec.newsItem(item.meta.slug).urlPath), "publisher": publisher,
            "author": item.author.isEmpty ? publisher : ["@type": "Person", "name": item.author],
        ]
        if let cover = item.cover { object["image"] = [builder.absolute(cover.src)] }
        if !item.summary.isEmpty { object["description"] = item.summary }
        if !item.tags.isEmpty { object["keywords"] = item.tags.joined(separator: ", ") }
        return object
    }

    static func event(_ event: EventItem, builder: PageBuilder) -> [String: Any] {
        var object: [String: Any] = [
            "@context": "https://schema.org", "@type": "SportsEvent", "name": event.title,
            "startDate": event.start.htmlDateTime, "eventStatus": "https://schema.org/EventScheduled",
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
            "url": builder.absolute(OutputSpec.event(event.meta.slug).urlPath),
            "organizer": ["@type": "SportsOrganization", "name": builder.tenant.name, "url": builder.absolute("/")],
        ]
        if let end = event.end { object["endDate"] = end.htmlDateTime }
        if !event.location.isEmpty { object["location"] = ["@type": "Place", "name": event.location, "address": event.location] }
        if !event.summary.isEmpty { object["description"] = event.summary }
        if let cover = event.cover { object["image"] = [builder.absolute(cover.src)] }
        if !event.registrationURL.isEmpty {
            object["offers"] = ["@type": "Offer", "url": builder.absolute(event.registrationURL), "availability": "https://schema.org/InStock"]
        }
        return object
    }
}
