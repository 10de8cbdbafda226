internal import CArgon2
internal import NIOPosix

/// Argon2id password hashing backed by libargon2.
///
/// Hashing costs tens of milliseconds of CPU and ~19 MiB of memory with the
/// default parameters, so every computation runs on `NIOThreadPool.singleton`
/// (never on the caller's thread, which may be an event loop), and at most
/// `maximumConcurrentHashes` run at once; further callers wait without blocking a thread.
package struct PasswordHasher: Sendable {
    /// Argon2id cost parameters and output sizes.
    package struct Parameters: Sendable, Equatable {
        /// Memory cost `m` in KiB.
        package var memoryKiB: UInt32
        /// Time cost `t` (number of passes over memory).
        package var iterations: UInt32
        /// Degree of parallelism `p` (lanes; libargon2 uses one thread per lane).
        package var parallelism: UInt32
        /// Salt length in bytes; the salt comes from the system CSPRNG.
        package var saltBytes: Int = 16
        /// Length of the raw hash in bytes.
        package var hashBytes: Int = 32

        /// Creates a parameter set. Values outside the accepted ranges make
        /// `hash` throw ``PasswordError/Kind/parametersOutOfRange(name:)``.
        package init(memoryKiB: UInt32, iterations: UInt32, parallelism: UInt32, saltBytes: Int = 16, hashBytes: Int = 32) {
            self.memoryKiB = memoryKiB
            self.iterations = iterations
            self.parallelism = parallelism
            self.saltBytes = saltBytes
            self.hashBytes = hashBytes
        }

        /// The first Argon2id option of the OWASP Password Storage Cheat Sheet:
        /// m = 19 MiB (19456 KiB), t = 2, p = 1.
        package static let owasp = Parameters(memoryKiB: 19_456, iterations: 2, parallelism: 1)

        /// Deliberately cheap parameters (m = 1 MiB, t = 1) so unit tests run fast.
        /// For tests only: never use these to store real passwords.
        package static let testing = Parameters(memoryKiB: 1_024, iterations: 1, parallelism: 1)

        fileprivate func validate() throws(PasswordError) {
            try Limits.check(
                memoryKiB: UInt64(memoryKiB), iterations: UInt64(iterations), parallelism: UInt64(parallelism),
                saltBytes: saltBytes, hashBytes: hashBytes
            )
        }
    }

    /// Passwords longer than this many UTF-8 bytes are refused before hashing,
    /// so that a client cannot make each login attempt arbitrarily expensive.
    package static let maximumPasswordBytes = 1_024

    /// The parameters new hashes are made with and stored hashes are compared against.
    package let parameters: Parameters
    private let gate: AsyncSemaphore
    private let dummyEncoded: String?

    /// Creates a hasher.
    /// - Parameters:
    ///   - parameters: cost parameters for new hashes; defaults to ``Parameters/owasp``.
    ///   - maximumConcurrentHashes: how many hash or verify computations may run at
    ///     once (each holds `memoryKiB` of memory); values below 1 are treated as 1.
    package init(parameters: Parameters = .owasp, maximumConcurrentHashes: Int = 2) {
        self.parameters = parameters
        self.gate = AsyncSemaphore(permits: maximumConcurrentHashes)
        self.dummyEncoded = Self.makeDummy(parameters)
    }

    /// Hashes `password` with a fresh random salt.
    ///
    /// - Returns: a PHC string such as `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`,
    ///   which records the parameters and salt needed to verify it later.
    /// - Throws: ``PasswordError/Kind/tooLong(maximumBytes:)`` for passwords over
    ///   ``maximumPasswordBytes`` bytes, ``PasswordError/Kind/parametersOutOfRange(name:)``
    ///   if the configured parameters are unacceptable, or a library/thread-pool error.
    package func hash(_ password: String) async throws(PasswordError) -> String {
        guard password.utf8.count <= Self.maximumPasswordBytes else { throw .tooLong }
        let parameters = self.parameters
        try parameters.validate()
        let salt = Self.randomBytes(parameters.saltBytes)
        return try await offload {
            Self.hashBlocking(password, salt: salt, parameters: parameters)
        }
    }

    /// Checks `password` against a stored PHC string. The comparison is the
    /// constant-time one inside libargon2 (`argon2id_verify`).
    ///
    /// The stored string is treated as untrusted: it is parsed and its parameters
    /// range-checked before libargon2 sees it.
    /// - Returns: `true` if the password matches, `false` if it does not.
    /// - Throws: ``PasswordError/Kind/malformedHash(reason:)`` or
    ///   ``PasswordError/Kind/parametersOutOfRange(name:)`` for a stored hash that
    ///   cannot be trusted, ``PasswordError/Kind/tooLong(maximumBytes:)`` for an
    ///   oversized password, or a library/thread-pool error. Never for a wrong password.
    package func verify(_ password: String, against encoded: String) async throws(PasswordError) -> Bool {
        guard password.utf8.count <= Self.maximumPasswordBytes else { throw .tooLong }
        _ = try EncodedHash(parsing: encoded)
        return try await offload {
            Self.verifyBlocking(password, encoded: encoded)
        }
    }

    /// Whether a stored hash should be replaced after a successful login because
    /// it was made with weaker settings than ``parameters``: less memory, fewer
    /// iterations, or a shorter salt or hash. Stronger or merely different
    /// parallelism does not count. A string that cannot be parsed returns `true`.
    package func needsRehash(_ encoded: String) -> Bool {
        guard let stored = try? EncodedHash(parsing: encoded) else { return true }
        return stored.memoryKiB < parameters.memoryKiB
            || stored.iterations < parameters.iterations
            || stored.salt.count < parameters.saltBytes
            || stored.hash.count < parameters.hashBytes
    }

    /// Runs a verification of `password` against a fixed dummy hash made with the
    /// current parameters and discards the result.
    ///
    /// Call it when the account does not exist, so that "unknown account" takes
    /// as long as "wrong password" and login timing does not reveal which
    /// accounts exist. It goes through the same concurrency limit as `verify`.
    package func verifyDummy(_ password: String) async {
        guard let dummyEncoded else { return }
        _ = try? await verify(password, against: dummyEncoded)
    }
}

extension PasswordHasher {
    /// Waits for a permit, then runs `body` on the blocking pool. `body` reports
    /// its own failures through `Result` so that only pool errors are untyped here.
    private func offload<T: Sendable>(
        _ body: @escaping @Sendable () -> Result<T, PasswordError>
    ) async throws(PasswordError) -> T {
        try await gate.withPermit { () async throws(PasswordError) -> T in
            // Waiting for the permit can take a while; do not start work nobody wants.
            guard !Task.isCancelled else { throw PasswordError(.cancelled) }
            let result: Result<T, PasswordError>
            do {
                result = try await NIOThreadPool.singleton.runIfActive(body)
            } catch is CancellationError {
                throw PasswordError(.cancelled)
            } catch {
                throw PasswordError(.threadPoolUnavailable)
            }
            return try result.get()
        }
    }

    private static func hashBlocking(_ password: String, salt: [UInt8], parameters: Parameters) -> Result<String, PasswordError> {
        // Parameters were validated by the caller; these conversions cannot fail
        // then, but failing softly beats a trap if that ever changes.
        guard let saltLength = UInt32(exactly: salt.count), let hashLength = UInt32(exactly: parameters.hashBytes) else {
            return .failure(.outOfRange("salt/hash"))
        }
        let capacity = argon2_encodedlen(
            parameters.iterations, parameters.memoryKiB, parameters.parallelism,
            saltLength, hashLength, Argon2_id
        )
        // argon2_encodedlen already counts the terminating NUL; one spare byte costs nothing.
        var buffer = [CChar](repeating: 0, count: capacity + 1)
        var password = password
        let code = password.withUTF8 { passwordBytes in
            salt.withUnsafeBytes { saltBytes in
                buffer.withUnsafeMutableBufferPointer { output in
                    argon2id_hash_encoded(
                        parameters.iterations, parameters.memoryKiB, parameters.parallelism,
                        passwordBytes.baseAddress, passwordBytes.count,
                        saltBytes.baseAddress, saltBytes.count,
                        Int(hashLength),
                        output.baseAddress, output.count
                    )
                }
            }
        }
        guard code == ARGON2_OK.rawValue else { return .failure(libraryError(code)) }
        let encoded = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return .success(String(decoding: encoded, as: UTF8.self))
    }

    private static func verifyBlocking(_ password: String, encoded: String) -> Result<Bool, PasswordError> {
        var password = password
        let code = encoded.withCString { encodedPointer in
            password.withUTF8 { passwordBytes in
                argon2id_verify(encodedPointer, passwordBytes.baseAddress, passwordBytes.count)
            }
        }
        switch code {
        case ARGON2_OK.rawValue: return .success(true)
        case ARGON2_VERIFY_MISMATCH.rawValue: return .success(false)
        case ARGON2_DECODING_FAIL.rawValue: return .failure(.malformed("rejected by libargon2"))
        default: return .failure(libraryError(code))
        }
    }

    private static func libraryError(_ code: Int32) -> PasswordError {
        let message = argon2_error_message(code).map { String(cString: $0) } ?? "unknown error"
        return PasswordError(.library(code: code, message: message))
    }

    private static func randomBytes(_ count: Int) -> [UInt8] {
        // SystemRandomNumberGenerator is the OS CSPRNG (getrandom(2) on Linux).
        var generator = SystemRandomNumberGenerator()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(max(0, count))
        while bytes.count < count {
            var word = generator.next()
            for _ in 0..<min(8, count - bytes.count) {
                bytes.append(UInt8(truncatingIfNeeded: word))
                word >>= 8
            }
        }
        return bytes
    }

    /// A syntactically valid hash with the current parameters that no password
    /// realistically matches (the odds are 2^-8·hashBytes). Verifying against it
    /// costs exactly one Argon2 computation, the same as a real `verify`.
    private static func makeDummy(_ parameters: Parameters) -> String? {
        guard (try? parameters.validate()) != nil else { return nil }
        let salt = [UInt8](repeating: 0x5A, count: parameters.saltBytes)
        let hash = [UInt8](repeating: 0xA5, count: parameters.hashBytes)
        return "$argon2id$v=19$m=\(parameters.memoryKiB),t=\(parameters.iterations),p=\(parameters.parallelism)"
            + "$\(Base64.encode(salt))$\(Base64.encode(hash))"
    }
}
