/// A value kept in a shared box until it is changed: copying what holds it costs one reference count,
/// however large the value, and changing it copies the value only while another holder shares the box.
/// Encodes, decodes and compares as the value itself; not for an optional value, which would be required
/// when decoded.
@propertyWrapper
public struct CopyOnWrite<Value: Equatable & Sendable & Codable>: Equatable, Sendable, Codable {
  /// Changed only while uniquely referenced, so that no holder sees another's change.
  private final class Box: @unchecked Sendable {
    var value: Value

    init(_ value: Value) { self.value = value }
  }

  private var box: Box

  public init(wrappedValue: Value) {
    box = Box(wrappedValue)
  }

  public var wrappedValue: Value {
    get { box.value }
    set { box = Box(newValue) }
    _modify {
      if !isKnownUniquelyReferenced(&box) { box = Box(box.value) }
      yield &box.value
    }
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
