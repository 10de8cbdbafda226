// swift-tools-version: 6.0
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "KoniCompro",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "koni-compro", targets: ["koni-compro"]),
        .library(name: "ComproModel", targets: ["ComproModel"]),
        .library(name: "ComproRender", targets: ["ComproRender"]),
        .library(name: "ComproPublish", targets: ["ComproPublish"]),
        .library(name: "KoniAMQP", targets: ["KoniAMQP"]),
        .library(name: "KoniServiceKit", targets: ["KoniServiceKit"]),
        .executable(name: "cms-service", targets: ["cms-service"]),
        .executable(name: "media-service", targets: ["media-service"]),
        .executable(name: "payment-service", targets: ["payment-service"]),
        .executable(name: "tenant-service", targets: ["tenant-service"]),
        .executable(name: "athlete-service", targets: ["athlete-service"]),
        .executable(name: "gms-service", targets: ["gms-service"]),
        .executable(name: "auth-service", targets: ["auth-service"]),
        .executable(name: "compro-admin", targets: ["compro-admin"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.4.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        // Backend services (KoniServiceKit and the services built on it).
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
    ],
    targets: [
        // C libraries, each behind one small Swift module.
        .systemLibrary(
            name: "CCmarkGFM", path: "Sources/Compro/CCmarkGFM",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
        ),
        .systemLibrary(name: "CZlib", path: "Tests/Support/CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CLibdeflate", path: "Sources/Compro/CLibdeflate", pkgConfig: "libdeflate", providers: [.apt(["libdeflate-dev"])]),
        .systemLibrary(name: "CRabbitMQ", path: "Sources/Platform/CRabbitMQ", pkgConfig: "librabbitmq", providers: [.apt(["librabbitmq-dev"])]),
        .systemLibrary(name: "CArgon2", path: "Sources/Platform/CArgon2", pkgConfig: "libargon2", providers: [.apt(["libargon2-dev"])]),
        .systemLibrary(name: "CVips", path: "Sources/Platform/CVips", pkgConfig: "vips", providers: [.apt(["libvips-dev"])]),
        .systemLibrary(name: "CCurl", path: "Sources/Platform/CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .target(
            name: "KoniStorage", dependencies: ["CCurl", .product(name: "Crypto", package: "swift-crypto")], path: "Sources/Platform/KoniStorage",
            swiftSettings: strict),
        .target(
            name: "KoniImage", dependencies: ["CVips", .product(name: "Crypto", package: "swift-crypto")], path: "Sources/Platform/KoniImage",
            swiftSettings: strict),
        .executableTarget(name: "koni-image-bench", dependencies: ["KoniImage"], path: "Sources/Platform/koni-image-bench", swiftSettings: strict),

        .target(name: "ComproMarkdown", dependencies: ["CCmarkGFM", "ComproModel"], path: "Sources/Compro/ComproMarkdown", swiftSettings: strict),
        .target(
            name: "ComproModel",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            path: "Sources/Compro/ComproModel", swiftSettings: strict
        ),
        .target(name: "ComproTheme", dependencies: ["ComproModel", "Yams"], path: "Sources/Compro/ComproTheme", swiftSettings: strict),
        .target(
            name: "ComproContent", dependencies: ["ComproModel", "KoniJSON", "KoniSports", "Yams"], path: "Sources/Compro/ComproContent", swiftSettings: strict),
        .target(
            name: "ComproRender",
            dependencies: [
                "ComproModel", "ComproTheme", "ComproMarkdown", "KoniSports", "Yams",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Sources/Compro/ComproRender", swiftSettings: strict
        ),
        .target(
            name: "ComproPublish",
            dependencies: ["ComproModel", "KoniJSON", "CLibdeflate", .product(name: "Crypto", package: "swift-crypto")],
            path: "Sources/Compro/ComproPublish", swiftSettings: strict
        ),
        .target(name: "ComproImages", dependencies: ["ComproModel", "KoniImage", "KoniStorage"], path: "Sources/Compro/ComproImages", swiftSettings: strict),
        .target(
            name: "ComproBuild",
            dependencies: ["ComproModel", "ComproContent", "ComproTheme", "ComproRender", "ComproPublish", "ComproImages", "KoniImage"],
            path: "Sources/Compro/ComproBuild", swiftSettings: strict
        ),
        .target(
            name: "ComproRevalidate",
            dependencies: [
                "ComproModel", "ComproContent", "ComproRender", "ComproPublish", "ComproBuild",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Compro/ComproRevalidate", swiftSettings: strict
        ),
        .target(
            name: "ComproServe",
            dependencies: [
                "ComproModel", "ComproRevalidate", "ComproProvision", "KoniAMQP", "KoniJSON", "KoniEvents", "KoniMetrics",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Compro/ComproServe", swiftSettings: strict
        ),
        .target(
            name: "ComproNginx",
            dependencies: ["ComproModel", .product(name: "Mustache", package: "swift-mustache")],
            path: "Sources/Compro/ComproNginx", swiftSettings: strict
        ),
        .target(
            name: "ComproPreview",
            dependencies: [
                "ComproModel", "ComproContent", "ComproTheme", "ComproRender", "ComproBuild",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            path: "Sources/Compro/ComproPreview", swiftSettings: strict
        ),
        .target(
            name: "ComproOnboarding",
            dependencies: ["ComproModel", "ComproContent", "ComproTheme", "ComproRender", "ComproPublish", "ComproBuild", "ComproNginx"],
            path: "Sources/Compro/ComproOnboarding", swiftSettings: strict
        ),
        // Branches provisioned from the Tenant service's events (tenant folder, site, Nginx block, reload).
        .target(
            name: "ComproProvision",
            dependencies: ["ComproModel", "ComproContent", "ComproBuild", "ComproNginx", "ComproOnboarding", "ComproPublish", "KoniEvents", "KoniJSON"],
            path: "Sources/Compro/ComproProvision", swiftSettings: strict
        ),
        .target(
            name: "ComproCLI",
            dependencies: [
                "ComproModel", "ComproContent", "ComproTheme", "ComproRender", "ComproPublish", "ComproBuild",
                "ComproRevalidate", "ComproServe", "ComproNginx", "ComproPreview", "ComproOnboarding", "ComproProvision", "KoniAMQP", "KoniLogging",
                "ComproCMSSource", "ComproServiceSource", "KoniImage", "KoniMetrics",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Compro/ComproCLI", swiftSettings: strict
        ),
        .target(
            name: "KoniAMQP",
            dependencies: ["CRabbitMQ", .product(name: "Logging", package: "swift-log")],
            path: "Sources/Platform/KoniAMQP", swiftSettings: strict
        ),
        .executableTarget(name: "koni-compro", dependencies: ["ComproCLI"], path: "Sources/Compro/koni-compro", swiftSettings: strict),
        .executableTarget(
            name: "koni-markdown-bench",
            dependencies: ["ComproModel", "ComproMarkdown"],
            path: "Sources/Compro/koni-markdown-bench",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "koni-revalidation-bench",
            dependencies: ["ComproModel", "ComproBuild", "ComproRevalidate"],
            path: "Sources/Compro/koni-revalidation-bench",
            swiftSettings: strict
        ),

        // What every backend service shares: configuration, PostgreSQL and migrations, JSON logs,
        // errors, JWT verification, health, metrics and the transactional outbox.
        .target(
            name: "KoniServiceKit",
            dependencies: [
                "ComproModel", "KoniJSON", "KoniAMQP", "KoniEvents", "KoniLogging", "KoniMetrics", "KoniServiceClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Sources/Platform/KoniServiceKit", swiftSettings: strict
        ),
        // The one JSON log format of every process (ts, level, logger, msg, metadata).
        .target(
            name: "KoniLogging", dependencies: ["KoniJSON", .product(name: "Logging", package: "swift-log")], path: "Sources/Platform/KoniLogging",
            swiftSettings: strict
        ),
        // Calls between services and to outside JSON APIs: timeouts, retries with backoff, a circuit breaker.
        .target(
            name: "KoniServiceClient",
            dependencies: [
                "KoniJSON",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Sources/Platform/KoniServiceClient", swiftSettings: strict
        ),
        // The metrics every service and the daemon record and serve: one registry per process, request metrics.
        .target(
            name: "KoniMetrics",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            path: "Sources/Platform/KoniMetrics", swiftSettings: strict
        ),
        // The event contract: envelope, catalogue of types, exchange and header names.
        .target(name: "KoniEvents", dependencies: ["KoniJSON"], path: "Sources/Platform/KoniEvents", swiftSettings: strict),
        // JSON that keeps key order (athlete stats) and reads fields with path-naming errors.
        .target(name: "KoniJSON", dependencies: ["ComproModel"], path: "Sources/Platform/KoniJSON", swiftSettings: strict),
        // The sports every service knows: codes, athletes' statistics, how a match is scored.
        .target(name: "KoniSports", dependencies: ["KoniJSON"], path: "Sources/Platform/KoniSports", swiftSettings: strict),
        // The branches a service knows and their registered domains (today from the tenant folders).
        .target(name: "KoniBranches", dependencies: ["ComproModel", "ComproContent"], path: "Sources/Platform/KoniBranches", swiftSettings: strict),
        // Redis over SwiftNIO (RESP2): SSO codes, sessions, rate limits.
        .target(
            name: "KoniRedis",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"), .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Sources/Platform/KoniRedis", swiftSettings: strict
        ),
        // Argon2id password hashing through Debian's libargon2.
        .target(
            name: "KoniPassword",
            dependencies: ["CArgon2", .product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOConcurrencyHelpers", package: "swift-nio")],
            path: "Sources/Platform/KoniPassword", swiftSettings: strict
        ),
        .executableTarget(name: "koni-password-bench", dependencies: ["KoniPassword"], path: "Sources/Platform/koni-password-bench", swiftSettings: strict),
        // The Auth service: accounts, roles, SSO, tokens and their keys.
        .target(
            name: "AuthService",
            dependencies: [
                "KoniServiceKit", "KoniRedis", "KoniPassword", "KoniAMQP", "KoniJSON", "KoniBranches", "ComproModel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Sources/Services/Auth/AuthService", swiftSettings: strict
        ),
        .executableTarget(name: "auth-service", dependencies: ["AuthService"], path: "Sources/Services/Auth/auth-service", swiftSettings: strict),
        .executableTarget(
            name: "koni-auth-bench", dependencies: ["AuthService", "KoniServiceKit", .product(name: "Logging", package: "swift-log")],
            path: "Sources/Services/Auth/koni-auth-bench", swiftSettings: strict
        ),
        // The branch admin (/admin/ on every branch site): a backend-for-frontend over the Auth service and the CMS.
        .target(
            name: "ComproAdmin",
            dependencies: [
                "KoniServiceKit", "KoniRedis", "KoniBranches", "KoniJSON", "ComproModel", "ComproTheme", "ComproMarkdown",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Sources/Services/Admin/ComproAdmin", swiftSettings: strict
        ),
        .executableTarget(name: "compro-admin", dependencies: ["ComproAdmin"], path: "Sources/Services/Admin/compro-admin", swiftSettings: strict),
        // The CMS's JSON wire format, shared by the service and the generator's CMS source.
        .target(name: "CMSWire", dependencies: ["ComproModel", "ComproContent", "KoniJSON"], path: "Sources/Services/CMS/CMSWire", swiftSettings: strict),
        .target(
            name: "CMSService",
            dependencies: [
                "KoniServiceKit", .product(name: "ArgumentParser", package: "swift-argument-parser"), "KoniJSON", "KoniAMQP", "CMSWire", "ComproModel",
                "ComproTheme",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Sources/Services/CMS/CMSService", swiftSettings: strict
        ),
        .executableTarget(
            name: "cms-service", dependencies: ["CMSService", "KoniServiceKit"], path: "Sources/Services/CMS/cms-service", swiftSettings: strict),
        .target(
            name: "MediaService",
            dependencies: [
                "KoniServiceKit", "KoniStorage", "KoniImage", "KoniJSON", "KoniAMQP", "ComproModel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "MultipartKit", package: "multipart-kit"),
            ],
            path: "Sources/Services/Media/MediaService", swiftSettings: strict
        ),
        .executableTarget(name: "media-service", dependencies: ["MediaService"], path: "Sources/Services/Media/media-service", swiftSettings: strict),
        // Midtrans's Snap and Core APIs and its notifications, as the Payment service uses them.
        .target(
            name: "Midtrans",
            dependencies: ["KoniServiceKit", "KoniJSON", .product(name: "Crypto", package: "swift-crypto")],
            path: "Sources/Services/Payment/Midtrans", swiftSettings: strict
        ),
        .target(
            name: "PaymentService",
            dependencies: [
                "KoniServiceKit", "KoniJSON", "KoniAMQP", "Midtrans",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            path: "Sources/Services/Payment/PaymentService", swiftSettings: strict
        ),
        .target(
            name: "TenantService",
            dependencies: [
                "KoniServiceKit", "KoniJSON", "KoniAMQP", "ComproModel", "ComproTheme",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Sources/Services/Tenant/TenantService", swiftSettings: strict
        ),
        .target(
            name: "AthleteService",
            dependencies: [
                "KoniServiceKit", "KoniJSON", "KoniAMQP", "KoniSports", "ComproModel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Sources/Services/Athlete/AthleteService", swiftSettings: strict
        ),
        .executableTarget(name: "athlete-service", dependencies: ["AthleteService"], path: "Sources/Services/Athlete/athlete-service", swiftSettings: strict),
        .target(
            name: "GMSService",
            dependencies: [
                "KoniServiceKit", "KoniJSON", "KoniAMQP", "KoniSports", "ComproModel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Sources/Services/GMS/GMSService", swiftSettings: strict
        ),
        .executableTarget(name: "gms-service", dependencies: ["GMSService"], path: "Sources/Services/GMS/gms-service", swiftSettings: strict),
        .executableTarget(name: "tenant-service", dependencies: ["TenantService"], path: "Sources/Services/Tenant/tenant-service", swiftSettings: strict),
        .executableTarget(name: "payment-service", dependencies: ["PaymentService"], path: "Sources/Services/Payment/payment-service", swiftSettings: strict),
        // The KONI services as content sources: GMS's tournaments (`gms: {url: …}`) and the Athlete
        // service's athletes (`athletes: {url: …}`).
        .target(
            name: "ComproServiceSource",
            dependencies: [
                "ComproModel", "ComproContent", "KoniJSON", "KoniSports", "KoniServiceClient",
            ],
            path: "Sources/Compro/ComproServiceSource", swiftSettings: strict
        ),
        // `koni-compro build --cms` and `koni-compro cms import`: the CMS as a content source.
        .target(
            name: "ComproCMSSource",
            dependencies: [
                "ComproModel", "ComproContent", "KoniJSON", "CMSWire", "KoniServiceClient",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Sources/Compro/ComproCMSSource", swiftSettings: strict
        ),

        // What the test targets share: repository paths, temporary folders removed at exit, a process runner.
        .target(name: "KoniTestSupport", dependencies: ["CZlib"], path: "Tests/Support/KoniTestSupport", swiftSettings: strict),
        // What the generator's tests share: the fixture tenants, their environment, live trees compared.
        .target(
            name: "ComproTestSupport",
            dependencies: ["KoniTestSupport", "ComproModel", "ComproContent", "ComproBuild", "ComproPublish", "ComproRender"],
            path: "Tests/Support/ComproTestSupport", swiftSettings: strict
        ),
        // What the service tests share: the real servers' URLs and a fresh database per test.
        .target(
            name: "KoniServiceTestSupport",
            dependencies: [
                "KoniServiceKit", "KoniJSON", "KoniTestSupport", "KoniStorage", .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"), .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HummingbirdTesting", package: "hummingbird"), .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Tests/Support/KoniServiceTestSupport", swiftSettings: strict
        ),
        .testTarget(name: "ComproModelTests", dependencies: ["ComproModel"], path: "Tests/Compro/ComproModelTests", swiftSettings: strict),
        .testTarget(
            name: "ComproContentTests", dependencies: ["ComproModel", "ComproContent"], path: "Tests/Compro/ComproContentTests", swiftSettings: strict
        ),
        .testTarget(
            name: "ComproThemeTests", dependencies: ["KoniTestSupport", "ComproModel", "ComproTheme"], path: "Tests/Compro/ComproThemeTests",
            swiftSettings: strict
        ),
        .testTarget(
            name: "ComproMarkdownTests", dependencies: ["ComproModel", "ComproMarkdown"], path: "Tests/Compro/ComproMarkdownTests", swiftSettings: strict
        ),
        .testTarget(
            name: "ComproRenderTests",
            dependencies: ["KoniTestSupport", "ComproTestSupport", "ComproModel", "ComproRender"],
            path: "Tests/Compro/ComproRenderTests", resources: [.copy("Fixtures")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ComproBuildTests",
            dependencies: ["KoniTestSupport", "ComproTestSupport", "ComproModel", "ComproContent", "ComproPublish", "ComproBuild"],
            path: "Tests/Compro/ComproBuildTests", swiftSettings: strict
        ),
        // The command line, run as the `koni-compro` binary.
        .testTarget(
            name: "ComproCLITests", dependencies: ["KoniTestSupport", "ComproTestSupport"], path: "Tests/Compro/ComproCLITests", swiftSettings: strict
        ),
        // The content rules shared by the folder and the CMS, both spellings side by side.
        .testTarget(
            name: "CMSWireTests", dependencies: ["CMSWire", "ComproContent", "ComproModel", "KoniJSON"], path: "Tests/Services/CMS/CMSWireTests",
            swiftSettings: strict
        ),
        .testTarget(name: "MidtransTests", dependencies: ["Midtrans", "KoniJSON"], path: "Tests/Services/Payment/MidtransTests", swiftSettings: strict),
        .testTarget(
            name: "CMSServiceTests",
            dependencies: [
                "KoniTestSupport", "KoniServiceTestSupport",
                "CMSService", "KoniServiceKit", "KoniJSON", "KoniAMQP", "CMSWire", "ComproCMSSource", "ComproModel", "ComproContent", "ComproBuild",
                "ComproRevalidate", "ComproPublish",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Tests/Services/CMS/CMSServiceTests", swiftSettings: strict
        ),
        .testTarget(
            name: "AuthServiceTests",
            dependencies: [
                "KoniTestSupport", "KoniServiceTestSupport", "AuthService", "CMSService", "AthleteService", "KoniBranches", "KoniServiceKit", "KoniRedis",
                "KoniPassword",
                "KoniJSON", "KoniAMQP", "ComproModel",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            path: "Tests/Services/Auth/AuthServiceTests", swiftSettings: strict
        ),
        .testTarget(
            name: "MediaServiceTests",
            dependencies: [
                "KoniTestSupport", "KoniServiceTestSupport", "MediaService", "CMSService", "KoniStorage", "KoniServiceKit", "KoniJSON", "ComproModel",
                "ComproBuild", "ComproImages", "KoniImage",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Tests/Services/Media/MediaServiceTests", swiftSettings: strict
        ),
        .testTarget(
            name: "PaymentServiceTests",
            dependencies: [
                "KoniTestSupport", "KoniServiceTestSupport", "PaymentService", "Midtrans", "KoniServiceKit", "KoniJSON",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Tests/Services/Payment/PaymentServiceTests", swiftSettings: strict
        ),
        .testTarget(
            name: "AthleteServiceTests",
            dependencies: [
                "KoniTestSupport", "KoniServiceTestSupport", "AthleteService", "KoniServiceKit", "KoniJSON", "KoniAMQP", "KoniEvents", "KoniSports",
                "ComproModel",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Tests/Services/Athlete/AthleteServiceTests", swiftSettings: strict
        ),
        .testTarget(
            name: "GMSServiceTests",
            dependencies: [
                "KoniTestSupport", "KoniServiceTestSupport", "GMSService", "AthleteService", "KoniServiceKit", "KoniJSON", "KoniAMQP", "KoniEvents",
                "KoniSports", "ComproModel", "ComproContent", "ComproBuild", "ComproPublish", "ComproRevalidate", "ComproServiceSource",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            path: "Tests/Services/GMS/GMSServiceTests", swiftSettings: strict
        ),
        .testTarget(
            name: "TenantServiceTests",
            dependencies: [
                "KoniTestSupport", "KoniServiceTestSupport", "TenantService", "PaymentService", "Midtrans", "KoniServiceKit", "KoniJSON", "KoniAMQP",
                "ComproModel",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Tests/Services/Tenant/TenantServiceTests", swiftSettings: strict
        ),
        .testTarget(
            name: "KoniImageTests", dependencies: ["KoniImage", "KoniTestSupport"], path: "Tests/Platform/KoniImageTests", swiftSettings: strict
        ),
        .testTarget(
            name: "ComproAdminTests", dependencies: ["KoniTestSupport", "ComproAdmin", "ComproTheme", "KoniJSON"],
            path: "Tests/Services/Admin/ComproAdminTests",
            swiftSettings: strict
        ),
        .testTarget(
            name: "ComproRevalidateTests",
            dependencies: [
                "KoniTestSupport", "ComproTestSupport",
                "ComproModel", "ComproContent", "ComproBuild", "ComproPublish", "ComproRender", "ComproRevalidate",
            ],
            path: "Tests/Compro/ComproRevalidateTests", swiftSettings: strict
        ),
        .testTarget(
            name: "ComproServeTests",
            dependencies: [
                "KoniTestSupport", "ComproTestSupport",
                "ComproBuild", "ComproPublish", "ComproRevalidate", "ComproServe", "KoniAMQP", "KoniJSON", "KoniServiceKit", "KoniMetrics",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/Compro/ComproServeTests", swiftSettings: strict
        ),
        .testTarget(
            name: "ComproNginxTests",
            dependencies: [
                "KoniTestSupport", "ComproModel", "ComproContent", "ComproRender", "ComproPublish", "ComproBuild", "ComproNginx", "ComproRevalidate",
                "ComproProvision", "ComproOnboarding", "ComproTheme", "KoniServiceTestSupport", "TenantService", "KoniServiceKit", "KoniAMQP", "KoniEvents",
                "KoniJSON",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Tests/Compro/ComproNginxTests", swiftSettings: strict
        ),
        .testTarget(
            name: "ComproPreviewTests",
            dependencies: [
                "KoniTestSupport", "ComproTestSupport",
                "ComproModel", "ComproTheme", "ComproBuild", "ComproPreview",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            path: "Tests/Compro/ComproPreviewTests", swiftSettings: strict
        ),
        .testTarget(
            name: "ComproOnboardingTests",
            dependencies: [
                "KoniTestSupport", "ComproTestSupport", "ComproModel", "ComproContent", "ComproBuild", "ComproNginx", "ComproOnboarding",
            ],
            path: "Tests/Compro/ComproOnboardingTests", swiftSettings: strict
        ),
        .testTarget(
            name: "ComproPublishTests",
            dependencies: [
                "KoniTestSupport", "ComproModel", "ComproPublish",
            ],
            path: "Tests/Compro/ComproPublishTests", swiftSettings: strict
        ),
        .testTarget(
            name: "ComproProvisionTests",
            dependencies: ["KoniTestSupport", "ComproModel", "ComproBuild", "ComproNginx", "ComproOnboarding", "ComproProvision", "KoniJSON"],
            path: "Tests/Compro/ComproProvisionTests", swiftSettings: strict
        ),
        .testTarget(
            name: "ComproServiceSourceTests",
            dependencies: [
                "ComproServiceSource", "ComproContent", "ComproModel", "KoniJSON",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            path: "Tests/Compro/ComproServiceSourceTests", swiftSettings: strict
        ),
        .testTarget(
            name: "ComproCMSSourceTests",
            dependencies: [
                "ComproCMSSource", "ComproContent", "ComproModel", "CMSWire", "KoniJSON", "ComproTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            path: "Tests/Compro/ComproCMSSourceTests", swiftSettings: strict
        ),
        .testTarget(
            name: "ComproImagesTests",
            dependencies: [
                "ComproImages", "ComproModel", "ComproContent", "ComproTestSupport", "KoniTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            path: "Tests/Compro/ComproImagesTests", swiftSettings: strict
        ),
        .testTarget(
            name: "KoniStorageTests", dependencies: ["KoniStorage", "KoniServiceTestSupport", "KoniTestSupport"], path: "Tests/Platform/KoniStorageTests",
            swiftSettings: strict
        ),
        .testTarget(name: "KoniJSONTests", dependencies: ["KoniJSON"], path: "Tests/Platform/KoniJSONTests", swiftSettings: strict),
        .testTarget(name: "KoniEventsTests", dependencies: ["KoniEvents", "KoniJSON"], path: "Tests/Platform/KoniEventsTests", swiftSettings: strict),
        .testTarget(name: "KoniPasswordTests", dependencies: ["KoniPassword"], path: "Tests/Platform/KoniPasswordTests", swiftSettings: strict),
        .testTarget(
            name: "KoniRedisTests",
            dependencies: [
                "KoniTestSupport", "KoniRedis", .product(name: "Logging", package: "swift-log"), .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Tests/Platform/KoniRedisTests", swiftSettings: strict
        ),
        .testTarget(
            name: "KoniServiceKitTests",
            dependencies: [
                "KoniServiceKit",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Tests/Platform/KoniServiceKitTests", swiftSettings: strict
        ),
        .testTarget(
            name: "KoniLoggingTests",
            dependencies: ["KoniLogging", "KoniJSON", .product(name: "Logging", package: "swift-log")],
            path: "Tests/Platform/KoniLoggingTests", swiftSettings: strict
        ),
        .testTarget(
            name: "KoniServiceClientTests",
            dependencies: [
                "KoniServiceClient", "KoniServiceKit", "KoniJSON",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            path: "Tests/Platform/KoniServiceClientTests", swiftSettings: strict
        ),
        .testTarget(
            name: "KoniMetricsTests",
            dependencies: [
                "KoniMetrics", .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            path: "Tests/Platform/KoniMetricsTests", swiftSettings: strict
        ),
        .testTarget(name: "KoniSportsTests", dependencies: ["KoniSports", "KoniJSON"], path: "Tests/Platform/KoniSportsTests", swiftSettings: strict),
        .testTarget(
            name: "KoniBranchesTests", dependencies: ["KoniBranches", "ComproModel", "KoniTestSupport"], path: "Tests/Platform/KoniBranchesTests",
            swiftSettings: strict
        ),
        .testTarget(
            name: "KoniAMQPTests",
            dependencies: [
                "KoniTestSupport", "KoniAMQP", .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/Platform/KoniAMQPTests", swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
