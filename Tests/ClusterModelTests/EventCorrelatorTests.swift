import Testing

@testable import ClusterModel

/// Each recorder correlates its own events, in caches that forget the least recently used entry past
/// client-go's `maxLruCacheEntries`.
@Suite struct EventCorrelatorTests {
  static let now = SimTime(nanoseconds: 1_000_000_000)

  /// Reports a `Pulled` event about `uid` from the kubelet on `host`.
  static func report(_ correlator: inout EventCorrelator, about uid: String, host: String = "worker-0") -> EventCorrelator.Report? {
    correlator.correlate("Pulled", "Image pulled", about: uid, type: "Normal", from: "kubelet", host: host, fieldPath: nil, at: now)
  }

  /// An event stored under `key`, reported once.
  static func observation(_ key: ObjectKey) -> EventCorrelator.Observation {
    EventCorrelator.Observation(key: key, count: 1, first: Timestamp(now))
  }

  /// Reports an event about each of `count` other objects from the kubelet on `host`, and stores it.
  static func fill(_ correlator: inout EventCorrelator, with count: Int, host: String) throws {
    for number in 0..<count {
      let report = try #require(Self.report(&correlator, about: "other-\(number)", host: host))
      correlator.remember(Self.observation(ObjectKey(kind: .event, namespace: "grpc", name: "other-\(number)")), as: report)
    }
  }

  @Test func aRecorderForgetsTheEventsItReportedLeastRecentlyOnceItsCacheIsFull() throws {
    var correlator = EventCorrelator()
    let key = ObjectKey(kind: .event, namespace: "grpc", name: "pod.1")
    let first = try #require(Self.report(&correlator, about: "pod"))
    #expect(correlator.storedEvent(first) == nil)
    correlator.remember(Self.observation(key), as: first)
    #expect(correlator.storedEvent(try #require(Self.report(&correlator, about: "pod")))?.key == key)
    try Self.fill(&correlator, with: EventCorrelator.cacheEntries, host: "worker-1")
    #expect(correlator.storedEvent(try #require(Self.report(&correlator, about: "pod")))?.key == key, "another kubelet's events")
    try Self.fill(&correlator, with: EventCorrelator.cacheEntries - 1, host: "worker-0")
    #expect(correlator.storedEvent(try #require(Self.report(&correlator, about: "pod")))?.key == key, "used again, so kept")
    try Self.fill(&correlator, with: EventCorrelator.cacheEntries, host: "worker-0")
    #expect(correlator.storedEvent(try #require(Self.report(&correlator, about: "pod"))) == nil)
  }

  @Test func aForgottenObjectGetsAFullSpamBucket() throws {
    var correlator = EventCorrelator()
    for _ in 0..<EventCorrelator.spamBurst { #expect(Self.report(&correlator, about: "pod") != nil) }
    #expect(Self.report(&correlator, about: "pod") == nil)
    try Self.fill(&correlator, with: EventCorrelator.cacheEntries, host: "worker-0")
    #expect(Self.report(&correlator, about: "pod") != nil)
  }
}
