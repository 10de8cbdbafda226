import Foundation
import Hummingbird
import KoniServiceKit

/// "Live in N ms": every CMS write of a save carries its own trace id; the CMS puts it into the
/// change's event, and the revalidation daemon answers `GET /api/published/{trace}` once that
/// event is published. The time is measured here, from the start of the save to the daemon's
/// answer, on this server's monotonic clock (no clocks of two machines compared).
extension AdminAPI {
    /// One save in progress: when it began and the trace id of its latest CMS call.
    struct Save: Sendable {
        let started = ContinuousClock.now
        private(set) var traceID = TraceMiddleware.newTraceID()

        /// A new trace id for the save's next CMS call; the save waits for the last one.
        mutating func nextCall() -> String {
            traceID = TraceMiddleware.newTraceID()
            return traceID
        }
    }

    /// Where a saved change stands on the public site.
    enum Live: Equatable {
        case live(milliseconds: Int)
        /// The daemon did not answer within the wait: it is still being published (or the daemon is down).
        case pending
        /// The daemon gave up on the change (it was dead-lettered); the site is as it was.
        case failed
        /// No daemon is configured, or the change does not touch the public site (a draft).
        case unknown

        /// The `tayang` query value of the page after the save.
        var queryValue: String? {
            switch self {
            case .live(let milliseconds): String(milliseconds)
            case .pending: "menunggu"
            case .failed: "gagal"
            case .unknown: nil
            }
        }

        init?(queryValue: Substring) {
            switch queryValue {
            case "menunggu": self = .pending
            case "gagal": self = .failed
            default:
                guard let milliseconds = Int(queryValue), (0...600_000).contains(milliseconds) else { return nil }
                self = .live(milliseconds: milliseconds)
            }
        }

        var sentence: String? {
            switch self {
            case .live(let milliseconds): "Tayang di situs dalam \(milliseconds) ms."
            case .pending: "Situs sedang diperbarui; perubahan tampil sebentar lagi."
            case .failed: "Situs gagal diperbarui, tampilan lama tetap tayang. Simpan lagi atau hubungi tim teknis."
            case .unknown: nil
            }
        }
    }

    /// Waits (up to the configured wait) for the daemon to publish the save's last change.
    func waitUntilLive(_ save: Save) async -> Live {
        guard let daemon else { return .unknown }
        let wait = settings.liveWait
        let milliseconds = Int(wait / .milliseconds(1))
        do {
            let reply = try await daemon.call(.GET, "/api/published/\(save.traceID)?wait_ms=\(milliseconds)", timeout: wait + .seconds(1), once: true)
            guard reply.status == 200 else { return .pending }
            guard reply.body["published"] == .bool(true) else { return .failed }
            let elapsed = ContinuousClock.now - save.started
            return .live(milliseconds: Int(elapsed / .milliseconds(1)))
        } catch {
            return .pending
        }
    }

    /// What the page after a save says: `?hasil=` (saved, deleted) and `?tayang=` (live).
    static func notice(_ request: Request) -> String? {
        let saved = request.uri.queryParameters["hasil"].flatMap { outcomes[String($0)] }
        let live = request.uri.queryParameters["tayang"].flatMap { Live(queryValue: $0) }?.sentence
        let text = [saved, live].compactMap { $0 }.joined(separator: " ")
        return text.isEmpty ? nil : text
    }

    /// `?hasil=<outcome>` and, when known, `&tayang=<live>`.
    static func outcomeQuery(_ outcome: String, _ live: Live) -> String {
        "?hasil=\(outcome)" + (live.queryValue.map { "&tayang=\($0)" } ?? "")
    }
}
