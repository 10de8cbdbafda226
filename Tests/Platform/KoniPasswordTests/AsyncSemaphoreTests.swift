import Testing
@testable import KoniPassword

private actor Gauge {
    private(set) var current = 0
    private(set) var peak = 0
    func enter() { current += 1; peak = max(peak, current) }
    func leave() { current -= 1 }
}

@Suite struct AsyncSemaphoreTests {
    @Test func neverMoreThanPermitsInside() async {
        let semaphore = AsyncSemaphore(permits: 2)
        let gauge = Gauge()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<10 {
                group.addTask {
                    await semaphore.withPermit {
                        await gauge.enter()
                        try? await Task.sleep(for: .milliseconds(10))
                        await gauge.leave()
                    }
                }
            }
        }
        #expect(await gauge.peak == 2)
        #expect(await gauge.current == 0)
    }

    @Test func nonPositivePermitsStillAdmitOne() async {
        let semaphore = AsyncSemaphore(permits: 0)
        await semaphore.withPermit {}
        await semaphore.withPermit {}
    }
}
