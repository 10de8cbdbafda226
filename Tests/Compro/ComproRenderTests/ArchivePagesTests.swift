import ComproModel
import KoniTestSupport
import Testing

@testable import ComproRender

/// The archive's numbering rules (ArchivePages.resolve): closed pages keep their items' place
/// whatever happens elsewhere, open pages close at `news_per_page`, and the rules are a fixed
/// point (applying them to their own result changes nothing), which is what lets a full build and
/// the daemon agree.
@Suite struct ArchivePagesTests {
    /// Items named by their number, oldest first; item n is dated n hours after the epoch.
    static func key(_ number: Int) -> ArchiveLayout.Key { .init(epochSeconds: Int64(number) * 3_600, slug: "item-\(number)") }

    /// The pages of `items` (numbers, oldest first) as lists of numbers, and the closed keys.
    static func pages(_ items: [Int], closed: [ArchiveLayout.Key]?, per: Int) -> ([[Int]], [ArchiveLayout.Key]) {
        let (pages, keys) = ArchivePages.resolve(closed: closed, items: items.count, perPage: per) { key(items[$0]) }
        let newestFirst = Array(items.reversed())
        let lists = (1...max(1, pages.count)).map { page in
            pages.range(page, items: items.count).map { newestFirst[$0] }.reversed().map { $0 }
        }
        return (pages.count == 0 ? [] : lists, keys)
    }

    @Test func aFreshArchiveIsFullPagesFromTheOldest() {
        let (pages, closed) = Self.pages(Array(1...23), closed: nil, per: 10)
        #expect(pages == [Array(1...10), Array(11...20), [21, 22, 23]])
        #expect(closed == [Self.key(10), Self.key(20)])
    }

    @Test func aDeletionLeavesItsPageShortAndMovesNoOtherItem() {
        let (_, closed) = Self.pages(Array(1...35), closed: nil, per: 10)
        let remaining = Array(1...35).filter { $0 != 14 && $0 != 10 }
        let (pages, after) = Self.pages(remaining, closed: closed, per: 10)
        #expect(pages == [Array(1...9), [11, 12, 13] + Array(15...20), Array(21...30), Array(31...35)])
        #expect(after == closed, "a deleted page end (item 10) still ends its page")
    }

    @Test func aBackdatedItemJoinsThePageItsDateFallsIn() {
        let (_, closed) = Self.pages(Array(stride(from: 2, through: 60, by: 2)), closed: nil, per: 10)
        let (pages, after) = Self.pages((Array(stride(from: 2, through: 60, by: 2)) + [25]).sorted(), closed: closed, per: 10)
        #expect(pages[1] == [22, 24, 25, 26, 28, 30, 32, 34, 36, 38, 40])
        #expect(pages[0] == Array(stride(from: 2, through: 20, by: 2)))
        #expect(pages[2] == Array(stride(from: 42, through: 60, by: 2)))
        #expect(after == closed)
    }

    @Test func aNewItemFillsTheOpenPageAndClosesItAtPerPage() {
        let (_, closed) = Self.pages(Array(1...19), closed: nil, per: 10)
        #expect(closed == [Self.key(10)])
        let (pages, after) = Self.pages(Array(1...20), closed: closed, per: 10)
        #expect(pages == [Array(1...10), Array(11...20)])
        #expect(after == [Self.key(10), Self.key(20)])
    }

    @Test func anEmptiedPageIsDroppedAndAnOvergrownOneSplit() {
        let (_, closed) = Self.pages(Array(1...30), closed: nil, per: 10)
        let (emptied, afterEmptying) = Self.pages(Array(1...10) + Array(21...30), closed: closed, per: 10)
        #expect(emptied == [Array(1...10), Array(21...30)])
        #expect(afterEmptying == [Self.key(10), Self.key(30)])
        // 21 backdated items into page 1 (its end is item 10, at 36,000 s): 31 items, past 2 × 10.
        let backdated = (1...21).map { -$0 }
        let (grown, afterGrowing) = Self.pages(backdated.reversed() + Array(1...30), closed: closed, per: 10)
        #expect(grown.map(\.count) == [10, 10, 11, 10, 10])
        #expect(grown[2].last == 10, "the page's end stays where it was")
        #expect(afterGrowing.last == Self.key(30))
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func theRulesAreAFixedPointAndNeverLoseOrRepeatAnItem(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        var items = Array(1...200)
        var closed: [ArchiveLayout.Key]? = nil
        var next = 201
        for _ in 0..<60 {
            for _ in 0..<random.below(6) {
                switch random.below(3) {
                case 0: if !items.isEmpty { items.remove(at: random.below(items.count)) }
                case 1:
                    items.append(next)
                    next += 1
                default:
                    // Backdated: older than every item, so it joins the oldest page (or splits it).
                    items.append(-next)
                    next += 1
                }
            }
            let sorted = items.sorted { Self.key($0) < Self.key($1) }
            let (pages, keys) = Self.pages(sorted, closed: closed, per: 7)
            #expect(pages.flatMap { $0 } == sorted, "seed \(seed): every item on exactly one page, in order")
            #expect(pages.dropLast().allSatisfy { !$0.isEmpty && $0.count <= 14 })
            let (again, keysAgain) = Self.pages(sorted, closed: keys, per: 7)
            #expect(again == pages && keysAgain == keys, "seed \(seed): the result is a fixed point")
            closed = keys
            items = sorted
        }
    }
}
