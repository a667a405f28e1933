import Foundation
import Testing

@testable import ClusterModel

/// A cluster's archive keeps what a ReplicaSet's pods share once: a further replica adds only its own
/// fields, and every pod reads back equal, however its fields were set.
@Suite struct ArchivedPodsTests {
  /// The bytes of the text of an archive that holds the pods of grpc, the largest, for `replicas` replicas
  /// of grpc-v1, all but 750 of them pending.
  static func storeBytes(replicas: Int) throws -> Int {
    var cluster = try SchedulingTests.scaled(to: replicas)
    cluster.advance(by: .seconds(10))
    let bytes = try cluster.archived()
    #expect(try Cluster(archived: bytes) == cluster)
    let pods = DeferredEventsTests.deferredTexts(of: bytes).filter { $0.range(of: Data(#""shapes":"#.utf8)) != nil }
    #expect(pods.count == Set(cluster.store.pods().compactMap(\.metadata.namespace)).count, "a text of pods per namespace")
    return try #require(pods.map(\.count).max())
  }

  @Test func aFurtherReplicaAddsOnlyItsOwnFields() throws {
    let perPod = (try Self.storeBytes(replicas: 1_000) - Self.storeBytes(replicas: 800)) / 200
    #expect((1..<400).contains(perPod), "\(perPod) bytes per pod")
  }

  /// A pod of `owner` with token volume `token`, on `node`.
  static func pod(_ name: String, owner: String = "rs-1", token: String?, node: String? = nil, status: PodStatus? = nil) -> Pod {
    var container = Container(name: "app", image: "example/app")
    container.volumeMounts = [VolumeMount(name: "config", mountPath: "/config")]
    var volumes = [Volume(name: "config", configMap: ConfigMapVolumeSource(name: "config"))]
    if let token {
      container.volumeMounts?.append(VolumeMount(name: token, mountPath: "/var/run/secrets/kubernetes.io/serviceaccount"))
      volumes.append(Volume(name: token, projected: ProjectedVolumeSource(defaultMode: nil, sources: [])))
    }
    var meta = ObjectMeta(name: name, namespace: "grpc", labels: ["app": "grpc"])
    meta.uid = "uid-" + name
    meta.resourceVersion = "7"
    meta.creationTimestamp = Timestamp(Cluster.labStartTime)
    meta.ownerReferences = [OwnerReference(apiVersion: "apps/v1", kind: "ReplicaSet", name: owner, uid: owner, controller: true)]
    var pod = Pod(metadata: meta, spec: PodSpec(containers: [container], volumes: volumes), status: status)
    pod.spec.nodeName = node
    pod.spec.initContainers = [container]
    return pod
  }

  static let pods: [Pod] = {
    var pending = PodStatus(phase: "Pending")
    pending.qosClass = "BestEffort"
    var running = PodStatus(phase: "Running")
    running.podIP = "10.128.2.7"
    var clashing = pod("clash", token: "kube-api-access-aaaaa")
    clashing.spec.volumes?.append(Volume(name: "kube-api-access-", emptyDir: EmptyDirVolumeSource()))
    var renamedMount = pod("mount", token: "kube-api-access-bbbbb")
    renamedMount.spec.containers[0].volumeMounts?[0].name = "kube-api-access-bbbbb"
    var labelled = pod("labelled", token: "kube-api-access-ccccc")
    labelled.metadata.labels?["extra"] = "yes"
    return [
      pod("a", token: "kube-api-access-11111", status: pending),
      pod("b", token: "kube-api-access-22222", node: "worker-1", status: running),
      pod("c", token: "kube-api-access-33333", status: pending),
      pod("d", owner: "rs-2", token: nil, node: "worker-2"),
      pod("e", owner: "", token: "kube-api-access-44444"),
      clashing, renamedMount, labelled,
    ]
  }()

  /// Every pod reads back equal; a, b and c share one shape, and a and c one status; each of the others
  /// has a shape of its own.
  @Test func everyPodReadsBackEqual() throws {
    let table = Dictionary(uniqueKeysWithValues: Self.pods.map { ($0.metadata.name, $0) })
    let json = try JSONEncoder().encode(ArchivedPods(table))
    #expect(try JSONDecoder().decode(ArchivedPods.self, from: json).pods(as: { $0 }) == table)
    let parts = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
    #expect((parts["shapes"] as? [Any])?.count == Self.pods.count - 2)
    #expect((parts["statuses"] as? [Any])?.count == 2)
  }

  /// The packed rows of pods named `name` with the numbers of their shape and status, and no other field
  /// of their own, as the archive's JSON holds them.
  static func rows(_ rows: [(name: String, shape: Int, status: Int?)]) -> String {
    var writer = PackedWriter()
    writer.write(rows.count)
    for row in rows {
      writer.write(row.name)
      writer.write(row.shape)
      writer.write(row.status)
      for _ in 0..<2 { writer.write(String?.none) }
      writer.write(SimTime?.none)
      for _ in 0..<2 { writer.write(String?.none) }
    }
    return Data(writer.bytes).base64EncodedString()
  }

  /// A pod shape with nothing but its kind.
  static let podShape = #"{"apiVersion":"v1","kind":"Pod","metadata":{},"spec":{"containers":[]}}"#

  @Test(arguments: [
    #"{"shapes":[],"statuses":[],"rows":"\#(rows([("a", 0, nil)]))"}"#,
    #"{"shapes":[\#(podShape)],"statuses":[],"rows":"\#(rows([("a", 0, 5)]))"}"#,
  ])
  func aRowNamingAShapeOrStatusThereIsNotIsRefused(json: String) throws {
    let archived = try JSONDecoder().decode(ArchivedPods.self, from: Data(json.utf8))
    #expect(throws: DecodingError.self) { try archived.pods(as: { $0 }) }
  }

  @Test func rowsThatDoNotUnpackAreRefused() throws {
    let packed = Self.rows([("a", 0, nil)])
    let bytes = try #require(Data(base64Encoded: packed))
    let cut = Data(bytes.dropLast()).base64EncodedString()
    let longer = Data(bytes + [0]).base64EncodedString()
    for rows in [cut, longer, Data([1]).base64EncodedString()] {
      let json = #"{"shapes":[\#(Self.podShape)],"statuses":[],"rows":"\#(rows)"}"#
      #expect(throws: DecodingError.self) { try JSONDecoder().decode(ArchivedPods.self, from: Data(json.utf8)) }
    }
    let whole = #"{"shapes":[\#(Self.podShape)],"statuses":[],"rows":"\#(packed)"}"#
    #expect(try JSONDecoder().decode(ArchivedPods.self, from: Data(whole.utf8)).pods(as: { $0 }).keys.sorted() == ["a"])
  }

  /// Each of a pod's own fields reads back as it was: missing, empty, or to the nanosecond.
  @Test func aRowKeepsEachFieldExactly() throws {
    var odd = Self.pod("odd", token: nil)
    odd.metadata.uid = nil
    odd.metadata.resourceVersion = ""
    odd.metadata.creationTimestamp = Timestamp(SimTime(nanoseconds: 1_684_509_667_123_456_789))
    var plain = Self.pod("plain", token: "kube-api-access-abcde", node: "worker-0")
    plain.metadata.creationTimestamp = nil
    let table = ["odd": odd, "plain": plain]
    let json = try JSONEncoder().encode(ArchivedPods(table))
    #expect(try JSONDecoder().decode(ArchivedPods.self, from: json).pods(as: { $0 }) == table)
  }

  @Test func noRowsAreNoPods() throws {
    let json = #"{"shapes":[],"statuses":[],"rows":"\#(Self.rows([]))"}"#
    #expect(try JSONDecoder().decode(ArchivedPods.self, from: Data(json.utf8)).pods(as: { $0 }).isEmpty)
  }
}
