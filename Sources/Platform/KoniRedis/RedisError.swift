/// Why a Redis command failed. The description names the command, never its arguments (they
/// may be secrets: codes, sessions, passwords).
package struct RedisError: Error, Sendable, Equatable, CustomStringConvertible {
    package enum Kind: Sendable, Equatable {
        /// A setting is invalid (the URL).
        case configuration
        /// The server could not be reached, or the connection broke.
        case connection
        /// No answer within the command timeout; the connection was closed (it is out of step).
        case timeout
        /// The server sent something that is not RESP2 within the limits; the connection was closed.
        case protocolViolation
        /// The server answered with an error reply (`-ERR …`), given as `message`.
        case server
        /// A reply of another type than the command's.
        case unexpectedReply
        /// The client was shut down.
        case closed
    }

    package var kind: Kind
    package var command: String
    package var message: String

    package init(_ kind: Kind, command: String = "", _ message: String) {
        self.kind = kind
        self.command = command
        self.message = message
    }

    package var description: String {
        command.isEmpty ? "redis: \(message)" : "redis \(command): \(message)"
    }
}
