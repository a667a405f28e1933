/// A value kept in a shared box until it is changed: copying what holds it costs one reference count,
/// however large the value. Encodes, decodes and compares as the value itself.
@propertyWrapper
public struct CopyOnWrite<Value: Equatable & Sendable & Codable>: Equatable, Sendable, Codable {
  private final class Box: Sendable {
    let value: Value

    init(_ value: Value) { self.value = value }
  }

  private var box: Box

  public init(wrappedValue: Value) {
    box = Box(wrappedValue)
  }

  public var wrappedValue: Value {
    get { box.value }
    set { box = Box(newValue) }
  }

  public static func == (lhs: Self, rhs: Self) -> Bool {
    lhs.box === rhs.box || lhs.box.value == rhs.box.value
  }

  public init(from decoder: any Decoder) throws {
    box = Box(try Value(from: decoder))
  }

  public func encode(to encoder: any Encoder) throws {
    try box.value.encode(to: encoder)
  }
}
