/// What an image from outside may be before libvips decodes it: checked on the header, so a
/// decompression bomb (a small file that decodes to gigapixels) is refused before any memory is
/// spent on its pixels.
package struct ImageLimits: Sendable, Equatable {
    /// Bytes of the file (a 12 MP phone JPEG is 3–8 MB).
    package var maximumBytes = 40 << 20
    /// Pixels (width × height); 50 MP covers every phone and most cameras.
    package var maximumPixels = 50_000_000
    /// Either side, in pixels: a 1 × 100,000 strip is refused though its pixel count is small.
    package var maximumSide = 16_384
    /// Longest side over shortest side.
    package var maximumAspectRatio = 20
    package var allowedFormats: Set<ImageFormat> = [.jpeg, .png, .webp, .gif, .avif, .heic]

    package init() {}
}
