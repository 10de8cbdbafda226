/// The raster formats a KONI site takes in, recognised by their first bytes, never by a file's
/// extension or a declared content type.
package enum ImageFormat: String, Sendable, CaseIterable {
    case jpeg, png, webp, gif, avif, heic

    /// The media type a file of this format is stored and served as.
    package var mediaType: String { "image/\(rawValue)" }

    /// The format `bytes` start with, or nil for anything else (SVG, HTML, ZIP, text, …).
    package static func sniff(_ bytes: some Collection<UInt8>) -> ImageFormat? {
        let head = Array(bytes.prefix(32))
        func starts(_ signature: [UInt8], at offset: Int = 0) -> Bool {
            head.count >= offset + signature.count && Array(head[offset..<offset + signature.count]) == signature
        }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return .webp }
        if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return .gif }
        // ISO base media: a `ftyp` box first, its major brand says which.
        if starts(Array("ftyp".utf8), at: 4), head.count >= 12 {
            let brand = String(decoding: head[8..<12], as: UTF8.self)
            if brand == "avif" || brand == "avis" { return .avif }
            if ["heic", "heix", "mif1", "msf1", "heim", "heis"].contains(brand) { return .heic }
        }
        return nil
    }
}

/// What a variant is written as.
package enum VariantFormat: String, Sendable, CaseIterable, Comparable {
    case avif, webp, jpeg

    package var fileExtension: String { self == .jpeg ? "jpg" : rawValue }
    package var mediaType: String { "image/\(rawValue)" }

    /// libvips's writer with KONI's settings: metadata stripped (no EXIF, no GPS, no camera
    /// serials), qualities chosen for photographs on phones.
    var encoder: String {
        switch self {
        case .avif: ".avif[Q=55,effort=4,strip]"
        case .webp: ".webp[Q=78,effort=4,strip]"
        case .jpeg: ".jpg[Q=80,optimize_coding,interlace,strip]"
        }
    }

    /// Smallest first: the order of `<source>` elements in a `<picture>`.
    package static func < (lhs: VariantFormat, rhs: VariantFormat) -> Bool { lhs.rank < rhs.rank }

    private var rank: Int {
        switch self {
        case .avif: 0
        case .webp: 1
        case .jpeg: 2
        }
    }
}
