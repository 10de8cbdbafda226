import ArgumentParser
import Foundation
import KoniImage

/// `koni-compro images prune`: the variant cache grows with every photo ever published; this
/// removes what no release uses.
struct ImagesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "images",
        abstract: "Look after the photo variant cache.",
        subcommands: [Prune.self]
    )

    struct Prune: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove the variants of photos that no release links any more.",
            discussion: """
                Releases hard-link the variants from the cache, so a variant with one link is in no release. \
                Photos changed within --grace-hours are kept (a build may be about to link them). Safe while \
                sites are served; a photo used again later is encoded again.
                """
        )

        @Option(name: .long, help: ArgumentHelp("Output folder (the cache is its .koni-images unless --cache is given).", valueName: "dir"))
        var out = "public"

        @Option(name: .long, help: ArgumentHelp("The variant cache (default <out>/.koni-images, or KONI_IMAGE_CACHE).", valueName: "dir"))
        var cache: String?

        @Option(name: .long, help: ArgumentHelp("Keep photos changed within this many hours, 0…8760.", valueName: "n"))
        var graceHours = 24

        @Flag(name: .long, help: "Only say what would be removed.")
        var dryRun = false

        func validate() throws {
            guard (0...8760).contains(graceHours) else { throw ValidationError("--grace-hours must be 0…8760") }
        }

        func run() throws {
            let directory = cache ?? ProcessInfo.processInfo.environment["KONI_IMAGE_CACHE"].flatMap { $0.isEmpty ? nil : $0 } ?? "\(out)/.koni-images"
            guard FileManager.default.fileExists(atPath: directory) else { throw ValidationError("no variant cache at \(directory)") }
            let processor: ImageProcessor
            do { processor = try ImageProcessor() } catch { throw ValidationError("image processing is unavailable: \(error)") }
            let report = VariantCache(directory: directory, processor: processor).prune(grace: .seconds(graceHours * 3600), dryRun: dryRun)
            let megabytes = String(format: "%.1f", Double(report.removedBytes) / 1_048_576)
            print("\(directory): \(dryRun ? "would remove" : "removed") \(report.removedPhotos) photos' variants (\(megabytes) MiB); kept \(report.keptPhotos)")
        }
    }
}
