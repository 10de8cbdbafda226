import Foundation

/// Test images made on the spot: photographs by the `vips` command (libvips-tools), hostile
/// files byte by byte (a bomb needs only a header that lies).
package enum ImageFixtures {
    package struct Failure: Error, CustomStringConvertible { package var description: String }

    package static let folder = TemporaryFolders.make("images")

    /// Runs `vips <arguments>` and returns the bytes of the file it wrote (`output`, in `folder`).
    package static func vips(_ output: String, _ arguments: [String]) throws -> [UInt8] {
        let run = try ProcessRunner.run("/usr/bin/vips", arguments.map { $0.replacingOccurrences(of: "@", with: folder + "/") })
        guard run.status == 0 else { throw Failure(description: "vips \(arguments.joined(separator: " ")): \(run.errors)") }
        return Array(try Data(contentsOf: URL(fileURLWithPath: "\(folder)/\(output)")))
    }

    /// A noisy colour photograph-like JPEG of `width` × `height` (noise compresses like a photo).
    package static func photo(_ width: Int, _ height: Int, name: String = UUID().uuidString) throws -> [UInt8] {
        _ = try vips("\(name).v", ["gaussnoise", "@\(name).v", "\(width)", "\(height)", "--mean", "128", "--sigma", "40"])
        _ = try vips("\(name)-3.v", ["bandjoin", "@\(name).v @\(name).v @\(name).v", "@\(name)-3.v"])
        _ = try vips("\(name)-c.v", ["cast", "@\(name)-3.v", "@\(name)-c.v", "uchar"])
        _ = try vips("\(name)-s.v", ["copy", "@\(name)-c.v", "@\(name)-s.v", "--interpretation", "srgb"])
        return try vips("\(name).jpg", ["copy", "@\(name)-s.v", "@\(name).jpg[Q=85]"])
    }

    /// One header field of an image (`width`, `height`, `format`…), as `vipsheader -f` prints it.
    package static func vipsHeader(_ bytes: [UInt8], field: String) throws -> String {
        let path = "\(folder)/\(UUID().uuidString)"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = try ProcessRunner.run("/usr/bin/vipsheader", ["-f", field, path])
        guard run.status == 0 else { throw Failure(description: "vipsheader \(field): \(run.errors)") }
        return run.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    package static let gpsMarker = "LOKASI-RAHASIA-7.2575S-112.7521E"

    /// `jpeg` with an EXIF block spliced in after SOI: Orientation 6 (the camera was turned: the
    /// picture must be rotated 90°), an ImageDescription with ``gpsMarker`` and a GPS IFD with a latitude.
    package static func withExif(_ jpeg: [UInt8]) -> [UInt8] {
        var tiff: [UInt8] = Array("MM".utf8) + [0x00, 0x2A] + be32(8)
        let description = Array(gpsMarker.utf8) + [0]
        // IFD0 at 8: 3 entries (12 bytes each) + next-IFD offset.
        let ifd0Size = 2 + 3 * 12 + 4
        let descriptionOffset = 8 + ifd0Size
        let gpsOffset = descriptionOffset + description.count
        tiff += be16(3)
        tiff += be16(0x010E) + be16(2) + be32(UInt32(description.count)) + be32(UInt32(descriptionOffset))  // ImageDescription
        tiff += be16(0x0112) + be16(3) + be32(1) + be16(6) + be16(0)  // Orientation = 6
        tiff += be16(0x8825) + be16(4) + be32(1) + be32(UInt32(gpsOffset))  // GPS IFD
        tiff += be32(0)
        tiff += description
        // GPS IFD: LatitudeRef "S", Latitude 7/1 15/1 27/1.
        let rationalsOffset = gpsOffset + 2 + 2 * 12 + 4
        tiff += be16(2)
        tiff += be16(0x0001) + be16(2) + be32(2) + Array("S".utf8) + [0, 0, 0]
        tiff += be16(0x0002) + be16(5) + be32(3) + be32(UInt32(rationalsOffset))
        tiff += be32(0)
        for value: UInt32 in [7, 1, 15, 1, 27, 1] { tiff += be32(value) }
        let payload = Array("Exif".utf8) + [0, 0] + tiff
        let segment: [UInt8] = [0xFF, 0xE1] + be16(UInt16(payload.count + 2)) + payload
        return Array(jpeg[0..<2]) + segment + Array(jpeg[2...])
    }

    /// A PNG whose header says `width` × `height` and whose pixels are a few zero bytes: what a
    /// decompression bomb looks like to a loader that believes the header.
    package static func pngClaiming(width: UInt32, height: UInt32) -> [UInt8] {
        let ihdr = be32(width) + be32(height) + [8, 2, 0, 0, 0]
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", ihdr) + chunk("IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])
            + chunk("IEND", [])
    }

    /// A two-frame 1 × 1 animated GIF.
    package static let animatedGIF: [UInt8] =
        Array("GIF89a".utf8) + [0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0, 0, 0, 0xFF, 0xFF, 0xFF]
        + frame + frame + [0x3B]
    private static let frame: [UInt8] = [
        0x21, 0xF9, 0x04, 0x00, 0x0A, 0x00, 0x00, 0x00, 0x2C, 0, 0, 0, 0, 0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00,
    ]

    private static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return be32(UInt32(data.count)) + body + be32(crc32(body))
    }

    private static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    private static func be16(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xFF)] }
    private static func be32(_ value: UInt32) -> [UInt8] { [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)] }
}

extension Array where Element == UInt8 {
    /// Whether `text`'s UTF-8 bytes occur in these bytes.
    package func contains(_ text: String) -> Bool { contains(Array(text.utf8)) }

    /// Whether `needle` occurs in these bytes.
    package func contains(_ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, count >= needle.count else { return false }
        for start in 0...(count - needle.count) where self[start] == needle[0] && Array(self[start..<start + needle.count]) == needle { return true }
        return false
    }
}
