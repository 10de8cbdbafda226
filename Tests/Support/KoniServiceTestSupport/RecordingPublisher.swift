import Foundation
import KoniServiceKit
import Synchronization

/// An in-process publisher for tests that are about the API, not the broker: it records what
/// the relay hands it.
public final class RecordingPublisher: OutboxPublisher {
    public let messages = Mutex<[OutboxMessage]>([])

    public init() {}

    public func prepare() async throws {}

    public func publish(_ message: OutboxMessage) async throws {
        messages.withLock { $0.append(message) }
    }

    public var recorded: [OutboxMessage] { messages.withLock { $0 } }
}
