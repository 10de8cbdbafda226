import Foundation
import KoniServiceKit
import Synchronization

/// An in-process publisher for tests that are about the API, not the broker: it records what
/// the relay hands it.
package final class RecordingPublisher: OutboxPublisher {
    package let messages = Mutex<[OutboxMessage]>([])

    package init() {}

    package func prepare() async throws {}

    package func publish(_ message: OutboxMessage) async throws {
        messages.withLock { $0.append(message) }
    }

    package var recorded: [OutboxMessage] { messages.withLock { $0 } }
}
