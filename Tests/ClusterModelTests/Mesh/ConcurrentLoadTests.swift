import Testing

@testable import ClusterModel

/// Several threads of one client pod at once, through its sidecar: the event queue carries all their
/// calls, and Envoy's circuit breakers answer the overlap.
@Suite struct ConcurrentLoadTests {
  /// One host (subset v1) behind a pool that allows one connection and one stream per connection;
  /// the queued and active streams are as given.
  static func oneHostCluster(seed: UInt64, maxPending: Int = 1, maxRequests: Int? = nil) throws -> Cluster {
    let policy = TrafficPolicy(
      connectionPool: .init(
        tcp: .init(maxConnections: 1),
        http: .init(http1MaxPendingRequests: maxPending, http2MaxRequests: maxRequests, maxRequestsPerConnection: 1)))
    var cluster = try meshCluster(
      seed: seed, rule: policy, subsets: [.init(name: "v1", labels: ["app.kubernetes.io/version": "l1"], trafficPolicy: nil)])
    try cluster.create(.virtualService(VirtualService(
      metadata: ObjectMeta(name: "grpc-vs", namespace: "grpc"),
      spec: .init(hosts: ["grpc"], http: [.init(route: [.init(destination: Destination(host: "grpc", subset: "v1"))])]))))
    return cluster
  }

  static func load(_ calls: [Int]) -> GRPCLoad {
    GRPCLoad(
      tool: "test", host: "grpc.grpc.svc.cluster.local", port: 9000, method: .healthCheck, calls: calls, interval: nil, duration: nil)
  }

  static func stats(_ cluster: Cluster) -> UpstreamStats? {
    cluster.runtimes[cluster.store.pod(clientPod(cluster))?.metadata.uid ?? ""]?.proxy?
      .clusters.first { $0.name == "outbound|9000|v1|grpc.grpc.svc.cluster.local" }?.stats
  }

  @Test func aStreamHeldBackByTheConnectionBreakerWaitsForThePoolsConnectionToClose() throws {
    var cluster = try Self.oneHostCluster(seed: 2, maxPending: 10)
    let report = try cluster.run(Self.load([1, 1, 1]), from: clientPod(cluster))
    #expect(report.calls.count == 3)
    #expect(report.calls.allSatisfy { $0.status == .ok })
    let stats = try #require(Self.stats(cluster))
    // Every stream found no ready connection; the one that shared a worker's pool with a busy
    // connection waited, and the breaker refused a connection for it once.
    #expect(stats.requestsPendingTotal == 3)
    #expect(stats.connectionsOverflow >= 1)
    #expect(stats.requestsPendingOverflow == 0)
    #expect(stats.connectionsTotal == 3 && stats.connectionsActive == 0)
    let waited = try #require(report.calls.max { $0.duration < $1.duration })
    let served = report.calls.filter { $0 != waited }
    #expect(served.allSatisfy { $0.started + $0.duration <= waited.started + waited.duration })
  }

  @Test func concurrentStreamsOverTheRequestBreakerFailFast() throws {
    var cluster = try Self.oneHostCluster(seed: 3, maxRequests: 1)
    let report = try cluster.run(Self.load([50, 50, 50, 50]), from: clientPod(cluster))
    let failed = report.calls.filter { $0.status != .ok }
    #expect(report.calls.count == 200 && !failed.isEmpty && failed.count < 200)
    #expect(failed.allSatisfy {
      $0.status == .unavailable && $0.message == "upstream connect error or disconnect/reset before headers. reset reason: overflow"
    })
    #expect(Self.stats(cluster)?.requestsPendingOverflow == failed.count)
    let overflowLines = proxyLog(cluster, clientPod(cluster)).filter { $0.contains("\" 200 UO upstream_reset_before_response_started{overflow} ") }
    #expect(overflowLines.count == failed.count)
    let run = try #require(cluster.telemetry.clientRuns.last)
    #expect(cluster.telemetry.calls(of: run).filter { $0.upstream?.responseFlags == "UO" }.count == failed.count)
  }

  @Test func oneThreadAtATimeNeverOverflowsTheStrictPool() throws {
    var cluster = try Self.oneHostCluster(seed: 4, maxRequests: 1)
    let report = try cluster.run(Self.load([60]), from: clientPod(cluster))
    #expect(report.calls.count == 60 && report.calls.allSatisfy { $0.status == .ok })
    #expect(Self.stats(cluster)?.requestsPendingOverflow == 0)
    #expect(Self.stats(cluster)?.connectionsTotal == 60)
  }

  /// A TCP route's upstream connection lasts as long as its channel, so under the connection breaker a
  /// second thread's call waits for a connection nothing frees: it is given up, and the queue released.
  @Test func aCallNothingCanFreeAConnectionForIsGivenUp() throws {
    var cluster = try Self.oneHostCluster(seed: 8, maxPending: 10)
    var service = try #require(cluster.store.service("grpc", in: "grpc"))
    service.spec.ports?[0].name = "tcp-grpc"
    try cluster.update(.service(service))
    // Three threads on two workers: two of them share a worker's pool.
    let report = try cluster.run(Self.load([3, 3, 3]), from: clientPod(cluster))
    #expect(report.calls.count == 9)
    let given = report.calls.filter { $0.status != .ok }
    #expect(!given.isEmpty && given.allSatisfy { $0.message == "upstream request timeout" })
    let proxy = try #require(cluster.runtimes[cluster.store.pod(clientPod(cluster))?.metadata.uid ?? ""]?.proxy)
    #expect(proxy.clusters.allSatisfy { cluster in
      cluster.pendingStreams == 0 && cluster.pools.used.allSatisfy { cluster.pools.queued(in: $0) == 0 }
    })
    #expect(proxyLog(cluster, clientPod(cluster)).contains { $0.contains("\" 200 UT response_timeout ") })
  }

  @Test func withoutASidecarEachThreadsConnectionIsBalancedOnceByKubeProxy() throws {
    var cluster = try labCluster(seed: 5, sidecars: false)
    let report = try cluster.run(Self.load([20, 20, 20, 20, 20, 20]), from: clientPod(cluster))
    #expect(report.calls.count == 120 && report.calls.allSatisfy { $0.status == .ok })
    let run = try #require(cluster.telemetry.clientRuns.last)
    let calls = Array(cluster.telemetry.calls(of: run))
    for connection in Set(calls.compactMap(\.connection)) {
      #expect(Set(calls.filter { $0.connection == connection }.compactMap(\.server)).count == 1)
    }
    #expect(Set(calls.compactMap(\.connection)).count == 6)
  }

  @Test func aRateSpacesEachThreadsCallsAndADurationEndsThem() throws {
    var cluster = try labCluster(seed: 6, sidecars: false)
    var load = Self.load([1_000, 1_000])
    load.interval = .milliseconds(10)
    load.duration = .seconds(1)
    let report = try cluster.run(load, from: clientPod(cluster))
    #expect(report.calls.count == 200)
    for thread in 0..<2 {
      let starts = report.calls.filter { $0.thread == thread }.map(\.started).sorted()
      for (earlier, later) in zip(starts, starts.dropFirst()) { #expect(later - earlier == .milliseconds(10)) }
    }
  }
}
