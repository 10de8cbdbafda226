import Foundation
import KoniImage

// koni-image-bench PHOTOS CACHE [widths=480,960,1600] [formats=webp,jpeg] [jobs=2]
// Makes the variants of every .jpg in PHOTOS into the content-addressed cache CACHE, `jobs` photos
// at a time, and prints one line: photos, variants, seconds. Benchmarks/images runs it beside Hugo.
let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    FileHandle.standardError.write(Data("usage: koni-image-bench PHOTOS CACHE [widths] [formats] [jobs]\n".utf8))
    exit(2)
}
let widths = (arguments.count > 3 ? arguments[3] : "480,960,1600").split(separator: ",").compactMap { Int($0) }
let formats = (arguments.count > 4 ? arguments[4] : "webp,jpeg").split(separator: ",").compactMap { VariantFormat(rawValue: String($0)) }
let jobs = max(1, arguments.count > 5 ? Int(arguments[5]) ?? 2 : 2)
let names = ((try? FileManager.default.contentsOfDirectory(atPath: arguments[1])) ?? []).filter { $0.hasSuffix(".jpg") }.sorted()

do {
    let cache = VariantCache(directory: arguments[2], processor: try ImageProcessor())
    let started = ContinuousClock.now
    let made = await withTaskGroup(of: Int.self) { group in
        var next = 0
        var total = 0
        func add() {
            guard next < names.count else { return }
            let path = "\(arguments[1])/\(names[next])"
            next += 1
            group.addTask {
                guard let data = FileManager.default.contents(atPath: path) else { return 0 }
                do { return try cache.variants(of: Array(data), widths: widths, formats: formats).variants.count } catch {
                    FileHandle.standardError.write(Data("\(path): \(error)\n".utf8))
                    return 0
                }
            }
        }
        for _ in 0..<jobs { add() }
        for await count in group {
            total += count
            add()
        }
        return total
    }
    let seconds = Double((ContinuousClock.now - started) / .milliseconds(1)) / 1000
    print("photos \(names.count) variants \(made) seconds \(String(format: "%.2f", seconds))")
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(1)
}
