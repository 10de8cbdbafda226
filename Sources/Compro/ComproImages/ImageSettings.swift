import KoniImage

/// What the image step makes of every photo.
package struct ImageSettings: Sendable {
    /// Widths in pixels. 480 fills a phone's card at 1× and a small card at 2×; 960 a phone at
    /// 2–3× or a wide card; 1600 an article's lead image on a wide screen at 2×.
    package var widths: [Int] = [480, 960, 1600]
    /// Formats, best first; AVIF only where this libvips can write it (it depends on the libheif
    /// the system's libvips was built with).
    package var formats: [VariantFormat]
    package var limits = ImageLimits()

    package init(formats: [VariantFormat]? = nil) {
        self.formats = formats ?? VariantFormat.allCases.filter { $0 != .avif || ImageProcessor.canEncode(.avif) }
    }
}
