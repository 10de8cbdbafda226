/// An exchange, queue or binding this connection declared, remembered so that it can be declared
/// again after a reconnect (a restarted broker may have lost non-durable ones, and an auto-delete
/// or exclusive queue is gone with the old connection).
enum TopologyItem: Hashable, Sendable {
    case exchange(name: String, type: String, durable: Bool)
    case queue(name: String, durable: Bool, exclusive: Bool, autoDelete: Bool, arguments: [String: AMQPFieldValue])
    case binding(queue: String, exchange: String, routingKey: String)

    var operation: String {
        switch self {
        case .exchange(let name, let type, _): "declare \(type) exchange '\(name)'"
        case .queue(let name, _, _, _, _): "declare queue '\(name)'"
        case .binding(let queue, let exchange, let key): "bind queue '\(queue)' to exchange '\(exchange)' with routing key '\(key)'"
        }
    }

    /// Two items with the same identity describe the same broker object.
    fileprivate var identity: String {
        switch self {
        case .exchange(let name, _, _): "exchange\0\(name)"
        case .queue(let name, _, _, _, _): "queue\0\(name)"
        case .binding(let queue, let exchange, let key): "binding\0\(queue)\0\(exchange)\0\(key)"
        }
    }
}

enum TopologyDeletion: Sendable {
    case queue(String)
    case exchange(String)

    var operation: String {
        switch self {
        case .queue(let name): "delete queue '\(name)'"
        case .exchange(let name): "delete exchange '\(name)'"
        }
    }
}

/// The remembered declarations, in the order they were first made (exchanges and queues before
/// the bindings that need them).
struct Topology {
    private(set) var items: [TopologyItem] = []

    mutating func remember(_ item: TopologyItem) {
        if let index = items.firstIndex(where: { $0.identity == item.identity }) {
            items[index] = item
        } else {
            items.append(item)
        }
    }

    mutating func forget(_ deletion: TopologyDeletion) {
        items.removeAll { item in
            switch (deletion, item) {
            case (.queue(let name), .queue(let queue, _, _, _, _)): queue == name
            case (.queue(let name), .binding(let queue, _, _)): queue == name
            case (.exchange(let name), .exchange(let exchange, _, _)): exchange == name
            case (.exchange(let name), .binding(_, let exchange, _)): exchange == name
            default: false
            }
        }
    }
}
