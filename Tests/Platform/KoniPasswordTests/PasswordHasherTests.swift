import Testing
@testable import KoniPassword

private let fast = PasswordHasher(parameters: .testing)

@Suite struct PasswordHasherTests {
    @Test func hashThenVerify() async throws {
        let encoded = try await fast.hash("benar-sekali-123")
        #expect(try await fast.verify("benar-sekali-123", against: encoded))
    }

    @Test func wrongPasswordIsFalseNotError() async throws {
        let encoded = try await fast.hash("benar-sekali-123")
        #expect(try await fast.verify("salah-sekali-123", against: encoded) == false)
        #expect(try await fast.verify("", against: encoded) == false)
    }

    @Test func saltMakesHashesDiffer() async throws {
        let a = try await fast.hash("sama-saja-12345")
        let b = try await fast.hash("sama-saja-12345")
        #expect(a != b)
        let parsedA = try EncodedHash(parsing: a), parsedB = try EncodedHash(parsing: b)
        #expect(parsedA.salt != parsedB.salt)
    }

    @Test func phcStringCarriesParameters() async throws {
        let encoded = try await fast.hash("parameter-check")
        #expect(encoded.hasPrefix("$argon2id$v=19$m=1024,t=1,p=1$"))
        let parsed = try EncodedHash(parsing: encoded)
        #expect(parsed.salt.count == 16)
        #expect(parsed.hash.count == 32)
    }

    @Test func owaspPhcString() async throws {
        let hasher = PasswordHasher()
        let encoded = try await hasher.hash("owasp-parameters")
        #expect(encoded.hasPrefix("$argon2id$v=19$m=19456,t=2,p=1$"))
        #expect(try await hasher.verify("owasp-parameters", against: encoded))
        #expect(!hasher.needsRehash(encoded))
    }

    @Test func needsRehash() async throws {
        let weak = try await fast.hash("rehash-me-please")
        #expect(PasswordHasher(parameters: .owasp).needsRehash(weak))
        #expect(!fast.needsRehash(weak))
        // Stronger than current is not a reason to rehash.
        let strong = PasswordHasher(parameters: .init(memoryKiB: 2_048, iterations: 2, parallelism: 1))
        #expect(!fast.needsRehash(try await strong.hash("x")))
        #expect(fast.needsRehash("garbage"))
    }

    @Test func verifyUsesStoredParametersNotCurrentOnes() async throws {
        let other = PasswordHasher(parameters: .init(memoryKiB: 64, iterations: 3, parallelism: 2, saltBytes: 24, hashBytes: 64))
        let encoded = try await other.hash("panjang-berbeda")
        // Verification takes its parameters from the stored string, not the hasher.
        #expect(try await fast.verify("panjang-berbeda", against: encoded))
        #expect(fast.needsRehash(encoded))  // m=64 is weaker than the current m=1024
    }

    static let malformed: [String] = [
        "",
        "garbage",
        "$",
        "$$$$$",
        "$argon2i$v=19$m=1024,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$argon2d$v=19$m=1024,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$argon2id$v=16$m=1024,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$argon2id$m=1024,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$argon2id$v=19$m=1024,t=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$argon2id$v=19$t=1,m=1024,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$argon2id$v=19$m=-1,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$argon2id$v=19$m=01024,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$argon2id$v=19$m=,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$argon2id$v=19$m=1024,t=1,p=1$c29tZXNhbHRzb21lc2FsdA",
        "$argon2id$v=19$m=1024,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$",
        "$argon2id$v=19$m=1024,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g$extra",
        "$argon2id$v=19$m=1024,t=1,p=1$c29tZX*hbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$argon2id$v=19$m=1024,t=1,p=1$c29tZXNhbHRzb21lc2FsdA==$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$argon2id$v=19$m=1024,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2h",
        "$argon2id$v=19$m=1024,t=1,p=1$c29tZXNhbHRzb21lc2FsdB$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$argon2id$v=19$m=1024,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g\u{0}",
        "$argon2id$v=19$m=1024,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2gé",
        "$argon2id$v=19$m=1024,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$" + String(repeating: "A", count: 600),
    ]

    @Test(arguments: malformed)
    func malformedThrowsMalformed(_ encoded: String) async throws {
        let error = await #expect(throws: PasswordError.self) {
            try await fast.verify("apa-saja", against: encoded)
        }
        guard case .malformedHash = error?.kind else {
            Issue.record("expected malformedHash, got \(String(describing: error))")
            return
        }
        #expect(fast.needsRehash(encoded))
    }

    static let outOfRange: [(String, String)] = [
        ("$argon2id$v=19$m=99999999999,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g", "m"),
        ("$argon2id$v=19$m=4294967295,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g", "m"),
        ("$argon2id$v=19$m=1048577,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g", "m"),
        ("$argon2id$v=19$m=4,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g", "m"),
        ("$argon2id$v=19$m=64,t=1,p=16$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g", "m"),
        ("$argon2id$v=19$m=1024,t=0,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g", "t"),
        ("$argon2id$v=19$m=1024,t=101,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g", "t"),
        ("$argon2id$v=19$m=262144,t=100,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g", "m*t"),
        ("$argon2id$v=19$m=1024,t=1,p=0$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g", "p"),
        ("$argon2id$v=19$m=1024,t=1,p=17$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g", "p"),
        ("$argon2id$v=19$m=1024,t=1,p=1$c29tZQ$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g", "salt"),
        ("$argon2id$v=19$m=1024,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaA", "hash"),
    ]

    @Test(arguments: outOfRange)
    func outOfRangeThrowsParametersOutOfRange(_ encoded: String, _ name: String) async throws {
        let error = await #expect(throws: PasswordError.self) {
            try await fast.verify("apa-saja", against: encoded)
        }
        #expect(error?.kind == .parametersOutOfRange(name: name))
    }

    @Test func configuredParametersOutOfRange() async {
        let silly = PasswordHasher(parameters: .init(memoryKiB: 0, iterations: 1, parallelism: 1, saltBytes: -5))
        await #expect(throws: PasswordError(.parametersOutOfRange(name: "m"))) { try await silly.hash("apa-saja") }
        let negativeSalt = PasswordHasher(parameters: .init(memoryKiB: 64, iterations: 1, parallelism: 1, saltBytes: -5))
        await #expect(throws: PasswordError(.parametersOutOfRange(name: "salt"))) { try await negativeSalt.hash("apa-saja") }
        await negativeSalt.verifyDummy("apa-saja")  // must simply return
    }

    @Test func tooLongPasswordRefused() async throws {
        let long = String(repeating: "a", count: 2_048)
        await #expect(throws: PasswordError(.tooLong(maximumBytes: 1_024))) { try await fast.hash(long) }
        let encoded = try await fast.hash("pendek-saja")
        await #expect(throws: PasswordError(.tooLong(maximumBytes: 1_024))) { try await fast.verify(long, against: encoded) }
        // Exactly at the limit is accepted; the limit is in bytes, not characters.
        let atLimit = String(repeating: "a", count: 1_024)
        #expect(try await fast.verify(atLimit, against: try await fast.hash(atLimit)))
        await #expect(throws: PasswordError.self) { try await fast.hash(String(repeating: "é", count: 513)) }
    }

    @Test func unicodePasswords() async throws {
        for password in ["kata sandi rahasia ✓", "пароль-очень-длинный", "密码很长很长的", "🇮🇩🔐🦅 merdeka"] {
            let encoded = try await fast.hash(password)
            #expect(try await fast.verify(password, against: encoded))
            #expect(try await fast.verify(password + " ", against: encoded) == false)
        }
    }

    @Test func verifiesReferenceVector() async throws {
        // Argon2id vector from the reference implementation's test suite
        // (password "password", salt "somesalt", m=65536, t=2, p=1): proves the
        // wrapper hands libargon2 exactly the password bytes, no NUL, no prefix.
        let vector = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"
        #expect(try await fast.verify("password", against: vector))
        #expect(try await fast.verify("password\u{0}", against: vector) == false)
        #expect(try await fast.verify("Password", against: vector) == false)
    }

    @Test func concurrentHashesWithLimit() async throws {
        let limited = PasswordHasher(parameters: .testing, maximumConcurrentHashes: 2)
        let results = try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for index in 0..<8 {
                group.addTask { (index, try await limited.hash("konkuren-\(index)")) }
            }
            var collected: [Int: String] = [:]
            for try await (index, encoded) in group { collected[index] = encoded }
            return collected
        }
        #expect(results.count == 8)
        for (index, encoded) in results {
            #expect(try await limited.verify("konkuren-\(index)", against: encoded))
        }
    }

    @Test func dummyTakesAboutAsLongAsVerify() async throws {
        let hasher = PasswordHasher(parameters: .owasp)
        let encoded = try await hasher.hash("timing-check-1")
        let clock = ContinuousClock()
        var real: [Duration] = [], dummy: [Duration] = []
        for _ in 0..<7 {
            real.append(try await clock.measure { _ = try await hasher.verify("wrong-password", against: encoded) })
            dummy.append(await clock.measure { await hasher.verifyDummy("wrong-password") })
        }
        let median = { (samples: [Duration]) in samples.sorted()[samples.count / 2] }
        print("verify (wrong password) median: \(median(real)); verifyDummy median: \(median(dummy))")
    }
}

@Suite struct Base64Tests {
    @Test func roundTrip() {
        for length in 0...40 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            #expect(Base64.decode(Array(Base64.encode(bytes).utf8)) == bytes)
        }
        #expect(Base64.encode(Array("somesalt".utf8)) == "c29tZXNhbHQ")
        #expect(Base64.decode(Array("c29tZXNhbHQ".utf8)) == Array("somesalt".utf8))
        #expect(Base64.decode(Array("c29tZXNhbHR".utf8)) == nil)  // non-zero leftover bits
        #expect(Base64.decode(Array("A".utf8)) == nil)
    }
}

@Suite struct PasswordPolicyTests {
    @Test func acceptsReasonablePasswords() {
        #expect(PasswordPolicy.check("kuda-lumping-merah") == nil)
        #expect(PasswordPolicy.check("Pr4muka!Siaga") == nil)
    }

    @Test func rejections() {
        #expect(PasswordPolicy.check("pendek") != nil)
        #expect(PasswordPolicy.check("aaaaaaaaaaaa") != nil)
        #expect(PasswordPolicy.check("🔐🔐🔐🔐🔐🔐🔐🔐🔐🔐🔐") != nil)
        #expect(PasswordPolicy.check("Password123") != nil)
        #expect(PasswordPolicy.check("KONI12345678") != nil)
        #expect(PasswordPolicy.check("12345678910") != nil)
        #expect(PasswordPolicy.check(String(repeating: "ab", count: 600)) != nil)
        // Characters, not bytes: nine emoji is too short although it is over 30 bytes.
        #expect(PasswordPolicy.check("🇮🇩🦅🔐🌋🌴🏸🥋🏊🚴🏹") == nil)
        #expect(PasswordPolicy.check("🇮🇩🦅🔐🌋🌴🏸🥋🏊") != nil)
    }
}
