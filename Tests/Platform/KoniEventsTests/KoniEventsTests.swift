import Foundation
import KoniEvents
import KoniJSON
import Testing

/// The event contract: what the outbox writes is what a consumer reads.
@Suite struct KoniEventsTests {
    @Test func anEnvelopeRoundTripsThroughTheConsumerParser() throws {
        let tenant = UUID()
        let change = ContentChangeData(entity: .news, id: "n-1", slug: "juara-umum", action: .published)
        let event = KoniEvent(type: .cmsPageUpdated, tenantID: tenant, tenantSlug: "jatim", data: change.json, traceID: "abc")
        let text = String(decoding: event.body, as: UTF8.self)
        #expect(text.hasPrefix(#"{"id":""#))
        #expect(text.contains(#""type":"cms.page_updated","occurred_at":""#), "keys in the documented order: \(text)")
        let received = try ReceivedEvent.parse(event.body)
        #expect(received.type == .cmsPageUpdated)
        #expect(received.tenantSlug == "jatim")
        #expect(received.tenantID == tenant.uuidString.lowercased())
        #expect(received.id == event.id.uuidString.lowercased())
        #expect(try received.data?.string("slug") == "juara-umum")
        #expect(try received.data?.string("action") == "published")
        #expect(received.occurredAt.hasSuffix("Z"))
        #expect(try ContentChangeData(#require(received.data)) == change, "the consumer reads back what the producer wrote")
    }

    @Test func contentChangeDataRefusesWhatIsNotInTheCatalogue() throws {
        func read(_ json: String) throws(FieldError) -> ContentChangeData {
            do { return try ContentChangeData(JSONFields(JSONValue.parse(json))) } catch let error as FieldError { throw error } catch {
                throw FieldError(field: "", reason: "\(error)")
            }
        }
        #expect(try read(#"{"entity":"settings"}"#) == ContentChangeData(entity: .settings, id: "", slug: "", action: .updated))
        #expect(try read(#"{"entity":"news","slug":"a","action":"deleted","extra":1}"#).action == .deleted, "a new field is ignored")
        for (json, field) in [
            (#"{"slug":"a"}"#, "entity"), (#"{"entity":"tournament"}"#, "entity"), (#"{"entity":"news","action":"archived"}"#, "action"),
            (#"{"entity":"news","slug":7}"#, "slug"), (#"{"entity":["news"]}"#, "entity"),
        ] {
            #expect(throws: FieldError.self, "\(json)") { try read(json) }
            do { _ = try read(json) } catch { #expect(error.field == field, "\(json): \(error)") }
        }
    }

    @Test func theCatalogueHasEveryTypeOfTheBriefOnce() {
        let names = EventType.catalogue.map(\.rawValue)
        #expect(Set(names).count == names.count)
        for name in [
            "user.registered", "user.role_changed", "tenant.created", "tenant.subscription_paid", "cms.page_updated",
            "cms.news_published", "athlete.registered", "tournament.created", "match.completed", "order.paid", "order.shipped",
            "booking.confirmed", "tenant.updated", "tenant.suspended", "media.updated", "athlete.updated", "tournament.updated",
            "payment.succeeded", "payment.failed", "payment.refunded",
        ] {
            #expect(names.contains(name), "\(name)")
        }
        #expect(EventType.cmsPageUpdated.domain == "cms")
    }

    @Test func hostileBodiesAreRefusedNamingTheField() {
        let cases: [(String, String)] = [
            ("{not json", "body"), ("[1]", "body"), (#"{"type":5}"#, "type"), (#"{"type":""}"#, "type"),
            (#"{"type":"cms.x","tenant_slug":7}"#, "tenant_slug"),
            ("{\"type\":\"cms.x\",\"data\":" + String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000) + "}", "body"),
            ("{\"type\":\"cms.x\",\"pad\":\"" + String(repeating: "a", count: KoniEvent.maximumBytes) + "\"}", "body"),
        ]
        for (body, field) in cases {
            do {
                _ = try ReceivedEvent.parse(Array(body.utf8))
                Issue.record("accepted \(body.prefix(40))")
            } catch {
                #expect(error.field == field, "\(body.prefix(40)): \(error)")
            }
        }
    }

    @Test func textKeptForLogsIsCutShort() throws {
        let long = String(repeating: "x", count: 5_000)
        let received = try ReceivedEvent.parse(Array(#"{"type":"cms.x","id":"\#(long)","trace_id":"\#(long)"}"#.utf8))
        #expect(received.id.count == KoniEvent.maximumLoggedText)
        #expect(received.traceID.count == KoniEvent.maximumLoggedText)
    }
}
