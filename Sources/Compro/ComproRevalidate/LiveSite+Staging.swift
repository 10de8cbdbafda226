import ComproPublish
import Foundation

/// The next layer, prepared while the tenant waits for its next change: a staging folder with
/// links to every file of the live layer (``Publisher/stage(tenant:release:files:)``), so that
/// the next publish costs its own files, not the layer's size.
extension LiveSite {
    /// Starts preparing the next layer: a folder with links to every file of the live layer
    /// (nothing to prepare for an empty layer). It serves the next publish if that layer is
    /// still the live one.
    func startStaging() {
        staging?.abandon()
        staging = nil
        guard !layer.files.isEmpty else { return }
        let job = StagingJob(release: layer.release, files: layer.files, publisher: builder.publisher)
        staging = job
        let publisher = builder.publisher
        let slug = self.slug
        // Normal priority: the next regeneration may be waiting for it.
        BackgroundThread.run(name: "stage-\(slug)", niceness: 0) {
            job.finish(Result { () throws(PublishError) in try publisher.stage(tenant: slug, release: job.release, files: job.files) })
        }
    }

    /// The prepared folder, once it is ready; nil when there is none or it no longer matches the
    /// live layer (it is then thrown away). It may lack files of the live layer (the caller links
    /// those), but every file it has is the live layer's.
    func takeStaging() -> Publisher.Staging? {
        guard let job = staging else { return nil }
        staging = nil
        guard job.release == layer.release, job.files.isSubset(of: layer.files) else {
            job.abandon()
            return nil
        }
        guard case .success(let prepared) = job.wait() else { return nil }
        return prepared
    }
}

/// One staging folder being made on a background thread.
final class StagingJob: @unchecked Sendable {
    let release: String
    let files: Set<String>
    private let publisher: Publisher
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var result: Result<Publisher.Staging, PublishError>?
    private var abandoned = false

    init(release: String, files: Set<String>, publisher: Publisher) {
        self.release = release
        self.files = files
        self.publisher = publisher
    }

    func finish(_ outcome: Result<Publisher.Staging, PublishError>) {
        condition.lock()
        let unwanted = abandoned
        if !unwanted {
            result = outcome
            condition.broadcast()
        }
        condition.unlock()
        // Outside the lock: deleting a folder of links takes a while, and abandon() waits for it.
        if unwanted, case .success(let staging) = outcome { publisher.discard(staging) }
    }

    /// Blocks until the folder is made (or failed).
    func wait() -> Result<Publisher.Staging, PublishError> {
        condition.lock()
        defer { condition.unlock() }
        while result == nil { condition.wait() }
        return result ?? .failure(PublishError(path: release, reason: "staging never finished"))
    }

    /// The folder will not be used: removed now if made, else as soon as it is.
    func abandon() {
        condition.lock()
        defer { condition.unlock() }
        abandoned = true
        if case .success(let staging) = result {
            let publisher = self.publisher
            BackgroundThread.run(name: "discard-staging") { publisher.discard(staging) }
        }
        result = nil
    }
}
