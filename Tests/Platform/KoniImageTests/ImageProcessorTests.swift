import Foundation
import KoniImage
import KoniTestSupport
import Testing

/// The pipeline on real files: variants decode with the promised size and format, metadata and
/// GPS are gone, orientation is applied, and every hostile file gets its documented answer.
@Suite struct ImageProcessorTests {
    let processor: ImageProcessor

    init() throws { processor = try ImageProcessor() }

    @Test func variantsHaveThePromisedWidthFormatAndDecode() throws {
        let photo = try ImageFixtures.photo(1600, 1200)
        for format in VariantFormat.allCases where ImageProcessor.canEncode(format) {
            for width in [480, 960] {
                let variant = try processor.resize(photo, width: width, format: format)
                #expect(variant.width == width && variant.height == width * 3 / 4, "\(format) \(width)")
                let decoded = try processor.inspect(variant.bytes)
                #expect(decoded.width == width && decoded.height == width * 3 / 4)
                #expect(decoded.format == (format == .avif ? .avif : format == .webp ? .webp : .jpeg))
            }
        }
        let larger = try processor.resize(photo, width: 4000, format: .webp)
        #expect(larger.width == 1600, "never enlarged")
        #expect(ImageProcessor.canEncode(.webp) && ImageProcessor.canEncode(.jpeg))
    }

    @Test func exifGPSIsAbsentFromEveryByteAndOrientationIsApplied() throws {
        let photo = ImageFixtures.withExif(try ImageFixtures.photo(400, 300))
        let carried = photo.contains(ImageFixtures.gpsMarker) && photo.contains("Exif")
        #expect(carried, "the fixture carries it")
        for format in VariantFormat.allCases where ImageProcessor.canEncode(format) {
            let variant = try processor.resize(photo, width: 200, format: format)
            let hasMarker = variant.bytes.contains(ImageFixtures.gpsMarker)
            // No GPS IFD pointer (tag 0x8825) in either byte order, no latitude: libvips's WebP
            // writer adds a fresh EXIF block of its own (resolution only), so "no EXIF" would be
            // too strong for WebP; JPEG and AVIF carry none at all.
            let hasGPS = variant.bytes.contains([0x25, 0x88, 0x04, 0x00]) || variant.bytes.contains([0x88, 0x25, 0x00, 0x04])
            #expect(!hasMarker, "\(format)")
            #expect(!hasGPS, "\(format): no GPS IFD")
            if format != .webp {
                let hasExif = variant.bytes.contains("Exif")
                #expect(!hasExif, "\(format): no EXIF block at all")
            }
            // Orientation 6: the 400 × 300 landscape sensor image is a 300 × 400 portrait.
            #expect(variant.width == 200 && (266...267).contains(variant.height), "\(format): \(variant.width)×\(variant.height)")
        }
    }

    @Test func theOpenGraphCardIsExactly1200By630() throws {
        let card = try processor.crop(try ImageFixtures.photo(4000, 3000), width: 1200, height: 630, format: .jpeg)
        #expect(card.width == 1200 && card.height == 630)
        let small = try processor.crop(try ImageFixtures.photo(600, 600), width: 1200, height: 630, format: .jpeg)
        #expect(small.width == 600 && small.height == 315, "a small photo gives a smaller card of the same shape, never an enlarged one")
    }

    @Test func cmykAnd16BitBecomeEightBitSRGB() throws {
        let photo = try ImageFixtures.photo(320, 240, name: "base")
        let cmyk = try ImageFixtures.vips("cmyk.jpg", ["colourspace", "@base.jpg", "@cmyk.jpg", "cmyk"])
        let deep = try ImageFixtures.vips("deep.png", ["colourspace", "@base.jpg", "@deep.png", "rgb16"])
        #expect(photo.count > 0)
        for source in [cmyk, deep] {
            let variant = try processor.resize(source, width: 160, format: .jpeg)
            let inspected = try processor.inspect(variant.bytes)
            #expect(inspected.format == .jpeg && inspected.width == 160 && inspected.bands == 3)
        }
    }

    @Test func hostileFilesGetTheirDocumentedAnswer() throws {
        let photo = try ImageFixtures.photo(320, 240)
        #expect(throws: ImageError.tooManyPixels(width: 16000, height: 16000, limit: 50_000_000)) {
            try processor.inspect(ImageFixtures.pngClaiming(width: 16000, height: 16000))
        }
        #expect(throws: ImageError.badDimensions(width: 100_000, height: 100_000)) {
            try processor.inspect(ImageFixtures.pngClaiming(width: 100_000, height: 100_000))
        }
        #expect(throws: ImageError.badDimensions(width: 1, height: 100_000)) { try processor.inspect(ImageFixtures.pngClaiming(width: 1, height: 100_000)) }
        #expect(throws: ImageError.animated(pages: 2)) { try processor.inspect(ImageFixtures.animatedGIF) }
        #expect(throws: ImageError.empty) { try processor.inspect([]) }
        #expect(throws: ImageError.unsupportedFormat(sniffed: nil)) {
            try processor.inspect(Array("<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>".utf8))
        }
        #expect(throws: ImageError.unsupportedFormat(sniffed: nil)) { try processor.inspect(Array("<html>not a photo.jpg</html>".utf8)) }
        var small = ImageLimits()
        small.maximumBytes = 1000
        #expect(throws: ImageError.tooLarge(bytes: photo.count, limit: 1000)) { try ImageProcessor(limits: small).inspect(photo) }
        // Truncated: the header reads, the pixels do not; refused, not half-grey.
        let truncated = Array(photo.prefix(photo.count / 2))
        var refused = false
        do { _ = try processor.resize(truncated, width: 160, format: .jpeg) } catch { if case .unreadable = error { refused = true } }
        #expect(refused, "a truncated JPEG is refused")
    }

    @Test func aPolyglotLeavesNothingOfItsSecondSelf() throws {
        let polyglot = try ImageFixtures.photo(320, 240) + Array("<script>alert(document.cookie)</script>PK\u{3}\u{4}".utf8)
        let variant = try processor.resize(polyglot, width: 160, format: .webp)
        let leftovers = variant.bytes.contains("<script>") || variant.bytes.contains("PK\u{3}\u{4}")
        #expect(!leftovers)
        #expect(try processor.inspect(variant.bytes).format == .webp)
    }

    @Test func formatsAreJudgedByTheirFirstBytes() throws {
        _ = try ImageFixtures.photo(64, 48, name: "named")
        // A PNG saved under a .jpg name is a PNG: the name is never consulted.
        let png = try ImageFixtures.vips("png-named.jpg", ["pngsave", "@named.jpg", "@png-named.jpg"])
        #expect(try processor.inspect(png).format == .png)
        #expect(ImageFormat.sniff([0xFF, 0xD8, 0xFF, 0xE0]) == .jpeg)
        #expect(ImageFormat.sniff(Array("RIFF\0\0\0\0WEBPVP8 ".utf8)) == .webp)
        #expect(ImageFormat.sniff([0, 0, 0, 0x1C] + Array("ftypavif".utf8)) == .avif)
        #expect(ImageFormat.sniff([0, 0, 0, 0x18] + Array("ftypheic".utf8)) == .heic)
        #expect(ImageFormat.sniff(Array("GIF89a".utf8)) == .gif)
        #expect(ImageFormat.sniff(Array("RIFF\0\0\0\0WAVE".utf8)) == nil)
        #expect(ImageFormat.sniff([0xFF, 0xD8]) == nil, "too short to say")
    }
}
