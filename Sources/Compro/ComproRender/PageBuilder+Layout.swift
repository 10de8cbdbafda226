import ComproModel

/// The data every HTML page shares: site, assets, strings, page metadata.
extension PageBuilder {
    /// What a page says about itself in `<head>` and its heading.
    struct PageInfo {
        var heading: String
        var description: String
        var ogType = "website"
        var image: String?
        var jsonLD: [String: Any]?
        var breadcrumbs: [(String, String)] = []
        var noindex = false
    }

    func html() throws(RenderError) -> String {
        for id in [ItemID.siteConfig, .templates, .strings, .theme] { deps.read(id) }
        let (template, info, data) = try pageData()
        let links = navigationLinks()
        var context = rootContext(navigation: links)
        context["chrome"] = try chrome(root: context, state: currentNavigationURL(in: links) ?? "")
        for (key, value) in data { context[key] = value }
        context["page"] = pageContext(info)
        return try renderer.templates.render(template, context)
    }

    /// The rendered header and footer. They show only site-wide values and the navigation, so
    /// each is rendered once per build for each navigation state (which link is current) and
    /// shared by every page in that state; on a 10,000-page site that removes about a third of
    /// all template lookups.
    private func chrome(root: [String: Any], state: String) throws(RenderError) -> [String: String] {
        try renderer.chrome.fragments(forNavigationState: state) { () throws(RenderError) in
            [
                "header": try renderer.templates.render("partials.header", root),
                "footer": try renderer.templates.render("partials.footer", root),
            ]
        }
    }

    func rootContext() -> [String: Any] { rootContext(navigation: navigationLinks()) }

    private func rootContext(navigation links: [NavigationLink]) -> [String: Any] {
        var context: [String: Any] = [
            "site": siteContext(navigation: links),
            "assets": ["site_css": "/" + renderer.siteCSSPath, "theme_css": "/" + renderer.themeCSSPath],
            "strings": strings.strings,
        ]
        if let banner = renderer.previewBanner { context["preview"] = ["text": banner] }
        return context
    }

    private func siteContext(navigation links: [NavigationLink]) -> [String: Any] {
        var site: [String: Any] = [
            "name": tenant.name, "short_name": tenant.shortName, "tagline": tenant.tagline, "base_url": tenant.baseURL,
            "lang": String(tenant.locale.prefix { $0 != "-" }), "logo": tenant.logo,
            "navigation": navigation(links), "year": run(.year).first.map { String($0.dropFirst(6)) } ?? "",
            "social": tenant.social.map { ["platform": $0.platform, "label": $0.label, "url": $0.url] },
        ]
        if let contact = tenant.contact {
            site["contact"] = [
                "address": contact.address, "phone": contact.phone, "email": contact.email, "hours": contact.hours,
                "map_url": contact.mapURL,
            ]
        }
        return site
    }

    /// The tenant's menu, or one made of the home page, the menu pages and the site's sections.
    private func navigationLinks() -> [NavigationLink] {
        if let explicit = tenant.navigation { return explicit }
        return [NavigationLink(title: strings["home"], url: "/")]
            + pages(.menuPages).map { NavigationLink(title: $0.title, url: "/\($0.meta.slug)/") }
            + [
                NavigationLink(title: strings["news"], url: "/berita/"), NavigationLink(title: strings["events"], url: "/agenda/"),
                NavigationLink(title: strings["galleries"], url: "/galeri/"), NavigationLink(title: strings["athletes"], url: "/atlet/"),
            ]
            + (run(.hasTournaments).isEmpty ? [] : [NavigationLink(title: strings["tournaments"], url: "/turnamen/")])
    }

    /// The link this page sits under: the longest folder URL that is a prefix of its path.
    private func currentNavigationURL(in links: [NavigationLink]) -> String? {
        let path = spec.urlPath
        return links.filter { $0.url == path || ($0.url != "/" && $0.url.hasSuffix("/") && path.hasPrefix($0.url)) }
            .max { $0.url.count < $1.url.count }?.url
    }

    private func navigation(_ links: [NavigationLink]) -> [[String: Any]] {
        let current = currentNavigationURL(in: links)
        return links.map { link in
            ["title": link.title, "url": link.url, "current": link.url == current, "external": link.url.hasPrefix("http")]
        }
    }

    private func pageContext(_ info: PageInfo) -> [String: Any] {
        let isHome = spec == .home
        let title = isHome ? tenant.name + (tenant.tagline.isEmpty ? "" : " · \(tenant.tagline)") : "\(info.heading) · \(tenant.shortName)"
        var crumbs: [[String: Any]] = []
        if !info.breadcrumbs.isEmpty {
            crumbs.append(["title": strings["home"], "url": "/", "current": false])
            for (index, crumb) in info.breadcrumbs.enumerated() {
                crumbs.append(["title": crumb.0, "url": crumb.1, "current": index == info.breadcrumbs.count - 1])
            }
        }
        let canonical = spec == .notFound ? absolute("/") : absolute(spec.urlPath)
        let description = info.description.isEmpty ? tenant.description : info.description
        let openGraph = openGraphImage(info.image)
        return [
            "title": title, "heading": info.heading, "description": description, "canonical": canonical, "path": spec.urlPath,
            "og_type": info.ogType, "og_image": openGraph?.url ?? "", "og_image_width": openGraph?.width.map(String.init) ?? "",
            "og_image_height": openGraph?.height.map(String.init) ?? "", "json_ld": info.jsonLD.map(JSONLD.encode) ?? "",
            "breadcrumbs": crumbs, "noindex": info.noindex,
        ]
    }
}
