// Measures the revalidation daemon's hot path on a large tenant: the time from an event's
// arrival (a call to `Revalidator.revalidate`) to the published swap of `current`, for single
// news edits (or creations, or deletions: KONI_CHANGE=create|delete), and how many files each
// wrote. Prints medians and tails; not a test.
//
//   swift build -c release --product koni-revalidation-bench
//   python3 Benchmarks/gen.py single --news 10000 --out /tmp/gen10k
//   .build/release/koni-revalidation-bench /tmp/gen10k/koni/tenants <slug> [edits] [out]
//
// Environment: KONI_DURABLE=1 (fsync before the swap), KONI_COMPACTION_THRESHOLD=<files>,
// KONI_SETTLE=1 (each edit arrives once the previous one's housekeeping — staging the next layer,
// compaction, pruning — is done, as a single edit on a quiet tenant does; without it the edits
// come back to back, a burst, and compete with that work for the two cores and the disk).
import ComproBuild
import ComproModel
import ComproRevalidate
import Foundation

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    FileHandle.standardError.write(Data("usage: koni-revalidation-bench TENANTS_DIR SLUG [EDITS] [OUT_DIR]\n".utf8))
    exit(2)
}
let tenants = arguments[1]
let slug = arguments[2]
let edits = arguments.count > 3 ? Int(arguments[3]) ?? 200 : 200
let out = arguments.count > 4 ? arguments[4] : NSTemporaryDirectory() + "revalidation-bench-\(getpid())"
let repository = FileManager.default.currentDirectoryPath
var environment = BuildEnvironment(
    tenantsDirectory: tenants, templatesDirectory: "\(repository)/Templates", themesDirectory: "\(repository)/Themes",
    outputDirectory: out, now: SiteDate.parse("2026-11-25T10:00:00+07:00", defaultOffsetSeconds: 0) ?? .now(), keepReleases: 3
)
// KONI_DURABLE=1 fsyncs every written file and folder before the swap, as `serve` does before
// it acknowledges an event.
environment.durablePublishing = ProcessInfo.processInfo.environment["KONI_DURABLE"] == "1"
let settle = ProcessInfo.processInfo.environment["KONI_SETTLE"] == "1"
/// What each change is: a title edit (default), a new news item dated now, or a deleted one.
let change = ProcessInfo.processInfo.environment["KONI_CHANGE"] ?? "edit"
guard ["edit", "create", "delete"].contains(change) else {
    FileHandle.standardError.write(Data("KONI_CHANGE must be edit, create or delete\n".utf8))
    exit(2)
}
let threshold = ProcessInfo.processInfo.environment["KONI_COMPACTION_THRESHOLD"].flatMap { Int($0) } ?? 100
let revalidator = Revalidator(builder: SiteBuilder(environment: environment), compactionThreshold: threshold)
let clock = ContinuousClock()

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
}

do {
    let start = clock.now
    let first = try await revalidator.revalidate(tenant: slug)
    print("opened \(slug): full build and load in \(String(format: "%.2f", (clock.now - start).seconds)) s (release \(first.release))")
    // The first full build leaves a gigabyte of dirty pages; flushed now, so their write-back
    // does not run under the edits being measured.
    sync()

    let folder = "\(tenants)/\(slug)/content/news"
    var files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".md") }.sorted()
    let newsCount = files.count
    var generator = SystemRandomNumberGenerator()
    var latencies: [Double] = []
    var written: [Int] = []
    var rendered: [Int] = []
    var full = 0
    var phases: [(Double, Double, Double)] = []
    var steps: [String: [Double]] = [:]
    var perEdit: [(latency: Double, steps: [String: Double])] = []
    func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
    let cpuStart = cpuSeconds(), wallStart = clock.now
    for edit in 0..<edits {
        let slugOfFile: String
        let action: String
        switch change {
        case "create":
            slugOfFile = "bench-baru-\(edit)-\(UUID().uuidString.prefix(6).lowercased())"
            action = "created"
            let minute = String(format: "%02d", edit % 60)
            try "---\ntitle: \"Berita baru \(edit)\"\ndate: 2026-11-25 09:\(minute)\ntags: [bench]\n---\nIsi berita baru.\n"
                .write(toFile: "\(folder)/\(slugOfFile).md", atomically: true, encoding: .utf8)
        case "delete":
            let name = files.remove(at: Int.random(in: 0..<files.count, using: &generator))
            slugOfFile = String(name.dropLast(3))
            action = "deleted"
            try FileManager.default.removeItem(atPath: "\(folder)/\(name)")
        default:
            let name = files[Int.random(in: 0..<files.count, using: &generator)]
            let path = "\(folder)/\(name)"
            let text = try String(contentsOfFile: path, encoding: .utf8)
            guard let titleLine = text.split(separator: "\n").first(where: { $0.hasPrefix("title:") }) else { continue }
            let edited = text.replacingOccurrences(of: String(titleLine), with: "title: \"Suntingan \(edit) \(UUID().uuidString.prefix(6))\"")
            try edited.write(toFile: path, atomically: true, encoding: .utf8)
            slugOfFile = String(name.dropLast(3))
            action = "updated"
        }
        if settle { revalidator.waitForHousekeeping() }
        let arrival = clock.now
        let result = try await revalidator.revalidate(tenant: slug, changes: [ContentChange(entity: .news, slug: slugOfFile, action: action)])
        latencies.append((clock.now - arrival).seconds * 1000)
        written.append(result.written.count)
        rendered.append(result.rendered)
        phases.append((result.loadSeconds * 1000, result.renderSeconds * 1000, result.publishSeconds * 1000))
        for (step, value) in result.phases { steps[step, default: []].append(value * 1000) }
        perEdit.append((latencies[latencies.count - 1], result.phases.mapValues { $0 * 1000 }))
        if result.fullRelease { full += 1 }
    }
    let cpu = cpuSeconds() - cpuStart, wall = (clock.now - wallStart).seconds
    let sorted = latencies.sorted()
    let sortedWritten = written.sorted()
    func median(_ values: [Double]) -> Double { percentile(values.sorted(), 0.5) }
    let arrivals = settle ? "each on a settled tenant" : "back to back"
    print("single news \(change)s on a tenant with \(newsCount) news (\(edits) changes \(arrivals), \(full) of them published as a full release):")
    print(
        String(
            format: "  event → published swap: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms", percentile(sorted, 0.5), percentile(sorted, 0.9),
            percentile(sorted, 0.99), sorted.last ?? 0))
    print(
        String(
            format: "  phases (median): load+plan %.1f ms, render %.1f ms, publish %.1f ms", median(phases.map(\.0)), median(phases.map(\.1)),
            median(phases.map(\.2))))
    print(
        "  steps (median ms): "
            + ["read", "prepare", "plan", "render", "publish", "wait", "write", "sync"].map { "\($0) \(String(format: "%.1f", median(steps[$0] ?? [0])))" }
            .joined(separator: ", "))
    let order = ["read", "prepare", "plan", "render", "publish", "write", "sync"]
    print(
        "  slowest edits (ms): "
            + perEdit.sorted { $0.latency > $1.latency }.prefix(5).map { edit in
                String(format: "%.1f", edit.latency) + " (" + order.map { String(format: "%.1f", edit.steps[$0] ?? 0) }.joined(separator: "/") + ")"
            }.joined(separator: ", ") + " as read/prepare/plan/render/publish/write/sync (write and sync are parts of publish)")
    print(
        String(
            format: "  process CPU over the edits: %.2f s in %.2f s of wall time (%.1f ms per edit, background work included)", cpu, wall,
            cpu * 1000 / Double(edits)))
    print(
        "  files written per edit: median \(sortedWritten[sortedWritten.count / 2]), max \(sortedWritten.last ?? 0) (pages re-rendered: median \(rendered.sorted()[rendered.count / 2]))"
    )
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
