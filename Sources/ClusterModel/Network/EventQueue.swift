import HeapModule

/// A discrete-event queue on the simulated clock: events come out in time order, ties in insertion order.
struct EventQueue<Event> {
  private struct Entry: Comparable {
    var time: SimTime
    var sequence: Int
    var event: Event

    static func == (lhs: Entry, rhs: Entry) -> Bool { lhs.time == rhs.time && lhs.sequence == rhs.sequence }
    static func < (lhs: Entry, rhs: Entry) -> Bool { (lhs.time, lhs.sequence) < (rhs.time, rhs.sequence) }
  }

  private var heap = Heap<Entry>()
  private var sequence = 0

  /// Adds `event` to happen at `time`.
  mutating func schedule(_ event: Event, at time: SimTime) {
    sequence += 1
    heap.insert(Entry(time: time, sequence: sequence, event: event))
  }

  /// Removes and returns the earliest event.
  mutating func next() -> (time: SimTime, event: Event)? {
    heap.popMin().map { ($0.time, $0.event) }
  }
}
