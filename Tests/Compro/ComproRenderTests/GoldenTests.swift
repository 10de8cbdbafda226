import ComproTestSupport
import Foundation
import Testing

/// The fixture tenant rendered with the shared templates must match the files in
/// `Fixtures/golden/uji/` byte for byte. After an intended change to templates or rendering,
/// regenerate them with `UPDATE_GOLDEN=1 swift test --filter GoldenTests` and review the diff.
@Suite struct GoldenTests {
    static let directory = "\(Fixture.golden)/uji"

    @Test func renderedPagesMatchTheGoldenFiles() throws {
        let outputs = try Fixture.outputs().filter { !$0.key.hasPrefix("assets/") }
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try? FileManager.default.removeItem(atPath: Self.directory)
            for (path, text) in outputs {
                let file = "\(Self.directory)/\(path)"
                try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try text.write(toFile: file, atomically: true, encoding: .utf8)
            }
            return
        }
        let goldenFiles = Set(
            (FileManager.default.enumerator(atPath: Self.directory)?.allObjects as? [String] ?? []).filter {
                $0.hasSuffix(".html") || $0.hasSuffix(".xml") || $0.hasSuffix(".txt")
            })
        #expect(goldenFiles == Set(outputs.keys), "the set of outputs changed")
        for (path, text) in outputs.sorted(by: { $0.key < $1.key }) {
            guard let golden = try? String(contentsOfFile: "\(Self.directory)/\(path)", encoding: .utf8) else { continue }
            if golden != text {
                let a = golden.split(separator: "\n", omittingEmptySubsequences: false)
                let b = text.split(separator: "\n", omittingEmptySubsequences: false)
                let line = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
                Issue.record(
                    "\(path) differs from its golden file at line \(line + 1):\n- \(line < a.count ? a[line] : "")\n+ \(line < b.count ? b[line] : "")")
            }
        }
    }
}
