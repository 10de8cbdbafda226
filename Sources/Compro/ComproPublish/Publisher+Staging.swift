import ComproModel
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Layers prepared ahead. A layer release holds every file changed since its base, so each
/// publish used to link all of the previous layer's files before writing its own: the cost grew
/// with the layer, not with the change. The daemon now links them into a staging folder in the
/// background right after a publish; the next publish removes from it what it replaces or deletes,
/// writes its own files and renames the folder into place.
extension Publisher {
    /// A staging folder holding hard links to some files of one release; private until published.
    public struct Staging: Sendable {
        /// The folder, under the releases folder, named `.staging-next-…`.
        public var path: String
        /// The release the links point into.
        public var release: String
        /// The linked output paths (their `.gz` siblings come with them).
        public var files: Set<String>
    }

    /// Name prefix of prepared layer folders; ``prune(_:)`` leaves them alone.
    static let stagedLayerPrefix = ".staging-next-"

    /// Makes a staging folder with links to `files` of `release`. ``prune(_:)`` never removes
    /// one (a quiet tenant keeps its folder until the next change); the daemon removes the ones
    /// it will not use, and those a killed daemon left with ``removeStagedLayers(_:)``.
    public func stage(tenant slug: String, release: String, files: Set<String>) throws(PublishError) -> Staging {
        let path = "\(releasesDirectory(slug))/\(Self.stagedLayerPrefix)\(release)-\(UUID().uuidString.prefix(8))"
        var writer = ReleaseWriter(root: path, compressionLevel: compressionLevel)
        writer.singleThreaded = true
        do throws(PublishError) {
            for file in files { try ReleaseWriter.checkRelativePath(file) }
            _ = try writer.link(files.sorted().map { ReleaseContents.Link(path: $0, fromRelease: release) }, releases: releasesDirectory(slug))
            if files.isEmpty, mkdir(path, 0o755) != 0 {
                throw PublishError(path: path, reason: "cannot create folder: \(String(cString: strerror(errno)))")
            }
            // Off the hot path: the publish that takes this folder syncs only what it changes.
            if durable { try DiskSync.sync(root: path, files: [String](), folders: DiskSync.folders(holding: files)) }
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
        return Staging(path: path, release: release, files: files)
    }

    /// Publishes a layer from `staging`: `contents.files` are written and `contents.links` made
    /// (each replacing a staged link of the same path), `dropping` paths are removed, the layer
    /// markers and the manifest are written, and the folder becomes the new live release. On
    /// failure the staging folder is removed and the live site stays as it was.
    public func publish(
        tenant slug: String, contents: ReleaseContents, staged staging: Staging, dropping: Set<String>,
        manifest: (_ release: String, _ digests: [String: String]) -> ReleaseManifest
    ) throws(PublishError) -> PublishResult {
        let lock = try TenantLock(path: "\(tenantDirectory(slug))/.lock")
        defer { lock.release() }
        var writer = ReleaseWriter(root: staging.path, compressionLevel: compressionLevel)
        writer.singleThreaded = singleThreaded
        do throws(PublishError) {
            guard contents.staticFiles.isEmpty else {
                throw PublishError(path: staging.path, reason: "a staged layer takes no static files")
            }
            _ = try Self.checkPaths(of: contents)
            for path in dropping { try ReleaseWriter.checkRelativePath(path) }
            let folder = try FolderDescriptor(staging.path)
            defer { withExtendedLifetime(folder) {} }
            // A link shares its inode with the live release: it must go before a file of the same
            // path is written, or writing would change the live file.
            let replaced = Set(contents.files.map(\.path) + contents.links.map(\.path)).intersection(staging.files)
            for path in replaced { try Self.unlinkStaged(path, in: folder) }
            let dropped = dropping.intersection(staging.files)
            var removedFolders = Set<String>()
            for path in dropped {
                try Self.unlinkStaged(path, in: folder)
                removedFolders.formUnion(Self.removeEmptyParents(of: path, in: folder))
            }
            let changedFolders = DiskSync.folders(holding: dropped).subtracting(removedFolders)
            let release = newReleaseID(slug)
            var result = try fill(writer, release: release, tenant: slug, contents: contents, changedFolders: changedFolders, manifest: manifest)
            result.record(try swapCurrent(slug, to: release))
            result.filesLinked += staging.files.count - replaced.count - dropped.count
            return result
        } catch {
            try? FileManager.default.removeItem(atPath: staging.path)
            throw error
        }
    }

    /// Removes every prepared layer folder of the tenant: for a daemon opening the tenant, which
    /// owns none yet (they are left by an earlier process).
    public func removeStagedLayers(_ slug: String) {
        let directory = releasesDirectory(slug)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names where name.hasPrefix(Self.stagedLayerPrefix) {
            try? FileManager.default.removeItem(atPath: "\(directory)/\(name)")
        }
    }

    /// Removes a staging folder that will not be published.
    public func discard(_ staging: Staging) {
        try? FileManager.default.removeItem(atPath: staging.path)
    }

    private static func unlinkStaged(_ path: String, in folder: FolderDescriptor) throws(PublishError) {
        for name in [path, path + ".gz"] where unlinkat(folder.descriptor, name, 0) != 0 && errno != ENOENT {
            throw PublishError(path: name, reason: "cannot remove from the staged layer: \(String(cString: strerror(errno)))")
        }
    }

    /// A dropped page leaves its folder empty; a layer has no empty folders. Returns the
    /// folders removed.
    private static func removeEmptyParents(of path: String, in folder: FolderDescriptor) -> [String] {
        var removed: [String] = []
        var directory = ReleaseWriter.parent(of: path)
        while !directory.isEmpty, unlinkat(folder.descriptor, directory, AT_REMOVEDIR) == 0 {
            removed.append(directory)
            directory = ReleaseWriter.parent(of: directory)
        }
        return removed
    }
}
