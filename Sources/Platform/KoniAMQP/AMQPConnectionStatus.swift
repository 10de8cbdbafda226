/// A snapshot of the connection's state.
public struct AMQPConnectionStatus: Sendable, Hashable {
    public internal(set) var isConnected = false
    /// Successful connections so far: 1 after the first, one more after each reconnect.
    public internal(set) var connections = 0
    /// Why the last connection attempt failed or the last connection was lost.
    public internal(set) var lastError: String?
}
