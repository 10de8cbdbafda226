import ComproModel
import ComproPublish
import ComproRender

extension LiveSite {
    struct PublishOutcome {
        var release: String
        var written: [String]
        var full: Bool
    }

    /// Publishes the rendered outputs: as a layer over the base (cost follows the change), or as
    /// a full release when the layer has grown past ``compactionThreshold`` or static files changed.
    func publish(
        renderer: SiteRenderer, outputs: [RenderedOutput], removed: Set<String>, revisions: [String: String],
        changedInputs: Set<String>, fullRebuild: Bool
    ) throws(RevalidationError) -> PublishOutcome {
        var next = manifest
        var changedFiles: [PublishedFile] = []
        var changedEntries: Set<String> = []
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
            if manifest.outputs[output.path] != entry {
                next.outputs[output.path] = entry
                changedEntries.insert(output.path)
            }
        }
        for path in removed { next.outputs[path] = nil }
        let changedRevisions = changedInputs.filter { revisions[$0] != nil }
        let removedRevisions = changedInputs.filter { revisions[$0] == nil }
        next.revisions = revisions
        next.today = renderer.index.today

        let nothingChanged = changedFiles.isEmpty && removed.isEmpty && changedEntries.isEmpty && changedRevisions.isEmpty
            && removedRevisions.isEmpty && manifest.today == next.today && !fullRebuild
        if nothingChanged {
            return PublishOutcome(release: layer.release, written: [], full: false)
        }
        let written = changedFiles.map(\.path)
        // Compaction normally runs in the background (LiveSite+Compaction); a layer four times
        // past the threshold means it cannot keep up, and a full release is written here.
        if fullRebuild || layer.files.count + changedFiles.count > 4 * compactionThreshold {
            let release = try publishFull(next, changedFiles: changedFiles, staticFiles: renderer.index.content.staticFiles)
            return PublishOutcome(release: release, written: written, full: true)
        }

        var state = layer
        let rewritten = Set(written)
        state.files.subtract(removed)
        let links = state.files.subtracting(rewritten).sorted().map { ReleaseContents.Link(path: $0, fromRelease: layer.release) }
        state.files.formUnion(rewritten)
        state.gone.formUnion(removed.intersection(state.baseOutputs))
        state.gone.subtract(next.outputs.keys)
        state.changedOutputs.formUnion(changedEntries)
        state.changedOutputs.subtract(removed)
        state.removedOutputs.formUnion(removed.intersection(state.baseOutputs))
        state.removedOutputs.subtract(next.outputs.keys)
        state.changedRevisions.formUnion(changedRevisions)
        state.changedRevisions.subtract(removedRevisions)
        state.removedRevisions.formUnion(removedRevisions)
        state.removedRevisions.subtract(revisions.keys)

        let contents = ReleaseContents(files: changedFiles, links: links, gone: state.gone.sorted(), base: state.base)
        let layerState = state
        let result: PublishResult
        do {
            result = try builder.publisher.publish(tenant: slug, contents: contents, prune: false) { release, _ in
                ReleaseManifest(
                    tenant: slug, release: release, base: layerState.base, today: next.today,
                    revisions: Dictionary(uniqueKeysWithValues: layerState.changedRevisions.compactMap { key in revisions[key].map { (key, $0) } }),
                    removedRevisions: layerState.removedRevisions.sorted(),
                    outputs: Dictionary(uniqueKeysWithValues: layerState.changedOutputs.compactMap { path in next.outputs[path].map { (path, $0) } }),
                    removedOutputs: layerState.removedOutputs.sorted(), staticFiles: [:]
                )
            }
        } catch {
            throw .publish(error)
        }
        state.release = result.release
        layer = state
        next.release = result.release
        updateDependencies(to: next, changed: changedEntries, removed: removed)
        manifest = next
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
        return PublishOutcome(release: result.release, written: written, full: false)
    }

    private func updateDependencies(to next: ReleaseManifest, changed: Set<String>, removed: Set<String>) {
        for path in changed { dependencies.replace(path, old: manifest.outputs[path], new: next.outputs[path]) }
        for path in removed { dependencies.replace(path, old: manifest.outputs[path], new: nil) }
    }

    /// Writes a complete release: new files written, every other output shared by hard link with
    /// the release that holds it, static files copied.
    private func publishFull(_ next: ReleaseManifest, changedFiles: [PublishedFile], staticFiles: [StaticFile]) throws(RevalidationError) -> String {
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
        dependencies = DependencyIndex(full)
        manifest = full
        layer = LayerState(base: result.release, release: result.release, baseOutputs: Set(next.outputs.keys))
        return result.release
    }
}
