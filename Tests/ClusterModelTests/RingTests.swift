import Testing

@testable import ClusterModel

@Suite struct RingTests {
  @Test func keepsTheLastElementsOldestFirst() {
    var ring = Ring<Int>(capacity: 3)
    #expect(ring.isEmpty && ring.dropped == 0)
    for element in 0..<2 { ring.append(element) }
    #expect(Array(ring) == [0, 1] && ring.dropped == 0)
    for element in 2..<8 { ring.append(element) }
    #expect(Array(ring) == [5, 6, 7] && ring.dropped == 5)
    #expect(ring[0] == 5 && ring[2] == 7)
    ring[0] = 50
    #expect(Array(ring) == [50, 6, 7])
    ring.append(8)
    #expect(Array(ring) == [6, 7, 8] && ring.dropped == 6)
  }

  @Test func aRingOfOneKeepsTheNewestElement() {
    var ring = Ring<String>(capacity: 0)
    ring.append("a")
    ring.append("b")
    #expect(ring.capacity == 1 && Array(ring) == ["b"] && ring.dropped == 1)
  }

  @Test func equalRingsKeepTheSameElementsAndDroppedAsMany() {
    var full = Ring<Int>(capacity: 2)
    var fresh = Ring<Int>(capacity: 2)
    for element in 0..<4 { full.append(element) }
    for element in 2..<4 { fresh.append(element) }
    #expect(Array(full) == Array(fresh))
    #expect(full != fresh)
    fresh.append(4)
    full.append(4)
    full.append(5)
    fresh.append(5)
    fresh.append(6)
    full.append(6)
    #expect(full != fresh)
    var again = Ring<Int>(capacity: 2)
    for element in 0..<7 { again.append(element) }
    #expect(again == full)
  }

  /// A position past the newest element traps, as an array's does, instead of wrapping round to the oldest.
  @Test func aPositionOutsideTheRingTraps() async {
    await #expect(processExitsWith: .failure) {
      var ring = Ring<Int>(capacity: 3)
      for element in 0..<4 { ring.append(element) }
      _ = ring[3]
    }
  }
}
