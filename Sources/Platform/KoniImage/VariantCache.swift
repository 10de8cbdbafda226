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
public struct VariantCache: Sendable {
    public let directory: String
    public let processor: ImageProcessor
    /// Changes when encoder settings change, so that old variants are not reused.
    public static let settingsVersion = "koni-image-1"

    public init(directory: String, processor: ImageProcessor) {
        self.directory = directory
        self.processor = processor
    }

    /// One variant as stored.
    public struct Variant: Sendable, Equatable, Codable {
        public var path: String
        public var width: Int
        public var height: Int
        public var format: String
    }

    /// What a source gave: its own size and its variants.
    public struct Entry: Sendable, Equatable, Codable {
        public var hash: String
        public var width: Int
        public var height: Int
        public var variants: [Variant]
    }

    /// The variants of `bytes` at each of `widths`, a width wider than the photo becoming the
    /// photo's own, in each of `formats`; from the cache when present.
    public func variants(of bytes: [UInt8], widths: [Int], formats: [VariantFormat]) throws(ImageCacheError) -> Entry {
        let hash = Self.key(bytes)
        let folder = "\(directory)/\(hash.prefix(2))"
        let manifest = "\(folder)/\(hash).json"
        let wanted = Set(formats.map(\.rawValue))
        if let data = FileManager.default.contents(atPath: manifest), let entry = try? JSONDecoder().decode(Entry.self, from: data),
            Set(entry.variants.map(\.format)).isSuperset(of: wanted),
            entry.variants.allSatisfy({ FileManager.default.fileExists(atPath: "\(directory)/\($0.path)") })
        {
            return entry
        }
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
        let entry = Entry(hash: hash, width: inspection.width, height: inspection.height, variants: variants)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let json = try? encoder.encode(entry) else { throw .storage(manifest, "cannot encode the manifest") }
        try Self.write(Array(json), to: manifest)
        return entry
    }

    /// 32 hex digits of SHA-256 over the settings version and the bytes.
    public static func key(_ bytes: [UInt8]) -> String {
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
public enum ImageCacheError: Error, Sendable, Equatable, CustomStringConvertible {
    case image(ImageError)
    case storage(String, String)

    public var description: String {
        switch self {
        case .image(let error): error.description
        case .storage(let path, let reason): "\(path): \(reason)"
        }
    }
}
