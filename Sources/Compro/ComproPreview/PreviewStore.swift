import ComproBuild

/// The preview being served: the last good render, and the error of the latest attempt when
/// it failed (the designer sees the error instead of a stale page).
package actor PreviewStore {
    package private(set) var site: PreviewSite?
    package private(set) var failure: String?
    /// Counts renders (successful or not), so a caller can tell that one happened.
    package private(set) var generation = 0

    package init() {}

    /// Renders `preview` again and keeps the outcome.
    @discardableResult
    package func refresh(_ preview: ThemePreview) -> Result<PreviewSite, BuildFailure> {
        generation += 1
        do {
            let rendered = try preview.render()
            site = rendered
            failure = nil
            return .success(rendered)
        } catch {
            failure = error.description
            return .failure(error)
        }
    }
}
