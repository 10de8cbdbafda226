import AuthService
import Foundation
import KoniServiceKit
import Logging

// Token verifications per second as a service does them: RS256 through JWTVerifier with the
// Auth service's JWKS cached (the key set is fetched once; every later verification is local).
// Also signatures per second (the Auth service's cost per issued token).
//
//   koni-auth-bench [--seconds S] [--tasks N]
let arguments = CommandLine.arguments
func option(_ name: String, _ fallback: Int) -> Int {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count, let value = Int(arguments[index + 1]), value > 0 else { return fallback }
    return value
}
let seconds = option("--seconds", 5)
let tasks = option("--tasks", ProcessInfo.processInfo.activeProcessorCount)

let logger = Logger(label: "koni-auth-bench")
let folder = FileManager.default.temporaryDirectory.appendingPathComponent("koni-auth-bench-\(UUID().uuidString)").path
defer { try? FileManager.default.removeItem(atPath: folder) }
_ = try SigningKeyRing.generate(directory: folder)
let issuer = try await TokenIssuer(keysDirectory: folder, issuer: "https://app.koni.id", audience: "https://api.koni.id", logger: logger)
let fetches = Fetches()
let keySet = JWKSKeySet(logger: logger) {
    await fetches.add()
    return issuer.jwks
}
let verifier = try JWTVerifier(keySet: keySet)
let grant = TokenIssuer.Grant(
    userID: UUID(), email: "admin@koni.id", roles: ["admin-cabang", "user"], permissions: ["cms:write:own", "marketplace:buy"],
    tenantID: UUID()
)
let token = try await issuer.sign(grant)

actor Fetches {
    var count = 0
    func add() { count += 1 }
}

/// Runs `work` on `tasks` tasks for `seconds`; operations per second.
func rate(_ work: @escaping @Sendable () async throws -> Void) async throws -> Double {
    let deadline = ContinuousClock.now + .seconds(seconds)
    let started = ContinuousClock.now
    let total = try await withThrowingTaskGroup(of: Int.self) { group in
        for _ in 0..<tasks {
            group.addTask {
                var count = 0
                while ContinuousClock.now < deadline {
                    try await work()
                    count += 1
                }
                return count
            }
        }
        return try await group.reduce(0, +)
    }
    return Double(total) / ((ContinuousClock.now - started) / .seconds(1))
}

let verifications = try await rate {
    guard case .success = await verifier.verify(token) else { throw BenchError.refused }
}
let signatures = try await rate { _ = try await issuer.sign(grant) }
print("tasks=\(tasks) seconds=\(seconds) (RS256, 2048-bit key)")
print(String(format: "verify (JWKS cached): %.0f tokens/s, JWKS fetched %d time(s)", verifications, await fetches.count))
print(String(format: "sign: %.0f tokens/s", signatures))

enum BenchError: Error { case refused }
