import CVips
import Foundation
import Synchronization

/// Photographs in, web images out, through libvips: the header checked against ``ImageLimits``
/// before anything is decoded, then shrink-on-load to the width asked for, EXIF orientation
/// applied, colour converted to sRGB, every metadata block stripped (GPS never leaves), encoded
/// as AVIF, WebP or JPEG. The original bytes are never published, so a polyglot file (an image
/// that is also HTML or a ZIP) leaves nothing of its second self behind.
package struct ImageProcessor: Sendable {
    package let limits: ImageLimits

    package init(limits: ImageLimits = ImageLimits()) throws(ImageError) {
        try Self.start()
        self.limits = limits
    }

    /// What a header says, once it passed the limits.
    package struct Inspection: Sendable, Equatable {
        package var format: ImageFormat
        package var width: Int
        package var height: Int
        /// Colour bands: 3 for RGB, 4 with alpha (or CMYK), 1 for grey.
        package var bands: Int
    }

    /// One encoded image.
    package struct Encoded: Sendable, Equatable {
        package var bytes: [UInt8]
        package var format: VariantFormat
        package var width: Int
        package var height: Int
    }

    /// Checks `bytes` against the limits by their magic bytes and header; nothing is decoded.
    package func inspect(_ bytes: [UInt8]) throws(ImageError) -> Inspection {
        guard !bytes.isEmpty else { throw .empty }
        guard bytes.count <= limits.maximumBytes else { throw .tooLarge(bytes: bytes.count, limit: limits.maximumBytes) }
        guard let format = ImageFormat.sniff(bytes), limits.allowedFormats.contains(format) else {
            throw .unsupportedFormat(sniffed: ImageFormat.sniff(bytes))
        }
        let header: Result<(Int, Int, Int, Int), ImageError> = bytes.withUnsafeBytes { buffer in
            guard let image = koni_vips_header(buffer.baseAddress, buffer.count) else { return .failure(.unreadable(Self.lastError())) }
            defer { koni_vips_release(image) }
            return .success(
                (
                    Int(vips_image_get_width(image)), Int(vips_image_get_height(image)), Int(vips_image_get_n_pages(image)), Int(vips_image_get_bands(image))
                ))
        }
        let (width, height, pages, bands) = try header.get()
        guard width > 0, height > 0 else { throw .badDimensions(width: width, height: height) }
        guard pages <= 1 else { throw .animated(pages: pages) }
        guard width <= limits.maximumSide, height <= limits.maximumSide,
            max(width, height) / min(width, height) <= limits.maximumAspectRatio
        else { throw .badDimensions(width: width, height: height) }
        // Both sides are at most 16,384 here: the product cannot overflow.
        guard width * height <= limits.maximumPixels else { throw .tooManyPixels(width: width, height: height, limit: limits.maximumPixels) }
        return Inspection(format: format, width: width, height: height, bands: bands)
    }

    /// `bytes` at most `width` pixels wide (never enlarged), as `format`.
    package func resize(_ bytes: [UInt8], width: Int, format: VariantFormat) throws(ImageError) -> Encoded {
        _ = try inspect(bytes)
        return try thumbnail(bytes, width: width, height: Self.unbounded, crop: false, format: format)
    }

    /// `bytes` at each of `widths` (never enlarged; equal results once) in each of `formats`,
    /// widest first. The source is decoded once, at the widest size; narrower variants are made
    /// from that, so a 12 MP photo costs one decode however many variants it has.
    package func variants(_ bytes: [UInt8], widths: [Int], formats: [VariantFormat]) throws(ImageError) -> [Encoded] {
        try variants(bytes, inspected: inspect(bytes), widths: widths, formats: formats)
    }

    /// As ``variants(_:widths:formats:)`` for a source already inspected (its header is not read again).
    package func variants(_ bytes: [UInt8], inspected inspection: Inspection, widths: [Int], formats: [VariantFormat]) throws(ImageError) -> [Encoded] {
        let sizes = Array(Set(widths.map { max(1, min($0, inspection.width, limits.maximumSide)) })).sorted(by: >)
        guard let widest = sizes.first else { return [] }
        let result: Result<[Encoded], ImageError> = bytes.withUnsafeBytes { buffer in
            var decoded: UnsafeMutablePointer<VipsImage>?
            guard koni_vips_thumbnail(buffer.baseAddress, buffer.count, &decoded, Int32(widest), Self.unbounded, 0) == 0, let decoded else {
                return .failure(.unreadable(Self.lastError()))
            }
            defer { koni_vips_release(decoded) }
            var encoded: [Encoded] = []
            for width in sizes {
                var image = decoded
                if width != Int(vips_image_get_width(decoded)) {
                    var smaller: UnsafeMutablePointer<VipsImage>?
                    guard koni_vips_shrink(decoded, &smaller, Int32(width)) == 0, let smaller else { return .failure(.unreadable(Self.lastError())) }
                    image = smaller
                }
                defer { if image != decoded { koni_vips_release(image) } }
                for format in formats.sorted() {
                    switch Self.encode(image, format) {
                    case .success(let variant): encoded.append(variant)
                    case .failure(let error): return .failure(error)
                    }
                }
            }
            return .success(encoded)
        }
        return try result.get()
    }

    /// `bytes` cropped to exactly `width` × `height` around the most interesting part (the Open
    /// Graph card is 1200 × 630); a smaller photo gives a smaller card of the same shape.
    package func crop(_ bytes: [UInt8], width: Int, height: Int, format: VariantFormat) throws(ImageError) -> Encoded {
        let inspection = try inspect(bytes)
        // Never enlarge: scale the box down until it fits in the photo, keeping its shape.
        let scale = min(1, Double(inspection.width) / Double(width), Double(inspection.height) / Double(height))
        let boxWidth = max(1, Int((Double(width) * scale).rounded(.down)))
        let boxHeight = max(1, Int((Double(height) * scale).rounded(.down)))
        return try thumbnail(bytes, width: boxWidth, height: Int32(clamping: boxHeight), crop: true, format: format)
    }

    /// Gives the heap memory freed since the last call back to the system (glibc's `malloc_trim`).
    /// Call it after a photo: glibc otherwise keeps a photo's buffers (tens of MB) in the arena of
    /// the thread that used them, and a build's peak memory grows with its threads.
    package static func releaseMemory() {
        koni_release_memory()
    }

    /// Limits the process to two malloc arenas (glibc), as libvips recommends for servers; call it
    /// once at start, before threads allocate. It lowered the peak memory of a photo build by a
    /// tenth (BENCHMARKS.md, images in a site build).
    package static func limitMallocArenas() {
        koni_limit_malloc_arenas()
    }

    /// Whether this libvips can write `format` (AVIF depends on the libheif it was built with).
    package static func canEncode(_ format: VariantFormat) -> Bool {
        (try? start()) != nil && koni_vips_can_save(format == .jpeg ? ".jpg" : ".\(format.rawValue)") != 0
    }

    // MARK: libvips

    private static let unbounded: Int32 = 10_000_000

    private func thumbnail(_ bytes: [UInt8], width: Int, height: Int32, crop: Bool, format: VariantFormat) throws(ImageError) -> Encoded {
        let requested = Int32(clamping: max(1, min(width, limits.maximumSide)))
        let result: Result<Encoded, ImageError> = bytes.withUnsafeBytes { buffer in
            var image: UnsafeMutablePointer<VipsImage>?
            guard koni_vips_thumbnail(buffer.baseAddress, buffer.count, &image, requested, height, crop ? 1 : 0) == 0, let image else {
                return .failure(.unreadable(Self.lastError()))
            }
            defer { koni_vips_release(image) }
            return Self.encode(image, format)
        }
        return try result.get()
    }

    private static func encode(_ image: UnsafeMutablePointer<VipsImage>, _ format: VariantFormat) -> Result<Encoded, ImageError> {
        var output: UnsafeMutableRawPointer?
        var length = 0
        guard koni_vips_encode(image, format.encoder, &output, &length) == 0, let output else { return .failure(.encodingFailed(lastError())) }
        defer { koni_vips_free(output) }
        return .success(
            Encoded(
                bytes: Array(UnsafeRawBufferPointer(start: output, count: length)), format: format,
                width: Int(vips_image_get_width(image)), height: Int(vips_image_get_height(image))
            ))
    }

    private static let started = Mutex<Result<Void, ImageError>?>(nil)

    private static func start() throws(ImageError) {
        let result = started.withLock { state -> Result<Void, ImageError> in
            if let state { return state }
            let outcome: Result<Void, ImageError> = koni_vips_start() == 0 ? .success(()) : .failure(.libraryUnavailable(lastError()))
            state = outcome
            return outcome
        }
        try result.get()
    }

    /// libvips's last error message (per thread), cleared, shortened to one line of 300 characters.
    private static func lastError() -> String {
        let text = vips_error_buffer().map { String(cString: $0) } ?? ""
        vips_error_clear()
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? "unknown libvips error"
        return String(line.prefix(300))
    }
}
