import KoniServiceKit

/// Why a call to Midtrans did not give an answer the caller can act on.
package enum MidtransError: Error, Sendable, CustomStringConvertible {
    /// Midtrans did not answer in time, could not be reached, answered 5xx, or the breaker is
    /// open: nothing is known about the call's effect; try again later.
    case unavailable(String)
    /// Midtrans refused the request (4xx) with its own messages; repeating it will not help.
    case refused(status: Int, messages: [String])
    /// Midtrans's answer is not what its documentation promises.
    case malformed(String)

    package var description: String {
        switch self {
        case .unavailable(let reason): "Midtrans is unavailable: \(reason)"
        case .refused(let status, let messages): "Midtrans refused the request (\(status)): \(messages.joined(separator: "; "))"
        case .malformed(let reason): "Midtrans answered something unexpected: \(reason)"
        }
    }

    /// What a failed ``ServiceClient`` call means for a Midtrans call.
    static func from(_ error: ServiceCallError) -> MidtransError {
        switch error {
        case .malformed(_, let reason): .malformed(reason)
        case .tooLarge(_, let limit): .malformed("an answer of more than \(limit) bytes")
        case .status(let status, _): .unavailable("answered \(status)")
        default: .unavailable(error.description)
        }
    }
}
