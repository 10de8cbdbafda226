import ComproBuild
import ComproContent
import ComproModel
import ComproPublish
import ComproRender
import Foundation

/// One tenant's published site as the daemon keeps it: the parsed content, the complete manifest
/// of the live release, and which files the current layer holds on top of its base.
///
/// Not thread-safe: a ``Revalidator`` runs one tenant's regenerations one after another.
final class LiveSite {
    let slug: String
    let builder: SiteBuilder
    var files: TenantFiles
    /// Manifest of the live site, layers merged.
    var manifest: ReleaseManifest
    var dependencies: DependencyIndex
    var layer: LayerState
    /// The content index of the live site, to compare a change against.
    var liveIndex: ContentIndex?
    /// Items changed since the live release (kept until a regeneration publishes them); nil
    /// when unknown (first regeneration, settings changed), which makes every input compared.
    var pendingTouched: Set<ItemID>? = nil
    /// The live site's plan, reused while no item appears or disappears (LiveSite+Plan).
    var livePlan: LivePlan?
    /// Set while a full release is being assembled in the background.
    var compaction: CompactionTracking?
    /// The layer manifest's entries as JSON, with the entry each was written from; see
    /// ``layerManifestJSON(for:)``.
    var manifestJSON: [String: (entry: ReleaseManifest.Output, bytes: [UInt8])] = [:]
    /// The archive layout as JSON, with the layout it was written from: a layer's manifest carries
    /// the whole layout, which changes only when an archive page closes.
    var archiveJSON: (layout: ArchiveLayout, bytes: [UInt8])?
    /// The next layer's staging folder, being prepared (see LiveSite+Staging).
    var staging: StagingJob?

    /// Publishing a layer links every file of the previous layer; past this many a full release
    /// is written instead, so the cost of a change stays bounded.
    var compactionThreshold = 100

    /// What the live layer adds to its base.
    struct LayerState {
        /// The full release every layer since the last full publish builds on.
        var base: String
        /// The release that holds the layer's files now (the live release).
        var release: String
        /// Output paths whose file lives in the layer.
        var files: Set<String> = []
        /// Output paths of the base deleted since.
        var gone: Set<String> = []
        /// Outputs and revisions whose manifest entries differ from the base's.
        var changedOutputs: Set<String> = []
        var removedOutputs: Set<String> = []
        var changedRevisions: Set<String> = []
        var removedRevisions: Set<String> = []
        /// Outputs of the base (for deciding whether a deletion needs a gone marker).
        var baseOutputs: Set<String>
    }

    /// Fault injection for crash tests only, compiled into debug builds alone (a release build,
    /// the one that is deployed, never reads it): `KONI_FAULT_PUBLISH_DELAY_MS` makes every
    /// regeneration wait that long between rendering and publishing, so a test can kill the
    /// daemon in the middle of one.
    #if DEBUG
        static let faultDelay: TimeInterval? = ProcessInfo.processInfo.environment["KONI_FAULT_PUBLISH_DELAY_MS"]
            .flatMap(Double.init).map { min(max($0, 0), 600_000) / 1000 }
    #else
        static let faultDelay: TimeInterval? = nil
    #endif

    /// Opens the tenant: loads its files (or takes a mirror's complete content) and the live
    /// manifest, publishing a full build first when there is no usable live release.
    /// - Parameter snapshots: the items services keep for the tenant (`gms:`, `athletes:`), there
    ///   before anything is built, so that no release of the branch is ever published without them.
    init(slug: String, builder: SiteBuilder, external: MirrorChanges? = nil, snapshots: [ItemSnapshot] = []) throws(RevalidationError) {
        self.slug = slug
        self.builder = builder
        do {
            if let external {
                files = try TenantFiles(source: builder.source, slug: slug, external: external)
            } else {
                files = try TenantFiles(source: builder.source, slug: slug)
            }
        } catch {
            throw .content(error)
        }
        for snapshot in snapshots { files.supply(snapshot) }
        let publisher = builder.publisher
        // First, as one of them may hold the live release after a power cut.
        do { try publisher.recoverInterruptedSwap(slug) } catch { throw .publish(error) }
        // Prepared layer folders of an earlier daemon are of no use: they are made again.
        publisher.removeStagedLayers(slug)
        if let current = publisher.currentRelease(slug), let complete = publisher.completeManifest(slug, release: current) {
            let own = publisher.manifest(slug, release: current)
            manifest = complete
            let base = own?.base ?? current
            var state = LayerState(base: base, release: current, baseOutputs: Set(publisher.manifest(slug, release: base)?.outputs.keys ?? [:].keys))
            if let own, own.base != nil {
                state.files = Set(own.outputs.keys).filter { FileManager.default.fileExists(atPath: "\(publisher.releasesDirectory(slug))/\(current)/\($0)") }
                state.changedOutputs = Set(own.outputs.keys)
                state.removedOutputs = Set(own.removedOutputs)
                state.gone = Set(own.removedOutputs).intersection(state.baseOutputs)
                state.changedRevisions = Set(own.revisions.keys)
                state.removedRevisions = Set(own.removedRevisions)
            }
            layer = state
            dependencies = DependencyIndex(complete)
        } else {
            let content: SiteContent
            do { content = try files.content().content } catch { throw .content(error) }
            let report: BuildReport
            do { report = try builder.build(content: content) } catch { throw .build(error) }
            guard let fresh = publisher.manifest(slug, release: report.release) else {
                throw .build(.publish(PublishError(path: publisher.currentLink(slug), reason: "published release has no manifest")))
            }
            manifest = fresh
            dependencies = DependencyIndex(fresh)
            layer = LayerState(base: report.release, release: report.release, baseOutputs: Set(fresh.outputs.keys))
        }
    }

    deinit { staging?.abandon() }

    /// Applies `changes` to the in-memory content (re-reading what they name) and publishes
    /// exactly the outputs whose inputs changed. `paths` are site paths to re-render regardless.
    func regenerate(changes: [ContentChange], paths: [String], rescan: Bool) throws(RevalidationError) -> Regeneration {
        let clock = ContinuousClock()
        let start = clock.now
        var fullRebuild = false
        for change in changes {
            switch change.entity {
            case .theme, .settings:
                do { try files.reloadConfig(force: true) } catch { throw .content(error) }
            case .templates:
                builder.forgetTemplates()
            default:
                if let kind = change.contentKind { files.reload(kind: kind, slug: change.slug) }
            }
        }
        if rescan {
            do { try files.reloadConfig(force: false) } catch { throw .content(error) }
            fullRebuild = files.rescan().staticFiles
        }
        // Facts about the live site for every item the change can touch, taken before the live
        // index is let go, so the content's arrays are changed in place (see ``ContentFacts``).
        let candidates = files.changeCandidates().union(pendingTouched ?? [])
        let oldFacts = liveIndex.map { ContentFacts($0, ids: candidates) }
        let oldTables = liveIndex?.orderTables
        liveIndex = nil
        let content: SiteContent
        let touched: Set<ItemID>?
        do {
            let result = try files.content()
            content = result.content
            // Accumulated until published, so a failed attempt loses nothing.
            if let fresh = result.changed, oldFacts != nil, let pending = pendingTouched, fresh.isSubset(of: candidates) {
                pendingTouched = pending.union(fresh)
            } else {
                pendingTouched = nil
            }
            touched = pendingTouched
        } catch {
            throw .content(error)
        }
        let assembled = clock.now
        var newFacts = touched.map { ContentFacts(content, ids: $0) }
        let kept = touched.flatMap { touched in oldFacts.flatMap { newFacts?.kindsInPlace(since: $0, touched: touched) } } ?? []
        let renderer: SiteRenderer
        do {
            // The live release's archive layout, so that its archive pages keep their numbers.
            renderer = try builder.renderer(for: content, reusing: kept.isEmpty ? nil : oldTables, kept: kept, archive: manifest.archive)
        } catch {
            throw .build(error)
        }
        newFacts?.today = renderer.index.today
        if let touched { newFacts?.noteArchive(renderer.index, ids: touched) }
        // A change can make new files without touching static/: an article whose cover becomes a
        // photo that led no page before needs that photo's Open Graph card. Layers carry only
        // pages, so a different set of static files is published as a full release.
        if !fullRebuild, !staticPathsMatch(renderer.index.content.staticFiles) { fullRebuild = true }
        let loaded = clock.now

        // Inputs whose revision changed: the touched items' (and the site-wide inputs'), or all
        // when unknown. A nil value: the input is gone.
        var revisionChanges: [String: String?] = [:]
        if let touched {
            let current = renderer.index.revisions(of: touched)
            for id in touched where manifest.revisions[id.rawValue] != current[id] {
                revisionChanges[id.rawValue] = .some(current[id])
            }
            for (id, revision) in renderer.siteRevisions where manifest.revisions[id.rawValue] != revision {
                revisionChanges[id.rawValue] = .some(revision)
            }
        } else {
            let revisions = renderer.revisions
            for (id, revision) in revisions where manifest.revisions[id.rawValue] != revision {
                revisionChanges[id.rawValue] = .some(revision)
            }
            for key in manifest.revisions.keys where revisions[ItemID(rawValue: key)] == nil {
                revisionChanges[key] = .some(nil)
            }
        }
        let changedInputs = Set(revisionChanges.keys)

        let selection = touched.flatMap { touched in
            oldFacts.flatMap { old in newFacts.map { QuerySelection(old: old, new: $0, touched: touched) } }
        }
        let stylesheets = [renderer.filePath(of: .siteCSS), renderer.filePath(of: .themeCSS)]
        let choice = choosePlan(renderer, selection: selection, stylesheets: stylesheets, fullRebuild: fullRebuild)
        let plan = choice.paths
        var stale = Set<String>()
        for key in changedInputs { stale.formUnion(dependencies.itemOutputs[key] ?? []) }
        for (key, answer) in dependencies.answers {
            guard let query = dependencies.parsed[key] ?? nil else {
                stale.formUnion(dependencies.queryOutputs[key] ?? [])
                continue
            }
            if selection?.mayHaveChanged(key, query) == false { continue }
            if renderer.index.evaluate(query) != answer { stale.formUnion(dependencies.queryOutputs[key] ?? []) }
        }
        if !paths.isEmpty {
            let forced = Set(paths.map { $0.hasSuffix("/") ? $0 : $0 + "/" } + paths)
            for (path, spec) in plan where forced.contains(spec.urlPath) { stale.insert(path) }
        }
        if fullRebuild { stale = Set(plan.keys) }
        var removed = Set<String>()
        if let difference = choice.difference {
            for path in difference.added where manifest.outputs[path] == nil { stale.insert(path) }
            removed = Set(difference.dropped.filter { plan[$0] == nil && manifest.outputs[$0] != nil })
        } else if choice.changed {
            for path in plan.keys where manifest.outputs[path] == nil { stale.insert(path) }
            removed = Set(manifest.outputs.keys.lazy.filter { plan[$0] == nil })
        }
        let toRender = stale.compactMap { path in plan[path].map { (path, $0) } }
        let planned = clock.now
        let rendered = ParallelMap.map(toRender) { path, spec -> Result<RenderedOutput, RenderError> in
            do throws(RenderError) { return .success(try renderer.render(spec)) } catch { return .failure(error) }
        }
        var outputs: [RenderedOutput] = []
        for result in rendered {
            switch result {
            case .success(let output): outputs.append(output)
            case .failure(let error): throw .render(error)
            }
        }
        let renderedAt = clock.now
        if let delay = Self.faultDelay { Thread.sleep(forTimeInterval: delay) }
        let result = try publish(
            renderer: renderer, outputs: outputs, removed: removed, revisionChanges: revisionChanges, fullRebuild: fullRebuild
        )
        let finished = clock.now
        liveIndex = renderer.index
        if choice.changed {
            livePlan = LivePlan(paths: plan, order: choice.order, stylesheets: stylesheets, pageCounts: renderer.index.archivePageCounts)
        }
        pendingTouched = []
        return Regeneration(
            tenant: slug, release: result.release, rendered: outputs.count, written: result.written, removed: removed.sorted(),
            fullRelease: result.full, loadSeconds: (loaded - start).seconds, renderSeconds: (renderedAt - loaded).seconds,
            publishSeconds: (finished - renderedAt).seconds,
            phases: [
                "read": (assembled - start).seconds, "prepare": (loaded - assembled).seconds, "plan": (planned - loaded).seconds,
                "render": (renderedAt - planned).seconds, "publish": (finished - renderedAt).seconds, "wait": result.stagingWait, "write": result.write,
                "sync": result.sync,
            ],
            durabilityWarning: result.swapSyncFailure.map { "the release is live but its swap was not synced to disk: \($0)" }
        )
    }

    /// Whether `files` are the static files the live release has (by site path).
    func staticPathsMatch(_ files: [StaticFile]) -> Bool {
        files.count == manifest.staticFiles.count && files.allSatisfy { manifest.staticFiles[$0.path] != nil }
    }
}

/// What one regeneration did.
package struct Regeneration: Sendable, Codable {
    package var tenant: String
    package var release: String
    /// Outputs rendered (their inputs changed).
    package var rendered: Int
    /// Site paths whose files were written (rendered and different from before).
    package var written: [String]
    /// Site paths deleted.
    package var removed: [String]
    /// Whether a full release was written (first publish, compaction or a static-file change).
    package var fullRelease: Bool
    package var loadSeconds: Double
    package var renderSeconds: Double
    package var publishSeconds: Double
    /// Seconds per step: read (re-read and assemble content), prepare (renderer), plan (what is
    /// stale), render, publish; and the parts of publish spent waiting for the staging folder
    /// (wait), writing the release (write) and waiting for the disk (sync).
    package var phases: [String: Double]
    /// Set when the release went live but could not be made durable: a power cut may bring the
    /// previous release back. The change is published (readers see it); this is for the logs.
    package var durabilityWarning: String?
}

/// Why a regeneration failed; the live site is unchanged in every case.
package enum RevalidationError: Error, Sendable, CustomStringConvertible {
    case content(ContentErrors)
    case build(BuildFailure)
    case render(RenderError)
    case publish(PublishError)
    case unknownTenant(String)

    package var description: String {
        switch self {
        case .content(let errors): errors.description
        case .build(let failure): failure.description
        case .render(let error): error.description
        case .publish(let error): error.description
        case .unknownTenant(let slug): "unknown tenant '\(slug)'"
        }
    }
}
