import ComproModel
import Foundation
import KoniImage
import Synchronization

/// The image step of a build: every raster photo under a tenant's `static/` becomes its variants
/// (``ImageSettings``), made once through a ``VariantCache`` and shared by every release, branch
/// and later build, and a catalog the templates use to write `<picture>` and `srcset`.
///
/// The photo's own path keeps working (old links, a gallery's "full size" link) but serves the
/// widest JPEG variant: the original bytes, with their EXIF GPS position, camera serial and
/// whatever a polyglot carries after the image, are never published.
package final class SiteImages: Sendable {
    package let settings: ImageSettings
    /// Where `/media/<id>/<name>` sources come from; nil: such a source is an error.
    package let media: MediaLibrary?
    private let cache: VariantCache
    /// Entries by source file, valid while the file's identity and times are unchanged, so a
    /// daemon that re-renders after every event does not re-read every photo of the branch.
    private let known = Mutex<[String: Known]>([:])

    private struct Known: Sendable {
        var stamp: FileStamp
        /// nil: not a raster photo.
        var entry: VariantCache.Entry?
    }

    /// The folder prefix of variant files in a release (`_img/3f/3f0c…-960.webp`).
    package static let releaseFolder = "_img"

    package init(cacheDirectory: String, settings: ImageSettings = ImageSettings(), media: MediaLibrary? = nil) throws(ImageError) {
        self.settings = settings
        self.media = media
        cache = VariantCache(directory: cacheDirectory, processor: try ImageProcessor(limits: settings.limits))
    }

    /// The static files to publish (raster photos replaced by their variants) and the catalog.
    ///
    /// Every raster photo is checked against ``ImageLimits``; one that fails is an error naming
    /// its file, and nothing is published.
    package func prepare(_ content: SiteContent) throws(ContentErrors) -> PreparedImages {
        let leads = Self.leadImages(content)
        let slug = content.tenant.slug
        let fromLibrary = try mediaFiles(content)
        let candidates = content.staticFiles.filter { !$0.linkable } + fromLibrary
        let results = ParallelMap.map(candidates, chunkSize: 1) { file -> Result<VariantCache.Entry?, ContentError> in
            self.entry(for: file, card: leads.contains(file.path), slug: slug)
        }
        var errors: [ContentError] = []
        var files: [StaticFile] = content.staticFiles.filter(\.linkable)
        var published = Set<String>()
        var catalog = ImageCatalog()
        for (file, result) in zip(candidates, results) {
            switch result {
            case .failure(let error):
                errors.append(error)
            case .success(nil):
                files.append(file)
            case .success(let entry?):
                let image = Self.responsiveImage(entry)
                catalog.images[file.path] = image
                // The photo's own path: the widest JPEG, a copy without metadata.
                if let widest = entry.variants.last(where: { $0.format == VariantFormat.jpeg.rawValue }) {
                    files.append(StaticFile(path: file.path, sourcePath: "\(cache.directory)/\(widest.path)", linkable: true))
                }
                for variant in entry.variants + (entry.card.map { [$0] } ?? []) where published.insert(variant.path).inserted {
                    files.append(
                        StaticFile(path: "\(Self.releaseFolder)/\(variant.path)", sourcePath: "\(cache.directory)/\(variant.path)", linkable: true)
                    )
                }
            }
        }
        if !errors.isEmpty { throw ContentErrors(errors) }
        return PreparedImages(staticFiles: files, catalog: catalog)
    }

    /// The library files content names (`/media/<id>/<name>`), fetched into the cache's
    /// `originals/` folder, as files of the site at `media/<id>/<name>`.
    func mediaFiles(_ content: SiteContent) throws(ContentErrors) -> [StaticFile] {
        let references = Set(Self.imageSources(content).compactMap(MediaLibrary.reference).map { "\($0.id)/\($0.name)" }).sorted()
        if references.isEmpty { return [] }
        guard let media else {
            throw ContentErrors([
                ContentError(
                    file: "\(content.tenant.slug)/content", "content names /media/\(references[0]) but this build has no Media service (set KONI_MEDIA_URL)")
            ])
        }
        let slug = content.tenant.slug
        let folder = "\(cache.directory)/originals"
        let results = ParallelMap.map(references, chunkSize: 1) { reference -> Result<StaticFile, ContentError> in
            let id = String(reference.prefix { $0 != "/" })
            do throws(ContentError) {
                let path = try media.original(tenant: slug, id: id, into: folder, maximumBytes: settings.limits.maximumBytes)
                return .success(StaticFile(path: "media/\(reference)", sourcePath: path))
            } catch {
                return .failure(error)
            }
        }
        var files: [StaticFile] = []
        var errors: [ContentError] = []
        for result in results {
            switch result {
            case .success(let file): files.append(file)
            case .failure(let error): errors.append(error)
            }
        }
        if !errors.isEmpty { throw ContentErrors(errors) }
        return files
    }

    /// The entry of `file` when it is a raster photo, nil for anything else (SVG, icons, PDF),
    /// which is published as it is.
    private func entry(for file: StaticFile, card: Bool, slug: String) -> Result<VariantCache.Entry?, ContentError> {
        let location = "\(slug)/static/\(file.path)"
        let stamp = FileStamp(file.sourcePath)
        if let stamp, let known = known.withLock({ $0[file.sourcePath] }), known.stamp == stamp, known.entry?.card != nil || !card {
            return .success(known.entry)
        }
        let bytes: [UInt8]
        do { bytes = try file.read() } catch {
            return .failure(ContentError(file: location, "cannot read the image: \(error.reason)"))
        }
        guard let format = ImageFormat.sniff(bytes.prefix(32)) else {
            if Self.rasterExtensions.contains((file.path as NSString).pathExtension.lowercased()) {
                return .failure(ContentError(file: location, "the name says photo but the content is not JPEG, PNG, WebP, GIF, AVIF or HEIC; refused"))
            }
            if let stamp { known.withLock { $0[file.sourcePath] = Known(stamp: stamp, entry: nil) } }
            return .success(nil)
        }
        guard settings.limits.allowedFormats.contains(format) else {
            return .failure(ContentError(file: location, "\(format.rawValue) images are not accepted"))
        }
        // A photo's buffers (its bytes, the decoded image, the encoded variants) are handed back
        // before the next photo: see ImageProcessor.releaseMemory.
        defer { ImageProcessor.releaseMemory() }
        do throws(ImageCacheError) {
            let entry = try cache.variants(of: bytes, widths: settings.widths, formats: settings.formats, card: card)
            if let stamp { known.withLock { $0[file.sourcePath] = Known(stamp: stamp, entry: entry) } }
            return .success(entry)
        } catch {
            return .failure(ContentError(file: location, "image refused: \(error)"))
        }
    }

    /// Extensions that promise a raster photo: a file named so must be one.
    static let rasterExtensions: Set<String> = ["jpg", "jpeg", "jpe", "png", "webp", "gif", "avif", "heic", "heif"]

    static func responsiveImage(_ entry: VariantCache.Entry) -> ResponsiveImage {
        func variant(_ stored: VariantCache.Variant) -> ResponsiveImage.Variant {
            ResponsiveImage.Variant(
                path: "\(releaseFolder)/\(stored.path)", width: stored.width, height: stored.height,
                mediaType: VariantFormat(rawValue: stored.format)?.mediaType ?? "image/\(stored.format)"
            )
        }
        let variants = entry.variants.map(variant).sorted { ($0.width, $0.mediaType) < ($1.width, $1.mediaType) }
        let widest = variants.last
        return ResponsiveImage(width: widest?.width ?? entry.width, height: widest?.height ?? entry.height, variants: variants, card: entry.card.map(variant))
    }

    /// Every image source content names: covers, photos, gallery photos, hero and image sections;
    /// with `leadsOnly`, only those that lead a page (a gallery's first photo, heroes).
    static func imageSources(_ content: SiteContent, leadsOnly: Bool = false) -> [String] {
        var sources: [String] = []
        // Through the buffer: `compactMap` over the array copied each news item.
        content.news.withUnsafeBufferPointer { news in
            for index in news.indices { if let src = news[index].cover?.src { sources.append(src) } }
        }
        sources += content.events.compactMap { $0.cover?.src }
        sources += content.athletes.compactMap { $0.photo?.src }
        sources += content.galleries.flatMap { $0.photos.prefix(leadsOnly ? 1 : Int.max).map(\.src) }
        for page in content.pages {
            for section in page.sections {
                switch section {
                case .hero(_, _, let image?, _, _): sources.append(image.src)
                case .image(let image, _) where !leadsOnly: sources.append(image.src)
                default: break
                }
            }
        }
        return sources
    }

    /// Site paths of the images that lead a page (and so become its Open Graph card): news and
    /// event covers, athletes' photos, each gallery's first photo and page heroes.
    static func leadImages(_ content: SiteContent) -> Set<String> {
        Set(imageSources(content, leadsOnly: true).map { $0.hasPrefix("/") ? String($0.dropFirst()) : $0 })
    }
}

/// What the image step hands to rendering and publishing.
package struct PreparedImages: Sendable {
    package var staticFiles: [StaticFile]
    package var catalog: ImageCatalog
}

/// A file's identity and change times, as `lstat` tells them.
struct FileStamp: Sendable, Equatable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var modified: Int64
    var changed: Int64

    init?(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        modified = Int64(info.st_mtim.tv_sec) &* 1_000_000_000 &+ Int64(info.st_mtim.tv_nsec)
        changed = Int64(info.st_ctim.tv_sec) &* 1_000_000_000 &+ Int64(info.st_ctim.tv_nsec)
    }
}
