import Testing

@testable import ClusterModel

/// The lab's cluster with `namespaces` in the mesh, an optional DestinationRule on `grpc`, and every pod
/// restarted so that it is injected.
func meshCluster(
  seed: UInt64, members: [String] = ["grpc", "test"], rule: TrafficPolicy? = nil, subsets: [DestinationRule.Subset]? = nil,
  debugLogs: Bool = true
) throws -> Cluster {
  var cluster = try labCluster(seed: seed, sidecars: true, debugLogs: debugLogs)
  try cluster.create(.serviceMeshMemberRoll(ServiceMeshMemberRoll(
    metadata: ObjectMeta(name: "default", namespace: "istio-system"), spec: .init(members: members))))
  if rule != nil || subsets != nil {
    try cluster.create(.destinationRule(DestinationRule(
      metadata: ObjectMeta(name: "grpc-dr", namespace: "grpc"), spec: .init(host: "grpc", trafficPolicy: rule, subsets: subsets))))
  }
  restartPods(&cluster)
  return cluster
}

/// Deletes every pod of the lab's namespaces so that their ReplicaSets create new ones.
func restartPods(_ cluster: inout Cluster) {
  for namespace in ["grpc", "test"] {
    for pod in cluster.store.pods(in: namespace) {
      _ = try? cluster.delete(ObjectKey(kind: .pod, namespace: namespace, name: pod.metadata.name))
    }
  }
  cluster.advance(by: .seconds(30))
}

/// Calls the client's `/hello/grpc` and returns the run's calls.
func callClient(_ cluster: inout Cluster) throws -> [CallRecord] {
  let outcome = try cluster.send(HTTPRequest(host: "localhost", port: 8080, path: "/hello/grpc"), from: clientPod(cluster))
  guard case .response = outcome else {
    Issue.record("no response: \(outcome)")
    return []
  }
  let run = try #require(cluster.telemetry.clientRuns.last)
  return Array(cluster.telemetry.calls(of: run))
}

func proxyLog(_ cluster: Cluster, _ pod: PodRef) -> [String] {
  cluster.telemetry.log(podUID: cluster.store.pod(pod)?.metadata.uid ?? "", container: "istio-proxy").map(\.text)
}

/// The strict pool of the article's DestinationRule.
let strictPool = TrafficPolicy(
  connectionPool: .init(
    tcp: .init(maxConnections: 1),
    http: .init(http1MaxPendingRequests: 1, http2MaxRequests: 1, maxRequestsPerConnection: 1)),
  tls: .init(mode: "ISTIO_MUTUAL"))

/// The relaxed pool of the article's second DestinationRule.
let relaxedPool = TrafficPolicy(
  connectionPool: .init(
    tcp: .init(maxConnections: 1),
    http: .init(http1MaxPendingRequests: 1, http2MaxRequests: 50, maxRequestsPerConnection: 100)),
  tls: .init(mode: "ISTIO_MUTUAL"))

@Suite struct SidecarTests {
  @Test func injectionNeedsMembershipTheAnnotationAndARestart() throws {
    var cluster = try labCluster(seed: 1, sidecars: true)
    try cluster.create(.serviceMeshMemberRoll(ServiceMeshMemberRoll(
      metadata: ObjectMeta(name: "default", namespace: "istio-system"), spec: .init(members: ["grpc"]))))
    #expect(cluster.store.pods(in: "grpc").allSatisfy { !$0.hasSidecar })
    restartPods(&cluster)
    let servers = cluster.store.pods(in: "grpc")
    #expect(servers.count == 3)
    #expect(servers.allSatisfy { $0.hasSidecar && $0.readyCount == (2, 2) && $0.displayStatus == "Running" })
    #expect(servers.allSatisfy { $0.metadata.annotation("kubectl.kubernetes.io/default-container") == "custom-grpc-hello" })
    #expect(cluster.store.pods(in: "test").allSatisfy { !$0.hasSidecar && $0.readyCount == (1, 1) })
    #expect(cluster.isMeshMember("grpc") && !cluster.isMeshMember("test"))
  }

  @Test func aClientSidecarSpreadsTheCallsOfOneChannelOverEveryPod() throws {
    for seed in UInt64(1)...20 {
      var cluster = try meshCluster(seed: seed)
      let calls = try callClient(&cluster)
      #expect(calls.count == 25 && calls.allSatisfy { $0.status == .ok })
      #expect(Set(calls.map(\.connection)).count == 1)
      #expect(Set(calls.compactMap(\.server)).count == 3)
      #expect(calls.allSatisfy { $0.upstream?.cluster == "outbound|9000||grpc.grpc.svc.cluster.local" && $0.upstream?.mtls == true })
      #expect(Set(calls.compactMap(\.requestID)).count == 25)
      #expect(calls.allSatisfy { Array($0.requestID?.description ?? "")[14] == "9" })
      #expect(calls.allSatisfy { ($0.requestID?.description.split(separator: "-").map(\.count) ?? []) == [8, 4, 4, 4, 12] })
    }
  }

  @Test func aServerSidecarAloneStillReceivesOnePinnedConnection() throws {
    for seed in UInt64(1)...5 {
      var cluster = try meshCluster(seed: seed, members: ["grpc"])
      let calls = try callClient(&cluster)
      #expect(calls.count == 25)
      #expect(Set(calls.compactMap(\.server)).count == 1)
      #expect(calls.allSatisfy { $0.upstream == nil && $0.serverSidecar })
      let spans = cluster.telemetry.spans
      #expect(spans.count == 25 && spans.allSatisfy { $0.parentID == nil && $0.service == "grpc.grpc" })
      #expect(spans.first?.operation == "grpc.grpc.svc.cluster.local:9000/*")
    }
  }

  @Test func aTCPServicePortPinsTheChannelEvenThroughTheSidecar() throws {
    var cluster = try meshCluster(seed: 9)
    var service = try #require(cluster.store.service("grpc", in: "grpc"))
    service.spec.ports?[0].name = "tcp-grpc"
    try cluster.update(.service(service))
    let calls = try callClient(&cluster)
    #expect(calls.count == 25 && calls.allSatisfy { $0.status == .ok })
    #expect(Set(calls.compactMap(\.server)).count == 1)
    #expect(calls.filter { $0.upstream?.newConnection == true }.count == 1)
    let upstream = cluster.telemetry.connections.filter { $0.opener == "istio-proxy" }
    #expect(upstream.count == 1 && upstream[0].closed != nil)
  }

  @Test func theStrictPoolOpensANewConnectionForEveryCall() throws {
    var cluster = try meshCluster(seed: 7, rule: strictPool)
    let calls = try callClient(&cluster)
    #expect(calls.count == 25)
    #expect(calls.allSatisfy { $0.upstream?.newConnection == true })
    let log = proxyLog(cluster, clientPod(cluster))
    #expect(log.filter { $0.contains("\tcreating a new connection (connecting=0)\t") }.count == 25)
    #expect(log.filter { $0.contains("maximum streams per connection, start draining") }.count == 25)
    #expect(log.filter { $0.contains("closing socket: 1") }.count == 25)
    let opened = cluster.telemetry.connections.filter { $0.opener == "istio-proxy" }
    #expect(opened.count == 25 && opened.allSatisfy { $0.closed != nil && $0.mtls })
  }

  @Test func theRelaxedPoolReusesOneConnectionPerPod() throws {
    var cluster = try meshCluster(seed: 7, rule: relaxedPool)
    let calls = try callClient(&cluster)
    let fresh = calls.filter { $0.upstream?.newConnection == true }
    #expect(fresh.count == Set(calls.compactMap(\.server)).count)
    #expect(fresh.count <= 3)
    #expect(calls.filter { $0.upstream?.newConnection == false }.count == 25 - fresh.count)
    let log = proxyLog(cluster, clientPod(cluster))
    #expect(log.filter { $0.contains("using existing fully connected connection") }.count == 25 - fresh.count)
    let uid = try #require(cluster.store.pod(clientPod(cluster))?.metadata.uid)
    let stats = try #require(cluster.runtimes[uid]?.proxy?.clusters.first { $0.name == "outbound|9000||grpc.grpc.svc.cluster.local" }?.stats)
    #expect(stats.connectionsTotal == fresh.count)
    #expect(stats.connectionsOverflow == fresh.count - 1)
    let hidden = try #require(cluster.proxyStats(of: clientPod(cluster)))
    #expect(!hidden.contains("cluster.outbound") && hidden.contains("server.live: 1\n"))
    var client = try #require(cluster.store.pod(clientPod(cluster)))
    client.metadata.annotations?["proxy.istio.io/config"] = "proxyStatsMatcher:\n  inclusionPrefixes:\n  - cluster.outbound\n"
    try cluster.update(.pod(client))
    let shown = try #require(cluster.proxyStats(of: clientPod(cluster)))
    #expect(shown.contains("cluster.outbound|9000||grpc.grpc.svc.cluster.local.upstream_cx_overflow: \(fresh.count - 1)\n"))
  }

  @Test func changingTheRuleGivesNewPoolsAndDrainsTheOldOnes() throws {
    var cluster = try meshCluster(seed: 3, rule: relaxedPool)
    _ = try callClient(&cluster)
    let before = cluster.telemetry.connections.filter { $0.opener == "istio-proxy" && $0.closed == nil }
    #expect(!before.isEmpty)
    var rule = try #require({ () -> DestinationRule? in
      if case .destinationRule(let rule) = cluster.store[ObjectKey(kind: .destinationRule, namespace: "grpc", name: "grpc-dr")] { rule } else { nil }
    }())
    rule.spec.trafficPolicy = strictPool
    try cluster.update(.destinationRule(rule))
    let calls = try callClient(&cluster)
    #expect(calls.allSatisfy { $0.upstream?.newConnection == true })
    for connection in before { #expect(cluster.telemetry.connection(connection.id)?.closed != nil) }
  }

  @Test func changingOnlyTheTLSModeStillDrainsTheOldPools() throws {
    var policy = relaxedPool
    policy.tls = .init(mode: "DISABLE")
    var cluster = try meshCluster(seed: 3, rule: policy)
    _ = try callClient(&cluster)
    let before = cluster.telemetry.connections.filter { $0.opener == "istio-proxy" && $0.closed == nil }
    #expect(!before.isEmpty && before.allSatisfy { !$0.mtls })
    var rule = try #require({ () -> DestinationRule? in
      if case .destinationRule(let rule) = cluster.store[ObjectKey(kind: .destinationRule, namespace: "grpc", name: "grpc-dr")] { rule } else { nil }
    }())
    rule.spec.trafficPolicy?.tls = .init(mode: "SIMPLE")
    try cluster.update(.destinationRule(rule))
    let calls = try callClient(&cluster)
    #expect(calls.first?.upstream?.newConnection == true)
    for connection in before { #expect(cluster.telemetry.connection(connection.id)?.closed != nil) }
  }

  /// Envoy's per-cluster counters list the clusters that carried requests, not a route's other destinations.
  @Test func statsListOnlyClustersThatCarriedRequests() throws {
    var cluster = try meshCluster(
      seed: 5,
      subsets: [
        .init(name: "v1", labels: ["app.kubernetes.io/version": "l1"], trafficPolicy: nil),
        .init(name: "v2", labels: ["app.kubernetes.io/version": "l2"], trafficPolicy: nil),
      ])
    try cluster.create(.virtualService(VirtualService(
      metadata: ObjectMeta(name: "grpc-vs", namespace: "grpc"),
      spec: .init(
        hosts: ["grpc"],
        http: [
          .init(route: [
            .init(destination: Destination(host: "grpc", subset: "v1"), weight: 100),
            .init(destination: Destination(host: "grpc", subset: "v2"), weight: 0),
          ])
        ]))))
    var client = try #require(cluster.store.pod(clientPod(cluster)))
    client.metadata.annotations?["proxy.istio.io/config"] = "proxyStatsMatcher:\n  inclusionPrefixes:\n  - cluster.outbound\n"
    try cluster.update(.pod(client))
    let calls = try callClient(&cluster)
    #expect(calls.count == 25 && calls.allSatisfy { $0.upstream?.cluster == "outbound|9000|v1|grpc.grpc.svc.cluster.local" })
    let stats = try #require(cluster.proxyStats(of: clientPod(cluster)))
    #expect(stats.contains("cluster.outbound|9000|v1|grpc.grpc.svc.cluster.local.upstream_rq_total: 25\n"))
    #expect(!stats.contains("|v2|"))
  }

  @Test func roundRobinRotatesSequentialCalls() throws {
    var cluster = try meshCluster(seed: 11, rule: TrafficPolicy(loadBalancer: .init(simple: "ROUND_ROBIN")))
    let calls = try callClient(&cluster)
    let servers = calls.compactMap(\.server)
    for index in 3..<servers.count { #expect(servers[index] == servers[index - 3]) }
    #expect(Set(servers.prefix(3)).count == 3)
  }

  @Test func portLevelSettingsReplaceTheRulesPolicyForTheirPort() throws {
    var policy = TrafficPolicy(connectionPool: strictPool.connectionPool)
    policy.portLevelSettings = [.init(port: .init(number: 9000), loadBalancer: .init(simple: "ROUND_ROBIN"), connectionPool: nil, tls: nil)]
    var cluster = try meshCluster(seed: 11, rule: policy)
    let calls = try callClient(&cluster)
    let servers = calls.compactMap(\.server)
    for index in 3..<servers.count { #expect(servers[index] == servers[index - 3]) }
    #expect(calls.filter { $0.upstream?.newConnection == true }.count == 3)
  }

  @Test func aVirtualServiceSubsetSendsEveryCallToItsPods() throws {
    var cluster = try meshCluster(
      seed: 5, subsets: [.init(name: "v2", labels: ["app.kubernetes.io/version": "l2"], trafficPolicy: nil)])
    try cluster.create(.virtualService(VirtualService(
      metadata: ObjectMeta(name: "grpc-vs", namespace: "grpc"),
      spec: .init(hosts: ["grpc.grpc.svc.cluster.local"], http: [.init(route: [.init(destination: Destination(host: "grpc", subset: "v2"))])]))))
    let calls = try callClient(&cluster)
    #expect(calls.count == 25)
    #expect(Set(calls.compactMap(\.server).map(\.name)).allSatisfy { $0.hasPrefix("grpc-v2-") })
    #expect(calls.allSatisfy { $0.upstream?.cluster == "outbound|9000|v2|grpc.grpc.svc.cluster.local" })
  }

  @Test func aSubsetWithoutARuleFailsTheCallAsNoCluster() throws {
    var cluster = try meshCluster(seed: 5)
    try cluster.create(.virtualService(VirtualService(
      metadata: ObjectMeta(name: "grpc-vs", namespace: "grpc"),
      spec: .init(hosts: ["grpc"], http: [.init(route: [.init(destination: Destination(host: "grpc", subset: "v9"))])]))))
    _ = try callClientExpectingError(&cluster)
    #expect(proxyLog(cluster, clientPod(cluster)).contains { $0.contains("\" 200 NC cluster_not_found ") })
  }

  @Test func mutualTLSToAPodWithoutASidecarFailsTheConnection() throws {
    var cluster = try labCluster(seed: 2, sidecars: true)
    let roll = ObjectMeta(name: "default", namespace: "istio-system")
    try cluster.create(.serviceMeshMemberRoll(ServiceMeshMemberRoll(metadata: roll, spec: .init(members: ["test"]))))
    restartPods(&cluster)
    var members = try #require({ () -> ServiceMeshMemberRoll? in
      if case .serviceMeshMemberRoll(let roll) = cluster.store[ObjectKey(kind: .serviceMeshMemberRoll, namespace: "istio-system", name: "default")] { roll } else { nil }
    }())
    members.spec.members = ["test", "grpc"]
    try cluster.update(.serviceMeshMemberRoll(members))
    try cluster.create(.destinationRule(DestinationRule(
      metadata: ObjectMeta(name: "grpc-dr", namespace: "grpc"), spec: .init(host: "grpc", trafficPolicy: strictPool))))
    #expect(cluster.store.pods(in: "grpc").allSatisfy { !$0.hasSidecar })
    let log = try callClientExpectingError(&cluster)
    #expect(log.contains { $0.contains("UNAVAILABLE: upstream connect error or disconnect/reset before headers. reset reason: connection failure") })
  }

  @Test func aServiceOutsideTheMeshGoesThroughPassthroughAndStaysPinned() throws {
    for seed in UInt64(1)...5 {
      var cluster = try meshCluster(seed: seed, members: ["test"], rule: strictPool)
      let calls = try callClient(&cluster)
      #expect(calls.count == 25 && calls.allSatisfy { $0.status == .ok })
      #expect(Set(calls.compactMap(\.server)).count == 1)
      #expect(calls.allSatisfy { $0.upstream?.cluster == "PassthroughCluster" && $0.upstream?.mtls == false })
      let upstream = cluster.telemetry.connections.filter { $0.opener == "istio-proxy" }
      #expect(upstream.count == 1 && upstream.first?.kubeProxy != nil)
    }
  }

  @Test func aVirtualServiceWithoutAMatchingRouteAnswersNotFound() throws {
    var cluster = try meshCluster(seed: 5)
    var other = VirtualService.HTTPRoute(route: [.init(destination: Destination(host: "grpc"))])
    other.match = [.init(name: nil, uri: .init(exact: "/other", prefix: nil, regex: nil), port: nil, gateways: nil)]
    try cluster.create(.virtualService(VirtualService(
      metadata: ObjectMeta(name: "grpc-vs", namespace: "grpc"), spec: .init(hosts: ["grpc"], http: [other]))))
    let log = try callClientExpectingError(&cluster)
    #expect(log.contains { $0.hasSuffix("io.grpc.StatusRuntimeException: UNIMPLEMENTED") })
    #expect(proxyLog(cluster, clientPod(cluster)).contains { $0.contains("\" 200 NR route_not_found ") })
  }

  @Test func strictPeerAuthenticationRefusesPlainText() throws {
    var cluster = try meshCluster(seed: 3, members: ["grpc"])
    try cluster.create(.peerAuthentication(PeerAuthentication(
      metadata: ObjectMeta(name: "default", namespace: "grpc"), spec: .init(mtls: .init(mode: "STRICT")))))
    let log = try callClientExpectingError(&cluster)
    #expect(log.contains { $0.contains("io.grpc.StatusRuntimeException: UNAVAILABLE: Network closed for unknown reason") })
    let pod = try #require(cluster.store.pods(in: "grpc").first)
    #expect(cluster.inboundMTLSMode(of: pod) == .strict)
    try cluster.create(.peerAuthentication(PeerAuthentication(
      metadata: ObjectMeta(name: "one", namespace: "grpc"),
      spec: .init(selector: .init(matchLabels: ["app": "grpc"]), mtls: .init(mode: "PERMISSIVE")))))
    #expect(cluster.inboundMTLSMode(of: pod) == .permissive)
    #expect(try callClient(&cluster).count == 25)
  }

  @Test func autoMutualTLSFollowsTheServerSidecarAndItsPeerAuthentication() throws {
    var cluster = try meshCluster(seed: 2)
    #expect(try callClient(&cluster).allSatisfy { $0.upstream?.mtls == true })
    try cluster.create(.peerAuthentication(PeerAuthentication(
      metadata: ObjectMeta(name: "default", namespace: "grpc"), spec: .init(mtls: .init(mode: "DISABLE")))))
    let calls = try callClient(&cluster)
    #expect(calls.count == 25 && calls.allSatisfy { $0.status == .ok && $0.upstream?.mtls == false })
  }

  @Test func theDecisionStepsQueueAStreamForItsConnectionAndTripThePendingAndConnectionBreakers() throws {
    var cluster = try meshCluster(
      seed: 4, rule: strictPool, subsets: [.init(name: "v1", labels: ["app.kubernetes.io/version": "l1"], trafficPolicy: nil)])
    try cluster.create(.virtualService(VirtualService(
      metadata: ObjectMeta(name: "grpc-vs", namespace: "grpc"),
      spec: .init(hosts: ["grpc"], http: [.init(route: [.init(destination: Destination(host: "grpc", subset: "v1"))])]))))
    let client = try #require(cluster.store.pod(clientPod(cluster)))
    let service = try #require(cluster.store.service("grpc", in: "grpc")?.spec.clusterIP)
    let choices = try cluster.istiod.routeChoices(
      from: client, authority: "grpc.grpc.svc.cluster.local:9000", destination: SocketAddress(ip: service, port: 9000),
      path: "/helloworld.Greeter/SayHello"
    ).get()
    let route = try #require(try choices.first?.route.get())
    var proxy = try #require(cluster.runtimes[client.metadata.uid ?? ""]?.proxy)
    func attempt(_ stream: UInt64) -> Result<PoolOutcome, LocalReply> {
      Result { () throws(LocalReply) in
        try cluster.dispatchUpstream(&proxy, from: client, route: route, worker: 0, http1: false, hashKey: nil, downstream: 1, stream: stream)
      }
    }
    // The first stream waits for the connection its pool opens for it.
    guard case .success(.queued(let first, let opened?)) = attempt(1) else {
      Issue.record("the first stream should wait for a connection its pool opens")
      return
    }
    // A second one finds the pending breaker (one queued stream) full.
    guard case .failure(let reply) = attempt(2) else {
      Issue.record("no overflow")
      return
    }
    #expect(reply.responseFlags == "UO")
    #expect(reply.message == "upstream connect error or disconnect/reset before headers. reset reason: overflow")
    #expect(proxyLog(cluster, clientPod(cluster)).last?.contains("\tmax pending streams overflow\t") == true)
    cluster.now = opened.connectsAt
    cluster.connectionReady(opened.envoyID, cluster: first.cluster, pool: first.pool, proxy: &proxy)
    guard case .success(.dispatched(let dispatch)) = Result(catching: { () throws(LocalReply) in
      try cluster.connect(first, proxy: &proxy, from: client, queued: true)
    }) else {
      Issue.record("the queued stream should take the connection once it connected")
      return
    }
    #expect(dispatch.newConnection && dispatch.envoyConnection == opened.envoyID)
    // The connection drains after its one stream, and the connection breaker refuses a second.
    guard case .success(.queued(_, nil)) = attempt(3) else {
      Issue.record("the third stream should wait, with no connection opened for it")
      return
    }
    cluster.runtimes[client.metadata.uid ?? ""]?.proxy = proxy
    let stats = cluster.runtimes[client.metadata.uid ?? ""]?.proxy?.clusters.first { $0.name == route.clusterName }?.stats
    #expect(stats?.requestsPendingOverflow == 1)
    #expect(stats?.connectionsOverflow == 1)
    #expect(stats?.requestsPendingTotal == 2)
  }

  @Test func debugLinesOnlyWhenThePodAsksForThem() throws {
    var cluster = try meshCluster(seed: 6, rule: strictPool, debugLogs: false)
    _ = try callClient(&cluster)
    let log = proxyLog(cluster, clientPod(cluster))
    #expect(!log.contains { $0.contains("\tdebug\t") })
    #expect(log.filter { $0.hasPrefix("[") && $0.contains("outbound|9000||grpc.grpc.svc.cluster.local") }.count == 25)
    #expect(log.contains { $0.hasSuffix("\tEnvoy proxy is ready") })
  }

  @Test func accessLogLinesFollowIstiosTextFormat() throws {
    var cluster = try meshCluster(seed: 8)
    let calls = try callClient(&cluster)
    let id = try #require(calls.first?.requestID?.description)
    let line = try #require(proxyLog(cluster, clientPod(cluster)).first { $0.hasPrefix("[") && $0.contains(id) })
    let fields = line.split(separator: " ").map(String.init)
    #expect(fields[1] == "\"POST" && fields[2] == "/helloworld.Greeter/SayHello" && fields[3] == "HTTP/2\"")
    #expect(fields[4] == "200" && fields[5] == "-" && fields[6] == "via_upstream")
    #expect(fields[15] == "\"\(id)\"" && fields[16] == "\"grpc.grpc.svc.cluster.local:9000\"")
    #expect(fields[18] == "outbound|9000||grpc.grpc.svc.cluster.local" && fields.last == "default")
    let server = try #require(calls.first?.server)
    #expect(proxyLog(cluster, server).contains { $0.contains(id) && $0.contains(" inbound|9000|| ") })
  }
}
