/// A value's `JSONValue` without a trip through text: what `JSONEncoder` would write for a value and
/// `JSONValue(json:)` would read back, and a value decoded from a `JSONValue` as `JSONDecoder` would
/// decode it from that text. `apply`'s three-way merge works on values, and writing and parsing the live
/// object's JSON costs far more than the merge.
///
/// Numbers follow the text: an integral number that fits in `Int64` is `.integer`, as the text `1e3`
/// parses as one, and an integer field reads from an integral `.number`.
extension JSONValue {
  /// The value `JSONEncoder` would write for `value`, as `JSONValue(json:)` reads it.
  ///
  /// - Throws: `EncodingError.invalidValue` for a number that is not finite, which JSON cannot write.
  init(encoding value: some Encodable) throws {
    let slot = Slot()
    try value.encode(to: SlotEncoder(slot: slot, codingPath: []))
    self = slot.value
  }

  /// Decodes a `T` from this value, as `JSONDecoder` decodes one from its text.
  ///
  /// - Throws: `DecodingError` where a value is missing or of another type.
  func decoded<T: Decodable>(as type: T.Type) throws -> T {
    try T(from: ValueDecoder(value: self, codingPath: []))
  }
}

// MARK: - Encoding

/// A value being encoded: a scalar, or the members of a container that nested encoders still fill.
private final class Slot {
  var scalar: JSONValue?
  var members: [String: Slot]?
  var elements: [Slot]?

  /// The finished value; one that encoded nothing is `{}`, as `JSONEncoder` writes it.
  var value: JSONValue {
    if let members { return .object(members.mapValues(\.value)) }
    if let elements { return .array(elements.map(\.value)) }
    return scalar ?? .object([:])
  }

  /// A number as its text would read back: integral and within `Int64`, an integer.
  static func number(_ value: Double, _ codingPath: [any CodingKey]) throws -> JSONValue {
    guard value.isFinite else {
      throw EncodingError.invalidValue(value, .init(codingPath: codingPath, debugDescription: "Unable to encode \(value) directly in JSON."))
    }
    if value.rounded() == value, let integer = Int64(exactly: value) { return .integer(integer) }
    return .number(value)
  }

  static func integer(_ value: some BinaryInteger) -> JSONValue {
    Int64(exactly: value).map(JSONValue.integer) ?? .number(Double(value))
  }
}

private struct SlotEncoder: Encoder {
  let slot: Slot
  let codingPath: [any CodingKey]
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
    if slot.members == nil { slot.members = [:] }
    return KeyedEncodingContainer(KeyedSlot<Key>(slot: slot, codingPath: codingPath))
  }

  func unkeyedContainer() -> any UnkeyedEncodingContainer {
    if slot.elements == nil { slot.elements = [] }
    return UnkeyedSlot(slot: slot, codingPath: codingPath)
  }

  func singleValueContainer() -> any SingleValueEncodingContainer {
    SingleSlot(slot: slot, codingPath: codingPath)
  }
}

private struct KeyedSlot<Key: CodingKey>: KeyedEncodingContainerProtocol {
  let slot: Slot
  let codingPath: [any CodingKey]

  private func set(_ value: JSONValue, _ key: Key) {
    let member = Slot()
    member.scalar = value
    slot.members?[key.stringValue] = member
  }

  mutating func encodeNil(forKey key: Key) throws { set(.null, key) }
  mutating func encode(_ value: Bool, forKey key: Key) throws { set(.bool(value), key) }
  mutating func encode(_ value: String, forKey key: Key) throws { set(.string(value), key) }
  mutating func encode(_ value: Double, forKey key: Key) throws { set(try Slot.number(value, codingPath + [key]), key) }
  mutating func encode(_ value: Float, forKey key: Key) throws { set(try Slot.number(Double(value), codingPath + [key]), key) }
  mutating func encode(_ value: Int, forKey key: Key) throws { set(Slot.integer(value), key) }
  mutating func encode(_ value: Int8, forKey key: Key) throws { set(Slot.integer(value), key) }
  mutating func encode(_ value: Int16, forKey key: Key) throws { set(Slot.integer(value), key) }
  mutating func encode(_ value: Int32, forKey key: Key) throws { set(Slot.integer(value), key) }
  mutating func encode(_ value: Int64, forKey key: Key) throws { set(Slot.integer(value), key) }
  mutating func encode(_ value: UInt, forKey key: Key) throws { set(Slot.integer(value), key) }
  mutating func encode(_ value: UInt8, forKey key: Key) throws { set(Slot.integer(value), key) }
  mutating func encode(_ value: UInt16, forKey key: Key) throws { set(Slot.integer(value), key) }
  mutating func encode(_ value: UInt32, forKey key: Key) throws { set(Slot.integer(value), key) }
  mutating func encode(_ value: UInt64, forKey key: Key) throws { set(Slot.integer(value), key) }

  mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
    try value.encode(to: SlotEncoder(slot: member(key), codingPath: codingPath + [key]))
  }

  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
    SlotEncoder(slot: member(key), codingPath: codingPath + [key]).container(keyedBy: keyType)
  }

  mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
    SlotEncoder(slot: member(key), codingPath: codingPath + [key]).unkeyedContainer()
  }

  mutating func superEncoder() -> any Encoder {
    SlotEncoder(slot: member(stringValue: "super"), codingPath: codingPath)
  }

  mutating func superEncoder(forKey key: Key) -> any Encoder {
    SlotEncoder(slot: member(key), codingPath: codingPath + [key])
  }

  private func member(_ key: Key) -> Slot { member(stringValue: key.stringValue) }

  private func member(stringValue key: String) -> Slot {
    let member = Slot()
    slot.members?[key] = member
    return member
  }
}

private struct UnkeyedSlot: UnkeyedEncodingContainer {
  let slot: Slot
  let codingPath: [any CodingKey]
  var count: Int { slot.elements?.count ?? 0 }

  private func append(_ value: JSONValue) {
    let element = Slot()
    element.scalar = value
    slot.elements?.append(element)
  }

  private func next() -> Slot {
    let element = Slot()
    slot.elements?.append(element)
    return element
  }

  mutating func encodeNil() throws { append(.null) }
  mutating func encode(_ value: Bool) throws { append(.bool(value)) }
  mutating func encode(_ value: String) throws { append(.string(value)) }
  mutating func encode(_ value: Double) throws { append(try Slot.number(value, codingPath)) }
  mutating func encode(_ value: Float) throws { append(try Slot.number(Double(value), codingPath)) }
  mutating func encode(_ value: Int) throws { append(Slot.integer(value)) }
  mutating func encode(_ value: Int8) throws { append(Slot.integer(value)) }
  mutating func encode(_ value: Int16) throws { append(Slot.integer(value)) }
  mutating func encode(_ value: Int32) throws { append(Slot.integer(value)) }
  mutating func encode(_ value: Int64) throws { append(Slot.integer(value)) }
  mutating func encode(_ value: UInt) throws { append(Slot.integer(value)) }
  mutating func encode(_ value: UInt8) throws { append(Slot.integer(value)) }
  mutating func encode(_ value: UInt16) throws { append(Slot.integer(value)) }
  mutating func encode(_ value: UInt32) throws { append(Slot.integer(value)) }
  mutating func encode(_ value: UInt64) throws { append(Slot.integer(value)) }

  mutating func encode<T: Encodable>(_ value: T) throws {
    try value.encode(to: SlotEncoder(slot: next(), codingPath: codingPath))
  }

  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
    SlotEncoder(slot: next(), codingPath: codingPath).container(keyedBy: keyType)
  }

  mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
    SlotEncoder(slot: next(), codingPath: codingPath).unkeyedContainer()
  }

  mutating func superEncoder() -> any Encoder {
    SlotEncoder(slot: next(), codingPath: codingPath)
  }
}

private struct SingleSlot: SingleValueEncodingContainer {
  let slot: Slot
  let codingPath: [any CodingKey]

  mutating func encodeNil() throws { slot.scalar = .null }
  mutating func encode(_ value: Bool) throws { slot.scalar = .bool(value) }
  mutating func encode(_ value: String) throws { slot.scalar = .string(value) }
  mutating func encode(_ value: Double) throws { slot.scalar = try Slot.number(value, codingPath) }
  mutating func encode(_ value: Float) throws { slot.scalar = try Slot.number(Double(value), codingPath) }
  mutating func encode(_ value: Int) throws { slot.scalar = Slot.integer(value) }
  mutating func encode(_ value: Int8) throws { slot.scalar = Slot.integer(value) }
  mutating func encode(_ value: Int16) throws { slot.scalar = Slot.integer(value) }
  mutating func encode(_ value: Int32) throws { slot.scalar = Slot.integer(value) }
  mutating func encode(_ value: Int64) throws { slot.scalar = Slot.integer(value) }
  mutating func encode(_ value: UInt) throws { slot.scalar = Slot.integer(value) }
  mutating func encode(_ value: UInt8) throws { slot.scalar = Slot.integer(value) }
  mutating func encode(_ value: UInt16) throws { slot.scalar = Slot.integer(value) }
  mutating func encode(_ value: UInt32) throws { slot.scalar = Slot.integer(value) }
  mutating func encode(_ value: UInt64) throws { slot.scalar = Slot.integer(value) }

  mutating func encode<T: Encodable>(_ value: T) throws {
    try value.encode(to: SlotEncoder(slot: slot, codingPath: codingPath))
  }
}

// MARK: - Decoding

/// A key read from an object, or the index of an array element.
private struct AnyKey: CodingKey {
  var stringValue: String
  var intValue: Int?

  init(stringValue: String) { self.stringValue = stringValue }

  init(intValue: Int) {
    stringValue = "Index \(intValue)"
    self.intValue = intValue
  }
}

private struct ValueDecoder: Decoder {
  let value: JSONValue
  let codingPath: [any CodingKey]
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
    guard case .object(let members) = value else { throw mismatch([String: JSONValue].self, value, codingPath) }
    return KeyedDecodingContainer(KeyedValues<Key>(members: members, codingPath: codingPath))
  }

  func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
    guard case .array(let elements) = value else { throw mismatch([JSONValue].self, value, codingPath) }
    return UnkeyedValues(elements: elements, codingPath: codingPath)
  }

  func singleValueContainer() throws -> any SingleValueDecodingContainer {
    SingleValue(value: value, codingPath: codingPath)
  }
}

/// The error `JSONDecoder` gives for a value of another type.
private func mismatch(_ type: Any.Type, _ value: JSONValue, _ codingPath: [any CodingKey]) -> DecodingError {
  .typeMismatch(type, .init(codingPath: codingPath, debugDescription: "Expected to decode \(type) but found \(value) instead."))
}

/// Reads `value` as `T`, a scalar or any other `Decodable`, as `JSONDecoder` reads one from text.
private func read<T: Decodable>(_ type: T.Type, from value: JSONValue, _ codingPath: [any CodingKey]) throws -> T {
  func exact<I: FixedWidthInteger>(_: I.Type) throws -> I {
    switch value {
    case .integer(let integer): if let exact = I(exactly: integer) { return exact }
    case .number(let number): if let exact = I(exactly: number) { return exact }
    default: throw mismatch(I.self, value, codingPath)
    }
    throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "Number \(value) does not fit in \(I.self)."))
  }
  switch type {
  case is JSONValue.Type:
    guard let result = value as? T else { throw mismatch(type, value, codingPath) }
    return result
  case is Bool.Type:
    guard case .bool(let bool) = value, let result = bool as? T else { throw mismatch(type, value, codingPath) }
    return result
  case is String.Type:
    guard case .string(let string) = value, let result = string as? T else { throw mismatch(type, value, codingPath) }
    return result
  case is Double.Type, is Float.Type:
    let number: Double
    switch value {
    case .integer(let integer): number = Double(integer)
    case .number(let double): number = double
    default: throw mismatch(type, value, codingPath)
    }
    let converted: Any = type is Float.Type ? Float(number) : number
    guard let result = converted as? T else { throw mismatch(type, value, codingPath) }
    return result
  case let integer as any FixedWidthInteger.Type:
    guard let result = try exact(integer) as? T else { throw mismatch(type, value, codingPath) }
    return result
  default:
    return try T(from: ValueDecoder(value: value, codingPath: codingPath))
  }
}

private struct KeyedValues<Key: CodingKey>: KeyedDecodingContainerProtocol {
  let members: [String: JSONValue]
  let codingPath: [any CodingKey]
  var allKeys: [Key] { members.keys.compactMap { Key(stringValue: $0) } }

  func contains(_ key: Key) -> Bool { members[key.stringValue] != nil }

  private func member(_ key: Key) throws -> JSONValue {
    guard let value = members[key.stringValue] else {
      throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "No value associated with key \(key.stringValue)."))
    }
    return value
  }

  func decodeNil(forKey key: Key) throws -> Bool { try member(key) == .null }

  func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
    let value = try member(key)
    if value == .null, !(T.self is any ExpressibleByNilLiteral.Type) {
      throw DecodingError.valueNotFound(type, .init(codingPath: codingPath + [key], debugDescription: "Expected \(type) value but found null instead."))
    }
    return try read(type, from: value, codingPath + [key])
  }

  func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
    guard let value = members[key.stringValue], value != .null else { return nil }
    return try read(type, from: value, codingPath + [key])
  }

  func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
    try ValueDecoder(value: member(key), codingPath: codingPath + [key]).container(keyedBy: type)
  }

  func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
    try ValueDecoder(value: member(key), codingPath: codingPath + [key]).unkeyedContainer()
  }

  func superDecoder() throws -> any Decoder {
    ValueDecoder(value: members["super"] ?? .null, codingPath: codingPath)
  }

  func superDecoder(forKey key: Key) throws -> any Decoder {
    ValueDecoder(value: members[key.stringValue] ?? .null, codingPath: codingPath + [key])
  }
}

private struct UnkeyedValues: UnkeyedDecodingContainer {
  let elements: [JSONValue]
  let codingPath: [any CodingKey]
  var currentIndex = 0
  var count: Int? { elements.count }
  var isAtEnd: Bool { currentIndex >= elements.count }

  init(elements: [JSONValue], codingPath: [any CodingKey]) {
    self.elements = elements
    self.codingPath = codingPath
  }

  private mutating func next<T>(_ type: T.Type) throws -> (value: JSONValue, path: [any CodingKey]) {
    guard !isAtEnd else {
      throw DecodingError.valueNotFound(type, .init(codingPath: codingPath, debugDescription: "Unkeyed container is at end."))
    }
    defer { currentIndex += 1 }
    return (elements[currentIndex], codingPath + [AnyKey(intValue: currentIndex)])
  }

  mutating func decodeNil() throws -> Bool {
    guard !isAtEnd, elements[currentIndex] == .null else { return false }
    currentIndex += 1
    return true
  }

  mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
    let (value, path) = try next(type)
    if value == .null, !(T.self is any ExpressibleByNilLiteral.Type) {
      throw DecodingError.valueNotFound(type, .init(codingPath: path, debugDescription: "Expected \(type) but found null instead."))
    }
    return try read(type, from: value, path)
  }

  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
    let (value, path) = try next(KeyedDecodingContainer<NestedKey>.self)
    return try ValueDecoder(value: value, codingPath: path).container(keyedBy: type)
  }

  mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
    let (value, path) = try next((any UnkeyedDecodingContainer).self)
    return try ValueDecoder(value: value, codingPath: path).unkeyedContainer()
  }

  mutating func superDecoder() throws -> any Decoder {
    let (value, path) = try next((any Decoder).self)
    return ValueDecoder(value: value, codingPath: path)
  }
}

private struct SingleValue: SingleValueDecodingContainer {
  let value: JSONValue
  let codingPath: [any CodingKey]

  func decodeNil() -> Bool { value == .null }

  func decode<T: Decodable>(_ type: T.Type) throws -> T {
    if value == .null, !(T.self is any ExpressibleByNilLiteral.Type) {
      throw DecodingError.valueNotFound(type, .init(codingPath: codingPath, debugDescription: "Expected \(type) but found null value instead."))
    }
    return try read(type, from: value, codingPath)
  }
}
