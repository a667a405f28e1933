
/// The most recent elements appended, at most `capacity` of them, oldest first.
///
/// Appending to a full ring overwrites its oldest element in place: nothing moves, and an element without
/// references falls out without being read. That is what keeps traffic's records cheap when a model holds
/// hundreds of logs, each far from the others in memory.
///
///     var ring = Ring<Int>(capacity: 2)
///     ring.append(1); ring.append(2); ring.append(3)
///     Array(ring)    // [2, 3]
///     ring.dropped   // 1
///
/// - Complexity: `append` and the subscript are O(1). A ring takes room for all its elements with its
///   first one, so it never copies elements to grow; the system hands out the memory as they fill it.
struct Ring<Element>: RandomAccessCollection {
  /// The most elements the ring keeps.
  let capacity: Int
  private var storage: [Element] = []
  /// The slot of the oldest element once the ring is full.
  private var head = 0
  /// How many elements fell out of the ring.
  private(set) var dropped = 0

  /// An empty ring that keeps the last `capacity` elements (at least one), and dropped `dropped` before.
  init(capacity: Int, dropped: Int = 0) {
    self.capacity = Swift.max(capacity, 1)
    self.dropped = dropped
  }

  var startIndex: Int { 0 }
  var endIndex: Int { storage.count }
  var count: Int { storage.count }

  /// The element `position` places after the oldest one.
  subscript(position: Int) -> Element {
    get {
      precondition(indices.contains(position), "Ring index out of range")
      return storage[slot(position)]
    }
    set {
      precondition(indices.contains(position), "Ring index out of range")
      storage[slot(position)] = newValue
    }
  }

  /// Appends `element`, dropping the oldest one when the ring is full.
  mutating func append(_ element: Element) {
    if storage.count < capacity {
      if storage.isEmpty { storage.reserveCapacity(capacity) }
      storage.append(element)
    } else {
      storage[head] = element
      head = head + 1 == capacity ? 0 : head + 1
      dropped += 1
    }
  }

  private func slot(_ position: Int) -> Int {
    let slot = head + position
    return slot < capacity ? slot : slot - capacity
  }
}

extension Ring: Equatable where Element: Equatable {
  /// Rings are equal when they keep the same elements in the same order, and dropped as many.
  static func == (lhs: Ring, rhs: Ring) -> Bool {
    lhs.capacity == rhs.capacity && lhs.dropped == rhs.dropped && lhs.elementsEqual(rhs)
  }
}

extension Ring: Sendable where Element: Sendable {}
