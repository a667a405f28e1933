import Testing

@testable import ClusterModel

@Suite struct EventQueueTests {
  @Test func eventsComeOutInTimeOrderAndTiesInInsertionOrder() {
    var queue = EventQueue<String>()
    let base = SimTime(seconds: 1_000)
    queue.schedule("c", at: base + .milliseconds(3))
    queue.schedule("a", at: base + .milliseconds(1))
    queue.schedule("b1", at: base + .milliseconds(2))
    queue.schedule("b2", at: base + .milliseconds(2))
    #expect(queue.next()?.event == "a")
    queue.schedule("a2", at: base + .milliseconds(1))
    var order: [String] = []
    while let (_, event) = queue.next() { order.append(event) }
    #expect(order == ["a2", "b1", "b2", "c"])
  }

  @Test func oneEventAtATimeKeepsItsTime() {
    var queue = EventQueue<Int>()
    let base = SimTime(seconds: 1_000)
    queue.schedule(0, at: base)
    var seen: [Int] = []
    while let (time, event) = queue.next() {
      #expect(time == base + .microseconds(Int64(event) * 10))
      seen.append(event)
      if event < 4 { queue.schedule(event + 1, at: time + .microseconds(10)) }
    }
    #expect(seen == [0, 1, 2, 3, 4])
  }
}
