import Testing

@testable import ClusterModel

/// A cluster with the lab's three servers and its client, built through the public API.
func labCluster(seed: UInt64, replicas: Int = 1, sidecars: Bool = false, debugLogs: Bool = true) throws -> Cluster {
  var cluster = Cluster(seed: seed)
  try cluster.createProject("grpc")
  try cluster.createProject("test")
  let properties = "numrequest: 25\nquarkus.grpc.clients.hello.host: grpc.grpc.svc.cluster.local\nteststring: prom\n"
  for namespace in ["grpc", "test"] {
    try cluster.create(.configMap(ConfigMap(
      metadata: ObjectMeta(name: "grpcconfig", namespace: namespace), data: ["application.properties": properties])))
  }
  func deployment(_ name: String, _ namespace: String, _ version: String) -> Deployment {
    var container = Container(name: "custom-grpc-hello", image: "quay.io/shrishs/grpc-plain-text-quickstart-jvm")
    container.volumeMounts = [VolumeMount(name: "config", mountPath: "/deployments/config")]
    let spec = PodSpec(
      containers: [container],
      volumes: [Volume(name: "config", configMap: ConfigMapVolumeSource(name: "grpcconfig"))])
    let labels = ["app": "grpc", "app.kubernetes.io/version": version]
    var annotations: [String: String] = [:]
    if sidecars { annotations["sidecar.istio.io/inject"] = "true" }
    if sidecars && debugLogs { annotations["sidecar.istio.io/logLevel"] = "debug" }
    return Deployment(
      metadata: ObjectMeta(name: name, namespace: namespace, labels: ["app": "grpc"]),
      spec: .init(
        replicas: replicas, selector: LabelSelector(matchLabels: ["app": "grpc"]),
        template: PodTemplateSpec(metadata: ObjectMeta(labels: labels, annotations: annotations), spec: spec)))
  }
  for version in 1...3 {
    try cluster.create(.deployment(deployment("grpc-v\(version)", "grpc", "l\(version)")))
  }
  try cluster.create(.service(Service(
    metadata: ObjectMeta(name: "grpc", namespace: "grpc"),
    spec: .init(ports: [.init(name: "grpc", port: 9000, targetPort: .int(9000))], selector: ["app": "grpc"]))))
  try cluster.create(.deployment(deployment("grpc-client", "test", "client")))
  cluster.advance(by: .seconds(30))
  return cluster
}

/// Calls the client's `/hello/grpc`, expects the app's HTTP 500, and returns the client app's log lines.
func callClientExpectingError(_ cluster: inout Cluster, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String] {
  let outcome = try cluster.send(HTTPRequest(host: "localhost", port: 8080, path: "/hello/grpc"), from: clientPod(cluster))
  guard case .response(let response, _) = outcome else {
    Issue.record("no response: \(outcome)", sourceLocation: sourceLocation)
    return []
  }
  #expect(response.status == 500, sourceLocation: sourceLocation)
  let uid = cluster.store.pod(clientPod(cluster))?.metadata.uid ?? ""
  return cluster.telemetry.log(podUID: uid, container: "custom-grpc-hello").map(\.text)
}

func clientPod(_ cluster: Cluster) -> PodRef {
  let pod = cluster.store.pods(in: "test").first { $0.metadata.name.hasPrefix("grpc-client-") }
  return PodRef(namespace: "test", name: pod?.metadata.name ?? "")
}

@Suite struct ClusterTests {
  /// A pod without a sidecar asks for nothing: BestEffort, and only the two evictions' tolerations. One with
  /// limits alone gets equal requests and is Guaranteed. Each mounts its service account's token volume.
  /// Names as the API server validates them: RFC 1123 labels for namespaces, DNS-1035 labels for
  /// Services, RFC 1123 subdomains for the rest.
  @Test(arguments: [
    (ResourceKind.namespace, "grpc", true), (.namespace, "123", true), (.namespace, "Grpc", false), (.namespace, "-a", false),
    (.namespace, "a-", false), (.namespace, "a.b", false), (.namespace, String(repeating: "a", count: 63), true),
    (.namespace, String(repeating: "a", count: 64), false), (.namespace, "", false), (.service, "abc-123", true),
    (.service, "a", true), (.service, "123abc", false), (.service, "a_b", false), (.configMap, "a.b-c", true),
    (.configMap, "a..b", false), (.configMap, ".a", false), (.configMap, "a.", false), (.configMap, "é", false),
    (.configMap, String(repeating: "a", count: 253), true), (.configMap, String(repeating: "a", count: 254), false),
    (.configMap, "grpc-v1-5c9d8f7b6-x2k4q", true),
  ])
  func namesAreValidatedAsTheAPIServerDoes(kind: ResourceKind, name: String, valid: Bool) {
    #expect((Cluster.nameProblem(name, for: kind) == nil) == valid)
  }

  @Test func admissionDefaultsFollowWhatThePodAsksFor() throws {
    var cluster = Cluster(seed: 3)
    try cluster.createProject("grpc")
    var container = Container(name: "app", image: "quay.io/shrishs/grpc-plain-text-quickstart-jvm")
    try cluster.create(.pod(Pod(metadata: ObjectMeta(name: "plain", namespace: "grpc"), spec: PodSpec(containers: [container]))))
    container.resources = ResourceRequirements(limits: ["cpu": "500m", "memory": "256Mi"])
    try cluster.create(.pod(Pod(metadata: ObjectMeta(name: "limited", namespace: "grpc"), spec: PodSpec(containers: [container]))))
    let plain = try #require(cluster.store.pod(PodRef(namespace: "grpc", name: "plain")))
    let limited = try #require(cluster.store.pod(PodRef(namespace: "grpc", name: "limited")))
    #expect(plain.status?.qosClass == "BestEffort" && limited.status?.qosClass == "Guaranteed")
    #expect(plain.spec.tolerations?.map { $0.key ?? "" } == ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"])
    #expect(limited.spec.tolerations?.count == 3)
    #expect(limited.spec.containers[0].resources?.requests == ["cpu": "500m", "memory": "256Mi"])
    let volume = try #require(plain.spec.volumes?.last)
    #expect(volume.name.hasPrefix("kube-api-access-") && volume.name.count == "kube-api-access-".count + 5)
    #expect(plain.spec.containers[0].volumeMounts?.last?.name == volume.name && plain.spec.serviceAccountName == "default")
    #expect(cluster.store.configMap("kube-root-ca.crt", in: "grpc") != nil && cluster.store.configMap("istio-ca-root-cert", in: "grpc") == nil)
    #expect(cluster.store.configMap("istio-ca-root-cert", in: "istio-system")?.data?["root-cert.pem"] == CABundles.meshRootCA)
    try cluster.delete(ObjectKey(kind: .configMap, namespace: "grpc", name: "kube-root-ca.crt"))
    #expect(cluster.store.configMap("kube-root-ca.crt", in: "grpc")?.data?["ca.crt"] == CABundles.apiServerCA)
  }

  @Test func podNamesFollowTheReplicaSetPattern() throws {
    let cluster = try labCluster(seed: 1)
    let alphabet = Set("bcdfghjklmnpqrstvwxz2456789")
    for pod in cluster.store.pods(in: "grpc") {
      let parts = pod.metadata.name.split(separator: "-")
      #expect(parts.count == 4)
      let suffixOK = parts[3].count == 5 && parts[3].allSatisfy { alphabet.contains($0) }
      let hashOK = parts[2].allSatisfy { "456789bcdf".contains($0) }
      #expect(suffixOK)
      #expect(hashOK)
      #expect(pod.metadata.labels?["pod-template-hash"] == String(parts[2]))
      #expect(pod.displayStatus == "Running")
      #expect(pod.status?.podIP?.hasPrefix("10.1") == true)
    }
  }

  @Test func everyCallOfAChannelLandsOnThePodKubeProxyPickedForItsConnection() throws {
    for seed in UInt64(1)...20 {
      var cluster = try labCluster(seed: seed)
      let outcome = try cluster.send(HTTPRequest(host: "localhost", port: 8080, path: "/hello/grpc"), from: clientPod(cluster))
      guard case .response(let response, _) = outcome else {
        Issue.record("no response: \(outcome)")
        return
      }
      #expect(response.status == 200 && response.body == "Hello")
      let run = try #require(cluster.telemetry.clientRuns.last)
      let calls = cluster.telemetry.calls(of: run)
      #expect(calls.count == 25)
      let connection = try #require(cluster.telemetry.connections.last)
      #expect(Set(calls.map(\.connection)) == [connection.id])
      #expect(Set(calls.compactMap(\.server)) == [connection.server])
      #expect(calls.map(\.stream) == Array(stride(from: 1, through: 49, by: 2)))
      let decision = try #require(connection.kubeProxy)
      #expect(decision.endpoints[decision.chosen] == connection.server)
      #expect(connection.closed != nil)
    }
  }

  @Test func kubeProxyPicksEachReadyEndpointAboutEquallyOften() throws {
    var cluster = try labCluster(seed: 5)
    var counts: [String: Int] = [:]
    for _ in 0..<3000 {
      let ip = try #require(cluster.store.service("grpc", in: "grpc")?.spec.clusterIP)
      guard case .connected(let pod, _, _) = cluster.dial(SocketAddress(ip: ip, port: 9000)) else {
        Issue.record("refused")
        return
      }
      counts[pod.metadata.name, default: 0] += 1
    }
    #expect(counts.count == 3)
    for count in counts.values { #expect((850...1150).contains(count)) }
  }

  /// The platform was installed three days before the lab starts, so its events have expired by then, as
  /// `oc get events -A` on a cluster of that age shows.
  @Test func aClusterStartsWithoutItsInstallsEvents() throws {
    let cluster = Cluster(seed: 3)
    #expect(cluster.store.list(.event).isEmpty)
    var later = try labCluster(seed: 3)
    #expect(!later.store.list(.event).isEmpty)
    later.advance(by: APIServer.eventTTL + APIServer.leaseReuse)
    #expect(later.store.list(.event).isEmpty)
  }

  /// As client-go's recorder finds an event it would count gone, it stores it again under its name, with
  /// its count and the time it was first reported.
  @Test func anEventReportedAgainAfterItExpiredIsStoredAgainAsItWas() throws {
    var cluster = try labCluster(seed: 3)
    let pod = try #require(cluster.store.pods(in: "grpc").first)
    func report() {
      cluster.recordEvent(
        "Unhealthy", "Readiness probe failed", about: .pod(pod), type: "Warning", from: "kubelet", host: pod.spec.nodeName)
    }
    func unhealthy() -> [Event] { cluster.events(about: pod.metadata.uid, in: "grpc").filter { $0.reason == "Unhealthy" } }
    report()
    report()
    let stored = try #require(unhealthy().first)
    #expect(unhealthy().map(\.count) == [2])
    cluster.advance(by: APIServer.eventTTL + APIServer.leaseReuse)
    #expect(unhealthy().isEmpty)
    report()
    let again = try #require(unhealthy().first)
    #expect(unhealthy().count == 1)
    #expect(again.metadata.name == stored.metadata.name)
    #expect(again.count == 3)
    #expect(again.firstTimestamp == stored.firstTimestamp)
    #expect(again.lastTimestamp == Timestamp(cluster.now))
  }

  /// An update cannot take back a deletion in progress: the pod stays terminating and goes when its
  /// containers have stopped.
  @Test func anUpdateKeepsAPodTerminating() throws {
    var cluster = try labCluster(seed: 3)
    let key = APIObject.pod(try #require(cluster.store.pods(in: "grpc").first)).key
    try cluster.delete(key)
    guard case .pod(var pod)? = cluster.store[key] else {
      Issue.record("the pod went at once")
      return
    }
    #expect(pod.metadata.deletionTimestamp != nil)
    pod.metadata.labels?["edited"] = "true"
    pod.metadata.deletionTimestamp = nil
    try cluster.update(.pod(pod))
    #expect(cluster.store[key]?.metadata.labels?["edited"] == "true")
    #expect(cluster.store[key]?.metadata.deletionTimestamp != nil)
    cluster.advance(by: .seconds(5))
    #expect(cluster.store[key] == nil)
  }

  @Test func sameSeedGivesTheSameCluster() throws {
    #expect(try labCluster(seed: 9) == labCluster(seed: 9))
    #expect(try labCluster(seed: 9).store != labCluster(seed: 10).store)
  }

  @Test func deletingAPodOfAReplicaSetCreatesAReplacementWithANewName() throws {
    var cluster = try labCluster(seed: 3)
    let before = cluster.store.pods(in: "grpc").map(\.metadata.name)
    try cluster.delete(ObjectKey(kind: .pod, namespace: "grpc", name: before[0]))
    cluster.advance(by: .seconds(20))
    let after = cluster.store.pods(in: "grpc").map(\.metadata.name)
    #expect(after.count == 3)
    #expect(!after.contains(before[0]))
  }

  /// Owner references do not cross namespaces: a pod that names a ReplicaSet of another namespace as its
  /// controller is collected as an orphan, and is never one of that ReplicaSet's pods.
  @Test func anOwnerInAnotherNamespaceCountsAsGone() throws {
    var cluster = try labCluster(seed: 3)
    let owned = try #require(cluster.store.pods(in: "grpc").first { $0.metadata.name.hasPrefix("grpc-v1-") })
    var stray = Pod(metadata: ObjectMeta(name: "stray", namespace: "test"), spec: owned.spec)
    stray.metadata.ownerReferences = owned.metadata.ownerReferences
    try cluster.create(.pod(stray))
    #expect(cluster.store.pod(PodRef(namespace: "test", name: "stray")) == nil)
    #expect(cluster.store.pods(in: "grpc").filter { $0.metadata.name.hasPrefix("grpc-v1-") }.count == 1)
  }

  @Test func noReadyEndpointMeansTheClientGetsAServerError() throws {
    var cluster = try labCluster(seed: 4)
    for name in ["grpc-v1", "grpc-v2", "grpc-v3"] {
      try cluster.delete(ObjectKey(kind: .deployment, namespace: "grpc", name: name))
    }
    let log = try callClientExpectingError(&cluster)
    #expect(log.contains { $0.contains("io.grpc.StatusRuntimeException: UNAVAILABLE: io exception") })
  }

  @Test func theSchedulerKubeletAndControllersReportEvents() throws {
    let cluster = try labCluster(seed: 6)
    let pod = try #require(cluster.store.pods(in: "grpc").first)
    let reasons = cluster.events(about: pod.metadata.uid, in: "grpc").map(\.reason)
    #expect(reasons == ["Scheduled", "AddedInterface", "Pulling", "Pulled", "Created", "Started"])
    let set = try #require(cluster.store.list(.replicaSet, namespace: "grpc").first)
    #expect(cluster.events(about: set.metadata.uid, in: "grpc").map(\.message) == [
      "Created pod: \(cluster.store.pods(in: "grpc").first { set.metadata.uid == $0.metadata.ownerReferences?.first?.uid }?.metadata.name ?? "")"
    ])
  }

  @Test func aMissingConfigMapIsReportedOnceAsFailedMount() throws {
    var cluster = Cluster(seed: 2)
    try cluster.createProject("demo")
    var container = Container(name: "web", image: "quay.io/shrishs/grpc-plain-text-quickstart-jvm")
    container.volumeMounts = [VolumeMount(name: "config", mountPath: "/deployments/config")]
    try cluster.create(.pod(Pod(
      metadata: ObjectMeta(name: "web", namespace: "demo"),
      spec: PodSpec(containers: [container], volumes: [Volume(name: "config", configMap: ConfigMapVolumeSource(name: "missing"))]))))
    cluster.advance(by: .seconds(30))
    cluster.advance(by: .seconds(30))
    let pod = try #require(cluster.store.pod(PodRef(namespace: "demo", name: "web")))
    let failed = cluster.events(about: pod.metadata.uid, in: "demo").filter { $0.reason == "FailedMount" }
    #expect(failed.map(\.message) == ["MountVolume.SetUp failed for volume \"config\" : configmap \"missing\" not found"])
    #expect(failed.first?.type == "Warning")
  }

  @Test func unknownImagesFailToPull() throws {
    var cluster = Cluster(seed: 2)
    try cluster.createProject("demo")
    try cluster.create(.pod(Pod(
      metadata: ObjectMeta(name: "web", namespace: "demo"), spec: PodSpec(containers: [Container(name: "web", image: "quay.io/nobody/nothing")]))))
    #expect(cluster.store.pod(PodRef(namespace: "demo", name: "web"))?.displayStatus == "ErrImagePull")
    cluster.advance(by: .seconds(30))
    #expect(cluster.store.pod(PodRef(namespace: "demo", name: "web"))?.displayStatus == "ImagePullBackOff")
    let uid = cluster.store.pod(PodRef(namespace: "demo", name: "web"))?.metadata.uid
    #expect(cluster.events(about: uid, in: "demo").map(\.message).contains("Error: ErrImagePull"))
  }
}
