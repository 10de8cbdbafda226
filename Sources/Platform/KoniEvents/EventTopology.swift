/// Where KONI events travel on RabbitMQ: the names every producer and consumer share.
public enum EventTopology {
    /// The topic exchange every service publishes to; the routing key is the event type.
    public static let exchange = "koni.events"
    /// The direct exchange consumers dead-letter to, with their queue's name as routing key.
    public static let deadExchange = "koni.events.dead"
    /// The message header with the envelope's `tenant_slug` (headers exchanges shard by it).
    public static let tenantHeader = "tenant_slug"
    /// The message header with the envelope's `type`.
    public static let typeHeader = "type"
}
