/// A small deterministic generator (SplitMix64) so a failing seed can be replayed.
package struct SeededRandom {
    private var state: UInt64

    package init(seed: UInt64) { state = seed }

    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    package mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    package mutating func pick<T>(_ values: [T]) -> T { values[int(0...(values.count - 1))] }

    package mutating func chance(_ percent: Int) -> Bool { int(0...99) < percent }
}

extension SeededRandom {
    /// A number in 0..<n (0 when n is 0).
    package mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : int(0...(n - 1)) }
}
