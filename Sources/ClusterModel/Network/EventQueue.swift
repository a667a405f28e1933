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

  /// The earliest event, kept out of the heap: a loop that schedules one event at a time never
  /// touches the heap.
  private var earliest: Entry?
  private var later = Heap<Entry>()
  private var sequence = 0

  /// Adds `event` to happen at `time`.
  mutating func schedule(_ event: Event, at time: SimTime) {
    sequence += 1
    let entry = Entry(time: time, sequence: sequence, event: event)
    guard let current = earliest else {
      earliest = entry
      return
    }
    if entry < current {
      later.insert(current)
      earliest = entry
    } else {
      later.insert(entry)
    }
  }

  /// Removes and returns the earliest event.
  mutating func next() -> (time: SimTime, event: Event)? {
    guard let entry = earliest else { return nil }
    earliest = later.popMin()
    return (entry.time, entry.event)
  }
}
