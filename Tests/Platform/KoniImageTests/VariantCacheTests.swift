import Foundation
import KoniImage
import KoniTestSupport
import Testing

@Suite struct VariantCacheTests {
    @Test func variantsAreMadeOnceAndFoundByContent() throws {
        let cache = VariantCache(directory: TemporaryFolders.make("variants"), processor: try ImageProcessor())
        let photo = try ImageFixtures.photo(1200, 900)
        let first = try cache.variants(of: photo, widths: [480, 960, 1600], formats: [.webp, .jpeg])
        #expect(first.width == 1200 && first.height == 900)
        #expect(first.variants.map(\.width) == [480, 480, 960, 960, 1200, 1200], "no variant wider than the photo; the photo's own width instead")
        for variant in first.variants {
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: "\(cache.directory)/\(variant.path)")))
            let inspected = try cache.processor.inspect(bytes)
            #expect(inspected.width == variant.width && inspected.height == variant.height)
        }
        let path = "\(cache.directory)/\(first.variants[0].path)"
        let written = try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date
        let again = try cache.variants(of: photo, widths: [480, 960, 1600], formats: [.webp, .jpeg])
        #expect(again == first)
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date == written, "not encoded again")
        let other = try cache.variants(of: try ImageFixtures.photo(1200, 900), widths: [480], formats: [.webp])
        #expect(other.hash != first.hash)
    }

    @Test func aRefusedImageLeavesNothingInTheCache() throws {
        let directory = TemporaryFolders.make("variants-refused")
        let cache = VariantCache(directory: directory, processor: try ImageProcessor())
        #expect(throws: ImageCacheError.image(.animated(pages: 2))) { try cache.variants(of: ImageFixtures.animatedGIF, widths: [480], formats: [.webp]) }
        #expect((try? FileManager.default.contentsOfDirectory(atPath: directory))?.isEmpty ?? true)
    }

    @Test func pruneRemovesOnlyPhotosNoReleaseLinks() throws {
        let cache = VariantCache(directory: TemporaryFolders.make("variants-prune"), processor: try ImageProcessor())
        let usedPhoto = try ImageFixtures.photo(800, 600)
        let used = try cache.variants(of: usedPhoto, widths: [480], formats: [.webp, .jpeg], card: true)
        let unused = try cache.variants(of: try ImageFixtures.photo(800, 600), widths: [480], formats: [.webp, .jpeg])
        // A "release" links one variant of the used photo, as ReleaseWriter does.
        let release = TemporaryFolders.make("release")
        #expect(link("\(cache.directory)/\(used.variants[0].path)", "\(release)/photo.webp") == 0)
        let files = { (FileManager.default.enumerator(atPath: cache.directory)?.allObjects as? [String] ?? []).filter { $0.contains(".") }.sorted() }
        let before = files()
        // Everything is recent: nothing goes.
        #expect(cache.prune().removedPhotos == 0)
        let later = Date().addingTimeInterval(3 * 86_400)
        let dry = cache.prune(dryRun: true, now: later)
        #expect(dry.removedPhotos == 1 && dry.keptPhotos == 1 && dry.removedBytes > 0)
        #expect(files() == before, "a dry run removes nothing")
        let report = cache.prune(now: later)
        #expect(report == dry)
        let after = files()
        #expect(after.allSatisfy { !$0.contains(unused.hash) }, "the unused photo's variants and manifest are gone: \(after)")
        #expect(after.filter { $0.contains(used.hash) }.count == before.filter { $0.contains(used.hash) }.count, "the linked photo keeps all its files")
        // The kept photo is still a cache hit.
        #expect(try cache.variants(of: usedPhoto, widths: [480], formats: [.webp, .jpeg], card: true) == used)
    }
}
