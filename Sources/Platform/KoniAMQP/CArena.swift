import CRabbitMQ
import Foundation

/// Memory for the C structures of one librabbitmq call (strings, bodies, field tables). Everything
/// is freed by `release()`, which the caller defers right after creating the arena, so that the
/// memory outlives the call.
final class CArena {
    private var allocations: [UnsafeMutableRawPointer] = []

    func release() {
        for allocation in allocations { free(allocation) }
        allocations.removeAll()
    }

    func bytes(_ string: String) -> amqp_bytes_t {
        bytes(Array(string.utf8))
    }

    func bytes(_ array: [UInt8]) -> amqp_bytes_t {
        guard !array.isEmpty, let memory = malloc(array.count) else { return amqp_bytes_t(len: 0, bytes: nil) }
        allocations.append(memory)
        array.withUnsafeBytes { memory.copyMemory(from: $0.baseAddress!, byteCount: array.count) }
        return amqp_bytes_t(len: array.count, bytes: memory)
    }

    /// A NUL-terminated copy, for the few calls that take C strings.
    func cString(_ string: String) -> UnsafePointer<CChar> {
        let utf8 = Array(string.utf8CString)
        let memory = malloc(utf8.count)!
        allocations.append(memory)
        utf8.withUnsafeBytes { memory.copyMemory(from: $0.baseAddress!, byteCount: utf8.count) }
        return UnsafePointer(memory.assumingMemoryBound(to: CChar.self))
    }

    func table(_ dictionary: [String: AMQPFieldValue]) -> amqp_table_t {
        guard !dictionary.isEmpty else { return amqp_table_t(num_entries: 0, entries: nil) }
        let memory = malloc(MemoryLayout<amqp_table_entry_t>.stride * dictionary.count)!
        allocations.append(memory)
        let entries = memory.bindMemory(to: amqp_table_entry_t.self, capacity: dictionary.count)
        for (index, key) in dictionary.keys.sorted().enumerated() {
            (entries + index).initialize(to: amqp_table_entry_t(key: bytes(key), value: value(dictionary[key]!)))
        }
        return amqp_table_t(num_entries: Int32(dictionary.count), entries: entries)
    }

    func value(_ value: AMQPFieldValue) -> amqp_field_value_t {
        var field = amqp_field_value_t()
        func kind(_ kind: amqp_field_value_kind_t) { field.kind = UInt8(kind.rawValue) }
        switch value {
        case .string(let string):
            kind(AMQP_FIELD_KIND_UTF8)
            field.value.bytes = bytes(string)
        case .int(let int):
            kind(AMQP_FIELD_KIND_I64)
            field.value.i64 = int
        case .uint64(let int):
            kind(AMQP_FIELD_KIND_U64)
            field.value.u64 = int
        case .bool(let bool):
            kind(AMQP_FIELD_KIND_BOOLEAN)
            field.value.boolean = bool ? 1 : 0
        case .double(let double):
            kind(AMQP_FIELD_KIND_F64)
            field.value.f64 = double
        case .decimal(let scale, let decimal):
            kind(AMQP_FIELD_KIND_DECIMAL)
            field.value.decimal = amqp_decimal_t(decimals: scale, value: decimal)
        case .timestamp(let date):
            kind(AMQP_FIELD_KIND_TIMESTAMP)
            field.value.u64 = UInt64(max(0, date.timeIntervalSince1970.rounded(.down)))
        case .bytes(let data):
            kind(AMQP_FIELD_KIND_BYTES)
            field.value.bytes = bytes(data)
        case .array(let elements):
            kind(AMQP_FIELD_KIND_ARRAY)
            if elements.isEmpty {
                field.value.array = amqp_array_t(num_entries: 0, entries: nil)
            } else {
                let memory = malloc(MemoryLayout<amqp_field_value_t>.stride * elements.count)!
                allocations.append(memory)
                let entries = memory.bindMemory(to: amqp_field_value_t.self, capacity: elements.count)
                for (index, element) in elements.enumerated() {
                    (entries + index).initialize(to: self.value(element))
                }
                field.value.array = amqp_array_t(num_entries: Int32(elements.count), entries: entries)
            }
        case .table(let dictionary):
            kind(AMQP_FIELD_KIND_TABLE)
            field.value.table = table(dictionary)
        case .void:
            kind(AMQP_FIELD_KIND_VOID)
        }
        return field
    }
}

/// Reading librabbitmq's structures into Swift values (copies; the C memory may be reused after).
enum CDecode {
    static func string(_ bytes: amqp_bytes_t) -> String {
        String(decoding: array(bytes), as: UTF8.self)
    }

    static func array(_ bytes: amqp_bytes_t) -> [UInt8] {
        guard bytes.len > 0, let pointer = bytes.bytes else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: bytes.len))
    }

    static func table(_ table: amqp_table_t) -> [String: AMQPFieldValue] {
        guard table.num_entries > 0, let entries = table.entries else { return [:] }
        var result: [String: AMQPFieldValue] = [:]
        for index in 0..<Int(table.num_entries) {
            let entry = entries[index]
            result[string(entry.key)] = value(entry.value)
        }
        return result
    }

    static func value(_ field: amqp_field_value_t) -> AMQPFieldValue {
        switch amqp_field_value_kind_t(rawValue: UInt32(field.kind)) {
        case AMQP_FIELD_KIND_BOOLEAN: .bool(field.value.boolean != 0)
        case AMQP_FIELD_KIND_I8: .int(Int64(field.value.i8))
        case AMQP_FIELD_KIND_U8: .int(Int64(field.value.u8))
        case AMQP_FIELD_KIND_I16: .int(Int64(field.value.i16))
        case AMQP_FIELD_KIND_U16: .int(Int64(field.value.u16))
        case AMQP_FIELD_KIND_I32: .int(Int64(field.value.i32))
        case AMQP_FIELD_KIND_U32: .int(Int64(field.value.u32))
        case AMQP_FIELD_KIND_I64: .int(field.value.i64)
        case AMQP_FIELD_KIND_U64: Int64(exactly: field.value.u64).map { .int($0) } ?? .uint64(field.value.u64)
        case AMQP_FIELD_KIND_F32: .double(Double(field.value.f32))
        case AMQP_FIELD_KIND_F64: .double(field.value.f64)
        case AMQP_FIELD_KIND_DECIMAL: .decimal(scale: field.value.decimal.decimals, value: field.value.decimal.value)
        case AMQP_FIELD_KIND_UTF8: .string(string(field.value.bytes))
        case AMQP_FIELD_KIND_BYTES: .bytes(array(field.value.bytes))
        case AMQP_FIELD_KIND_TIMESTAMP: .timestamp(Date(timeIntervalSince1970: TimeInterval(field.value.u64)))
        case AMQP_FIELD_KIND_TABLE: .table(table(field.value.table))
        case AMQP_FIELD_KIND_ARRAY:
            if field.value.array.num_entries > 0, let entries = field.value.array.entries {
                .array((0..<Int(field.value.array.num_entries)).map { value(entries[$0]) })
            } else {
                .array([])
            }
        default: .void
        }
    }
}
