import ComproModel

/// Where a tenant's content comes from when its `tenant.yml` names a source other than its own
/// folder (`source: cms` with `cms: url:`): the build and the revalidation engine ask it for the
/// content and never know how it is fetched. A new kind of source is one type conforming to this,
/// a case in ``ContentSourceKind`` naming its `tenant.yml` setting, and one entry where the
/// command line lists the ``ContentSources`` it carries.
///
/// The folder itself is not one of these sources: every tenant has it (static files, template
/// overrides, `tenant.yml`), and the daemon reads it file by file, not as a whole.
package protocol TenantContentSource: Sendable {
    /// The tenant's published content at `location` (the address from `tenant.yml`), with static
    /// files from its folder under `tenantsDirectory`. Throws, naming the source, when it cannot
    /// be read: nothing is published then, and the change is retried.
    func load(_ slug: String, from location: String, tenantsDirectory: String) async throws(ContentErrors) -> SourcedContent

    /// A copy of the tenant's content at `location` that the daemon keeps in memory and brings up
    /// to date by reading only what changed. Made once per tenant and location.
    func mirror(_ slug: String, from location: String) -> any ContentMirror
}

/// A tenant's content as a source had it, and the source's cursor at that moment: stored beside
/// the release a build publishes, so that a daemon started afterwards knows the live site is that
/// cursor's content and reads nothing until something changes.
package struct SourcedContent: Sendable {
    package var content: SiteContent
    /// The source's cursor (``ContentMirror/sourceCursor()``); nil when the source has none.
    package var cursor: String?
    /// The source and its address, as the tenant's mirror names them (``ContentMirror/origin``).
    package var origin: String

    package init(content: SiteContent, cursor: String?, origin: String) {
        self.content = content
        self.cursor = cursor
        self.origin = origin
    }
}

/// A tenant's content kept in memory from a remote source.
///
/// The first ``catchUp()`` reads everything; later ones read only what changed since the copy's
/// cursor, so a change costs the same on a branch of 100 items as on one of 100,000. Events
/// that name a change are hints to catch up: a lost, repeated or reordered event changes
/// nothing, because the cursor, not the event, says what is read.
package protocol ContentMirror: AnyObject, Sendable {
    /// Whether the copy holds the source's content (a catch-up succeeded at least once).
    var isLoaded: Bool { get }

    /// The source and its address (`cms:http://cms.internal:8003`, no whitespace), stored beside
    /// the cursor so that a cursor another source gave (the tenant moved to another CMS) never
    /// passes for this one's.
    var origin: String { get }

    /// Brings the copy up to date. Throws, naming the source, when it cannot be read; the copy
    /// then stays as it was.
    func catchUp() async throws(ContentErrors)

    /// Compares the copy with a digest of the source (catching up first when the source's cursor
    /// moved), and reads everything again when they still differ. Returns whether anything changed.
    func reconcile() async throws(ContentErrors) -> Bool

    /// The source's latest cursor, without reading any content.
    func sourceCursor() async throws(ContentErrors) -> String

    /// What changed in the copy since the last call, or all of it when `everything` is true
    /// (or when the copy was read again as a whole since); nil before the first catch-up.
    func takeChanges(everything: Bool) -> MirrorChanges?
}

/// Changes taken from a ``ContentMirror``, to apply to a tenant's site.
package struct MirrorChanges: Sendable {
    /// The tenant's settings and theme now.
    package var config: TenantConfig
    /// Whether ``config`` may differ from what the last changes said.
    package var configChanged: Bool
    /// Changed items by a key that stays the item's while its slug changes: the item now (or the
    /// error reading it), or nil when it is gone.
    package var items: [LocalContentSource.ContentFile: Result<ParsedItem, ContentError>?]
    /// Whether ``items`` holds every item (anything absent is gone).
    package var complete: Bool
    /// The source's cursor that this state corresponds to.
    package var cursor: String

    package init(
        config: TenantConfig, configChanged: Bool, items: [LocalContentSource.ContentFile: Result<ParsedItem, ContentError>?], complete: Bool,
        cursor: String
    ) {
        self.config = config
        self.configChanged = configChanged
        self.items = items
        self.complete = complete
        self.cursor = cursor
    }

    /// Nothing to apply.
    package var isEmpty: Bool { !complete && !configChanged && items.isEmpty }
}

/// Where the items of one kind come from for a branch whose `tenant.yml` names a KONI service
/// for them (`gms: {url: …}` for tournaments, `athletes: {url: …}` for athletes): the build and
/// the daemon ask it for all of them at once (one answer, so that what a page shows never mixes
/// two moments), and the daemon compares them to render only what changed.
package protocol ServiceContentSource: Sendable {
    /// The branch's items of `kind` at `location`. Throws, naming the source, when they cannot be
    /// read or break the site's rules: nothing is published then.
    func snapshot(of kind: ContentKind, tenant slug: String, from location: String, timeZone: SiteTimeZone) async throws(ContentErrors) -> ItemSnapshot
}

/// A branch's items of one kind as their service had them at one moment.
package struct ItemSnapshot: Sendable {
    package var kind: ContentKind
    package var items: [ParsedItem]
    /// When the service read them (its own clock, microseconds), so that a snapshot read earlier
    /// but delivered later never replaces a newer one; nil when the service does not say.
    package var asOf: Int64?

    package init(kind: ContentKind, items: [ParsedItem], asOf: Int64?) {
        self.kind = kind
        self.items = items
        self.asOf = asOf
    }

    /// Whether this snapshot is not older than `other`.
    package func isAtLeast(_ other: ItemSnapshot?) -> Bool {
        guard let other, let theirs = other.asOf, let ours = asOf else { return true }
        return ours >= theirs
    }

    /// Puts the items into `content`, replacing what it held of the kind.
    package func apply(to content: inout SiteContent) {
        switch kind {
        case .tournament: content.tournaments = items.compactMap { if case .tournament(let x) = $0 { x } else { nil } }.sorted(by: ContentOrder.tournament)
        case .athlete: content.athletes = items.compactMap { if case .athlete(let x) = $0 { x } else { nil } }.sorted(by: ContentOrder.athlete)
        case .page, .news, .event, .gallery: break
        }
    }
}

extension TenantConfig {
    /// The KONI services this branch's `tenant.yml` names as the source of a kind of item.
    package var serviceSources: [(kind: ContentKind, url: String)] {
        [(ContentKind.tournament, gmsURL), (.athlete, athletesURL)].compactMap { kind, url in url.map { (kind, $0) } }
    }
}
