import Testing

@testable import ClusterModel

/// A pool's answer to a balanced request, decided from its connections, its queue and the circuit
/// breakers, before anything is logged or counted.
@Suite struct PoolDecisionTests {
  /// One connection of the pool: connected unless `connecting`, with `active` streams on it.
  struct Connection {
    var active = 0
    var connecting = false
    var draining = false
    var remainingStreams = 100
  }

  /// A pool's state and a request's limits, and what the pool decides.
  struct Case: CustomTestStringConvertible, Sendable {
    var label: String
    var connections: [Connection] = []
    var queued = false
    var waiting = 0
    var http1 = false
    var maxConnections = UpstreamPolicy.unlimited
    var maxPending = UpstreamPolicy.unlimited
    var maxRequests = UpstreamPolicy.unlimited
    var expected: PoolDecision
    var testDescription: String { label }
  }

  static let cases: [Case] = [
    Case(label: "an empty pool opens a connection", expected: .wait(PoolWait(busy: 0, connecting: 0, opens: true, connectionsOverflow: false))),
    Case(label: "a ready connection carries the request", connections: [Connection(active: 3)], expected: .ready(index: 0, overflows: false)),
    Case(
      label: "connecting and draining connections are passed over", connections: [Connection(connecting: true), Connection(draining: true), Connection()],
      expected: .ready(index: 2, overflows: false)),
    Case(
      label: "the breaker on active requests trips on a ready connection", connections: [Connection(active: 1)], maxRequests: 1,
      expected: .ready(index: 0, overflows: true)),
    Case(label: "the breaker on pending requests trips before the queue", waiting: 1, maxPending: 1, expected: .pendingOverflow),
    Case(
      label: "a queued request keeps its place past the pending breaker", queued: true, waiting: 1, maxPending: 1,
      expected: .wait(PoolWait(busy: 0, connecting: 0, opens: true, connectionsOverflow: false))),
    Case(
      label: "a connecting connection with room takes the waiter", connections: [Connection(connecting: true)],
      expected: .wait(PoolWait(busy: 0, connecting: 1, opens: false, connectionsOverflow: false))),
    Case(
      label: "HTTP/1.1 waits for an idle connection and opens another", connections: [Connection(active: 1)], http1: true,
      expected: .wait(PoolWait(busy: 1, connecting: 0, opens: true, connectionsOverflow: false))),
    Case(
      label: "a connecting HTTP/1.1 connection carries one waiter", connections: [Connection(connecting: true)], waiting: 1, http1: true,
      expected: .wait(PoolWait(busy: 0, connecting: 1, opens: true, connectionsOverflow: false))),
    Case(
      label: "a pool without connections opens one past the connection breaker, which counts it",
      maxConnections: 0, expected: .wait(PoolWait(busy: 0, connecting: 0, opens: true, connectionsOverflow: true))),
    Case(
      label: "a queued request takes a connection that became ready", connections: [Connection()], queued: true, waiting: 1,
      expected: .ready(index: 0, overflows: false)),
    Case(
      label: "the breaker on connections holds a new one back", connections: [Connection(active: 1, draining: true)], maxConnections: 1,
      expected: .wait(PoolWait(busy: 1, connecting: 0, opens: false, connectionsOverflow: true))),
  ]

  @Test(arguments: cases)
  func decides(_ example: Case) {
    var proxy = EnvoyProxy(firstConnectionID: 1, debugLog: nil)
    var cluster = UpstreamCluster(name: "outbound|9000||grpc.grpc.svc.cluster.local")
    cluster.reserve(hosts: 1)
    let source = AddressKey(ip: TelemetryKey(index: 0), port: 40_000)
    let key = PoolKey(worker: 0, host: 0)
    cluster.pools[key] = example.connections.enumerated().map { number, connection in
      var pooled = UpstreamConnection(
        record: number, envoyID: number, remainingStreams: connection.remainingStreams, mtls: false, source: source,
        lastUsed: SimTime(nanoseconds: 0), connectsAt: connection.connecting ? SimTime(nanoseconds: 1) : nil)
      pooled.active = connection.active
      pooled.draining = connection.draining
      return pooled
    }
    for _ in 0..<example.waiting { cluster.joinQueue(of: key) }
    cluster.activeRequests = example.connections.reduce(0) { $0 + $1.active }
    cluster.stats.connectionsActive = example.connections.count
    var policy = UpstreamPolicy(nil)
    policy.maxConnections = example.maxConnections
    policy.maxPendingRequests = example.maxPending
    policy.maxRequests = example.maxRequests
    var route = OutboundRoute.passthrough(to: SocketAddress(ip: "172.30.1.1", port: 9000))
    route.http1Upstream = example.http1
    route.policy = policy
    let request = PoolRequest(
      route: Shared(route), cluster: 0, host: 0, worker: 0, mtls: false, downstream: 1, stream: 1)
    proxy.clusters = [cluster]
    #expect(proxy.poolDecision(for: request, queued: example.queued) == example.expected)
  }

  @Test func aHandshakeFailsWhenTheEndsDisagreeOnTLS() {
    func server(sidecar: Bool, mode: PeerAuthenticationMode) -> ServerEnd {
      ServerEnd(
        ref: PodRef(namespace: "grpc", name: "grpc-v1-0"), ip: "10.128.2.10", inboundMode: mode,
        keys: ServerKeys(
          appLog: LogID(index: 0), proxyLog: LogID(index: 1), pod: TelemetryKey(index: 0), ip: TelemetryKey(index: 1),
          identity: TelemetryKey(index: 0), sidecar: sidecar))
    }
    #expect(HandshakeFailure(mtls: false, server: server(sidecar: true, mode: .strict)) == .plaintextToStrict)
    #expect(HandshakeFailure(mtls: true, server: server(sidecar: false, mode: .permissive)) == .mutualToPlaintext)
    #expect(HandshakeFailure(mtls: false, server: server(sidecar: true, mode: .permissive)) == nil)
    #expect(HandshakeFailure(mtls: true, server: server(sidecar: true, mode: .strict)) == nil)
    #expect(HandshakeFailure.plaintextToStrict.reason == "connection termination")
    #expect(HandshakeFailure.plaintextToStrict.reply.responseFlags == "UC")
    #expect(HandshakeFailure.mutualToPlaintext.reason == "connection failure")
    #expect(HandshakeFailure.mutualToPlaintext.reply.responseFlags == "UF")
    #expect(HandshakeFailure.mutualToPlaintext.reply.message.hasSuffix("TLS error: 268435703:SSL routines:OPENSSL_internal:WRONG_VERSION_NUMBER"))
  }
}
