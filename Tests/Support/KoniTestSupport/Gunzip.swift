import CZlib

/// Reads back the `.gz` siblings the publisher writes, with zlib: a decoder independent of
/// libdeflate, which writes them, so a test cannot pass because one library agrees with itself.
package enum Gunzip {
    /// zlib's answer when a member cannot be read (`Z_DATA_ERROR`, `Z_BUF_ERROR`, …).
    package struct Failure: Error, Sendable, CustomStringConvertible {
        package let code: Int32
        package var description: String { "zlib could not read the gzip member (code \(code))" }
    }

    /// The bytes of the one gzip member `input` holds.
    package static func decompress(_ input: [UInt8]) throws(Failure) -> [UInt8] {
        var stream = z_stream()
        var status = inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw Failure(code: status) }
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
                // A truncated member leaves inflate wanting input it will never get.
                guard status == Z_OK || status == Z_STREAM_END, produced > 0 || status == Z_STREAM_END else { throw Failure(code: status) }
                result.append(contentsOf: chunk[0..<produced])
            } while status != Z_STREAM_END
        }
        return result
    }
}
