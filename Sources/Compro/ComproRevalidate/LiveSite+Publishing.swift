import ComproModel
import ComproPublish
import ComproRender

extension LiveSite {
    struct PublishOutcome {
        var release: String
        var written: [String]
        var full: Bool
        /// Seconds spent waiting for the staging folder.
        var stagingWait: Double = 0
        /// Seconds spent writing the release's files, links, markers and manifest.
        var write: Double = 0
        /// Seconds spent waiting for the disk: the release's files before the swap, the swap after.
        var sync: Double = 0
        /// The release went live but its swap could not be synced (see `PublishResult.swapSyncFailure`).
        var swapSyncFailure: PublishError?
    }

    /// What applying a regeneration to ``manifest`` in place replaced, to put it back when the
    /// publish fails (copying a 10,000-output manifest per change would cost more than the change).
    struct ManifestUndo {
        var outputs: [String: ReleaseManifest.Output?] = [:]
        var revisions: [String: String?] = [:]
        var today: Int
        var release: String
        var archive: ArchiveLayout?

        func restore(_ manifest: inout ReleaseManifest) {
            manifest.archive = archive
            for (path, output) in outputs { manifest.outputs[path] = output }
            for (key, revision) in revisions { manifest.revisions[key] = revision }
            manifest.today = today
            manifest.release = release
        }
    }

    /// Publishes the rendered outputs: as a layer over the base (cost follows the change), or as
    /// a full release when the layer has grown past ``compactionThreshold`` or static files changed.
    /// `revisionChanges` holds the inputs whose revision changed (nil: the input is gone).
    func publish(
        renderer: SiteRenderer, outputs: [RenderedOutput], removed: Set<String>, revisionChanges: [String: String?], fullRebuild: Bool
    ) throws(RevalidationError) -> PublishOutcome {
        var changedFiles: [PublishedFile] = []
        var changedEntries: [String: ReleaseManifest.Output] = [:]
        for output in outputs {
            let digest = Digest.sha256Hex(output.bytes)
            let isAsset = output.spec == .siteCSS || output.spec == .themeCSS
            let entry = ReleaseManifest.Output(
                url: isAsset ? nil : output.spec.urlPath, sha256: digest,
                items: output.dependencies.items.map(\.rawValue).sorted(), queries: output.dependencies.queries
            )
            if manifest.outputs[output.path]?.sha256 != digest {
                changedFiles.append(PublishedFile(path: output.path, bytes: output.bytes))
            }
            if manifest.outputs[output.path] != entry { changedEntries[output.path] = entry }
        }
        let changedRevisions = Set(revisionChanges.compactMap { $0.value == nil ? nil : $0.key })
        let removedRevisions = Set(revisionChanges.compactMap { $0.value == nil ? $0.key : nil })
        let today = renderer.index.today
        let archive = renderer.index.archive

        let nothingChanged =
            changedFiles.isEmpty && removed.isEmpty && changedEntries.isEmpty && revisionChanges.isEmpty
            && manifest.today == today && manifest.archive == archive && !fullRebuild
        if nothingChanged {
            return PublishOutcome(release: layer.release, written: [], full: false)
        }

        var undo = ManifestUndo(today: manifest.today, release: manifest.release, archive: manifest.archive)
        for (path, entry) in changedEntries { undo.outputs[path] = .some(manifest.outputs.updateValue(entry, forKey: path)) }
        for path in removed { undo.outputs[path] = .some(manifest.outputs.removeValue(forKey: path)) }
        for (key, revision) in revisionChanges {
            let old = revision.map { manifest.revisions.updateValue($0, forKey: key) } ?? manifest.revisions.removeValue(forKey: key)
            undo.revisions[key] = .some(old)
        }
        manifest.today = today
        manifest.archive = archive
        do {
            let outcome = try publishApplied(
                changedFiles: changedFiles, changedEntries: Set(changedEntries.keys), removed: removed,
                changedRevisions: changedRevisions, removedRevisions: removedRevisions, renderer: renderer, fullRebuild: fullRebuild
            )
            if !outcome.full {
                for (path, old) in undo.outputs { dependencies.replace(path, old: old, new: manifest.outputs[path]) }
            }
            return outcome
        } catch {
            undo.restore(&manifest)
            throw error
        }
    }

    /// Publishes ``manifest``, which already holds the change.
    private func publishApplied(
        changedFiles: [PublishedFile], changedEntries: Set<String>, removed: Set<String>, changedRevisions: Set<String>,
        removedRevisions: Set<String>, renderer: SiteRenderer, fullRebuild: Bool
    ) throws(RevalidationError) -> PublishOutcome {
        let written = changedFiles.map(\.path)
        // Compaction normally runs in the background (LiveSite+Compaction). A layer four times
        // past the threshold with no compaction under way (it failed) gets a full release here;
        // while one is under way the layer just grows until it lands.
        if fullRebuild || (compaction == nil && layer.files.count + changedFiles.count > 4 * compactionThreshold) {
            let result = try publishFull(changedFiles: changedFiles, staticFiles: renderer.index.content.staticFiles)
            return PublishOutcome(
                release: result.release, written: written, full: true, write: result.writeSeconds, sync: result.syncSeconds,
                swapSyncFailure: result.swapSyncFailure
            )
        }

        var state = layer
        let rewritten = Set(written)
        state.files.subtract(removed)
        let kept = state.files.subtracting(rewritten)
        state.files.formUnion(rewritten)
        // `manifest` already holds the change: what exists now is neither gone nor removed.
        state.gone.formUnion(removed.intersection(state.baseOutputs))
        state.gone = state.gone.filter { manifest.outputs[$0] == nil }
        state.changedOutputs.formUnion(changedEntries)
        state.changedOutputs.subtract(removed)
        state.removedOutputs.formUnion(removed.intersection(state.baseOutputs))
        state.removedOutputs = state.removedOutputs.filter { manifest.outputs[$0] == nil }
        state.changedRevisions.formUnion(changedRevisions)
        state.changedRevisions.subtract(removedRevisions)
        state.removedRevisions.formUnion(removedRevisions)
        state.removedRevisions = state.removedRevisions.filter { manifest.revisions[$0] == nil }

        var contents = ReleaseContents(files: changedFiles, gone: state.gone.sorted(), base: state.base)
        contents.cachedManifestOutputs = layerManifestJSON(for: state.changedOutputs)
        contents.cachedManifestArchive = archiveManifestJSON()
        let waitStart = ContinuousClock.now
        let staged = takeStaging()
        let stagingWait = (ContinuousClock.now - waitStart).seconds
        // What the staging folder lacks (without one, every kept file) is linked from the live
        // layer.
        let missing = staged.map { kept.subtracting($0.files) } ?? kept
        contents.links = missing.sorted().map { ReleaseContents.Link(path: $0, fromRelease: layer.release) }
        // The next layer's folder, with links to every file of the live layer (the one just
        // published, or on failure the same one again). Started only once this publish is done:
        // beside it, it would slow it down.
        defer { startStaging() }
        let result: PublishResult
        do {
            let layerState = state
            let current = manifest
            let slug = self.slug
            let layerManifest = { (release: String, _: [String: String]) in
                ReleaseManifest(
                    tenant: slug, release: release, base: layerState.base, today: current.today,
                    revisions: Dictionary(uniqueKeysWithValues: layerState.changedRevisions.compactMap { key in current.revisions[key].map { (key, $0) } }),
                    removedRevisions: layerState.removedRevisions.sorted(),
                    outputs: Dictionary(uniqueKeysWithValues: layerState.changedOutputs.compactMap { path in current.outputs[path].map { (path, $0) } }),
                    removedOutputs: layerState.removedOutputs.sorted(), staticFiles: [:], archive: current.archive
                )
            }
            if let staged {
                result = try builder.publisher.publish(tenant: slug, contents: contents, staged: staged, dropping: removed, manifest: layerManifest)
            } else {
                result = try builder.publisher.publish(tenant: slug, contents: contents, prune: false, manifest: layerManifest)
            }
        } catch {
            throw .publish(error)
        }
        state.release = result.release
        layer = state
        manifest.release = result.release
        if var tracking = compaction {
            tracking.written.formUnion(rewritten)
            tracking.written.subtract(removed)
            tracking.removed.formUnion(removed)
            tracking.removed.subtract(rewritten)
            tracking.changedEntries.formUnion(changedEntries)
            tracking.changedRevisions.formUnion(changedRevisions)
            tracking.removedRevisions.formUnion(removedRevisions)
            compaction = tracking
        }
        return PublishOutcome(
            release: result.release, written: written, full: false, stagingWait: stagingWait, write: result.writeSeconds, sync: result.syncSeconds,
            swapSyncFailure: result.swapSyncFailure
        )
    }

    /// The JSON of the layer manifest's entries for `paths`. A layer's manifest holds every
    /// output changed since its base and is written again on every publish; each entry is written
    /// once and kept while it stays the same (checked against the entry, so a failed publish or a
    /// compaction cannot leave a stale text behind).
    func layerManifestJSON(for paths: Set<String>) -> [String: [UInt8]] {
        for path in Array(manifestJSON.keys) where !paths.contains(path) { manifestJSON[path] = nil }
        var result: [String: [UInt8]] = [:]
        for path in paths {
            guard let entry = manifest.outputs[path] else { continue }
            if let cached = manifestJSON[path], cached.entry == entry {
                result[path] = cached.bytes
            } else {
                let bytes = entry.jsonBytes()
                manifestJSON[path] = (entry, bytes)
                result[path] = bytes
            }
        }
        return result
    }

    /// The JSON of the live archive layout, written again only when the layout changed.
    func archiveManifestJSON() -> [UInt8]? {
        guard let layout = manifest.archive else { return nil }
        if let cached = archiveJSON, cached.layout == layout { return cached.bytes }
        let bytes = layout.jsonBytes()
        archiveJSON = (layout, bytes)
        return bytes
    }

    /// Writes a complete release: new files written, every other output shared by hard link with
    /// the release that holds it, static files copied.
    private func publishFull(changedFiles: [PublishedFile], staticFiles: [StaticFile]) throws(RevalidationError) -> PublishResult {
        let next = manifest
        let rewritten = Set(changedFiles.map(\.path))
        let links = next.outputs.keys.filter { !rewritten.contains($0) }.sorted().map { path in
            ReleaseContents.Link(path: path, fromRelease: layer.files.contains(path) ? layer.release : layer.base)
        }
        let result: PublishResult
        do {
            result = try builder.publisher.publish(
                tenant: slug, contents: ReleaseContents(files: changedFiles, links: links, staticFiles: staticFiles), prune: false
            ) { release, _ in
                var full = next
                full.release = release
                full.base = nil
                full.staticFiles = Dictionary(uniqueKeysWithValues: staticFiles.map { ($0.path, $0.sourcePath) })
                return full
            }
        } catch {
            throw .publish(error)
        }
        var full = next
        full.release = result.release
        compaction = nil
        staging?.abandon()
        staging = nil
        dependencies = DependencyIndex(full)
        manifest = full
        layer = LayerState(base: result.release, release: result.release, baseOutputs: Set(next.outputs.keys))
        return result
    }
}
