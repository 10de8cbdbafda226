/// Why an image was refused; `description` names the reason in words for the admin or the log,
/// the caller adds the file or field.
package enum ImageError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case tooLarge(bytes: Int, limit: Int)
    /// Not one of the allowed formats by its first bytes (`sniffed` is what it looks like, if known).
    case unsupportedFormat(sniffed: ImageFormat?)
    case tooManyPixels(width: Int, height: Int, limit: Int)
    case badDimensions(width: Int, height: Int)
    /// Animated GIF or WebP, multi-page HEIF: a site shows one picture.
    case animated(pages: Int)
    /// libvips could not read it (truncated, corrupt); its message, shortened.
    case unreadable(String)
    case encodingFailed(String)
    case libraryUnavailable(String)

    package var description: String {
        switch self {
        case .empty: "the file is empty"
        case .tooLarge(let bytes, let limit): "the file is \(bytes) bytes, more than the \(limit) allowed"
        case .unsupportedFormat(let sniffed):
            sniffed.map { "\($0.rawValue) images are not accepted here" }
                ?? "not a JPEG, PNG, WebP, GIF, AVIF or HEIC image (judged by its content, not its name)"
        case .tooManyPixels(let width, let height, let limit): "\(width) × \(height) pixels is more than the \(limit) allowed"
        case .badDimensions(let width, let height): "\(width) × \(height) pixels is too thin or too large on one side"
        case .animated(let pages): "the image has \(pages) frames or pages; only still images are accepted"
        case .unreadable(let reason): "the image cannot be read (truncated or corrupt): \(reason)"
        case .encodingFailed(let reason): "the image could not be encoded: \(reason)"
        case .libraryUnavailable(let reason): "libvips could not start: \(reason)"
        }
    }
}
