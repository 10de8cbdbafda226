import Foundation

/// The real servers' addresses that `scripts/test` exports after `scripts/services start`.
package enum TestEnvironment {
    /// The value of `name`; an error that says how to get it when it is unset or empty.
    package static func variable(_ name: String) throws -> String {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
            throw TestEnvironmentError(
                "\(name) is not set: these tests need the real servers that scripts/test starts "
                    + "(scripts/services start postgres rabbitmq redis; source $KONI_SERVICES_DIR/env, /tmp/koni-services/env by default)"
            )
        }
        return value
    }

    package static var postgresURL: String { get throws { try variable("KONI_TEST_POSTGRES_URL") } }
    package static var amqpURL: String { get throws { try variable("KONI_TEST_AMQP_URL") } }
    package static var redisURL: String { get throws { try variable("KONI_TEST_REDIS_URL") } }
}

/// A test's setup is missing something (a variable, a server), not a failure of the code under test.
package struct TestEnvironmentError: Error, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}
