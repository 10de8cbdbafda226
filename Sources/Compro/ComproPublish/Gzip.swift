import CLibdeflate
import Foundation
import Synchronization

/// One-shot gzip for the precompressed `.gz` siblings Nginx's `gzip_static` serves.
///
/// Compression uses libdeflate (Debian's `libdeflate-dev`), a whole-buffer DEFLATE library that
/// is several times faster than zlib at the same ratio; the profile of a 10,000-page build had
/// zlib at ~15 % of CPU. Its gzip header is fixed (mtime 0, no name), so the same page always
/// gives the same bytes. The tests read it back with zlib (`Gunzip` in KoniTestSupport), an
/// independent decoder.
public enum Gzip {
    public enum Failure: Error, Sendable {
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
