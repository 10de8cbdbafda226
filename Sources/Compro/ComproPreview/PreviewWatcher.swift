/// Re-renders the preview when the theme, the tenant's content or the templates change.
/// See ``FileFingerprint`` for why this polls.
package struct PreviewWatcher: Sendable {
    package let preview: ThemePreview
    package let store: PreviewStore
    package let interval: Duration
    /// Told about each render after the first: the new site, or the error.
    package let onRender: @Sendable (Result<PreviewSite, BuildFailureDescription>) -> Void

    package init(
        preview: ThemePreview, store: PreviewStore, interval: Duration = .milliseconds(500),
        onRender: @escaping @Sendable (Result<PreviewSite, BuildFailureDescription>) -> Void = { _ in }
    ) {
        self.preview = preview
        self.store = store
        self.interval = interval
        self.onRender = onRender
    }

    /// Polls until the task is cancelled.
    package func run() async {
        var last = FileFingerprint(roots: preview.watchedRoots)
        while !Task.isCancelled {
            do { try await Task.sleep(for: interval) } catch { return }
            last = await check(since: last)
        }
    }

    /// One poll: renders again when anything changed since `previous`; returns the new fingerprint.
    package func check(since previous: FileFingerprint) async -> FileFingerprint {
        let current = FileFingerprint(roots: preview.watchedRoots)
        guard current != previous else { return previous }
        switch await store.refresh(preview) {
        case .success(let site): onRender(.success(site))
        case .failure(let error): onRender(.failure(BuildFailureDescription(text: error.description)))
        }
        return current
    }
}

/// A render failure as text (`file:line: reason` lines).
package struct BuildFailureDescription: Error, Sendable, CustomStringConvertible {
    package var text: String
    package var description: String { text }
}
