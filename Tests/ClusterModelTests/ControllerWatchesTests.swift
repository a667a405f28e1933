import Foundation
import Testing

@testable import ClusterModel

/// A controller runs again only when an object of a kind it watches changed, or when its last run left work
/// behind; the cluster it leaves is the one that running every controller every time leaves.
@Suite struct ControllerWatchesTests {
  /// Kinds and controllers index the watches' tables by their places: each has its own, in declaration
  /// order, and kinds sort in that order.
  @Test func kindsAndControllersHaveDistinctPlaces() {
    #expect(Set(ResourceKind.allCases).count == ResourceKind.allCases.count)
    #expect(Set(ResourceKind.allCases.map(\.hashValue)).count == ResourceKind.allCases.count)
    #expect(ResourceKind.allCases.shuffled().sorted() == ResourceKind.allCases)
    #expect(ResourceKind.allCases.map(\.ordinal) == Array(ResourceKind.allCases.indices))
    #expect(ControllerWatches.Controller.allCases.map(\.ordinal) == Array(ControllerWatches.Controller.allCases.indices))
  }

  @Test func aControllerIsSettledUntilAKindItWatchesChanges() {
    var watches = ControllerWatches()
    #expect(!watches.isSettled(.endpoints))
    watches.recordRun(of: .endpoints, from: 10, settled: true)
    #expect(watches.isSettled(.endpoints))
    watches.recordChange(of: ObjectKey(kind: .configMap, namespace: "grpc", name: "a"), at: 11)
    #expect(watches.isSettled(.endpoints))
    watches.recordChange(of: ObjectKey(kind: .pod, namespace: "grpc", name: "p"), at: 12)
    #expect(!watches.isSettled(.endpoints))
    #expect(!watches.isSettled(.garbageCollector))
    watches.recordRun(of: .endpoints, from: 12, settled: true)
    #expect(watches.isSettled(.endpoints))
  }

  @Test func aControllerThatRunsLooksOnlyWhereWhatItWatchesChanged() {
    var watches = ControllerWatches()
    #expect(watches.changedNamespaces(for: .endpoints) == nil)
    watches.recordRun(of: .endpoints, from: 10, settled: true)
    #expect(watches.changedNamespaces(for: .endpoints) == [])
    watches.recordChange(of: ObjectKey(kind: .pod, namespace: "grpc", name: "p"), at: 11)
    watches.recordChange(of: ObjectKey(kind: .configMap, namespace: "test", name: "c"), at: 12)
    watches.recordChange(of: ObjectKey(kind: .service, namespace: "istio-system", name: "s"), at: 13)
    #expect(watches.changedNamespaces(for: .endpoints) == ["grpc", "istio-system"])
    watches.recordRun(of: .endpoints, from: 12, settled: true)
    #expect(watches.changedNamespaces(for: .endpoints) == ["istio-system"])
    watches.recordRun(of: .endpoints, from: 13, settled: false)
    #expect(watches.changedNamespaces(for: .endpoints) == nil)
    watches.recordRun(of: .endpoints, from: 13, settled: true)
    watches.runsEverything = true
    #expect(watches.changedNamespaces(for: .endpoints) == nil)
  }

  /// A Deployment is left alone while it and its ReplicaSets stand at the versions of a sync that did
  /// nothing.
  @Test func aDeploymentIsQuietWhileItAndItsReplicaSetsStand() {
    var watches = ControllerWatches()
    #expect(!watches.deploymentIsQuiet("d", at: ["5", "7"]))
    watches.recordDeploymentSync("d", quietAt: ["5", "7"])
    #expect(watches.deploymentIsQuiet("d", at: ["5", "7"]))
    #expect(!watches.deploymentIsQuiet("d", at: ["5", "8"]) && !watches.deploymentIsQuiet("d", at: ["5", "7", "9"]))
    #expect(!watches.deploymentIsQuiet("e", at: ["5", "7"]))
    var everything = watches
    everything.runsEverything = true
    #expect(!everything.deploymentIsQuiet("d", at: ["5", "7"]))
    watches.recordDeploymentSync("d", quietAt: nil)
    #expect(!watches.deploymentIsQuiet("d", at: ["5", "7"]))
    watches.recordDeploymentSync("d", quietAt: ["5", "7"])
    watches.forgetDeployment("d")
    #expect(!watches.deploymentIsQuiet("d", at: ["5", "7"]))
  }

  /// The garbage collector wakes where ownership changed, not where a pod's status did.
  @Test func theGarbageCollectorWatchesOwnershipOnly() {
    var watches = ControllerWatches()
    watches.recordRun(of: .garbageCollector, from: 10, settled: true)
    watches.recordChange(of: ObjectKey(kind: .pod, namespace: "grpc", name: "p"), at: 11)
    #expect(watches.isSettled(.garbageCollector))
    watches.recordOwnershipChange(in: "test", at: 12)
    #expect(!watches.isSettled(.garbageCollector))
    #expect(watches.changedNamespaces(for: .garbageCollector) == ["test"])
    watches.recordRun(of: .garbageCollector, from: 12, settled: true)
    #expect(watches.isSettled(.garbageCollector))
  }

  /// Watches archived before ownership was watched leave the garbage collector to look everywhere once;
  /// the other controllers stay settled.
  @Test func anArchiveWithoutOwnershipChangesUnsettlesOnlyTheGarbageCollector() throws {
    var watches = ControllerWatches()
    watches.recordRun(of: .garbageCollector, from: 10, settled: true)
    watches.recordRun(of: .endpoints, from: 10, settled: true)
    var fields = try #require(JSONSerialization.jsonObject(with: JSONEncoder().encode(watches)) as? [String: Any])
    #expect(fields.removeValue(forKey: "ownershipChanges") != nil)
    let older = try JSONDecoder().decode(ControllerWatches.self, from: JSONSerialization.data(withJSONObject: fields))
    #expect(!older.isSettled(.garbageCollector) && older.changedNamespaces(for: .garbageCollector) == nil)
    #expect(older.isSettled(.endpoints))
    let current = try JSONDecoder().decode(ControllerWatches.self, from: JSONEncoder().encode(watches))
    #expect(current.isSettled(.garbageCollector))
  }

  @Test func aRunThatLeftWorkBehindIsNotSettled() {
    var watches = ControllerWatches()
    watches.recordRun(of: .replicaSets, from: 5, settled: false)
    #expect(!watches.isSettled(.replicaSets))
    watches.recordRun(of: .replicaSets, from: 5, settled: true)
    #expect(watches.isSettled(.replicaSets))
  }

  @Test func aPodIsIdleWhileItAndItsPhaseStandAndNoTimerIsDue() throws {
    var watches = ControllerWatches()
    var pod = Pod(metadata: ObjectMeta(name: "p", namespace: "grpc"), spec: PodSpec(containers: []))
    pod.metadata.uid = "u"
    pod.metadata.resourceVersion = "7"
    let start = SimTime(nanoseconds: 1_000)
    let later = SimTime(nanoseconds: 2_000)
    #expect(!watches.kubeletIsIdle(for: pod, in: .running(since: start), at: later))
    watches.recordSync(ofPod: "u", resourceVersion: "7", phase: .running(since: start))
    #expect(watches.kubeletIsIdle(for: pod, in: .running(since: start), at: later))
    #expect(!watches.kubeletIsIdle(for: pod, in: .crashing(since: start), at: later))
    pod.metadata.resourceVersion = "8"
    #expect(!watches.kubeletIsIdle(for: pod, in: .running(since: start), at: later))
    watches.recordSync(ofPod: "u", resourceVersion: "8", phase: .starting(startAt: later))
    #expect(watches.kubeletIsIdle(for: pod, in: .starting(startAt: later), at: start))
    #expect(!watches.kubeletIsIdle(for: pod, in: .starting(startAt: later), at: later))
    watches.recordSync(ofPod: "u", resourceVersion: "8", phase: .imagePullFailed(image: "x", since: start))
    #expect(!watches.kubeletIsIdle(for: pod, in: .imagePullFailed(image: "x", since: start), at: start))
    watches.forgetPod("u")
    #expect(!watches.kubeletIsIdle(for: pod, in: .imagePullFailed(image: "x", since: start), at: start))
  }

  @Test func watchesAreNoPartOfTheClustersState() throws {
    let cluster = try labCluster(seed: 4)
    var unsettled = cluster
    unsettled.api.watches = ControllerWatches()
    #expect(unsettled == cluster)
    #expect(cluster.api.watches.isSettled(.deployments))
    #expect(!unsettled.api.watches.isSettled(.deployments))
  }

  /// A cluster made from an archive skips what the archived one had settled, so a command after a snapshot
  /// does not run every controller over every object again; its kubelets sync each pod once.
  @Test func anArchiveKeepsWhatTheControllersHadSettled() throws {
    let cluster = try labCluster(seed: 4)
    let archived = try Cluster(archived: cluster.archived())
    #expect(archived == cluster)
    for controller in ControllerWatches.Controller.allCases {
      #expect(archived.api.watches.isSettled(controller) == cluster.api.watches.isSettled(controller), "\(controller)")
      #expect(archived.api.watches.changedNamespaces(for: controller) == cluster.api.watches.changedNamespaces(for: controller))
    }
    #expect(archived.api.watches.isSettled(.deployments))
    #expect(archived.api.watches.podsAreSettled == cluster.api.watches.podsAreSettled)
    let pod = try #require(cluster.store.pods(in: "grpc").first)
    let uid = try #require(pod.metadata.uid)
    let phase = try #require(cluster.runtimes[uid]?.phase)
    #expect(cluster.api.watches.kubeletIsIdle(for: pod, in: phase, at: cluster.now))
    #expect(!archived.api.watches.kubeletIsIdle(for: pod, in: phase, at: cluster.now))
  }

  /// Time passing on a settled cluster made from an archive reads none of its objects but its namespaces
  /// (the namespace controller looks for terminating ones on every pass), nor its pods' runtimes, so a
  /// command that reads Deployments, beside however many pods, decodes only those and the namespaces.
  @Test func aSettledClusterFromAnArchiveDecodesOnlyWhatIsRead() throws {
    var cluster = try labCluster(seed: 4)
    cluster.advance(by: .seconds(60))
    var loaded = try Cluster(archived: cluster.archived())
    loaded.advance(by: .seconds(20))
    #expect(!loaded.store.list(.deployment, namespace: "grpc").isEmpty)
    let decoded = Set(ResourceKind.allCases.filter { loaded.store.isDecoded($0) })
    #expect(decoded == Set(ResourceKind.allCases.filter { cluster.store.list($0).isEmpty }).union([.deployment, .namespace]))
    let runtimes = loaded.runtimes.isDecoded
    #expect(!runtimes)
    cluster.advance(by: .seconds(20))
    #expect(loaded.store.pods(in: "test") == cluster.store.pods(in: "test"))
    #expect(!cluster.store.pods(in: "test").isEmpty)
    let test = (loaded.store.isDecoded(.pod, in: "test"), loaded.store.isDecoded(.pod, in: "grpc"))
    #expect(test == (true, false), "the pods of one namespace are decoded apart")
    #expect(loaded.store.pods() == cluster.store.pods())
    let read = (loaded.store.isDecoded(.pod), loaded.store.isDecoded(.endpoints))
    #expect(read == (true, false))
    #expect(loaded == cluster)
  }

  /// What the learner's commands do to the cluster: scaling up past the replicaset-controller's rate limit,
  /// scaling down, deleting a pod, a ReplicaSet, a CA bundle, a Service and a namespace, and joining the mesh.
  static let changes: [(String, @Sendable (inout Cluster) throws -> Void)] = [
    ("scale grpc-v1 to 4", { try scale(&$0, "grpc-v1", in: "grpc", to: 4) }),
    ("wait 20 s", { $0.advance(by: .seconds(20)) }),
    ("delete a pod", { cluster in
      let pod = try #require(cluster.store.pods(in: "grpc").first)
      try cluster.delete(ObjectKey(kind: .pod, namespace: "grpc", name: pod.metadata.name))
    }),
    ("scale grpc-v2 to 400", { try scale(&$0, "grpc-v2", in: "grpc", to: 400) }),
    ("wait 1 s", { $0.advance(by: .seconds(1)) }),
    ("wait 2 s", { $0.advance(by: .seconds(2)) }),
    ("scale grpc-v2 to 1", { try scale(&$0, "grpc-v2", in: "grpc", to: 1) }),
    ("delete grpc-v3's ReplicaSet", { cluster in
      let set = try #require(cluster.store.list(.replicaSet, namespace: "grpc").first { $0.metadata.name.hasPrefix("grpc-v3-") })
      try cluster.delete(set.key)
    }),
    ("a pod whose ReplicaSet does not exist", { cluster in
      var meta = ObjectMeta(name: "orphan", namespace: "grpc")
      meta.ownerReferences = [
        OwnerReference(apiVersion: "apps/v1", kind: "ReplicaSet", name: "gone", uid: "no-such-uid", controller: true)
      ]
      try cluster.create(.pod(Pod(metadata: meta, spec: PodSpec(containers: [Container(name: "c", image: "busybox")]))))
    }),
    ("delete a CA bundle", { try $0.delete(ObjectKey(kind: .configMap, namespace: "grpc", name: "kube-root-ca.crt")) }),
    ("join the mesh", { cluster in
      try cluster.create(.serviceMeshMemberRoll(ServiceMeshMemberRoll(
        metadata: ObjectMeta(name: "default", namespace: "istio-system"), spec: .init(members: ["grpc"]))))
    }),
    ("wait 40 s", { $0.advance(by: .seconds(40)) }),
    ("a Gateway whose secret is missing", { try $0.create(GatewayFilterChainTests.gateway("grpc", hosts: ["grpc.apps.cluster.example.com"])) }),
    ("wait 1 s", { $0.advance(by: .seconds(1)) }),
    ("the Gateway's secret", { cluster in
      try cluster.create(.secret(Secret(
        metadata: ObjectMeta(name: "certs", namespace: "istio-system"), type: "kubernetes.io/tls",
        data: ["tls.crt": Data("cert".utf8).base64EncodedString(), "tls.key": Data("key".utf8).base64EncodedString()])))
    }),
    ("delete the Gateway", { try $0.delete(ObjectKey(kind: .gateway, namespace: "istio-system", name: "grpc")) }),
    ("roll grpc-v1 out to an image that does not exist", { cluster in
      guard case .deployment(var deployment) = try cluster.get(ObjectKey(kind: .deployment, namespace: "grpc", name: "grpc-v1")) else {
        return
      }
      deployment.spec.template.spec.containers[0].image = "quay.io/shrishs/no-such-image"
      try cluster.update(.deployment(deployment))
    }),
    ("wait 5 s", { $0.advance(by: .seconds(5)) }),
    ("wait 10 s", { $0.advance(by: .seconds(10)) }),
    ("delete the Service", { try $0.delete(ObjectKey(kind: .service, namespace: "grpc", name: "grpc")) }),
    ("delete namespace test", { try $0.delete(ObjectKey(kind: .namespace, namespace: "", name: "test")) }),
    ("wait 60 s", { $0.advance(by: .seconds(60)) }),
    ("wait 3 h, past the events' time to live", { $0.advance(by: .seconds(3 * 3_600)) }),
  ]

  static func scale(_ cluster: inout Cluster, _ name: String, in namespace: String, to replicas: Int) throws {
    guard case .deployment(var deployment) = try cluster.get(ObjectKey(kind: .deployment, namespace: namespace, name: name)) else {
      Issue.record("no Deployment \(name)")
      return
    }
    deployment.spec.replicas = replicas
    try cluster.update(.deployment(deployment))
  }

  /// Each change made to a cluster whose controllers and kubelets skip what is settled, to one that runs
  /// them all every pass, and to one made afresh from an archive before each change: the three stay equal.
  @Test func skippingSettledControllersLeavesTheClusterAsRunningThemAll() throws {
    var watched = try labCluster(seed: 11)
    var everything = watched
    everything.api.watches.runsEverything = true
    var fresh = watched
    for (name, change) in Self.changes {
      try change(&watched)
      try change(&everything)
      fresh = try Cluster(archived: fresh.archived())
      try change(&fresh)
      let same = watched == everything && watched == fresh
      #expect(same, "after \(name)")
      #expect(watched.store.pods().map(\.metadata.name) == everything.store.pods().map(\.metadata.name), "after \(name)")
    }
    #expect(watched.store.pod(PodRef(namespace: "grpc", name: "orphan")) == nil)
    #expect(watched.store.configMap("kube-root-ca.crt", in: "grpc") != nil)
    #expect(watched.store.endpoints("grpc", in: "grpc") == nil)
    #expect(watched.isMeshMember("grpc"))
    let waiting = watched.store.pods(in: "grpc").compactMap { $0.status?.containerStatuses?.first?.state.waiting?.reason }
    #expect(waiting.contains("ImagePullBackOff"))
  }
}
