import ComproBuild
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Build progress: a redrawn counter line on a terminal, plain lines otherwise (logs, CI).
final class Progress {
    private let total: Int
    private var done = 0
    private let interactive: Bool

    init(total: Int) {
        self.total = total
        interactive = isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["TERM"] != "dumb"
    }

    func starting(_ slug: String) {
        guard interactive else { return }
        let width = 24
        let filled = total == 0 ? 0 : width * done / total
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        FileHandle.standardError.write(Data("\r\u{1B}[2K\(bar) \(done)/\(total) building \(slug)…".utf8))
    }

    func finished(_ report: BuildReport) {
        done += 1
        clearLine()
        for warning in report.warnings { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
        if !interactive || total <= 20 {
            print(
                "built \(report.tenant): \(report.pages) pages, \(report.files) files, \(formatBytes(report.bytes)) in \(formatSeconds(report.totalSeconds)) (release \(report.release))"
            )
        }
    }

    func failed(_ slug: String, _ message: String) {
        done += 1
        clearLine()
        FileHandle.standardError.write(Data("error: \(slug) was not published; its live site is unchanged:\n".utf8))
        for line in message.split(separator: "\n") {
            FileHandle.standardError.write(Data("  \(line)\n".utf8))
        }
    }

    func summary(reports: [BuildReport], failures: [(String, String)], seconds: Double) {
        clearLine()
        let pages = reports.reduce(0) { $0 + $1.pages }
        let bytes = reports.reduce(0) { $0 + $1.bytes }
        if reports.count > 1 || !failures.isEmpty {
            print("")
            print("tenant".padding(toLength: 16, withPad: " ", startingAt: 0) + "pages".leftPadded(8) + "size".leftPadded(11) + "time".leftPadded(10))
            for report in reports {
                print(
                    report.tenant.padding(toLength: 16, withPad: " ", startingAt: 0) + String(report.pages).leftPadded(8)
                        + formatBytes(report.bytes).leftPadded(11) + formatSeconds(report.totalSeconds).leftPadded(10)
                )
            }
            for (slug, _) in failures { print(slug.padding(toLength: 16, withPad: " ", startingAt: 0) + "FAILED".leftPadded(8)) }
        }
        print("\(reports.count) of \(reports.count + failures.count) tenants published, \(pages) pages, \(formatBytes(bytes)) in \(formatSeconds(seconds))")
    }

    private func clearLine() {
        if interactive { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
    }
}

func formatBytes(_ bytes: Int) -> String {
    if bytes < 1024 { return "\(bytes) B" }
    if bytes < 1024 * 1024 { return String(format: "%.1f KB", Double(bytes) / 1024) }
    return String(format: "%.1f MB", Double(bytes) / 1024 / 1024)
}

func formatSeconds(_ seconds: Double) -> String {
    seconds < 1 ? String(format: "%.0f ms", seconds * 1000) : String(format: "%.2f s", seconds)
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
