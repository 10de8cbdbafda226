import ComproModel
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Publishes releases of a tenant's site under `<out>/<slug>/`:
///
/// ```
/// <out>/<slug>/releases/<id>/…   one folder per release, never changed once published
/// <out>/<slug>/current           symlink to releases/<id>, replaced with rename(2)
/// ```
///
/// A reader (Nginx) resolves `current` once per request, so it sees either the old release or
/// the new one, never a mix and never a half-written file. Failures before the swap leave
/// `current` untouched.
public struct Publisher: Sendable {
    public var outputDirectory: String
    /// Releases kept for rollback, the live one included.
    public var keepReleases: Int
    /// Compression level of the `.gz` siblings (libdeflate, 1 … 12).
    public var compressionLevel: Int32
    /// A release replaced less than this long ago is kept even beyond `keepReleases`: a reader
    /// that resolved `current` just before the swap may still be reading it.
    public var pruneGraceSeconds: Int64
    /// Sync written files and every folder that gained or lost an entry before the swap, and the
    /// swap itself with the release's rename, so a published release survives a crash
    /// (``DiskSync``, ``recoverInterruptedSwap(_:)``). Also a staged layer's
    /// links, when it is prepared.
    public var durable = false
    /// Write files and create folders on the calling thread only. Background work (the daemon's
    /// compaction) sets it, so that it uses one core and leaves the other to the regenerations
    /// whose latency admins see.
    public var singleThreaded = false
    /// Syncs the folders a swap changed; a seam so that tests can make it fail after the rename.
    var swapSync: @Sendable ([String]) throws(PublishError) -> Void = { paths throws(PublishError) in try DiskSync.sync(paths: paths) }

    public init(outputDirectory: String, keepReleases: Int = 5, compressionLevel: Int32 = Gzip.defaultLevel, pruneGraceSeconds: Int64 = 60) {
        self.outputDirectory = outputDirectory
        self.keepReleases = max(1, keepReleases)
        self.compressionLevel = compressionLevel
        self.pruneGraceSeconds = pruneGraceSeconds
    }

    public func tenantDirectory(_ slug: String) -> String { "\(outputDirectory)/\(slug)" }
    public func releasesDirectory(_ slug: String) -> String { "\(tenantDirectory(slug))/releases" }
    public func currentLink(_ slug: String) -> String { "\(tenantDirectory(slug))/current" }

    /// The id of the live release, or nil before the first publish.
    public func currentRelease(_ slug: String) -> String? {
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: currentLink(slug)) else { return nil }
        return (target as NSString).lastPathComponent
    }

    /// Release ids, oldest first.
    public func releases(_ slug: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: releasesDirectory(slug))) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted()
    }

    /// The full release a layer release is based on; nil for a full release.
    public func baseRelease(_ slug: String, of release: String) -> String? {
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "\(releasesDirectory(slug))/\(release)/.koni/base"),
            target != ".."
        else { return nil }
        return (target as NSString).lastPathComponent
    }

    /// The complete manifest of a release: a layer merged onto its base.
    public func completeManifest(_ slug: String, release: String? = nil) -> ReleaseManifest? {
        guard let manifest = manifest(slug, release: release) else { return nil }
        guard let base = manifest.base else { return manifest }
        guard let baseManifest = self.manifest(slug, release: base), baseManifest.base == nil else { return nil }
        return manifest.merged(onto: baseManifest)
    }

    /// The manifest of a release (the live one by default).
    public func manifest(_ slug: String, release: String? = nil) -> ReleaseManifest? {
        guard let id = release ?? currentRelease(slug),
            let data = FileManager.default.contents(atPath: "\(releasesDirectory(slug))/\(id)/\(ReleaseManifest.relativePath)")
        else { return nil }
        guard let manifest = try? JSONDecoder().decode(ReleaseManifest.self, from: data),
            manifest.format == ReleaseManifest.currentFormat
        else { return nil }
        return manifest
    }

    /// Writes a complete new release and makes it live.
    ///
    /// - Parameters:
    ///   - files: generated files, paths relative to the site root.
    ///   - staticFiles: files copied as they are; a clash with a generated path is an error.
    ///   - manifest: builds the manifest once the release id and file digests are known.
    public func publish(
        tenant slug: String, files: [PublishedFile], staticFiles: [StaticFile],
        manifest: (_ release: String, _ digests: [String: String]) -> ReleaseManifest
    ) throws(PublishError) -> PublishResult {
        try publish(tenant: slug, contents: ReleaseContents(files: files, staticFiles: staticFiles), manifest: manifest)
    }

    /// Writes a new release, full or layered, and makes it live with one rename.
    ///
    /// - Parameter prune: remove old releases afterwards; the daemon passes false and prunes
    ///   off its hot path instead.
    public func publish(
        tenant slug: String, contents: ReleaseContents, prune shouldPrune: Bool = true,
        manifest: (_ release: String, _ digests: [String: String]) -> ReleaseManifest
    ) throws(PublishError) -> PublishResult {
        let lock = try TenantLock(path: "\(tenantDirectory(slug))/.lock")
        defer { lock.release() }
        try finishInterruptedSwap(slug)
        var result = try prepare(tenant: slug, contents: contents, manifest: manifest)
        result.record(try swapCurrent(slug, to: result.release))
        if shouldPrune { prune(slug) }
        return result
    }

    /// Writes a complete new release folder without making it live (the daemon prepares a full
    /// release in the background while layers keep being published, then swaps).
    public func prepare(
        tenant slug: String, contents: ReleaseContents,
        manifest: (_ release: String, _ digests: [String: String]) -> ReleaseManifest
    ) throws(PublishError) -> PublishResult {
        do {
            try FileManager.default.createDirectory(atPath: releasesDirectory(slug), withIntermediateDirectories: true)
        } catch {
            throw PublishError(path: releasesDirectory(slug), reason: "cannot create folder: \(error.localizedDescription)")
        }
        let release = newReleaseID(slug)
        let staging = "\(releasesDirectory(slug))/.staging-\(release)"
        var writer = ReleaseWriter(root: staging, compressionLevel: compressionLevel)
        writer.singleThreaded = singleThreaded
        do throws(PublishError) {
            let generated = try Self.checkPaths(of: contents)
            for file in contents.staticFiles
            where generated.contains(file.path) || generated.contains(String(file.path.dropLast(3))) && file.path.hasSuffix(".gz") {
                throw PublishError(path: "static/\(file.path)", reason: "clashes with a page the generator writes at /\(file.path)")
            }
            return try fill(writer, release: release, tenant: slug, contents: contents, manifest: manifest)
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw error
        }
    }

    /// The paths a release's contents generate, each checked to stay inside the release and to be
    /// written once.
    static func checkPaths(of contents: ReleaseContents) throws(PublishError) -> Set<String> {
        var generated = Set<String>()
        for path in contents.files.map(\.path) + contents.links.map(\.path) + contents.gone {
            try ReleaseWriter.checkRelativePath(path)
            guard generated.insert(path).inserted else { throw PublishError(path: path, reason: "written twice") }
        }
        return generated
    }

    /// Writes `contents` into the writer's staging folder (files, links, layer markers, manifest),
    /// syncs them when durable and renames the folder into place as `release`; the caller removes
    /// the folder on failure. The rename itself is synced by the swap that makes it live.
    /// `filesLinked` counts the links made here only. `changedFolders` are other folders of the
    /// staging folder that lost or gained entries (a staged layer's removals).
    func fill(
        _ writer: ReleaseWriter, release: String, tenant slug: String, contents: ReleaseContents, changedFolders: Set<String> = [],
        manifest: (_ release: String, _ digests: [String: String]) -> ReleaseManifest
    ) throws(PublishError) -> PublishResult {
        let writeStart = ContinuousClock.now
        var totals = try writer.write(files: contents.files, staticFiles: contents.staticFiles)
        totals.linked = try writer.link(contents.links, releases: releasesDirectory(slug))
        try writer.writeLayerMarkers(base: contents.base, gone: contents.gone)
        try writer.writeManifest(
            manifest(release, totals.generated), cachedOutputs: contents.cachedManifestOutputs, cachedArchive: contents.cachedManifestArchive)
        let syncStart = ContinuousClock.now
        if durable {
            let entries = DiskSync.entries(of: contents)
            try DiskSync.sync(root: writer.root, files: entries.files, folders: entries.folders.union(changedFolders))
        }
        let syncDuration = ContinuousClock.now - syncStart
        try writer.rename(to: "\(releasesDirectory(slug))/\(release)")
        return PublishResult(
            release: release, filesWritten: contents.files.count + contents.staticFiles.count, filesLinked: totals.linked,
            bytesWritten: totals.bytes, compressedBytes: totals.compressedBytes,
            writeSeconds: (syncStart - writeStart).seconds, syncSeconds: syncDuration.seconds
        )
    }

    /// Makes an already prepared release live. Throws only when it did not go live; a failure to
    /// make the swap durable afterwards is in the outcome.
    @discardableResult
    public func activate(_ slug: String, release: String) throws(PublishError) -> SwapOutcome {
        let lock = try TenantLock(path: "\(tenantDirectory(slug))/.lock")
        defer { lock.release() }
        try finishInterruptedSwap(slug)
        return try swapCurrent(slug, to: release)
    }

    /// Points `current` at `release` atomically: a new symlink is made beside it and renamed over it.
    /// When durable, the tenant folder (the swap) and the releases folder (the release's rename
    /// into place) are synced together, one wait for the disk instead of two; see
    /// ``recoverInterruptedSwap(_:)`` for the crash this leaves open and how it is closed.
    ///
    /// Throws only when `current` was not replaced. Once the rename is done the release is live
    /// (readers see it), so a failed sync after it is not a failed publish: it is returned in
    /// ``SwapOutcome/syncFailure`` for the caller to report, and the caller's state follows the
    /// release that is live.
    @discardableResult
    public func swapCurrent(_ slug: String, to release: String) throws(PublishError) -> SwapOutcome {
        let link = currentLink(slug)
        let temporary = "\(link).\(release).tmp"
        unlink(temporary)
        guard symlink("releases/\(release)", temporary) == 0 else {
            throw PublishError(path: temporary, reason: "cannot create symlink: \(String(cString: strerror(errno)))")
        }
        guard rename(temporary, link) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw PublishError(path: link, reason: "cannot replace current: \(reason)")
        }
        guard durable else { return SwapOutcome() }
        let start = ContinuousClock.now
        do {
            try swapSync([tenantDirectory(slug), releasesDirectory(slug)])
            return SwapOutcome(syncSeconds: (ContinuousClock.now - start).seconds)
        } catch {
            return SwapOutcome(syncSeconds: (ContinuousClock.now - start).seconds, syncFailure: error)
        }
    }

    /// Makes the release before the live one live again.
    @discardableResult
    public func rollback(_ slug: String) throws(PublishError) -> String {
        let lock = try TenantLock(path: "\(tenantDirectory(slug))/.lock")
        defer { lock.release() }
        try finishInterruptedSwap(slug)
        let all = releases(slug)
        guard let current = currentRelease(slug), let position = all.firstIndex(of: current) else {
            throw PublishError(path: currentLink(slug), reason: "no live release to roll back from")
        }
        guard position > 0 else { throw PublishError(path: currentLink(slug), reason: "\(current) is the oldest kept release; nothing to roll back to") }
        let previous = all[position - 1]
        let outcome = try swapCurrent(slug, to: previous)
        if let failure = outcome.syncFailure { throw PublishError(path: failure.path, reason: "rolled back to \(previous), but \(failure.reason)") }
        return previous
    }

    /// Removes releases beyond `keepReleases` (never the live one, its base, or one replaced
    /// within the grace period) and staging folders left by a crash. Safe to run beside a
    /// publish: a release is first renamed out of the listing, then deleted.
    public func prune(_ slug: String) {
        // A staging folder that `current` already names is the live release, not a leftover.
        _ = try? finishInterruptedSwap(slug)
        let directory = releasesDirectory(slug)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        // `.staging-next-…` folders belong to a running daemon, which may keep one for hours
        // while its tenant is quiet; it removes them itself (see ``removeStagedLayers(_:)``).
        for name in names where (name.hasPrefix(".staging-") && !name.hasPrefix(Self.stagedLayerPrefix)) || name.hasPrefix(".trash-") {
            // A staging folder still being written is young; only old ones are leftovers.
            let path = "\(directory)/\(name)"
            let modified = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? Date.distantPast
            if name.hasPrefix(".trash-") || Date().timeIntervalSince(modified) > 600 {
                try? FileManager.default.removeItem(atPath: path)
            }
        }
        let all = releases(slug)
        guard all.count > keepReleases else { return }
        // A kept layer needs its base: keep the live release, the newest ones and their bases.
        var keep = Set(all.suffix(keepReleases))
        if let current = currentRelease(slug) { keep.insert(current) }
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let cutoff = (Int64(now.tv_sec) - pruneGraceSeconds) * 1_000_000 + Int64(now.tv_nsec / 1000)
        for (older, newer) in zip(all, all.dropFirst()) where (Self.microseconds(ofRelease: newer) ?? 0) >= cutoff {
            keep.insert(older)
        }
        for release in keep {
            if let base = baseRelease(slug, of: release) { keep.insert(base) }
        }
        for release in all where !keep.contains(release) {
            let trash = "\(directory)/.trash-\(release)"
            if Glibc.rename("\(directory)/\(release)", trash) == 0 {
                try? FileManager.default.removeItem(atPath: trash)
            }
        }
    }

    /// Sortable, unique ids: UTC time to the microsecond, always later than every kept release
    /// (two publishes in the same microsecond, or a clock step back, still sort in publish order).
    func newReleaseID(_ slug: String) -> String {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        var micros = Int64(time.tv_sec) * 1_000_000 + Int64(time.tv_nsec / 1000)
        // Later than the live release and than every id this process issued (listing the
        // releases folder instead would cost a directory scan per publish).
        let floor = max(currentRelease(slug).flatMap(Self.microseconds(ofRelease:)) ?? 0, IssuedReleases.shared.last(slug))
        if micros <= floor { micros = floor + 1 }
        IssuedReleases.shared.record(slug, micros)
        let date = SiteDate(epochSeconds: micros / 1_000_000, offsetSeconds: 0, hasTime: true).local
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(Int64(date.year), 4))\(pad(Int64(date.month), 2))\(pad(Int64(date.day), 2))T"
            + "\(pad(Int64(date.hour), 2))\(pad(Int64(date.minute), 2))\(pad(Int64(date.second), 2)).\(pad(micros % 1_000_000, 6))Z"
    }

    /// Reads the time back out of a release id.
    static func microseconds(ofRelease id: String) -> Int64? {
        let digits = id.filter(\.isNumber)
        guard digits.count == 20,
            let day = SiteDate.parse("\(digits.prefix(4))-\(digits.dropFirst(4).prefix(2))-\(digits.dropFirst(6).prefix(2))", defaultOffsetSeconds: 0),
            let hour = Int64(digits.dropFirst(8).prefix(2)), let minute = Int64(digits.dropFirst(10).prefix(2)),
            let second = Int64(digits.dropFirst(12).prefix(2)), let fraction = Int64(digits.suffix(6))
        else { return nil }
        return (day.epochSeconds + hour * 3600 + minute * 60 + second) * 1_000_000 + fraction
    }
}

/// A generated file to publish.
public struct PublishedFile: Sendable {
    public var path: String
    public var bytes: [UInt8]

    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
    }
}

public struct PublishResult: Sendable {
    public var release: String
    public var filesWritten: Int
    public var filesLinked: Int
    public var bytesWritten: Int
    public var compressedBytes: Int
    /// Time spent writing files, links, layer markers and the manifest.
    public var writeSeconds: Double = 0
    /// Time spent waiting for the disk: the release's files and folders before the swap, and the
    /// swap with the release's rename after it.
    public var syncSeconds: Double = 0
    /// The release is live, but syncing the swap failed: after a power cut the previous release
    /// may come back. Reported, not thrown, since readers already see this release.
    public var swapSyncFailure: PublishError?

    mutating func record(_ swap: SwapOutcome) {
        syncSeconds += swap.syncSeconds
        swapSyncFailure = swap.syncFailure
    }
}

/// What making a release live did.
public struct SwapOutcome: Sendable {
    /// Time spent syncing the swap (0 when not durable).
    public var syncSeconds: Double = 0
    /// Set when the swap happened but could not be synced to disk.
    public var syncFailure: PublishError?
}

/// A publishing failure, with the path it concerns.
public struct PublishError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}

/// The newest release id each tenant got from this process.
private final class IssuedReleases: Sendable {
    static let shared = IssuedReleases()
    private let newest = Mutex<[String: Int64]>([:])

    func last(_ slug: String) -> Int64 { newest.withLock { $0[slug] ?? 0 } }

    func record(_ slug: String, _ micros: Int64) {
        newest.withLock { $0[slug] = max($0[slug] ?? 0, micros) }
    }
}
