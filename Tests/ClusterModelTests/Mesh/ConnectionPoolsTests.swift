import Testing

@testable import ClusterModel

/// The pools' own state changes: streams on connections, draining, idle connections and a policy change,
/// before anything is logged.
@Suite struct ConnectionPoolsTests {
  static let source = AddressKey(ip: TelemetryKey(index: 0), port: 40_000)

  static func connection(_ id: Int, streams: Int = 100, lastUsed: SimTime = SimTime(seconds: 0)) -> UpstreamConnection {
    UpstreamConnection(record: id, envoyID: id, remainingStreams: streams, mtls: false, source: source, lastUsed: lastUsed, connectsAt: nil)
  }

  @Test func aConnectionDrainsOnceItCarriedItsStreams() {
    var cluster = UpstreamCluster(name: "outbound|9000||grpc.grpc.svc.cluster.local")
    cluster.reserve(hosts: 1)
    let key = PoolKey(worker: 0, host: 0)
    cluster.pools[key] = [Self.connection(1, streams: 2)]
    let first = cluster.startStream(in: key, connection: 0, at: SimTime(seconds: 1))
    let second = cluster.startStream(in: key, connection: 0, at: SimTime(seconds: 2))
    #expect(!first && second, "the second of two streams drains it")
    #expect(cluster.activeRequests == 2 && cluster.pools[key][0].carried == 2)
    let ended = cluster.endStream(in: key, connection: 0, at: SimTime(seconds: 3))
    #expect(ended.active == 1 && ended.draining)
    #expect(cluster.activeRequests == 1 && cluster.pools[key][0].lastUsed == SimTime(seconds: 3))
  }

  @Test func idleConnectionsAreTakenOutAfterTheTimeout() {
    var cluster = UpstreamCluster(name: "outbound|9000||grpc.grpc.svc.cluster.local")
    cluster.reserve(hosts: 1)
    let key = PoolKey(worker: 1, host: 0)
    var busy = Self.connection(2)
    busy.active = 1
    cluster.pools[key] = [Self.connection(1), busy, Self.connection(3, lastUsed: SimTime(seconds: 50))]
    let early = cluster.takeIdleConnections(in: key, idleTimeout: .seconds(60), at: SimTime(seconds: 59))
    let late = cluster.takeIdleConnections(in: key, idleTimeout: .seconds(60), at: SimTime(seconds: 60))
    #expect(early.isEmpty && late.map(\.envoyID) == [1])
    #expect(cluster.pools[key].map(\.envoyID) == [2, 3])
  }

  /// A proxy with one cluster and hosts at `addresses`, numbered in that order.
  static func proxy(hosts addresses: [String]) -> (proxy: EnvoyProxy, cluster: Int) {
    var proxy = EnvoyProxy(firstConnectionID: 1, debugLog: nil)
    let cluster = proxy.cluster(named: "outbound|9000||grpc.grpc.svc.cluster.local")
    for (number, ip) in addresses.enumerated() {
      let server = ServerEnd(
        ref: PodRef(namespace: "grpc", name: "grpc-v1-\(number)"), ip: ip, inboundMode: .permissive,
        keys: ServerKeys(
          appLog: LogID(index: 0), proxyLog: LogID(index: 1), pod: TelemetryKey(index: 0), ip: TelemetryKey(index: 1),
          identity: TelemetryKey(index: 0), sidecar: true))
      _ = proxy.register(UpstreamHost(
        server: Shared(server), address: SocketAddress(ip: ip, port: 9000), addressKey: Self.source,
        inboundCluster: TelemetryKey(index: 2), istioTLS: true))
    }
    return (proxy, cluster)
  }

  @Test func aPolicyChangeDrainsBusyConnectionsAndHandsBackIdleOnesByWorkerThenAddress() {
    var (proxy, cluster) = Self.proxy(hosts: ["10.128.2.20", "10.128.2.10"])
    var busy = Self.connection(2)
    busy.active = 1
    proxy.clusters[cluster].pools[PoolKey(worker: 1, host: 1)] = [Self.connection(4)]
    proxy.clusters[cluster].pools[PoolKey(worker: 0, host: 0)] = [Self.connection(1), busy]
    proxy.clusters[cluster].pools[PoolKey(worker: 0, host: 1)] = [Self.connection(3)]
    let idle = proxy.drainPools(of: cluster)
    #expect(idle.map(\.envoyID) == [3, 1, 4], "worker 0 first, and its pools by address, not by number")
    let kept = proxy.clusters[cluster].pools.used.flatMap { proxy.clusters[cluster].pools[$0] }
    #expect(kept.map { [$0.envoyID: $0.draining] } == [[2: true]])
  }

  @Test func aNewPolicyRebuildsTheClusterOnlyWhenItChanged() {
    var (proxy, cluster) = Self.proxy(hosts: ["10.128.2.10"])
    var strict = UpstreamPolicy(nil)
    strict.maxRequestsPerConnection = 1
    let first = proxy.applyPolicy(strict, to: cluster, at: SimTime(seconds: 1))
    #expect(first.isEmpty && proxy.clusters[cluster].policy == strict && proxy.clusters[cluster].outlierEpoch == nil)
    proxy.clusters[cluster].pools[PoolKey(worker: 0, host: 0)] = [Self.connection(1)]
    let unchanged = proxy.applyPolicy(strict, to: cluster, at: SimTime(seconds: 2))
    #expect(unchanged.isEmpty && proxy.clusters[cluster].pools[PoolKey(worker: 0, host: 0)].count == 1, "the same policy drains nothing")
    proxy.clusters[cluster].outliers = [HostOutlier(consecutive5xx: 2)]
    var detecting = strict
    detecting.outlier = UpstreamPolicy.OutlierPolicy()
    let drained = proxy.applyPolicy(detecting, to: cluster, at: SimTime(seconds: 5))
    #expect(drained.map(\.envoyID) == [1] && proxy.clusters[cluster].pools[PoolKey(worker: 0, host: 0)].isEmpty, "a change hands back the idle connection")
    #expect(proxy.clusters[cluster].outliers == [HostOutlier()], "a new outlier policy starts the detector afresh")
    #expect(proxy.clusters[cluster].outlierEpoch == SimTime(seconds: 5))
    proxy.clusters[cluster].outliers = [HostOutlier(consecutive5xx: 2)]
    _ = proxy.applyPolicy(detecting, to: cluster, at: SimTime(seconds: 9))
    #expect(proxy.clusters[cluster].outliers == [HostOutlier(consecutive5xx: 2)] && proxy.clusters[cluster].outlierEpoch == SimTime(seconds: 5))
  }

  @Test func roundRobinKeepsOneRotationPerWorker() {
    var proxy = EnvoyProxy(firstConnectionID: 1, debugLog: nil)
    let cluster = proxy.cluster(named: "outbound|9000||grpc.grpc.svc.cluster.local")
    var policy = UpstreamPolicy(nil)
    policy.loadBalancer = .roundRobin
    _ = proxy.applyPolicy(policy, to: cluster, at: SimTime(seconds: 0))
    var rng = SplitMix64(seed: 4)
    let worker0 = (0..<3).map { _ in proxy.pickHost(among: [0, 1, 2], by: .roundRobin, in: cluster, worker: 0, rng: &rng) }
    let worker1 = proxy.pickHost(among: [0, 1, 2], by: .roundRobin, in: cluster, worker: 1, rng: &rng)
    let next0 = proxy.pickHost(among: [0, 1, 2], by: .roundRobin, in: cluster, worker: 0, rng: &rng)
    #expect(Set(worker0) == [0, 1, 2] && next0 == worker0[0])
    #expect(proxy.clusters[cluster].roundRobin[1] != nil && [0, 1, 2].contains(worker1))
  }
}
