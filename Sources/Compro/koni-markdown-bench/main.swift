import ComproMarkdown
import ComproModel
import Foundation

// Parse-and-render time of the pathological inputs of the libcmark-gfm CVEs that Debian 12's
// 0.29.0.gfm.6 predates, at the largest size `MarkdownLimits` accepts, next to a normal article.
// For each input it also shows whether a 127 KiB version is refused and why.
//
//   swift build -c release --product koni-markdown-bench && .build/release/koni-markdown-bench

typealias Pattern = (name: String, make: (Int) -> String)

func repeated(_ text: String, _ count: Int) -> String { String(repeating: text, count: count) }

let patterns: [Pattern] = [
    // CVE-2023-22483 (GHSA-29g3-96g3-jg6c)
    ("22483 table header re-parse", { repeated("|-|\n|-|-|\n", $0) }),
    ("22483 table of many columns", { "|" + repeated("a|", $0) + "\n|" + repeated("-|", $0) + "\n" }),
    ("22483 emphasis openers_bottom", { repeated("*a ", $0) + repeated("_a*_ ", $0) }),
    ("22483 smart quotes '", { repeated("'", $0) }),
    ("22483 smart quotes \"", { repeated("\"", $0) }),
    ("22483 autolink www underscores", { repeated("www._", $0) }),
    ("22483 autolink parentheses", { "http://a.b/" + repeated(")", $0) }),
    ("22483 autolink www parentheses", { "www.a.b/" + repeated("()", $0) + repeated(")", $0) }),
    ("22483 autolink '<' http", { repeated("http://a<", $0) }),
    ("22483 autolink '<' www", { repeated("(www.a.b<", $0) }),
    ("22483 reference link output growth", { "[a]: /" + repeated("x", 3 * $0) + "\n\n" + repeated("[a]", $0) }),
    // CVE-2023-22484 (GHSA-24f7-9frr-5h2r)
    ("22484 a <?", { repeated("a <?", $0) }),
    ("22484 a <!A", { repeated("a <!A ", $0) }),
    ("22484 a <![CDATA[", { repeated("a <![CDATA[", $0) }),
    // CVE-2023-22485 (GHSA-c944-cv5f-hpvr)
    ("22485 a@ repeated", { repeated("a@", $0) }),
    ("22485 a.b@ repeated", { repeated("a.b@", $0) }),
    // CVE-2023-22486 (GHSA-r572-jvj2-3m8p)
    ("22486 ![[]() repeated", { repeated("![[]()", $0) }),
    // CVE-2023-24824 (GHSA-66g8-4hjf-77xh)
    ("24824 deep quote + emphasis", { repeated(">", $0) + repeated("a*", $0) }),
    ("24824 ' -' x n + blank lines", { repeated(" -", $0) + "x" + repeated("\n", $0) }),
    ("24824 '- ' x n + blank lines", { repeated("- ", $0) + "x" + repeated("\n", $0) }),
    ("24824 quote + list + blank lines", { "> " + repeated("- ", $0) + "x\n" + repeated(">\n", $0) }),
    // CVE-2023-37463 (GHSA-w4qg-3vf7-m9x5)
    ("37463 columns x 3 rows", { "|" + repeated("a|", $0) + "\n|" + repeated("-|", $0) + "\n|" + repeated("b|", $0) + "\n" }),
    ("37463 table autocompletion", { "|" + repeated("a|", $0) + "\n|" + repeated("-|", $0) + "\n" + repeated("x\n", $0) }),
    // cmark's own pathological tests
    ("cmark nested brackets", { repeated("[", $0) + "a" + repeated("]", $0) }),
    ("cmark nested block quotes", { repeated("> ", $0) + "a" }),
    ("cmark smart quotes #521", { repeated("'x ", $0) + repeated("'\"x", $0) }),
    ("cmark unclosed links", { repeated("[a](<b", $0) }),
    ("cmark nested strong emphasis", { repeated("*a **a ", $0) + "b" + repeated(" a** a*", $0) }),
    ("table of one-cell rows", { "|a|\n|-|\n" + repeated("|b|\n", $0) }),
]

let article: String = {
    var text = "Tim KONI Jawa Timur meraih **juara umum** pada _Porprov IX_. \"Ini hasil kerja keras,\" kata ketua.\n\n"
    text += "| Cabang | Emas | Perak | Perunggu |\n|---|---:|---:|---:|\n"
    for index in 1...20 { text += "| Cabang \(index) | \(index) | \(index * 2) | \(index * 3) |\n" }
    text += "\n"
    for index in 1...40 {
        text +=
            "Paragraf \(index): atlet dari [kabupaten](https://jatim.koni.id/atlet/) berlatih di www.koni.id setiap hari; 'latihan' itu ~~berat~~ *penting*.\n\n"
        if index % 10 == 0 { text += "- satu\n- dua\n  - dua a\n> kutipan\n\n" }
    }
    return text
}()

func milliseconds(_ body: () -> Void) -> Double {
    let start = ContinuousClock.now
    body()
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

let renderer = MarkdownRenderer()
func renderTime(_ text: String) -> Double { median((0..<3).map { _ in milliseconds { _ = renderer.html(from: text) } }) }

/// The largest repeat count whose input the limits accept (at most 128 KiB).
func largestAccepted(_ make: (Int) -> String) -> Int {
    guard MarkdownLimits.check(make(1)) == nil else { return 0 }
    var low = 1, high = 2
    while MarkdownLimits.check(make(high)) == nil && make(high).utf8.count <= MarkdownLimits.maximumBytes { low = high; high *= 2 }
    while high - low > 1 {
        let middle = (low + high) / 2
        if MarkdownLimits.check(make(middle)) == nil { low = middle } else { high = middle }
    }
    return low
}

/// The repeat count whose input is about `bytes` long.
func sized(_ make: (Int) -> String, _ bytes: Int) -> Int {
    var count = 1
    while make(count).utf8.count < bytes { count *= 2 }
    var low = count / 2, high = count
    while high - low > 1 {
        let middle = (low + high) / 2
        if make(middle).utf8.count < bytes { low = middle } else { high = middle }
    }
    return high
}

print("Markdown parse + render (libcmark-gfm \(MarkdownRenderer.libraryVersion), median of 3), limits of MarkdownLimits")
print(String(repeating: "-", count: 118))
print(
    "input".padding(toLength: 36, withPad: " ", startingAt: 0), "largest accepted".padding(toLength: 28, withPad: " ", startingAt: 0), "ms", "  127 KiB version"
)
let articleTime = renderTime(article)
print(
    "normal article".padding(toLength: 36, withPad: " ", startingAt: 0), "\(article.utf8.count) B".padding(toLength: 28, withPad: " ", startingAt: 0),
    String(format: "%.2f", articleTime), "  ", MarkdownLimits.check(article).map { "REFUSED \($0)" } ?? "accepted")
// Each input also as many paragraphs of at most 4 KiB, so that per-line limits cannot hide a
// cost that adds up over a body.
let paragraphs: [Pattern] = patterns.map { name, make in
    let piece = make(max(1, min(largestAccepted(make), sized(make, 4096))))
    return ("\(name) ¶", { repeated(piece + "\n\n", $0) })
}
var worst = (name: "", ms: 0.0)
for (name, make) in patterns + paragraphs {
    let count = largestAccepted(make)
    let accepted = count > 0 ? make(count) : ""
    let time = count > 0 ? renderTime(accepted) : 0
    if time > worst.ms { worst = (name, time) }
    let big = make(sized(make, MarkdownLimits.maximumBytes - 1024))
    let verdict = MarkdownLimits.check(big).map { "refused: \($0.reason)" } ?? "accepted (\(String(format: "%.1f", renderTime(big))) ms)"
    print(
        name.padding(toLength: 36, withPad: " ", startingAt: 0),
        (count > 0 ? "n=\(count), \(accepted.utf8.count) B" : "none").padding(toLength: 28, withPad: " ", startingAt: 0),
        String(format: "%.2f", time), "  ", verdict
    )
}
print(String(repeating: "-", count: 118))
print(
    "slowest accepted pathological input: \(worst.name), \(String(format: "%.2f", worst.ms)) ms (target < 50 ms); normal article \(String(format: "%.2f", articleTime)) ms"
)
