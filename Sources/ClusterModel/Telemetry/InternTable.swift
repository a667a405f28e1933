/// What the telemetry gives a value that the data plane hands it again and again (a pod, a route's
/// cluster, an address): the value's number in one of the telemetry's `InternTable`s, which only the
/// telemetry reads. Entries carry keys in place of the values, so that making and keeping one copies a
/// few machine words and retains nothing.
struct TelemetryKey<Value>: Hashable, Sendable, Codable {
  let index: Int32

  init(index: Int32) {
    self.index = index
  }

  /// A number is encoded as itself.
  init(from decoder: any Decoder) throws {
    index = try decoder.singleValueContainer().decode(Int32.self)
  }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(index)
  }
}

/// Values kept once, numbered in the order they were first seen. Numbers never change or go away.
struct InternTable<Value: Hashable & Sendable>: Equatable, Sendable {
  /// The values, each at its number.
  private(set) var values: [Value] = []
  private var numbers: [Value: TelemetryKey<Value>] = [:]

  /// The number of `value`, adding it when it is new.
  mutating func intern(_ value: Value) -> TelemetryKey<Value> {
    if let number = numbers[value] { return number }
    let number = TelemetryKey<Value>(index: Int32(values.count))
    values.append(value)
    numbers[value] = number
    return number
  }

  /// The number of `value`, if it has one.
  func number(of value: Value) -> TelemetryKey<Value>? { numbers[value] }

  subscript(number: TelemetryKey<Value>) -> Value { values[Int(number.index)] }

  static func == (lhs: InternTable, rhs: InternTable) -> Bool { lhs.values == rhs.values }
}

extension InternTable: Codable where Value: Codable {
  /// A table is encoded as its values in number order; the numbers follow from the order.
  init(from decoder: any Decoder) throws {
    for value in try [Value](from: decoder) { _ = intern(value) }
  }

  func encode(to encoder: any Encoder) throws {
    try values.encode(to: encoder)
  }
}

extension InternTable<String> {
  /// A table holding, at their numbers, the strings `TelemetryKey<String>`'s constants name.
  static let wellKnown: InternTable<String> = {
    var table = InternTable()
    for string in ["-", "via_upstream", "127.0.0.6", ""] { _ = table.intern(string) }
    return table
  }()
}

extension TelemetryKey<String> {
  /// `-`: an empty access-log field, and the response flags of a call that went well.
  static let dash = TelemetryKey(index: 0)
  /// `via_upstream`: the response details of a reply that came from upstream.
  static let viaUpstream = TelemetryKey(index: 1)
  /// `127.0.0.6`: the address an inbound sidecar connects to its app from.
  static let inboundPassthrough = TelemetryKey(index: 2)
  /// The empty string: the status message of a call that went well.
  static let empty = TelemetryKey(index: 3)
}
