/// A raster image of a site in the widths and formats the image pipeline made of it, so that a
/// template can offer the browser the smallest file that fills the space (`srcset`, `<picture>`).
///
/// Paths are site paths without the leading slash (`_img/3f/3f0c…-960.webp`).
public struct ResponsiveImage: Sendable, Hashable {
    /// One encoded file.
    public struct Variant: Sendable, Hashable {
        public var path: String
        public var width: Int
        public var height: Int
        /// `image/avif`, `image/webp` or `image/jpeg`.
        public var mediaType: String

        public init(path: String, width: Int, height: Int, mediaType: String) {
            self.path = path
            self.width = width
            self.height = height
            self.mediaType = mediaType
        }
    }

    /// The widest variant's size: what `width` and `height` attributes promise, so the page does
    /// not shift when the image arrives.
    public var width: Int
    public var height: Int
    /// Every variant, narrowest first.
    public var variants: [Variant]
    /// The Open Graph card (1200 × 630, or smaller of that shape for a small photo), made only
    /// for images that lead a page.
    public var card: Variant?

    public init(width: Int, height: Int, variants: [Variant], card: Variant? = nil) {
        self.width = width
        self.height = height
        self.variants = variants
        self.card = card
    }

    /// The variants of one media type, narrowest first.
    public func variants(_ mediaType: String) -> [Variant] { variants.filter { $0.mediaType == mediaType } }

    /// The media types present, best first (AVIF, WebP, then JPEG: a browser takes the first it knows).
    public var mediaTypes: [String] {
        let order = ["image/avif", "image/webp", "image/jpeg"]
        let present = Set(variants.map(\.mediaType))
        return order.filter(present.contains)
    }
}

/// The responsive images of one site, by the site path a content file names them with.
public struct ImageCatalog: Sendable {
    public var images: [String: ResponsiveImage]

    public init(images: [String: ResponsiveImage] = [:]) {
        self.images = images
    }

    /// The image `src` (as written in content: `/images/a.jpg` or `images/a.jpg`) names, when it is
    /// one of the site's raster files.
    public subscript(src: String) -> ResponsiveImage? {
        images[src.hasPrefix("/") ? String(src.dropFirst()) : src]
    }
}
