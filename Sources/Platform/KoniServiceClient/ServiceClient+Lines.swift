import AsyncHTTPClient
import KoniJSON
import NIOCore

extension ServiceClient {
    /// GET of a JSON-lines answer (`application/x-ndjson`), handing each line to `body` as it
    /// arrives, so that an answer of any size is never held whole.
    ///
    /// `timeout` bounds the wait for the answer's head; the stream after it may last as long as
    /// it keeps coming (the HTTP client's read timeout ends it when it stalls). Retried like
    /// ``get(_:headers:)`` while nothing was handed over and the failure was not a timeout (a
    /// slow source is asked once, not three times); never after a line (the caller would see lines
    /// twice). A line longer than `maximumLineBytes` throws ``ServiceCallError/tooLarge(_:_:)``
    /// and counts against the service's breaker, as an oversized answer to a call does; an
    /// answer other than 200 throws ``ServiceCallError/status(_:_:)`` with its JSON body; an
    /// error thrown by `body` ends the call and is thrown as it is (the caller's refusal of a
    /// line says nothing about the service's health, so the breaker counts the answer as one).
    public func lines(
        _ path: String, headers: [(name: String, value: String)] = [], maximumLineBytes: Int, timeout: Duration, _ body: ([UInt8]) throws -> Void
    ) async throws {
        guard path.hasPrefix("/") else { throw ServiceCallError.invalidPath(path) }
        let request = request(.GET, path, accept: "application/x-ndjson", headers: headers)
        var backoff = settings.initialBackoff
        var lastError = ServiceCallError.unreachable(settings.baseURL, "no attempt made")
        for attempt in 1...max(1, settings.maxAttempts) {
            if Task.isCancelled { throw ServiceCallError.cancelled }
            if let wait = breaker.admit() { throw ServiceCallError.circuitOpen(settings.baseURL, retryAfter: wait) }
            var delivered = false
            do {
                let response = try await http.execute(request, timeout: Self.timeAmount(timeout))
                let status = Int(response.status.code)
                guard status == 200 else {
                    let buffer = try await response.body.collect(upTo: 1 << 20)
                    let json = (try? JSONValue.parse(Array(buffer.readableBytesView))) ?? .null
                    guard settings.failureStatuses.contains(status) else {
                        breaker.recordSuccess()
                        throw ServiceCallError.status(status, json)
                    }
                    throw Retryable.failure(.status(status, json))
                }
                var pending: [UInt8] = []
                let newline = UInt8(ascii: "\n")
                for try await chunk in response.body {
                    var view = chunk.readableBytesView[...]
                    while let end = view.firstIndex(of: newline) {
                        pending += view[view.startIndex..<end]
                        guard pending.count <= maximumLineBytes else {
                            breaker.recordFailure()
                            throw ServiceCallError.tooLarge(settings.baseURL + path + " (one line)", maximumLineBytes)
                        }
                        delivered = true
                        do { try body(pending) } catch { throw Consumer(error: error) }
                        pending.removeAll(keepingCapacity: true)
                        view = view[view.index(after: end)...]
                    }
                    pending += view
                    guard pending.count <= maximumLineBytes else {
                        breaker.recordFailure()
                        throw ServiceCallError.tooLarge(settings.baseURL + path + " (one line)", maximumLineBytes)
                    }
                }
                if !pending.isEmpty {
                    delivered = true
                    do { try body(pending) } catch { throw Consumer(error: error) }
                }
                breaker.recordSuccess()
                return
            } catch let consumer as Consumer {
                breaker.recordSuccess()
                throw consumer.error
            } catch let error as ServiceCallError {
                throw error
            } catch {
                if Task.isCancelled {
                    breaker.recordAbandoned()
                    throw ServiceCallError.cancelled
                }
                breaker.recordFailure()
                if case Retryable.failure(let failure) = error {
                    lastError = failure
                } else {
                    lastError = transportFailure(error, path: path, limit: timeout)
                }
                if delivered { throw lastError }
                if case .timeout = lastError { throw lastError }
            }
            guard attempt < settings.maxAttempts else { break }
            backoff = await pause(backoff)
        }
        throw lastError
    }
}

/// An error of the caller's line handler, carried out of the streaming loop unchanged.
private struct Consumer: Error {
    var error: any Error
}

/// An answer that counts as the dependency failing (a status of `failureStatuses`).
private enum Retryable: Error {
    case failure(ServiceCallError)
}
