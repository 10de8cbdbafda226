import KoniPassword

#if canImport(Glibc)
    import Glibc
#endif

// Measures end-to-end latency as a request handler sees it (permit + thread-pool
// hop + Argon2), one call at a time, with the production parameters.
let runs = CommandLine.arguments.dropFirst().first.flatMap { Int($0) }.map { max(1, $0) } ?? 30
let hasher = PasswordHasher(parameters: .owasp)
let password = "contoh-kata-sandi-yang-cukup-panjang"
let clock = ContinuousClock()

func milliseconds(_ duration: Duration) -> Double {
    let (seconds, attoseconds) = duration.components
    return Double(seconds) * 1_000 + Double(attoseconds) / 1e15
}

func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    // Nearest-rank percentile: with 30 runs p99 is simply the slowest run.
    let rank = Int((fraction * Double(sorted.count)).rounded(.up))
    return sorted[min(max(rank, 1), sorted.count) - 1]
}

func format(_ value: Double) -> String {
    "\((value * 10).rounded() / 10)"
}

func report(_ name: String, _ samples: [Double]) {
    let sorted = samples.sorted()
    let p50 = percentile(sorted, 0.50), p99 = percentile(sorted, 0.99)
    print("\(name): n=\(sorted.count) p50=\(format(p50)) ms p99=\(format(p99)) ms min=\(format(sorted.first ?? 0)) ms")
}

do {
    // Warm-up so the first page faults and thread-pool start-up are not measured.
    let encoded = try await hasher.hash(password)
    _ = try await hasher.verify(password, against: encoded)

    var hashTimes: [Double] = [], verifyTimes: [Double] = [], dummyTimes: [Double] = []
    for _ in 0..<runs {
        var result = ""
        hashTimes.append(milliseconds(try await clock.measure { result = try await hasher.hash(password) }))
        var ok = false
        verifyTimes.append(milliseconds(try await clock.measure { ok = try await hasher.verify(password, against: result) }))
        guard ok else { fatalError("verification failed") }
        dummyTimes.append(milliseconds(await clock.measure { await hasher.verifyDummy(password) }))
    }
    print("parameters: m=\(hasher.parameters.memoryKiB) KiB, t=\(hasher.parameters.iterations), p=\(hasher.parameters.parallelism)")
    print("sample: \(encoded)")
    report("hash        ", hashTimes)
    report("verify      ", verifyTimes)
    report("verifyDummy ", dummyTimes)
} catch {
    print("benchmark failed: \(error)")
    exit(1)
}
