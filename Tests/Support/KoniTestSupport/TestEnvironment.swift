import Foundation

/// The real servers' addresses that `scripts/test` exports after `scripts/services start`.
public enum TestEnvironment {
    /// The value of `name`; an error that says how to get it when it is unset or empty.
    public static func variable(_ name: String) throws -> String {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
            throw TestEnvironmentError(
                "\(name) is not set: these tests need the real servers that scripts/test starts "
                    + "(scripts/services start postgres rabbitmq redis; source $KONI_SERVICES_DIR/env, /tmp/koni-services/env by default)"
            )
        }
        return value
    }

    public static var postgresURL: String { get throws { try variable("KONI_TEST_POSTGRES_URL") } }
    public static var amqpURL: String { get throws { try variable("KONI_TEST_AMQP_URL") } }
    public static var redisURL: String { get throws { try variable("KONI_TEST_REDIS_URL") } }
}

/// A test's setup is missing something (a variable, a server), not a failure of the code under test.
public struct TestEnvironmentError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
