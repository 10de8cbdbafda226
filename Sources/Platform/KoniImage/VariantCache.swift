import Crypto
import Foundation

/// Variants on disk, addressed by their source's content: the same photo in two articles, two
/// releases or two branches is encoded once, and an unchanged photo is never encoded again.
///
/// Layout: `<directory>/<aa>/<hash>-<width>.<ext>` for each variant and `<hash>.json` with the
/// source's size and the variants made, where `<hash>` is the SHA-256 of the source bytes and of
/// ``settingsVersion`` (32 hex digits). Every file is written to a temporary name and renamed, so
/// a reader (or a crash) never sees half a file; two processes making the same variant write the
/// same bytes.
package struct VariantCache: Sendable {
    package let directory: String
    package let processor: ImageProcessor
    /// Changes when encoder settings change, so that old variants are not reused.
    package static let settingsVersion = "koni-image-1"

    package init(directory: String, processor: ImageProcessor) {
        self.directory = directory
        self.processor = processor
    }

    /// One variant as stored.
    package struct Variant: Sendable, Equatable, Codable {
        package var path: String
        package var width: Int
        package var height: Int
        package var format: String
    }

    /// What a source gave: its own size, its variants and (when asked for) its card.
    package struct Entry: Sendable, Equatable, Codable {
        package var hash: String
        package var width: Int
        package var height: Int
        package var variants: [Variant]
        /// The Open Graph card (``ImageProcessor/crop(_:width:height:format:)``), JPEG.
        package var card: Variant?
    }

    /// The size of the Open Graph card: 1200 × 630 is what Facebook, LinkedIn and WhatsApp show
    /// without cropping.
    package static let cardSize = (width: 1200, height: 630)

    /// The variants of `bytes` at each of `widths`, a width wider than the photo becoming the
    /// photo's own, in each of `formats`, and with `card` its Open Graph card; from the cache when
    /// present (only what is missing is made).
    package func variants(of bytes: [UInt8], widths: [Int], formats: [VariantFormat], card: Bool = false) throws(ImageCacheError) -> Entry {
        let hash = Self.key(bytes)
        let folder = "\(directory)/\(hash.prefix(2))"
        let manifest = "\(folder)/\(hash).json"
        let wanted = Set(formats.map(\.rawValue))
        var cached: Entry?
        if let data = FileManager.default.contents(atPath: manifest), let entry = try? JSONDecoder().decode(Entry.self, from: data),
            Set(entry.variants.map(\.format)).isSuperset(of: wanted),
            entry.variants.allSatisfy({ FileManager.default.fileExists(atPath: "\(directory)/\($0.path)") })
        {
            let hasCard = entry.card.map { FileManager.default.fileExists(atPath: "\(directory)/\($0.path)") } ?? false
            if !card || hasCard { return entry }
            cached = entry
        }
        var entry: Entry
        if let cached {
            entry = cached
        } else {
            entry = try encode(bytes, hash: hash, folder: folder, widths: widths, formats: formats)
        }
        if card {
            let made: ImageProcessor.Encoded
            do { made = try processor.crop(bytes, width: Self.cardSize.width, height: Self.cardSize.height, format: .jpeg) } catch {
                throw .image(error)
            }
            let name = "\(hash.prefix(2))/\(hash)-card.jpg"
            try Self.write(made.bytes, to: "\(directory)/\(name)")
            entry.card = Variant(path: name, width: made.width, height: made.height, format: VariantFormat.jpeg.rawValue)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let json = try? encoder.encode(entry) else { throw .storage(manifest, "cannot encode the manifest") }
        try Self.write(Array(json), to: manifest)
        return entry
    }

    private func encode(_ bytes: [UInt8], hash: String, folder: String, widths: [Int], formats: [VariantFormat]) throws(ImageCacheError) -> Entry {
        let inspection: ImageProcessor.Inspection
        let encoded: [ImageProcessor.Encoded]
        do {
            inspection = try processor.inspect(bytes)
            encoded = try processor.variants(bytes, inspected: inspection, widths: widths, formats: formats)
        } catch {
            throw .image(error)
        }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw .storage(folder, "\(error)")
        }
        var variants: [Variant] = []
        for variant in encoded.sorted(by: { ($0.width, $0.format) < ($1.width, $1.format) }) {
            let name = "\(hash.prefix(2))/\(hash)-\(variant.width).\(variant.format.fileExtension)"
            try Self.write(variant.bytes, to: "\(directory)/\(name)")
            variants.append(Variant(path: name, width: variant.width, height: variant.height, format: variant.format.rawValue))
        }
        return Entry(hash: hash, width: inspection.width, height: inspection.height, variants: variants)
    }

    /// 32 hex digits of SHA-256 over the settings version and the bytes.
    package static func key(_ bytes: [UInt8]) -> String {
        var hasher = SHA256()
        hasher.update(data: Array(settingsVersion.utf8))
        hasher.update(data: bytes)
        return hasher.finalize().prefix(16).map { String(format: "%02x", $0) }.joined()
    }

    private static func write(_ bytes: [UInt8], to path: String) throws(ImageCacheError) {
        let temporary = "\(path).\(UUID().uuidString).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes)) else { throw .storage(temporary, "cannot write") }
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw .storage(path, "rename failed: errno \(errno)")
        }
    }
}

/// Why a variant could not be made: the image (``ImageError``) or the cache folder.
package enum ImageCacheError: Error, Sendable, Equatable, CustomStringConvertible {
    case image(ImageError)
    case storage(String, String)

    package var description: String {
        switch self {
        case .image(let error): error.description
        case .storage(let path, let reason): "\(path): \(reason)"
        }
    }
}
