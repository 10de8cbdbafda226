import ComproBuild
import ComproContent
import ComproModel
import ComproPublish
import Dispatch
import Foundation
import Logging
import Synchronization

/// Regenerates tenants' sites on request: each tenant serially (bursts coalesced into one
/// regeneration), different tenants in parallel.
package final class Revalidator: Sendable {
    package let builder: SiteBuilder
    /// Layer size (files) past which a full release is written instead of a layer.
    package let compactionThreshold: Int
    private let workers = WorkerTable()
    private let sourced: SourcedTenants
    private let serviceSource: (any ServiceContentSource)?
    /// What the engine and the daemon around it record.
    package let metrics: DaemonMetrics

    let logger: Logger

    /// - Parameter contentSources: read tenants whose `tenant.yml` names a source other than
    ///   their folder (`source: cms`); a tenant naming a source not among them fails its
    ///   changes, naming it.
    /// - Parameter serviceSource: reads the tournaments and athletes of tenants whose `tenant.yml`
    ///   names a service for them (`gms:`, `athletes:`); without one such a tenant's changes fail,
    ///   naming it.
    /// - Parameter metrics: where regenerations, failures and the daemon's events are counted.
    package init(
        builder: SiteBuilder, compactionThreshold: Int = 100, contentSources: ContentSources = ContentSources(),
        serviceSource: (any ServiceContentSource)? = nil, metrics: DaemonMetrics = .discarded, logger: Logger = Logger(label: "koni.revalidate")
    ) {
        self.builder = builder
        self.metrics = metrics
        self.compactionThreshold = compactionThreshold
        self.logger = logger
        self.serviceSource = serviceSource
        sourced = SourcedTenants(source: builder.source, sources: contentSources)
    }

    /// Applies `changes` (and re-renders `paths`) for `tenant`; returns when the result is
    /// durably published (or failed, leaving the live site as it was).
    ///
    /// Requests that arrive while the tenant is regenerating wait and are served together by
    /// the next regeneration.
    ///
    /// A tenant whose `tenant.yml` says `source: cms` first brings its mirror up to date: the
    /// first time by reading the CMS's export, after that by reading only what changed since the
    /// mirror's cursor (the change named in `changes` is a hint; the CMS's change feed says what
    /// changed, so a lost, repeated or reordered event costs nothing). That happens before the
    /// tenant's turn, so a slow CMS holds up only this request. A CMS that cannot be reached or
    /// answers with an error throws ``RevalidationError/content(_:)`` naming it, and nothing is
    /// published.
    package func revalidate(
        tenant: String, changes: [ContentChange] = [], paths: [String] = [], rescan: Bool = false
    ) async throws(RevalidationError) -> Regeneration {
        try checkTenant(tenant)
        var mirror: (any ContentMirror)?
        var snapshots: [ContentKind: ItemSnapshot] = [:]
        do throws(ContentErrors) {
            if let tenantMirror = try sourced.mirror(tenant) {
                try await tenantMirror.catchUp()
                mirror = tenantMirror
            }
            // A service's export is read on every change of such a branch (one request each): the
            // daemon then never publishes its pages without those items, whatever it restarted from.
            let (services, timeZone) = try sourced.services(tenant)
            for (kind, url) in services {
                guard let serviceSource else {
                    throw ContentErrors([
                        ContentError(file: "\(tenant)/tenant.yml", "names a service for \(kind.folder), but this process was started without a service source")
                    ])
                }
                snapshots[kind] = try await serviceSource.snapshot(of: kind, tenant: tenant, from: url, timeZone: timeZone)
            }
        } catch {
            throw .content(error)
        }
        let worker = workers.worker(for: tenant, builder: builder, compactionThreshold: compactionThreshold, metrics: metrics, logger: logger)
        return try await worker.submit(TenantWorker.Batch(changes: changes, paths: paths, rescan: rescan, mirror: mirror, snapshots: snapshots))
    }

    /// For a `source: cms` tenant, makes sure the live site is the CMS's content even when
    /// events were lost: compares the mirror with the CMS's digest (or, before the mirror is
    /// loaded, the cursor stored beside the live release with the CMS's latest) and regenerates
    /// when they differ. Nil when nothing was to be done or the tenant is a folder tenant.
    package func reconcile(tenant: String) async throws(RevalidationError) -> Regeneration? {
        try checkTenant(tenant)
        let changed: Bool
        do throws(ContentErrors) {
            guard let mirror = try sourced.mirror(tenant) else { return nil }
            if mirror.isLoaded {
                changed = try await mirror.reconcile()
            } else {
                let stored = SourceCursorFile.read(tenant, publisher: builder.publisher, origin: mirror.origin)
                changed = try await stored != mirror.sourceCursor()
            }
        } catch {
            throw .content(error)
        }
        guard changed else { return nil }
        return try await revalidate(tenant: tenant)
    }

    private func checkTenant(_ tenant: String) throws(RevalidationError) {
        guard Slug.isValid(tenant),
            FileManager.default.fileExists(atPath: "\(builder.source.tenantDirectory(tenant))/tenant.yml")
        else {
            throw .unknownTenant(tenant)
        }
    }

    /// Blocks until the housekeeping that regenerations started (staging the next layer,
    /// compaction, pruning) has finished, for every tenant: for benchmarks that measure a change
    /// on a settled tenant, and for tests.
    package func waitForHousekeeping() { BackgroundThread.waitUntilIdle() }

    /// Tenants regenerated at least once by this process.
    package func openTenants() -> [String] { workers.slugs() }

    /// Tenants whose folders exist.
    package func tenants() -> [String] {
        (try? builder.source.tenantSlugs()) ?? []
    }
}

private final class WorkerTable: Sendable {
    private let workers = Mutex<[String: TenantWorker]>([:])

    func slugs() -> [String] { workers.withLock { $0.keys.sorted() } }

    func worker(for slug: String, builder: SiteBuilder, compactionThreshold: Int, metrics: DaemonMetrics, logger: Logger) -> TenantWorker {
        workers.withLock { workers in
            if let worker = workers[slug] { return worker }
            let worker = TenantWorker(slug: slug, builder: builder, compactionThreshold: compactionThreshold, metrics: metrics, logger: logger)
            workers[slug] = worker
            return worker
        }
    }
}

/// Runs one tenant's regenerations on its own serial queue.
final class TenantWorker: @unchecked Sendable {
    struct Batch {
        var changes: [ContentChange] = []
        var paths: [String] = []
        var rescan = false
        /// Where the tenant's content comes from, for `source: cms` tenants.
        var mirror: (any ContentMirror)?
        /// Items services keep for the tenant (`gms:`, `athletes:`), read for this batch.
        var snapshots: [ContentKind: ItemSnapshot] = [:]
    }

    private let slug: String
    private let builder: SiteBuilder
    private let compactionThreshold: Int
    private let metrics: DaemonMetrics
    let logger: Logger
    private let queue: DispatchQueue
    /// What callers have submitted and the queue has not yet taken.
    private struct Queued {
        var pending = Batch()
        var waiters: [CheckedContinuation<Regeneration, any Error>] = []
        var scheduled = false
    }
    private let queued = Mutex(Queued())
    // Touched only on `queue`; the reason this class is `@unchecked Sendable`.
    private var site: LiveSite?

    init(slug: String, builder: SiteBuilder, compactionThreshold: Int, metrics: DaemonMetrics, logger: Logger) {
        self.slug = slug
        self.metrics = metrics
        self.builder = builder
        self.compactionThreshold = compactionThreshold
        self.logger = logger
        queue = DispatchQueue(label: "koni.revalidate.\(slug)")
    }

    func submit(_ batch: Batch) async throws(RevalidationError) -> Regeneration {
        do {
            return try await withCheckedThrowingContinuation { continuation in
                let startDraining = queued.withLock { queued in
                    queued.pending.changes += batch.changes
                    queued.pending.paths += batch.paths
                    queued.pending.rescan = queued.pending.rescan || batch.rescan
                    queued.pending.mirror = batch.mirror ?? queued.pending.mirror
                    // Requests read GMS before their turn, so the latest read wins, not the latest to arrive.
                    for (kind, snapshot) in batch.snapshots where snapshot.isAtLeast(queued.pending.snapshots[kind]) {
                        queued.pending.snapshots[kind] = snapshot
                    }
                    queued.waiters.append(continuation)
                    defer { queued.scheduled = true }
                    return !queued.scheduled
                }
                if startDraining { queue.async { self.drain() } }
            }
        } catch let error as RevalidationError {
            throw error
        } catch {
            throw .publish(.init(path: slug, reason: "\(error)"))
        }
    }

    private func drain() {
        while true {
            let (batch, continuations) = queued.withLock { queued in
                defer { queued = Queued(pending: Batch(), waiters: [], scheduled: !queued.waiters.isEmpty) }
                return (queued.pending, queued.waiters)
            }
            if continuations.isEmpty { return }
            let result = run(batch)
            for continuation in continuations { continuation.resume(with: result) }
            startCompactionIfDue()
            // Deleting old releases can take long (a full release is thousands of files); it
            // must not delay the next change, and is safe beside a publish.
            let publisher = builder.publisher
            let slug = self.slug
            BackgroundThread.run(name: "prune-\(slug)") { publisher.prune(slug) }
        }
    }

    /// Starts assembling a full release in the background when the live layer has grown; its
    /// last step runs back on this tenant's queue, between regenerations.
    private func startCompactionIfDue() {
        guard let site, site.compactionDue else { return }
        let snapshot = site.startCompaction()
        var background = builder.publisher
        background.singleThreaded = true
        let publisher = background
        let slug = self.slug
        let box = SiteBox(site)
        BackgroundThread.run(name: "compaction-\(slug)") {
            let built = Result { () throws(PublishError) in try LiveSite.buildFull(snapshot, slug: slug, publisher: publisher) }
            BackgroundThread.finish(on: self.queue) {
                // Only the site that started it may finish it (it may have been reopened since).
                guard self.site === box.site else { return }
                switch box.site.finishCompaction(built, snapshot: snapshot) {
                case .finished:
                    break
                case .failed(let error):
                    self.metrics.compactionFailed(tenant: slug)
                    self.logger.error("compaction failed; layers go on", metadata: ["tenant": "\(slug)", "error": "\(error)"])
                case .liveButNotSynced(let error):
                    self.metrics.unsyncedSwap(tenant: slug)
                    self.logger.error("compacted release published, but not durably", metadata: ["tenant": "\(slug)", "error": "\(error)"])
                }
            }
        }
    }

    /// A cursor that cannot be stored only makes the next start read the CMS's export once more.
    private func recordCursor(_ cursor: String, origin: String, release: String) {
        do throws(PublishError) {
            try SourceCursorFile.store(cursor, origin: origin, release: release, tenant: slug, publisher: builder.publisher)
        } catch {
            logger.warning("cannot store the CMS cursor beside the release", metadata: ["tenant": "\(slug)", "error": "\(error)"])
        }
    }

    private func run(_ batch: Batch) -> Result<Regeneration, any Error> {
        let started = ContinuousClock.now
        do throws(RevalidationError) {
            // Another process (a `build`, a `rollback`) may have published since: start again
            // from what is live.
            if let site, builder.publisher.currentRelease(slug) != site.layer.release { self.site = nil }
            // A tenant that moved between its folder and the CMS is opened again.
            if let site, site.files.isExternal != (batch.mirror != nil) { self.site = nil }
            let site: LiveSite
            var cursor: String?
            if let existing = self.site {
                site = existing
                if let changes = batch.mirror?.takeChanges(everything: false) {
                    site.files.apply(changes)
                    cursor = changes.cursor
                }
            } else {
                var external: MirrorChanges?
                if let mirror = batch.mirror {
                    guard let changes = mirror.takeChanges(everything: true) else {
                        throw .content(ContentErrors([ContentError(file: "\(slug)/tenant.yml", "the CMS's content has not been read yet")]))
                    }
                    external = changes
                    cursor = changes.cursor
                }
                site = try LiveSite(slug: slug, builder: builder, external: external, snapshots: Array(batch.snapshots.values))
                site.compactionThreshold = compactionThreshold
                self.site = site
            }
            for snapshot in batch.snapshots.values { site.files.supply(snapshot) }
            let regeneration = try site.regenerate(changes: batch.changes, paths: batch.paths, rescan: batch.rescan)
            if let cursor, let origin = batch.mirror?.origin { recordCursor(cursor, origin: origin, release: regeneration.release) }
            metrics.regenerated(tenant: slug, rendered: regeneration.rendered, written: regeneration.written.count, since: started)
            if let warning = regeneration.durabilityWarning {
                metrics.unsyncedSwap(tenant: slug)
                logger.error("published, but not durably", metadata: ["tenant": "\(slug)", "release": "\(regeneration.release)", "error": "\(warning)"])
            }
            return .success(regeneration)
        } catch {
            metrics.regenerationFailed(tenant: slug)
            // A failed attempt may have left the in-memory state ahead of what is live.
            if case .publish = error { site = nil }
            return .failure(error)
        }
    }
}

/// Carries a tenant's site to its own queue; it is only ever touched there.
private final class SiteBox: @unchecked Sendable {
    let site: LiveSite
    init(_ site: LiveSite) { self.site = site }
}
