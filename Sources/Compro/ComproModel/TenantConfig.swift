/// A branch's settings, from `tenants/<slug>/tenant.yml` or the CMS.
public struct TenantConfig: Sendable, Hashable {
    public var slug: String
    public var name: String
    public var shortName: String
    public var tagline: String
    public var description: String
    public var domains: [String]
    public var baseURL: String
    public var locale: String
    public var timeZone: SiteTimeZone
    public var logo: String
    public var theme: ThemeSelection
    /// Explicit navigation; nil means "generate from the pages marked `menu: true`".
    public var navigation: [NavigationLink]?
    public var contact: Contact?
    public var social: [SocialLink]
    public var newsPerPage: Int
    public var source: ContentSourceKind
    public var cmsURL: String?
    /// GMS, when the branch's tournaments are kept there (`gms: {url: …}` in `tenant.yml`): the
    /// build and the daemon read them from its public API instead of `content/tournaments/`.
    public var gmsURL: String?
    /// The Athlete service, when the branch's athletes are kept there (`athletes: {url: …}`):
    /// `/atlet/` then shows them instead of `content/athletes/`.
    public var athletesURL: String?
    /// Digest of the configuration source.
    public var revision: String

    public init(
        slug: String, name: String, shortName: String? = nil, tagline: String = "", description: String? = nil,
        domains: [String]? = nil, baseURL: String? = nil, locale: String = "id-ID", timeZone: SiteTimeZone = .jakarta,
        logo: String = "", theme: ThemeSelection = ThemeSelection(), navigation: [NavigationLink]? = nil,
        contact: Contact? = nil, social: [SocialLink] = [], newsPerPage: Int = 10, source: ContentSourceKind = .local,
        cmsURL: String? = nil, gmsURL: String? = nil, athletesURL: String? = nil, revision: String = ""
    ) {
        self.slug = slug
        self.name = name
        self.shortName = shortName ?? name
        self.tagline = tagline
        self.description = description ?? tagline
        let domains = domains ?? ["\(slug).koni.id"]
        self.domains = domains
        self.baseURL = baseURL ?? "https://\(domains.first ?? "\(slug).koni.id")"
        self.locale = locale
        self.timeZone = timeZone
        self.logo = logo
        self.theme = theme
        self.navigation = navigation
        self.contact = contact
        self.social = social
        self.newsPerPage = newsPerPage
        self.source = source
        self.cmsURL = cmsURL
        self.gmsURL = gmsURL
        self.athletesURL = athletesURL
        self.revision = revision
    }
}

/// Where a branch's content is kept: `tenant.yml`'s `source:`.
public enum ContentSourceKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// The branch's own folder, `tenants/<slug>/content/`.
    case local
    /// The CMS service's public API, at `cms: {url: …}`.
    case cms

    /// The `tenant.yml` key whose `url:` is the source's address; nil for the folder.
    public var settingKey: String? {
        switch self {
        case .local: nil
        case .cms: "cms"
        }
    }
}

extension TenantConfig {
    /// The address of the source `source:` names, from its setting (`cms: {url: …}`); nil for
    /// the folder, and when `tenant.yml` gives none.
    public var sourceURL: String? {
        switch source {
        case .local: nil
        case .cms: cmsURL
        }
    }
}

public struct NavigationLink: Sendable, Hashable {
    public var title: String
    public var url: String

    public init(title: String, url: String) {
        self.title = title
        self.url = url
    }
}

public struct Contact: Sendable, Hashable {
    public var address: String
    public var phone: String
    public var email: String
    public var hours: String
    public var mapURL: String

    public init(address: String = "", phone: String = "", email: String = "", hours: String = "", mapURL: String = "") {
        self.address = address
        self.phone = phone
        self.email = email
        self.hours = hours
        self.mapURL = mapURL
    }
}

public struct SocialLink: Sendable, Hashable {
    public static let platforms: [String: String] = [
        "instagram": "Instagram", "facebook": "Facebook", "x": "X", "youtube": "YouTube", "tiktok": "TikTok",
        "website": "Situs web",
    ]

    public var platform: String
    public var url: String

    public init(platform: String, url: String) {
        self.platform = platform
        self.url = url
    }

    public var label: String { Self.platforms[platform] ?? platform }
}

/// The theme a tenant asks for: a preset and property overrides, each remembered with the place
/// it was written so that an invalid value can be reported precisely.
public struct ThemeSelection: Sendable, Hashable {
    public static let defaultPreset = "merah-putih"

    public var preset: String
    public var presetLocation: SourceLocation?
    public var overrides: [Override]

    public struct Override: Sendable, Hashable {
        public var property: String
        public var value: String
        public var location: SourceLocation?

        public init(property: String, value: String, location: SourceLocation? = nil) {
            self.property = property
            self.value = value
            self.location = location
        }
    }

    public init(preset: String = ThemeSelection.defaultPreset, presetLocation: SourceLocation? = nil, overrides: [Override] = []) {
        self.preset = preset
        self.presetLocation = presetLocation
        self.overrides = overrides
    }
}
