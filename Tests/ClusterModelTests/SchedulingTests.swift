import Testing

@testable import ClusterModel

/// Scaling far past what the nodes hold: the ReplicaSet controller's pace, the scheduler's room, and the
/// events both report.
@Suite struct SchedulingTests {
  static let unschedulable =
    "0/6 nodes are available: 3 Too many pods, 3 node(s) had untolerated taint {node-role.kubernetes.io/master: }. preemption: 0/6 nodes are available: 3 No preemption victims found for incoming pod, 3 Preemption is not helpful for scheduling."

  static func scaled(to replicas: Int) throws -> Cluster {
    var cluster = try labCluster(seed: 3)
    guard case .deployment(var deployment) = try cluster.get(ObjectKey(kind: .deployment, namespace: "grpc", name: "grpc-v1")) else {
      throw ClusterError.notFound(.deployment, name: "grpc-v1")
    }
    deployment.spec.replicas = replicas
    try cluster.update(.deployment(deployment))
    return cluster
  }

  static func pods(of cluster: Cluster) -> [Pod] {
    cluster.store.pods(in: "grpc").filter { $0.metadata.name.hasPrefix("grpc-v1-") }
  }

  @Test func theControllerCreatesPodsAtItsClientsRate() throws {
    var cluster = try Self.scaled(to: 100_000)
    #expect(Self.pods(of: cluster).count == 1 + 300)
    cluster.advance(by: .seconds(2))
    #expect(Self.pods(of: cluster).count == 1 + 300 + 2 * 150)
  }

  @Test func podsThatFindNoRoomStayPendingWithTheSchedulersReasons() throws {
    var cluster = try Self.scaled(to: 1_000)
    cluster.advance(by: .seconds(10))
    let all = cluster.store.pods()
    #expect(Self.pods(of: cluster).count == 1_000)
    for node in Node.all {
      let bound = all.filter { $0.spec.nodeName == node.name }.count
      #expect(bound == (node.taints.isEmpty ? node.maxPods : 0))
    }
    let pending = all.filter { $0.spec.nodeName == nil }
    #expect(pending.count == all.count - 750)
    let pod = try #require(pending.first)
    #expect(pod.displayStatus == "Pending")
    #expect(pod.status?.conditions?.first?.message == Self.unschedulable)
    #expect(cluster.events(about: pod.metadata.uid, in: "grpc").map(\.message) == [Self.unschedulable])
    let addresses = all.compactMap { $0.status?.podIP }
    #expect(Set(addresses).count == addresses.count)
  }

  @Test func aDeletedPodMakesRoomForAPendingOne() throws {
    var cluster = try Self.scaled(to: 1_000)
    cluster.advance(by: .seconds(10))
    let bound = try #require(Self.pods(of: cluster).first { $0.spec.nodeName != nil })
    let node = try #require(bound.spec.nodeName)
    let waiting = cluster.store.pods().filter { $0.spec.nodeName == nil }.map(\.metadata.name)
    try cluster.delete(APIObject.pod(bound).key)
    cluster.advance(by: .seconds(10))
    #expect(cluster.store.pods().filter { $0.spec.nodeName == node }.count == 250)
    #expect(cluster.store.pods().contains { $0.spec.nodeName == node && waiting.contains($0.metadata.name) })
  }

  @Test func similarEventsAreCombinedAndTheRestAreFilteredAsSpam() throws {
    var cluster = try Self.scaled(to: 1_000)
    cluster.advance(by: .seconds(10))
    let set = try #require(cluster.store.list(.replicaSet, namespace: "grpc").first { $0.metadata.name.hasPrefix("grpc-v1-") })
    let events = cluster.events(about: set.metadata.uid, in: "grpc").filter { $0.reason == "SuccessfulCreate" }
    #expect(events.count == 10)
    let combined = try #require(events.last)
    #expect(combined.message.hasPrefix("(combined from similar events): Created pod: grpc-v1-"))
    #expect(events.reduce(0) { $0 + $1.count } == EventCorrelator.spamBurst)
  }
}
