import CZlib

/// One-shot gzip for the precompressed `.gz` siblings Nginx's `gzip_static` serves.
///
/// A thin wrapper over zlib rather than a package: the publisher needs only "bytes in, gzip
/// member out" with a reproducible header (zlib writes mtime 0 and no file name), which is a
/// dozen lines of zlib and avoids pulling an I/O framework into the publishing library.
public enum Gzip {
    public enum Failure: Error, Sendable {
        case zlib(code: Int32)
    }

    /// Compresses `input` at `level` (1 fastest … 9 smallest).
    public static func compress(_ input: [UInt8], level: Int32 = 9) throws(Failure) -> [UInt8] {
        var stream = z_stream()
        // 15 window bits + 16 selects the gzip wrapper; memLevel 8 is zlib's default.
        var status = deflateInit2_(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw .zlib(code: status) }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, UInt(input.count))) + 32
        var output = [UInt8](repeating: 0, count: bound)
        var input = input
        let produced: Int = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.next_in = inBuffer.baseAddress
                stream.avail_in = UInt32(inBuffer.count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = UInt32(outBuffer.count)
                status = deflate(&stream, Z_FINISH)
                return outBuffer.count - Int(stream.avail_out)
            }
        }
        guard status == Z_STREAM_END else { throw .zlib(code: status) }
        output.removeSubrange(produced...)
        return output
    }

    /// Decompresses a gzip member; used by tests and the publisher's own checks.
    public static func decompress(_ input: [UInt8]) throws(Failure) -> [UInt8] {
        var stream = z_stream()
        var status = inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw .zlib(code: status) }
        defer { inflateEnd(&stream) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var input = input
        try input.withUnsafeMutableBufferPointer { (inBuffer) throws(Failure) in
            stream.next_in = inBuffer.baseAddress
            stream.avail_in = UInt32(inBuffer.count)
            repeat {
                let produced = chunk.withUnsafeMutableBufferPointer { outBuffer in
                    stream.next_out = outBuffer.baseAddress
                    stream.avail_out = UInt32(outBuffer.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    return outBuffer.count - Int(stream.avail_out)
                }
                guard status == Z_OK || status == Z_STREAM_END else { throw .zlib(code: status) }
                result.append(contentsOf: chunk[0..<produced])
            } while status != Z_STREAM_END
        }
        return result
    }

    /// File extensions worth precompressing (text formats).
    public static let compressibleExtensions: Set<String> = ["html", "css", "js", "xml", "txt", "svg", "json", "webmanifest"]

    public static func isCompressible(_ path: String) -> Bool {
        guard let dot = path.lastIndex(of: ".") else { return false }
        return compressibleExtensions.contains(String(path[path.index(after: dot)...]).lowercased())
    }
}
