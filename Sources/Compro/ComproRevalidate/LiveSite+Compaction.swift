import ComproModel
import ComproPublish
import Foundation

/// Keeping layers small without pausing the tenant: once the live layer holds more than
/// ``LiveSite/compactionThreshold`` files, a full release equal to the live site is assembled in
/// the background (hard links, no rendering), while changes keep being published as layers.
/// When it is ready, the changes made meanwhile are re-layered on it and it goes live.
extension LiveSite {
    /// The live site when a compaction started.
    struct CompactionSnapshot: Sendable {
        var release: String
        var base: String
        var layerFiles: Set<String>
        var manifest: ReleaseManifest
    }

    /// What changed while a compaction was running.
    struct CompactionTracking {
        var written: Set<String> = []
        var removed: Set<String> = []
        var changedEntries: Set<String> = []
        var changedRevisions: Set<String> = []
        var removedRevisions: Set<String> = []
    }

    var compactionDue: Bool { compaction == nil && layer.files.count > compactionThreshold }

    func startCompaction() -> CompactionSnapshot {
        compaction = CompactionTracking()
        return CompactionSnapshot(release: layer.release, base: layer.base, layerFiles: layer.files, manifest: manifest)
    }

    /// Builds the full release of `snapshot` by hard links; safe off the tenant's queue.
    static func buildFull(_ snapshot: CompactionSnapshot, slug: String, publisher: Publisher) throws(PublishError) -> String {
        var links = snapshot.manifest.outputs.keys.sorted().map { path in
            ReleaseContents.Link(path: path, fromRelease: snapshot.layerFiles.contains(path) ? snapshot.release : snapshot.base)
        }
        links += snapshot.manifest.staticFiles.keys.sorted().map { ReleaseContents.Link(path: $0, fromRelease: snapshot.base) }
        let result = try publisher.prepare(tenant: slug, contents: ReleaseContents(files: [], links: links)) { release, _ in
            var full = snapshot.manifest
            full.release = release
            full.base = nil
            return full
        }
        return result.release
    }

    /// How finishing a compaction went.
    enum CompactionOutcome {
        case finished
        /// Stopped by `error`; the live site is unchanged and a later change starts a new one.
        case failed(PublishError)
        /// The compacted release is live, but its swap could not be synced to disk.
        case liveButNotSynced(PublishError)
    }

    /// Makes the compacted release the base of the live site (on the tenant's queue).
    func finishCompaction(_ built: Result<String, PublishError>, snapshot: CompactionSnapshot) -> CompactionOutcome {
        defer { compaction = nil }
        let publisher = builder.publisher
        let full: String
        switch built {
        case .success(let release): full = release
        case .failure(let error): return .failed(error)
        }
        guard let tracking = compaction, publisher.currentRelease(slug) == layer.release else {
            // Superseded (a full release was published meanwhile, or another process published).
            try? FileManager.default.removeItem(atPath: "\(publisher.releasesDirectory(slug))/\(full)")
            return .finished
        }
        let fullOutputs = Set(snapshot.manifest.outputs.keys)
        if layer.release == snapshot.release {
            let outcome: SwapOutcome
            do { outcome = try publisher.activate(slug, release: full) } catch { return .failed(error) }
            // Live from here on, even if the swap could not be synced: the state follows what
            // readers see, and the sync failure is returned to be logged.
            layer = LayerState(base: full, release: full, baseOutputs: fullOutputs)
            manifest.release = full
            startStaging()
            return outcome.syncFailure.map(CompactionOutcome.liveButNotSynced) ?? .finished
        }
        // Changes published while compacting become a layer over the new base.
        let files = tracking.written.intersection(manifest.outputs.keys)
        let gone = tracking.removed.intersection(fullOutputs).subtracting(manifest.outputs.keys)
        let changedOutputs = tracking.changedEntries.intersection(manifest.outputs.keys)
        let changedRevisions = tracking.changedRevisions.filter { manifest.revisions[$0] != nil }
        let removedRevisions = tracking.removedRevisions.filter { manifest.revisions[$0] == nil }
        let links = files.sorted().map { ReleaseContents.Link(path: $0, fromRelease: layer.release) }
        let current = manifest
        let slug = self.slug
        let result: PublishResult
        do {
            result = try publisher.publish(
                tenant: slug, contents: ReleaseContents(files: [], links: links, gone: gone.sorted(), base: full), prune: false,
                manifest: { release, _ in
                    ReleaseManifest(
                        tenant: slug, release: release, base: full, today: current.today,
                        revisions: Dictionary(uniqueKeysWithValues: changedRevisions.compactMap { key in current.revisions[key].map { (key, $0) } }),
                        removedRevisions: removedRevisions.sorted(),
                        outputs: Dictionary(uniqueKeysWithValues: changedOutputs.compactMap { path in current.outputs[path].map { (path, $0) } }),
                        removedOutputs: gone.sorted(), staticFiles: [:], archive: current.archive
                    )
                })
        } catch {
            return .failed(error)
        }
        var state = LayerState(base: full, release: result.release, baseOutputs: fullOutputs)
        state.files = files
        state.gone = gone
        state.changedOutputs = changedOutputs
        state.removedOutputs = gone
        state.changedRevisions = changedRevisions
        state.removedRevisions = removedRevisions
        layer = state
        manifest.release = result.release
        startStaging()
        return result.swapSyncFailure.map(CompactionOutcome.liveButNotSynced) ?? .finished
    }
}
