import ComproModel

/// `<picture>` data for the templates' `partials/picture`.
extension PageBuilder {
    /// How wide an image is drawn, per layout (CSS `sizes`): the browser picks the smallest
    /// variant that fills it at the screen's density.
    enum ImageLayout: String {
        /// News, event, gallery and athlete cards; gallery photos (a grid of one to four columns).
        case card = "(min-width: 64rem) 22rem, (min-width: 40rem) 45vw, 100vw"
        /// An article's or event's cover, a hero, an image section: the content column.
        case lead = "(min-width: 76rem) 72rem, 100vw"
        /// An athlete's portrait beside the profile.
        case portrait = "(min-width: 48rem) 20rem, 100vw"
    }

    /// The template data of `image` drawn as `layout`. `lazy` for images below the fold; a lead
    /// image is fetched first (`fetchpriority`). A page's lead image (not lazy) is fetched first. A source that is not one of the site's raster
    /// photos (an SVG drawing, an external address) becomes a plain `<img>`.
    func picture(_ image: ImageRef?, alt: String? = nil, layout: ImageLayout, lazy: Bool) -> [String: Any] {
        guard let image, !image.src.isEmpty else { return [:] }
        // Every key is set: a missing one would be looked up in the enclosing contexts.
        var data: [String: Any] = [
            "src": image.src, "alt": alt ?? image.alt, "lazy": lazy, "priority": !lazy,
            "width": "", "height": "", "sizes": "", "srcset": "", "sources": [[String: Any]](),
        ]
        guard let responsive = renderer.images[image.src] else { return data }
        let sizes = layout.rawValue
        func srcset(_ type: String) -> String {
            responsive.variants(type).map { "/\($0.path) \($0.width)w" }.joined(separator: ", ")
        }
        data["width"] = String(responsive.width)
        data["height"] = String(responsive.height)
        data["sizes"] = sizes
        data["sources"] = responsive.mediaTypes.filter { $0 != "image/jpeg" }.map { ["type": $0, "srcset": srcset($0), "sizes": sizes] }
        let jpegs = responsive.variants("image/jpeg")
        // The fallback `src` (browsers without srcset): the middle width, sharp enough on most screens.
        if !jpegs.isEmpty {
            data["src"] = "/" + jpegs[jpegs.count / 2].path
            data["srcset"] = srcset("image/jpeg")
        }
        return data
    }

    /// The Open Graph image of a page led by `src`: its 1200 × 630 card when the pipeline made
    /// one, else the image itself.
    func openGraphImage(_ src: String?) -> (url: String, width: Int?, height: Int?)? {
        guard let src, !src.isEmpty else { return nil }
        if let card = renderer.images[src]?.card { return (absolute("/" + card.path), card.width, card.height) }
        return (absolute(src), nil, nil)
    }
}
