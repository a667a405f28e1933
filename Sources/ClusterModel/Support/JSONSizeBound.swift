/// An upper bound on the bytes `JSONEncoder` writes for a value, worked out without writing them.
///
/// Each byte of a string or key counts as six, the longest escape `JSONEncoder` writes for one byte
/// (`\u001f`), each number as its longest form, and each value a little more than its punctuation. A
/// check against a size limit uses it to skip the encoding whenever even the bound is within the limit.
enum JSONSizeBound {
  /// The bound for `value`.
  static func of(_ value: some Encodable) -> Int {
    let counter = Counter()
    try? value.encode(to: BoundEncoder(counter: counter))
    return counter.total
  }

  /// The longest a number takes: Int64's 20 characters, a Double's shortest form with sign and exponent.
  fileprivate static let numberBytes = 40
  /// What a value adds besides its contents: a separating comma, and the braces of a value that asks for
  /// no container, which `JSONEncoder` writes as `{}`.
  fileprivate static let valueBytes = 3

  /// The running total of one count.
  fileprivate final class Counter {
    var total = 0

    func string(_ text: String) { total += 6 * text.utf8.count + 2 }
    func key(_ key: some CodingKey) { total += 6 * key.stringValue.utf8.count + 3 }
  }

  private struct BoundEncoder: Encoder {
    let counter: Counter
    /// Empty: a bound never fails, so no error reports where.
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
      counter.total += 2
      return KeyedEncodingContainer(KeyedBound(counter: counter))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
      counter.total += 2
      return UnkeyedBound(counter: counter)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
      SingleBound(counter: counter)
    }
  }

  private struct KeyedBound<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let counter: Counter
    /// Empty: a bound never fails, so no error reports where.
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil(forKey key: Key) throws { counter.key(key); counter.total += 4 }
    mutating func encode(_ value: Bool, forKey key: Key) throws { counter.key(key); counter.total += 5 }
    mutating func encode(_ value: String, forKey key: Key) throws { counter.key(key); counter.string(value) }
    mutating func encode(_ value: Double, forKey key: Key) throws { counter.key(key); counter.total += numberBytes }
    mutating func encode(_ value: Float, forKey key: Key) throws { counter.key(key); counter.total += numberBytes }
    mutating func encode(_ value: Int, forKey key: Key) throws { counter.key(key); counter.total += numberBytes }
    mutating func encode(_ value: Int8, forKey key: Key) throws { counter.key(key); counter.total += numberBytes }
    mutating func encode(_ value: Int16, forKey key: Key) throws { counter.key(key); counter.total += numberBytes }
    mutating func encode(_ value: Int32, forKey key: Key) throws { counter.key(key); counter.total += numberBytes }
    mutating func encode(_ value: Int64, forKey key: Key) throws { counter.key(key); counter.total += numberBytes }
    mutating func encode(_ value: UInt, forKey key: Key) throws { counter.key(key); counter.total += numberBytes }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { counter.key(key); counter.total += numberBytes }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { counter.key(key); counter.total += numberBytes }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { counter.key(key); counter.total += numberBytes }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { counter.key(key); counter.total += numberBytes }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
      counter.key(key)
      counter.total += valueBytes
      try value.encode(to: BoundEncoder(counter: counter))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
      keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
      counter.key(key)
      counter.total += 2
      return KeyedEncodingContainer(KeyedBound<NestedKey>(counter: counter))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
      counter.key(key)
      counter.total += 2
      return UnkeyedBound(counter: counter)
    }

    mutating func superEncoder() -> any Encoder {
      counter.total += 6 * 5 + 3 + valueBytes
      return BoundEncoder(counter: counter)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
      counter.key(key)
      counter.total += valueBytes
      return BoundEncoder(counter: counter)
    }
  }

  private struct UnkeyedBound: UnkeyedEncodingContainer {
    let counter: Counter
    /// Empty: a bound never fails, so no error reports where.
    var codingPath: [any CodingKey] { [] }
    private(set) var count = 0

    init(counter: Counter) {
      self.counter = counter
    }

    /// Counts one more element, with its comma.
    private mutating func element(_ bytes: Int) {
      count += 1
      counter.total += bytes + 1
    }

    mutating func encodeNil() throws { element(4) }
    mutating func encode(_ value: Bool) throws { element(5) }
    mutating func encode(_ value: String) throws { element(0); counter.string(value) }
    mutating func encode(_ value: Double) throws { element(numberBytes) }
    mutating func encode(_ value: Float) throws { element(numberBytes) }
    mutating func encode(_ value: Int) throws { element(numberBytes) }
    mutating func encode(_ value: Int8) throws { element(numberBytes) }
    mutating func encode(_ value: Int16) throws { element(numberBytes) }
    mutating func encode(_ value: Int32) throws { element(numberBytes) }
    mutating func encode(_ value: Int64) throws { element(numberBytes) }
    mutating func encode(_ value: UInt) throws { element(numberBytes) }
    mutating func encode(_ value: UInt8) throws { element(numberBytes) }
    mutating func encode(_ value: UInt16) throws { element(numberBytes) }
    mutating func encode(_ value: UInt32) throws { element(numberBytes) }
    mutating func encode(_ value: UInt64) throws { element(numberBytes) }

    mutating func encode<T: Encodable>(_ value: T) throws {
      element(valueBytes)
      try value.encode(to: BoundEncoder(counter: counter))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
      element(2)
      return KeyedEncodingContainer(KeyedBound<NestedKey>(counter: counter))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
      element(2)
      return UnkeyedBound(counter: counter)
    }

    mutating func superEncoder() -> any Encoder {
      element(valueBytes)
      return BoundEncoder(counter: counter)
    }
  }

  private struct SingleBound: SingleValueEncodingContainer {
    let counter: Counter
    /// Empty: a bound never fails, so no error reports where.
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil() throws { counter.total += 4 }
    mutating func encode(_ value: Bool) throws { counter.total += 5 }
    mutating func encode(_ value: String) throws { counter.string(value) }
    mutating func encode(_ value: Double) throws { counter.total += numberBytes }
    mutating func encode(_ value: Float) throws { counter.total += numberBytes }
    mutating func encode(_ value: Int) throws { counter.total += numberBytes }
    mutating func encode(_ value: Int8) throws { counter.total += numberBytes }
    mutating func encode(_ value: Int16) throws { counter.total += numberBytes }
    mutating func encode(_ value: Int32) throws { counter.total += numberBytes }
    mutating func encode(_ value: Int64) throws { counter.total += numberBytes }
    mutating func encode(_ value: UInt) throws { counter.total += numberBytes }
    mutating func encode(_ value: UInt8) throws { counter.total += numberBytes }
    mutating func encode(_ value: UInt16) throws { counter.total += numberBytes }
    mutating func encode(_ value: UInt32) throws { counter.total += numberBytes }
    mutating func encode(_ value: UInt64) throws { counter.total += numberBytes }

    mutating func encode<T: Encodable>(_ value: T) throws {
      counter.total += valueBytes
      try value.encode(to: BoundEncoder(counter: counter))
    }
  }
}
