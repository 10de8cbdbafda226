import Dispatch
import Foundation

/// Maps a collection across all cores, keeping the input order.
///
/// Parsing and rendering are CPU-bound and independent per item; `concurrentPerform` spreads
/// them over the cores without the per-task cost of a task group for thousands of small jobs.
public enum ParallelMap {
    /// `chunkSize` items go to a worker at a time; by default about eight chunks per core, which
    /// suits many small jobs. Pass 1 for few large jobs of uneven size (whole tenants).
    public static func map<T: Sendable, R: Sendable>(_ input: [T], chunkSize: Int? = nil, _ transform: @Sendable (T) -> R) -> [R] {
        if input.count < 2 { return input.map(transform) }
        let results = ResultBox<R>(count: input.count)
        let workers = min(ProcessInfo.processInfo.activeProcessorCount, input.count)
        let chunk = max(1, chunkSize ?? (input.count + workers * 8 - 1) / (workers * 8))
        let chunks = (input.count + chunk - 1) / chunk
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let range = (c * chunk)..<min(input.count, (c + 1) * chunk)
            for i in range { results.set(i, transform(input[i])) }
        }
        return results.values()
    }
}

/// Write-once slots filled from several threads; each index is written by exactly one worker,
/// and nothing reads them until `concurrentPerform` has returned.
private final class ResultBox<R>: @unchecked Sendable {
    private let storage: UnsafeMutableBufferPointer<R?>

    init(count: Int) {
        storage = .allocate(capacity: count)
        storage.initialize(repeating: nil)
    }

    deinit {
        storage.deinitialize()
        storage.deallocate()
    }

    func set(_ index: Int, _ value: R) { storage[index] = value }

    func values() -> [R] {
        let values = storage.compactMap { $0 }
        precondition(values.count == storage.count, "ParallelMap: a slot was never filled")
        return values
    }
}
