import CLibdeflate
import CZlib
import Foundation
import Synchronization

/// One-shot gzip for the precompressed `.gz` siblings Nginx's `gzip_static` serves.
///
/// Compression uses libdeflate (Debian's `libdeflate-dev`), a whole-buffer DEFLATE library that
/// is several times faster than zlib at the same ratio; the profile of a 10,000-page build had
/// zlib at ~15 % of CPU. Its gzip header is fixed (mtime 0, no name), so the same page always
/// gives the same bytes. Decompression (tests, checks) stays on zlib, an independent decoder.
public enum Gzip {
    public enum Failure: Error, Sendable {
        case zlib(code: Int32)
        case compressorUnavailable(level: Int32)
        case compressionFailed
    }

    /// The level of the published `.gz` siblings: libdeflate's 6 compresses about as well as
    /// zlib's 9 (0.9 % larger on the benchmark site) in a fraction of the time.
    public static let defaultLevel: Int32 = 6

    /// Compresses `input` at `level` (1 fastest … 12 smallest; libdeflate's scale).
    public static func compress(_ input: [UInt8], level: Int32 = defaultLevel) throws(Failure) -> [UInt8] {
        let level = min(max(level, 1), 12)
        guard let compressor = CompressorPool.shared.take(level: level) else { throw .compressorUnavailable(level: level) }
        defer { CompressorPool.shared.give(compressor, level: level) }
        let bound = libdeflate_gzip_compress_bound(compressor, input.count)
        var output = [UInt8](repeating: 0, count: bound)
        let produced = input.withUnsafeBytes { inBuffer in
            output.withUnsafeMutableBytes { outBuffer in
                libdeflate_gzip_compress(compressor, inBuffer.baseAddress, inBuffer.count, outBuffer.baseAddress, outBuffer.count)
            }
        }
        guard produced > 0 else { throw .compressionFailed }
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

/// libdeflate compressors are not thread-safe and cost a few hundred KiB each, so the workers
/// that publish a release share a few of them instead of allocating one per file.
private final class CompressorPool: Sendable {
    static let shared = CompressorPool()

    /// A libdeflate compressor handed from one worker to the next through the pool: only the
    /// worker that took it uses it, so moving it between threads is safe.
    private struct Idle: @unchecked Sendable {
        let compressor: OpaquePointer
    }

    private let idle = Mutex<[Int32: [Idle]]>([:])

    func take(level: Int32) -> OpaquePointer? {
        if let taken = idle.withLock({ $0[level]?.popLast() }) { return taken.compressor }
        return libdeflate_alloc_compressor(level)
    }

    func give(_ compressor: OpaquePointer, level: Int32) {
        idle.withLock { $0[level, default: []].append(Idle(compressor: compressor)) }
    }
}
