import Foundation
import Testing

@testable import ClusterModel

/// The map drops its least recently used entry to make room, where reading or writing an entry uses it.
@Suite struct LeastRecentlyUsedTests {
  /// The keys `map` holds, least recently used first, as its archive lists them.
  static func keys(of map: LeastRecentlyUsed<Int>) throws -> [String] {
    let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(map)) as? [String: Any]
    return try #require(json?["keys"] as? [String])
  }

  @Test func theLeastRecentlyUsedEntryMakesRoom() throws {
    var map = LeastRecentlyUsed<Int>(capacity: 3)
    for (number, key) in ["a", "b", "c"].enumerated() { map.set(number, for: key) }
    #expect(map.value(for: "a") == 0)
    map.set(3, for: "d")
    #expect(try Self.keys(of: map) == ["c", "a", "d"])
    #expect(map.value(for: "b") == nil)
    map.set(4, for: "c")
    map.set(5, for: "e")
    #expect(try Self.keys(of: map) == ["d", "c", "e"])
    #expect(map.value(for: "c") == 4)
  }

  /// Many uses of few keys leave the map as few uses would: skipped places in the queue are dropped.
  @Test func repeatedUsesKeepTheOrderOfTheLastUse() throws {
    var map = LeastRecentlyUsed<Int>(capacity: 4)
    for round in 0..<1_000 {
      for key in ["w", "x", "y", "z"] { map.set(round, for: key) }
      #expect(map.value(for: "x") == round)
    }
    map.set(0, for: "new")
    #expect(try Self.keys(of: map) == ["y", "z", "x", "new"])
  }

  /// A change in place uses the entry as a read then a write would, and one that leaves nil stores nothing.
  @Test func aChangeInPlaceUsesTheEntryAsAReadAndAWriteWould() throws {
    var changed = LeastRecentlyUsed<Int>(capacity: 3)
    var written = LeastRecentlyUsed<Int>(capacity: 3)
    for (number, key) in ["a", "b", "c"].enumerated() {
      changed.set(number, for: key)
      written.set(number, for: key)
    }
    #expect(changed.update("a") { value -> Int? in
      value? += 10
      return value
    } == 10)
    written.set((written.value(for: "a") ?? 0) + 10, for: "a")
    #expect(changed == written)
    #expect(try Self.keys(of: changed) == ["b", "c", "a"])
    #expect(changed.update("z") { $0 == nil })
    #expect(try Self.keys(of: changed) == ["b", "c", "a"])
    changed.update("d") { $0 = 4 }
    #expect(try Self.keys(of: changed) == ["c", "a", "d"])
    #expect(changed.value(for: "b") == nil && changed.value(for: "d") == 4)
  }

  @Test func anArchiveKeepsTheOrderOfUseAndMapsAreEqualByIt() throws {
    var map = LeastRecentlyUsed<Int>(capacity: 3)
    for (number, key) in ["a", "b", "c"].enumerated() { map.set(number, for: key) }
    _ = map.value(for: "a")
    let decoded = try JSONDecoder().decode(LeastRecentlyUsed<Int>.self, from: JSONEncoder().encode(map))
    #expect(decoded == map)
    #expect(try Self.keys(of: decoded) == ["b", "c", "a"])
    var other = LeastRecentlyUsed<Int>(capacity: 3)
    for (number, key) in ["a", "b", "c"].enumerated() { other.set(number, for: key) }
    #expect(other != map)
    _ = other.value(for: "a")
    #expect(other == map)
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode(LeastRecentlyUsed<Int>.self, from: Data(#"{"capacity":3,"keys":["a"],"values":[]}"#.utf8))
    }
  }
}
