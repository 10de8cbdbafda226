import ComproModel
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A tenant's site rendered with a candidate theme, held in memory: never published.
package struct PreviewSite: Sendable {
    package var slug: String
    /// The theme's display name, as the banner shows it.
    package var themeName: String
    /// Every file by its path in the site without the leading slash (`berita/index.html`).
    package var files: [String: [UInt8]]
    /// Photo variants by site path, read from the variant cache when asked for: a branch with
    /// thousands of photos would otherwise hold gigabytes in memory.
    package var cachedFiles: [String: String] = [:]
    /// Contrast problems of the candidate theme, for the designer.
    package var warnings: [String]

    package init(slug: String, themeName: String, files: [String: [UInt8]], cachedFiles: [String: String] = [:], warnings: [String]) {
        self.slug = slug
        self.themeName = themeName
        self.files = files
        self.cachedFiles = cachedFiles
        self.warnings = warnings
    }

    /// Every path the site has, in memory or in the cache.
    package var paths: [String] { Array(files.keys) + cachedFiles.keys.filter { files[$0] == nil } }

    /// The bytes of `path`, from memory or read from the cache.
    package func contents(_ path: String) -> [UInt8]? {
        if let bytes = files[path] { return bytes }
        return cachedFiles[path].flatMap { FileManager.default.contents(atPath: $0) }.map(Array.init)
    }

    /// The name of the marker file that identifies a folder written by ``write(to:)``.
    package static let markerName = ".koni-preview"

    /// Writes the site into `directory`, replacing a previous preview there.
    ///
    /// The files are written into a hidden sibling folder first and swapped in with rename(2), so
    /// a browser looking at the folder never sees half a preview. A folder that exists, is not
    /// empty and was not written by a preview is refused rather than overwritten.
    package func write(to directory: String) throws(PreviewError) {
        let target = URL(fileURLWithPath: directory).standardizedFileURL.path
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        let exists = fileManager.fileExists(atPath: target, isDirectory: &isDirectory)
        if exists {
            guard isDirectory.boolValue else { throw PreviewError(target, "exists and is not a folder") }
            let entries = (try? fileManager.contentsOfDirectory(atPath: target)) ?? []
            if !entries.isEmpty && !entries.contains(Self.markerName) {
                throw PreviewError(target, "is not empty and holds no earlier preview (\(Self.markerName)); choose an empty or new folder")
            }
        }
        let parent = (target as NSString).deletingLastPathComponent
        let name = (target as NSString).lastPathComponent
        let token = UUID().uuidString.prefix(8)
        let staging = "\(parent)/.\(name).staging-\(token)"
        do {
            try fileManager.createDirectory(atPath: staging, withIntermediateDirectories: true)
        } catch {
            throw PreviewError(staging, "cannot create folder: \(error.localizedDescription)")
        }
        do throws(PreviewError) {
            try Self.writeFiles(files.merging([Self.markerName: Array("\(slug) \(themeName)\n".utf8)]) { $1 }, into: staging)
            try Self.copyFiles(cachedFiles.filter { files[$0.key] == nil }, into: staging)
            if exists {
                let old = "\(parent)/.\(name).old-\(token)"
                guard rename(target, old) == 0 else { throw PreviewError(target, "cannot replace: \(String(cString: strerror(errno)))") }
                guard rename(staging, target) == 0 else {
                    let reason = String(cString: strerror(errno))
                    rename(old, target)
                    throw PreviewError(target, "cannot replace: \(reason)")
                }
                try? fileManager.removeItem(atPath: old)
            } else {
                guard rename(staging, target) == 0 else { throw PreviewError(target, "cannot create: \(String(cString: strerror(errno)))") }
            }
        } catch {
            try? fileManager.removeItem(atPath: staging)
            throw error
        }
    }

    static func writeFiles(_ files: [String: [UInt8]], into root: String) throws(PreviewError) {
        for (path, bytes) in files.sorted(by: { $0.key < $1.key }) {
            guard PreviewSite.isSafeRelativePath(path) else { throw PreviewError(path, "unsafe output path") }
            let full = "\(root)/\(path)"
            do {
                try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            } catch {
                throw PreviewError(full, "cannot create folder: \(error.localizedDescription)")
            }
            guard FileManager.default.createFile(atPath: full, contents: Data(bytes)) else {
                throw PreviewError(full, "cannot write: \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Copies cached files (photo variants) into the preview folder.
    static func copyFiles(_ files: [String: String], into root: String) throws(PreviewError) {
        for (path, source) in files.sorted(by: { $0.key < $1.key }) {
            guard PreviewSite.isSafeRelativePath(path) else { throw PreviewError(path, "unsafe output path") }
            let full = "\(root)/\(path)"
            do {
                try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try FileManager.default.copyItem(atPath: source, toPath: full)
            } catch {
                throw PreviewError(full, "cannot copy \(source): \(error.localizedDescription)")
            }
        }
    }

    /// No absolute paths, no empty, `.` or `..` components: nothing lands outside the folder.
    static func isSafeRelativePath(_ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        return !path.hasPrefix("/") && !parts.isEmpty && !parts.contains { $0.isEmpty || $0 == "." || $0 == ".." }
    }
}

/// A preview that could not be written or served, with the path it concerns.
package struct PreviewError: Error, Sendable, CustomStringConvertible {
    package var path: String
    package var reason: String

    package init(_ path: String, _ reason: String) {
        self.path = path
        self.reason = reason
    }

    package var description: String { "\(path): \(reason)" }
}
