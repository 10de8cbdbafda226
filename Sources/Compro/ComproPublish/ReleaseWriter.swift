import ComproModel
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An open folder, for paths resolved from it (`mkdirat`, `linkat`); closed when the last copy
/// goes. A user keeps it alive past its last system call (`defer { withExtendedLifetime(…) {} }`):
/// otherwise the optimiser may release it, and close the descriptor, right after reading it.
final class FolderDescriptor: @unchecked Sendable {
    let descriptor: Int32

    init(_ path: String) throws(PublishError) {
        let opened = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard opened >= 0 else { throw PublishError(path: path, reason: "cannot open folder: \(String(cString: strerror(errno)))") }
        descriptor = opened
    }

    deinit { close(descriptor) }
}

/// Writes the files of one release into its staging folder.
struct ReleaseWriter: Sendable {
    let root: String
    let compressionLevel: Int32
    /// Everything on the calling thread (see ``Publisher/singleThreaded``).
    var singleThreaded = false

    struct Totals {
        var generated: [String: String] = [:]
        var bytes = 0
        var compressedBytes = 0
        var linked = 0
    }

    /// Refuses absolute paths and any `.`/`..`/empty component: nothing may land outside the release.
    static func checkRelativePath(_ path: String) throws(PublishError) {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard !path.hasPrefix("/"), !parts.isEmpty, !parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else {
            throw PublishError(path: path, reason: "unsafe output path")
        }
    }

    func write(files: [PublishedFile], staticFiles: [StaticFile]) throws(PublishError) -> Totals {
        try makeDirectories(for: files.map(\.path) + staticFiles.map(\.path))
        let level = compressionLevel
        let root = self.root
        let results = map(files) { file -> Result<(String, String, Int, Int), PublishError> in
            do throws(PublishError) {
                try Self.writeFile("\(root)/\(file.path)", file.bytes)
                var compressed = 0
                if Gzip.isCompressible(file.path) {
                    let gz: [UInt8]
                    do { gz = try Gzip.compress(file.bytes, level: level) } catch {
                        throw PublishError(path: file.path, reason: "gzip failed: \(error)")
                    }
                    try Self.writeFile("\(root)/\(file.path).gz", gz)
                    compressed = gz.count
                }
                return .success((file.path, Digest.sha256Hex(file.bytes), file.bytes.count, compressed))
            } catch {
                return .failure(error)
            }
        }
        var totals = Totals()
        for result in results {
            switch result {
            case .success(let (path, digest, bytes, compressed)):
                totals.generated[path] = digest
                totals.bytes += bytes
                totals.compressedBytes += compressed
            case .failure(let error):
                throw error
            }
        }
        for file in staticFiles {
            if file.linkable, let size = Self.hardLink(file.sourcePath, to: "\(root)/\(file.path)") {
                totals.bytes += size
                continue
            }
            let data = try Self.readStatic(file)
            try Self.writeFile("\(root)/\(file.path)", data)
            totals.bytes += data.count
        }
        return totals
    }

    /// Links a cached file into the release and returns its size, or nil when it cannot be
    /// linked (another file system, a missing file): the caller then copies it, which reports
    /// any real error with the file's name.
    static func hardLink(_ source: String, to destination: String) -> Int? {
        var info = stat()
        guard lstat(source, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        if Glibc.link(source, destination) == 0 { return Int(info.st_size) }
        if errno == EEXIST, unlink(destination) == 0, Glibc.link(source, destination) == 0 { return Int(info.st_size) }
        return nil
    }

    /// A static file's bytes; one from a tenant's folder is read there without following links,
    /// so a link swapped in after the folder was listed is refused, not published.
    static func readStatic(_ file: StaticFile) throws(PublishError) -> [UInt8] {
        do throws(ConfinedFileError) {
            return try file.read()
        } catch {
            throw PublishError(path: file.sourcePath, reason: "cannot read static file: \(error.reason)")
        }
    }

    /// Hard-links files (and their `.gz` siblings) from earlier releases.
    ///
    /// Paths are resolved from open folders of the two releases, so each link walks the path
    /// inside the release only (a compaction makes 28,000 links).
    func link(_ links: [ReleaseContents.Link], releases: String) throws(PublishError) -> Int {
        if links.isEmpty { return 0 }
        try makeDirectories(for: links.map(\.path))
        let destination = try FolderDescriptor(root)
        var sources: [String: FolderDescriptor] = [:]
        defer { withExtendedLifetime((destination, sources)) {} }
        var count = 0
        for link in links {
            let source: FolderDescriptor
            if let open = sources[link.fromRelease] {
                source = open
            } else {
                source = try FolderDescriptor("\(releases)/\(link.fromRelease)")
                sources[link.fromRelease] = source
            }
            guard linkat(source.descriptor, link.path, destination.descriptor, link.path, 0) == 0 else {
                throw PublishError(
                    path: "\(releases)/\(link.fromRelease)/\(link.path)",
                    reason: "cannot share with the new release: \(String(cString: strerror(errno)))"
                )
            }
            count += 1
            if Gzip.isCompressible(link.path), linkat(source.descriptor, link.path + ".gz", destination.descriptor, link.path + ".gz", 0) == 0 {
                count += 1
            }
        }
        return count
    }

    /// `.koni/base` points at the full release a layer builds on (`..` in a full release, so a
    /// lookup through `current/.koni/base` always lands in a complete tree), and `.koni/gone/`
    /// holds an empty marker for every path deleted since the base.
    func writeLayerMarkers(base: String?, gone: [String]) throws(PublishError) {
        let koni = "\(root)/.koni"
        if mkdir(root, 0o755) != 0 && errno != EEXIST || mkdir(koni, 0o755) != 0 && errno != EEXIST {
            throw PublishError(path: koni, reason: "cannot create folder: \(String(cString: strerror(errno)))")
        }
        let target = base.map { "../../\($0)" } ?? ".."
        guard symlink(target, "\(koni)/base") == 0 else {
            throw PublishError(path: "\(koni)/base", reason: "cannot link the base: \(String(cString: strerror(errno)))")
        }
        if gone.isEmpty { return }
        let markers = gone.map { ".koni/gone/\($0)" }
        try makeDirectories(for: markers)
        for marker in markers { try Self.writeFile("\(root)/\(marker)", []) }
    }

    private func makeDirectories(for paths: [String]) throws(PublishError) {
        let directories = Self.folders(holding: paths)
        if mkdir(root, 0o755) != 0 && errno != EEXIST {
            throw PublishError(path: root, reason: "cannot create folder: \(String(cString: strerror(errno)))")
        }
        if directories.isEmpty { return }
        let folder = try FolderDescriptor(root)
        defer { withExtendedLifetime(folder) {} }
        // One level at a time (parents first). Within a level, folders that share a parent are
        // made one after another: the kernel holds the parent's lock for each mkdir, so a second
        // thread in the same parent only spins. Different parents go across all cores.
        let levels = Dictionary(grouping: directories) { $0.utf8.count { $0 == UInt8(ascii: "/") } }
        for depth in levels.keys.sorted() {
            let siblings = Array(Dictionary(grouping: levels[depth] ?? [], by: Self.parent(of:)).values)
            let failures = map(siblings) { group -> PublishError? in
                for directory in group where mkdirat(folder.descriptor, directory, 0o755) != 0 && errno != EEXIST {
                    return PublishError(path: "\(root)/\(directory)", reason: "cannot create folder: \(String(cString: strerror(errno)))")
                }
                return nil
            }
            if let failure = failures.lazy.compactMap({ $0 }).first { throw failure }
        }
    }

    /// Every folder the paths sit in, parents included (`berita/a` and `berita` for
    /// `berita/a/index.html`); the top folder itself is not named.
    static func folders(holding paths: some Sequence<String>) -> Set<String> {
        var folders = Set<String>()
        for path in paths {
            var folder = parent(of: path)
            while !folder.isEmpty && folders.insert(folder).inserted {
                folder = parent(of: folder)
            }
        }
        return folders
    }

    /// The path without its last component (`berita/a` for `berita/a/index.html`; empty at the top).
    static func parent(of path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "" }
        return String(path[..<slash])
    }

    private func map<T: Sendable, R: Sendable>(_ input: [T], _ transform: @Sendable (T) -> R) -> [R] {
        singleThreaded ? input.map(transform) : ParallelMap.map(input, transform)
    }

    func writeManifest(_ manifest: ReleaseManifest, cachedOutputs: [String: [UInt8]] = [:], cachedArchive: [UInt8]? = nil) throws(PublishError) {
        let data = manifest.jsonBytes(cachedOutputs: cachedOutputs, cachedArchive: cachedArchive)
        let directory = "\(root)/.koni"
        if mkdir(directory, 0o755) != 0 && errno != EEXIST {
            throw PublishError(path: directory, reason: "cannot create folder: \(String(cString: strerror(errno)))")
        }
        try Self.writeFile("\(root)/\(ReleaseManifest.relativePath)", data)
    }

    func rename(to destination: String) throws(PublishError) {
        guard Glibc.rename(root, destination) == 0 else {
            throw PublishError(path: destination, reason: "cannot move release into place: \(String(cString: strerror(errno)))")
        }
    }

    /// Writes a whole file with one open/write/close; a new file, never a rewrite of a live one.
    /// Not synced here: a durable publish syncs all its files together (``DiskSync``).
    static func writeFile(_ path: String, _ bytes: [UInt8]) throws(PublishError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw PublishError(path: path, reason: "cannot create: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw PublishError(path: path, reason: "cannot write: \(String(cString: strerror(errno)))")
            }
            offset += written
        }
    }
}
