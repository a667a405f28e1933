/// What a pool does with a balanced request that asks it for a connection: the second of a client
/// sidecar's decisions, after `EnvoyLoadBalancer` picked the host. `Cluster.connect` logs and counts from
/// it, as Envoy's connection pool does (`EnvoyProxy.poolDecision`).
enum PoolDecision: Equatable, Sendable {
  /// The request takes the pool's ready connection at `index`; when `overflows`, the circuit breaker on
  /// active requests (`http2MaxRequests`) turns it away there (`UO`).
  case ready(index: Int, overflows: Bool)
  /// No connection is ready and the circuit breaker on pending requests (`http1MaxPendingRequests`) is
  /// open: the request is turned away before it queues (`UO`).
  case pendingOverflow
  /// The request waits in the pool's queue.
  case wait(PoolWait)
}

/// How a request waits for a connection of its pool.
struct PoolWait: Equatable, Sendable {
  /// The pool's connections that are busy or draining, as Envoy's queueing line counts them.
  var busy: Int
  /// The pool's connections still in their handshakes.
  var connecting: Int
  /// Whether the pool opens a connection for the request: more requests wait than the connecting ones
  /// can carry, and the circuit breaker on connections lets one more open (or the pool has none at all).
  var opens: Bool
  /// Whether the circuit breaker on connections (`maxConnections`) held a new one back
  /// (`upstream_cx_overflow`).
  var connectionsOverflow: Bool
}

/// Why a new upstream connection fails its handshake: the two ends disagree on TLS.
enum HandshakeFailure: Equatable, Sendable {
  /// Plaintext to a sidecar whose PeerAuthentication is `STRICT`: the server's sidecar closes it.
  case plaintextToStrict
  /// Istio mutual TLS to a pod without a sidecar: the app answers the ClientHello in plaintext.
  case mutualToPlaintext

  /// The failure a connection with `mtls` to `server` meets; nil when the handshake succeeds.
  init?(mtls: Bool, server: ServerEnd) {
    if !mtls && server.strictMTLS {
      self = .plaintextToStrict
    } else if mtls && !server.sidecar {
      self = .mutualToPlaintext
    } else {
      return nil
    }
  }

  /// The reset reason in the router's debug line.
  var reason: String {
    switch self {
    case .plaintextToStrict: "connection termination"
    case .mutualToPlaintext: "connection failure"
    }
  }

  /// The reply the client's sidecar gives itself.
  var reply: LocalReply {
    switch self {
    case .plaintextToStrict:
      LocalReply(
        grpcStatus: .unavailable,
        message: "upstream connect error or disconnect/reset before headers. reset reason: connection termination",
        responseFlags: "UC", details: "upstream_reset_before_response_started{connection_termination}")
    case .mutualToPlaintext:
      LocalReply(
        grpcStatus: .unavailable,
        message: "upstream connect error or disconnect/reset before headers. reset reason: connection failure, transport failure reason: TLS error: 268435703:SSL routines:OPENSSL_internal:WRONG_VERSION_NUMBER",
        responseFlags: "UF", details: "upstream_reset_before_response_started{connection_failure}")
    }
  }
}

extension EnvoyProxy {
  /// The answer of the request's pool: a ready connection (the first that is connected, not draining
  /// and, for HTTP/1.1, idle), else the queue, unless the breaker on pending requests is open. A request
  /// that was `queued` already holds its place in the queue and asks again.
  func poolDecision(for request: PoolRequest, queued: Bool) -> PoolDecision {
    let (cluster, key, policy) = (request.cluster, request.pool, request.route.policy)
    if let index = clusters[cluster].pools[key].firstIndex(where: {
      $0.connectsAt == nil && !$0.draining && (!request.http1 || $0.active == 0)
    }) {
      return .ready(index: index, overflows: clusters[cluster].activeRequests >= policy.maxRequests)
    }
    if !queued && clusters[cluster].pendingStreams >= policy.maxPendingRequests { return .pendingOverflow }
    let pool = clusters[cluster].pools[key]
    let connecting = pool.filter { $0.connectsAt != nil }
    let waiting = clusters[cluster].pools.queued(in: key) + (queued ? 0 : 1)
    let room = connecting.reduce(0) { $0 + (request.http1 ? min($1.remainingStreams, 1) : $1.remainingStreams) }
    var wait = PoolWait(busy: pool.count - connecting.count, connecting: connecting.count, opens: false, connectionsOverflow: false)
    if waiting > room {
      let canCreate = clusters[cluster].stats.connectionsActive < policy.maxConnections
      wait.connectionsOverflow = !canCreate
      wait.opens = canCreate || pool.isEmpty
    }
    return .wait(wait)
  }
}
