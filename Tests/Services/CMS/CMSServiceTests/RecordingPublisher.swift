import Foundation
import KoniServiceKit
import Synchronization

/// An in-process publisher for tests that are about the API, not the broker: it records what
/// the relay hands it.
final class RecordingPublisher: OutboxPublisher {
    let messages = Mutex<[OutboxMessage]>([])

    func prepare() async throws {}

    func publish(_ message: OutboxMessage) async throws {
        messages.withLock { $0.append(message) }
    }

    var recorded: [OutboxMessage] { messages.withLock { $0 } }
}
