internal import DequeModule

/// A map from strings that holds at most `capacity` entries and drops the least recently used one to make
/// room, as the LRU caches of client-go's event correlator (`github.com/golang/groupcache/lru`) do: reading
/// an entry with `value(for:)` or writing it makes it the most recently used.
///
/// Two maps are equal when they hold the same entries in the same order of use.
struct LeastRecentlyUsed<Value: Equatable & Sendable & Codable>: Equatable, Sendable, Codable {
  /// A value and the number of its last use.
  private struct Entry: Sendable {
    var value: Value
    var use: Int
  }

  /// A key as it was queued, with the number of the use that queued it.
  private struct Queued: Sendable {
    var use: Int
    var key: String
  }

  /// The most entries the map holds.
  let capacity: Int
  private var entries: [String: Entry] = [:]
  /// The keys in order of use, oldest first. A key used again is queued again; its older place no longer
  /// matches its entry's use and is skipped.
  private var queue: Deque<Queued> = []
  /// The number of the last use.
  private var uses = 0

  /// An empty map that holds at most `capacity` entries.
  init(capacity: Int) {
    self.capacity = max(capacity, 1)
  }

  /// The value under `key`, which becomes the most recently used; nil when there is none.
  mutating func value(for key: String) -> Value? {
    guard let value = entries[key]?.value else { return nil }
    use(key, value)
    return value
  }

  /// Sets the value under `key`, which becomes the most recently used, dropping the least recently used
  /// entry when the map is full.
  mutating func set(_ value: Value, for key: String) {
    use(key, value)
    makeRoom()
  }

  /// Changes the value under `key` in place: `body` gets it (nil when there is none) and may change or set
  /// it. The key becomes the most recently used, as reading then writing it would make it, and when the
  /// map is full the least recently used entry makes room. A `body` that leaves nil stores nothing.
  mutating func update<Result>(_ key: String, _ body: (inout Value?) -> Result) -> Result {
    uses += 1
    let use = uses
    func change(_ entry: inout Entry?) -> (result: Result, stored: Bool) {
      var value = entry?.value
      let result = body(&value)
      guard let value else { return (result, false) }
      entry = Entry(value: value, use: use)
      return (result, true)
    }
    let (result, stored) = change(&entries[key])
    guard stored else { return result }
    enqueue(key, use: use)
    makeRoom()
    return result
  }

  /// The entries, least recently used first.
  private var ordered: [(key: String, value: Value)] {
    entries.sorted { $0.value.use < $1.value.use }.map { ($0.key, $0.value.value) }
  }

  /// Makes `key`, holding `value`, the most recently used.
  private mutating func use(_ key: String, _ value: Value) {
    uses += 1
    entries[key] = Entry(value: value, use: uses)
    enqueue(key, use: uses)
  }

  /// Queues `key` as used by use number `use`; requeues every entry once the queue holds more skipped
  /// places than entries.
  private mutating func enqueue(_ key: String, use: Int) {
    queue.append(Queued(use: use, key: key))
    if queue.count > 2 * entries.count + 16 {
      queue = Deque(entries.map { Queued(use: $0.value.use, key: $0.key) }.sorted { $0.use < $1.use })
    }
  }

  /// Drops the least recently used entries while the map holds more than `capacity`.
  private mutating func makeRoom() {
    while entries.count > capacity, let oldest = queue.popFirst() {
      if entries[oldest.key]?.use == oldest.use { entries[oldest.key] = nil }
    }
  }

  static func == (lhs: LeastRecentlyUsed, rhs: LeastRecentlyUsed) -> Bool {
    lhs.capacity == rhs.capacity && lhs.ordered.elementsEqual(rhs.ordered) { $0.key == $1.key && $0.value == $1.value }
  }

  private enum CodingKeys: String, CodingKey {
    case capacity, keys, values
  }

  /// Decodes the entries, least recently used first.
  init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    self.init(capacity: try container.decode(Int.self, forKey: .capacity))
    let keys = try container.decode([String].self, forKey: .keys)
    let values = try container.decode([Value].self, forKey: .values)
    guard keys.count == values.count else {
      throw DecodingError.dataCorruptedError(forKey: .values, in: container, debugDescription: "as many values as keys")
    }
    for (key, value) in zip(keys, values) { set(value, for: key) }
  }

  /// Encodes the entries, least recently used first.
  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    let ordered = ordered
    try container.encode(capacity, forKey: .capacity)
    try container.encode(ordered.map(\.key), forKey: .keys)
    try container.encode(ordered.map(\.value), forKey: .values)
  }
}
