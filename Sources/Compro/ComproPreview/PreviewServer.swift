import Foundation
import Hummingbird

/// Serves a theme preview on loopback and renders it again whenever a watched file changes.
package struct PreviewServer: Sendable {
    package let preview: ThemePreview
    package let port: Int
    package let host: String

    package init(preview: ThemePreview, port: Int, host: String = "127.0.0.1") {
        self.preview = preview
        self.port = port
        self.host = host
    }

    /// The Hummingbird application answering from `store`.
    package func application(store: PreviewStore, onRunning: @escaping @Sendable (Int) async -> Void = { _ in })
        -> some ApplicationProtocol
    {
        Application(
            responder: PreviewResponder(store: store),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "koni-compro-preview"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) }
        )
    }

    /// Renders, serves and watches until SIGINT/SIGTERM. The first render must succeed.
    package func run(
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in },
        onRender: @escaping @Sendable (Result<PreviewSite, BuildFailureDescription>) -> Void = { _ in }
    ) async throws {
        let store = PreviewStore()
        if case .failure(let error) = await store.refresh(preview) { throw error }
        let watcher = PreviewWatcher(preview: preview, store: store, onRender: onRender)
        let watching = Task { await watcher.run() }
        defer { watching.cancel() }
        try await application(store: store, onRunning: onRunning).runService()
    }
}
