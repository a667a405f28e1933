/// An immutable value kept behind one reference, so that copying what holds it copies a pointer.
///
/// Route caches and a proxy's hosts share routes and server descriptions this way while they stay values
/// (equality compares contents). Reading a member borrows it in place.
@dynamicMemberLookup
struct Shared<Value: Equatable & Sendable>: Equatable, Sendable {
  private final class Box: Sendable {
    let value: Value

    init(_ value: Value) {
      self.value = value
    }
  }

  private let box: Box

  init(_ value: Value) {
    box = Box(value)
  }

  var value: Value { box.value }

  subscript<T>(dynamicMember keyPath: KeyPath<Value, T>) -> T { box.value[keyPath: keyPath] }

  static func == (lhs: Shared, rhs: Shared) -> Bool { lhs.box === rhs.box || lhs.box.value == rhs.box.value }
}

extension Shared: Codable where Value: Codable {
  /// A shared value is encoded as the value; each decoded one has a reference of its own.
  init(from decoder: any Decoder) throws {
    self.init(try Value(from: decoder))
  }

  func encode(to encoder: any Encoder) throws {
    try value.encode(to: encoder)
  }
}
