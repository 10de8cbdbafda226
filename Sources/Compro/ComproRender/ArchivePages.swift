import ComproModel

/// One archive's pages (the news archive or a tag's): where each page ends, counted in items
/// from the oldest. Page 1 holds the oldest items; the last page may be open (not yet full).
struct ArchivePages: Sendable, Equatable {
    /// `ends[k - 1]`: how many of the oldest items pages 1…k hold together. Strictly ascending;
    /// the last is the number of items.
    private(set) var ends: [Int]

    /// An archive without items.
    static let none = ArchivePages(ends: [])

    /// How many archive pages there are.
    var count: Int { ends.count }

    /// Positions (in the newest-first list of `items` items) of page `page`'s items; empty for a
    /// page that does not exist.
    func range(_ page: Int, items: Int) -> Range<Int> {
        guard page >= 1, page <= ends.count else { return 0..<0 }
        let start = page == 1 ? 0 : ends[page - 2]
        return (items - ends[page - 1])..<(items - start)
    }

    /// The page holding the item at newest-first `position` of a list of `items` items (1…count).
    func page(holding position: Int, items: Int) -> Int {
        let fromOldest = items - 1 - position
        var low = 0
        var high = ends.count
        while low < high {
            let middle = (low + high) / 2
            if ends[middle] > fromOldest { high = middle } else { low = middle + 1 }
        }
        return low + 1
    }

    /// The pages of a list of `items` items given the closed pages of the live release, and the
    /// closed pages to store for the next one.
    ///
    /// - A closed page keeps its newest key: the items up to it that no earlier page holds are
    ///   its items, however many (a deletion leaves it short, a backdated item makes it longer),
    ///   so no other page changes. A closed page left empty is dropped, and one grown past twice
    ///   `perPage` is split into pages of `perPage` (its last keeps the rest); both renumber the
    ///   newer pages, and both need many changes in one page.
    /// - The items after the last closed page form open pages: each closes when it has `perPage`
    ///   items, so a fresh archive (`closed` nil) is pages of exactly `perPage`, oldest first.
    ///
    /// Applying the result to the same items again gives the same result.
    /// - Parameter key: the key of the item `i` places from the oldest; ascending in `i`.
    static func resolve(
        closed: [ArchiveLayout.Key]?, items: Int, perPage: Int, key: (Int) -> ArchiveLayout.Key
    ) -> (pages: ArchivePages, closed: [ArchiveLayout.Key]) {
        let per = max(1, perPage)
        var ends: [Int] = []
        var keys: [ArchiveLayout.Key] = []
        var start = 0
        for boundary in closed ?? [] {
            // The first item past the boundary, among those no earlier page holds.
            var low = start
            var high = items
            while low < high {
                let middle = (low + high) / 2
                if key(middle) > boundary { high = middle } else { low = middle + 1 }
            }
            let end = low
            if end == start { continue }
            while end - start > 2 * per {
                start += per
                ends.append(start)
                keys.append(key(start - 1))
            }
            ends.append(end)
            keys.append(boundary)
            start = end
        }
        while items - start >= per {
            start += per
            ends.append(start)
            keys.append(key(start - 1))
        }
        if start < items { ends.append(items) }
        return (ArchivePages(ends: ends), keys)
    }
}
