/// An exchange, queue or binding this connection declared, remembered so that it can be declared
/// again after a reconnect (a restarted broker may have lost non-durable ones, and an auto-delete
/// or exclusive queue is gone with the old connection).
enum TopologyItem: Hashable, Sendable {
    case exchange(name: String, type: String, durable: Bool)
    case queue(name: String, durable: Bool, exclusive: Bool, autoDelete: Bool, arguments: [String: AMQPFieldValue])
    case binding(queue: String, exchange: String, routingKey: String, arguments: [String: AMQPFieldValue])
    /// Messages routed to `source` also go to `destination` (a RabbitMQ exchange-to-exchange binding).
    case exchangeBinding(destination: String, source: String, routingKey: String, arguments: [String: AMQPFieldValue])

    var operation: String {
        switch self {
        case .exchange(let name, let type, _): "declare \(type) exchange '\(name)'"
        case .queue(let name, _, _, _, _): "declare queue '\(name)'"
        case .binding(let queue, let exchange, let key, let arguments):
            "bind queue '\(queue)' to exchange '\(exchange)' with routing key '\(key)'\(Self.describe(arguments))"
        case .exchangeBinding(let destination, let source, let key, let arguments):
            "bind exchange '\(destination)' to exchange '\(source)' with routing key '\(key)'\(Self.describe(arguments))"
        }
    }

    /// Two items with the same identity describe the same broker object.
    fileprivate var identity: String {
        switch self {
        case .exchange(let name, _, _): "exchange\0\(name)"
        case .queue(let name, _, _, _, _): "queue\0\(name)"
        case .binding(let queue, let exchange, let key, let arguments): "binding\0\(queue)\0\(exchange)\0\(key)\0\(Self.describe(arguments))"
        case .exchangeBinding(let destination, let source, let key, let arguments):
            "exchange-binding\0\(destination)\0\(source)\0\(key)\0\(Self.describe(arguments))"
        }
    }

    /// ` and arguments {k: v, …}` in key order, or nothing without arguments.
    static func describe(_ arguments: [String: AMQPFieldValue]) -> String {
        if arguments.isEmpty { return "" }
        let pairs = arguments.sorted { $0.key < $1.key }.map { pair in "\(pair.key): \(pair.value)" }
        return " and arguments {\(pairs.joined(separator: ", "))}"
    }
}

enum TopologyDeletion: Sendable {
    case queue(String)
    case exchange(String)
    /// Removes a queue binding (`queue.unbind`); removing one that does not exist is not an error.
    case binding(queue: String, exchange: String, routingKey: String, arguments: [String: AMQPFieldValue])

    var operation: String {
        switch self {
        case .queue(let name): "delete queue '\(name)'"
        case .exchange(let name): "delete exchange '\(name)'"
        case .binding(let queue, let exchange, let key, let arguments):
            "unbind queue '\(queue)' from exchange '\(exchange)' with routing key '\(key)'\(TopologyItem.describe(arguments))"
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
        if case .binding(let queue, let exchange, let routingKey, let arguments) = deletion {
            let identity = TopologyItem.binding(queue: queue, exchange: exchange, routingKey: routingKey, arguments: arguments).identity
            items.removeAll { $0.identity == identity }
            return
        }
        items.removeAll { item in
            switch (deletion, item) {
            case (.queue(let name), .queue(let queue, _, _, _, _)): queue == name
            case (.queue(let name), .binding(let queue, _, _, _)): queue == name
            case (.exchange(let name), .exchange(let exchange, _, _)): exchange == name
            case (.exchange(let name), .binding(_, let exchange, _, _)): exchange == name
            case (.exchange(let name), .exchangeBinding(let destination, let source, _, _)): destination == name || source == name
            default: false
            }
        }
    }
}
