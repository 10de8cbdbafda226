import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Closing the one crash window durable publishing leaves open.
///
/// A durable publish syncs a release's files and folders, renames its staging folder into place,
/// renames `current` to it, and then syncs the releases folder and the tenant folder together:
/// one wait for the disk instead of one per rename. A file system that journals its metadata in
/// order (ext4 with its journal, XFS) keeps the second rename only with the first; POSIX does not
/// promise that (ext4 without a journal does not), so after a power cut `current` may name a
/// release whose folder still has its staging name. Its contents are on disk (they were synced
/// before either rename); only the name is missing.
extension Publisher {
    /// Gives the release `current` names its folder back when a crash left that folder under
    /// its staging name (see above). Called by every publish, swap, rollback and prune, and by the
    /// daemon when it opens a tenant, before anything removes staging folders.
    ///
    /// - Returns: the release whose folder was renamed into place, or nil when there was nothing
    ///   to do (also when `current` names a folder that no staging folder holds: a new publish
    ///   replaces it).
    @discardableResult
    public func recoverInterruptedSwap(_ slug: String) throws(PublishError) -> String? {
        let lock = try TenantLock(path: "\(tenantDirectory(slug))/.lock")
        defer { lock.release() }
        return try finishInterruptedSwap(slug)
    }

    /// ``recoverInterruptedSwap(_:)`` for a caller that holds the tenant lock. Costs a readlink
    /// and a stat when there is nothing to recover.
    @discardableResult
    func finishInterruptedSwap(_ slug: String) throws(PublishError) -> String? {
        guard let release = currentRelease(slug) else { return nil }
        let directory = releasesDirectory(slug)
        let target = "\(directory)/\(release)"
        guard access(target, F_OK) != 0, errno == ENOENT, let staging = stagingFolder(of: release, in: directory) else { return nil }
        guard rename("\(directory)/\(staging)", target) == 0 else {
            let failure = errno
            // `prune` recovers without the tenant lock (a publish calls it while holding the
            // lock); another process may have moved the folder into place first: that is success.
            if failure == ENOENT, access(target, F_OK) == 0 { return release }
            throw PublishError(path: target, reason: "cannot move \(staging) into place: \(String(cString: strerror(failure)))")
        }
        try DiskSync.syncPath(directory)
        return release
    }

    /// The staging folder whose manifest is that of `release`: `.staging-<release>` for a full
    /// release, a `.staging-next-…` folder for a layer.
    private func stagingFolder(of release: String, in directory: String) -> String? {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        if names.contains(".staging-\(release)") { return ".staging-\(release)" }
        struct ReleaseName: Decodable { var release: String }
        return names.filter { $0.hasPrefix(Self.stagedLayerPrefix) }.first { name in
            guard let data = FileManager.default.contents(atPath: "\(directory)/\(name)/\(ReleaseManifest.relativePath)") else { return false }
            return (try? JSONDecoder().decode(ReleaseName.self, from: data))?.release == release
        }
    }
}
