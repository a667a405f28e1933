/// An immutable value kept behind one reference, so that copying what holds it copies a pointer.
///
/// Routes and server descriptions ride along with every call; sharing them keeps the per-call records
/// small while they stay values (equality compares contents).
@dynamicMemberLookup
struct Shared<Value: Equatable & Sendable>: Equatable, Sendable {
  private indirect enum Storage: Equatable, Sendable {
    case value(Value)
  }

  private let storage: Storage

  init(_ value: Value) {
    storage = .value(value)
  }

  var value: Value {
    switch storage {
    case .value(let value): value
    }
  }

  subscript<T>(dynamicMember keyPath: KeyPath<Value, T>) -> T { value[keyPath: keyPath] }
}
