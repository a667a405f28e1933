import Testing

@testable import ClusterModel

/// Every write and every deletion takes the next revision and wakes what watches its kind; removing what
/// is not there changes nothing.
@Suite struct APIServerTests {
  static let key = ObjectKey(kind: .configMap, namespace: "grpc", name: "a")

  @Test func aWriteTakesTheNextResourceVersion() {
    var server = APIServer()
    let first = server.lastResourceVersion
    var object = APIObject.configMap(ConfigMap(metadata: ObjectMeta(name: "a", namespace: "grpc"), data: [:]))
    server.write(&object)
    #expect(server.lastResourceVersion == first + 1)
    #expect(object.metadata.resourceVersion == String(first + 1))
    #expect(server.store[Self.key] == object)
  }

  @Test func aDeletionTakesARevisionAndWakesTheControllersWatchingItsKind() {
    var server = APIServer()
    var object = APIObject.configMap(ConfigMap(metadata: ObjectMeta(name: "a", namespace: "grpc"), data: [:]))
    server.write(&object)
    server.watches.recordRun(of: .caBundles, from: server.lastResourceVersion, settled: true)
    #expect(server.watches.isSettled(.caBundles))
    let before = server.lastResourceVersion
    #expect(server.remove(Self.key) == object)
    #expect(server.lastResourceVersion == before + 1)
    #expect(!server.watches.isSettled(.caBundles))
    #expect(server.remove(Self.key) == nil)
    #expect(server.lastResourceVersion == before + 1)
  }

  /// An event written at `reported`, created at `created`.
  static func event(_ name: String, reported: SimTime, created: SimTime? = nil) -> APIObject {
    var meta = ObjectMeta(name: name, namespace: "grpc")
    meta.creationTimestamp = Timestamp(created ?? reported)
    return .event(Event(
      metadata: meta, involvedObject: .init(kind: "Pod", namespace: "grpc", name: "p", uid: "u", apiVersion: "v1", fieldPath: nil),
      reason: "Pulled", message: "m", source: .init(component: "kubelet", host: nil), firstTimestamp: Timestamp(reported),
      lastTimestamp: Timestamp(reported), count: 1, type: "Normal", reportingComponent: "kubelet", reportingInstance: ""))
  }

  /// etcd drops an event when the lease of the minute it was last written in runs out, `--event-ttl` after
  /// that minute; each deletion takes a revision, in key order.
  @Test func eventsExpireWithTheLeaseOfTheMinuteTheyWereLastReportedIn() {
    var server = APIServer()
    let start = SimTime(seconds: 600_000)
    let lease = APIServer.leaseReuse + APIServer.eventTTL
    for (name, seconds) in [("b", 0), ("a", 59), ("c", 1_800)] {
      var object = Self.event(name, reported: start + .seconds(Int64(seconds)))
      server.write(&object)
    }
    var early = Self.event("d", reported: SimTime(seconds: 500_000), created: start)
    server.write(&early)
    let written = server.lastResourceVersion
    server.expireEvents(at: start + (lease - .seconds(1)))
    #expect(server.store.list(.event).map(\.metadata.name) == ["a", "b", "c", "d"])
    #expect(server.lastResourceVersion == written)
    server.expireEvents(at: start + lease)
    #expect(server.store.list(.event).map(\.metadata.name) == ["c"])
    #expect(server.lastResourceVersion == written + 3)
    var again = Self.event("c", reported: start + APIServer.eventTTL)
    server.write(&again)
    server.expireEvents(at: start + .seconds(1_800) + lease)
    #expect(server.store.list(.event).map(\.metadata.name) == ["c"])
    server.expireEvents(at: start + APIServer.eventTTL + lease)
    #expect(server.store.list(.event).isEmpty)
  }
}
