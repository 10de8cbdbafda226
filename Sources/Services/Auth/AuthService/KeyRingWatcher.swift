import ServiceLifecycle

/// Re-reads the key folder every few seconds so that `auth-service keys rotate` (run by the
/// operator, on any instance's folder) takes effect on a running service without a restart.
struct KeyRingWatcher: Service {
    let issuer: TokenIssuer
    let interval: Duration

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) } } catch { return }
            await issuer.reload()
        }
    }
}
