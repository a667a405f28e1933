/// A request a client's sidecar has sent on an upstream connection.
struct UpstreamDispatch: Equatable, Sendable {
  /// What the call records of its route.
  var route: RouteKeys
  var port: Int
  /// The route carries opaque TCP: the dispatch is the channel's one upstream connection.
  var isTCP: Bool
  /// The proxy's number for the upstream host, and what the call records of it.
  var host: Int
  var server: ServerKeys
  var address: AddressKey
  /// The server sidecar's inbound cluster: `inbound|9000||`.
  var inboundCluster: TelemetryKey<String>
  /// The proxy's number for the route's cluster, and the pool within it.
  var cluster: Int
  var pool: PoolKey
  /// The upstream connection's Envoy id and its record in `Telemetry.connections`.
  var envoyConnection: Int
  var record: Int
  /// Whether this request made the sidecar open the connection.
  var newConnection: Bool
  var mtls: Bool
  /// The sidecar's end of the upstream connection.
  var source: AddressKey
  /// The cluster's policy has outlier detection, which the request's outcome feeds.
  var detectsOutliers = false
}

/// A request the client's sidecar has balanced to a host, on its way to a pooled connection.
struct PoolRequest: Equatable, Sendable {
  var route: Shared<OutboundRoute>
  /// The proxy's numbers for the route's cluster and the chosen host.
  var cluster: Int
  var host: Int
  var worker: Int
  var mtls: Bool
  /// The downstream connection and the stream that carry the request, for debug lines.
  var downstream: Int
  var stream: UInt64

  var pool: PoolKey { PoolKey(worker: worker, host: host) }

  /// Whether the pool's connections carry one request at a time (HTTP/1.1) rather than many streams.
  var http1: Bool { route.http1Upstream }
}

/// Where a balanced request stands with its pool.
enum PoolOutcome: Equatable, Sendable {
  /// On an upstream connection.
  case dispatched(UpstreamDispatch)
  /// Waiting in the pool's queue for a connection. When the request made the pool open one, `connecting`
  /// is when its handshakes end; otherwise it waits for one that is connecting, or, held back by the
  /// circuit breaker on connections, until one of the pool's busy connections ends.
  case queued(PoolRequest, connecting: PendingConnection?)
}

/// A connection a pool opened that is still in its handshakes.
struct PendingConnection: Equatable, Sendable {
  var envoyID: Int
  var connectsAt: SimTime
}

extension Cluster {
  /// Balances one request over the route's endpoints and puts it on a ready pooled upstream connection,
  /// or in the pool's queue to wait for one, as the client's Envoy does (`balance`, then `connect`).
  ///
  /// Logs what Envoy logs at debug level when the pod asks for it.
  ///
  /// - Throws: The reply the sidecar gives itself when no host, pool or circuit breaker lets the request on.
  ///
  /// - Parameter hashKey: What the request hashes to, for a consistent hash (`hashKey(_:of:)`); nil without.
  mutating func dispatchUpstream(
    _ proxy: inout EnvoyProxy, from client: Pod, route: Shared<OutboundRoute>, worker: Int, http1: Bool, hashKey: String?,
    downstream: Int, stream: UInt64
  ) throws(LocalReply) -> PoolOutcome {
    let request = try balance(&proxy, route: route, worker: worker, http1: http1, hashKey: hashKey, downstream: downstream, stream: stream)
    return try connect(request, proxy: &proxy, from: client, queued: false)
  }

  /// The first decision: the proxy takes istiod's latest push, rebuilds the cluster's pools when its
  /// policy changed, and picks a host for the request (`EnvoyLoadBalancer`).
  ///
  /// - Throws: `no_healthy_upstream` when the cluster has no endpoint.
  private mutating func balance(
    _ proxy: inout EnvoyProxy, route: Shared<OutboundRoute>, worker: Int, http1: Bool, hashKey: String?, downstream: Int,
    stream: UInt64
  ) throws(LocalReply) -> PoolRequest {
    if proxy.configVersion != lastResourceVersion { proxy.takePush(of: lastResourceVersion) }
    let cluster = route.proxyCluster ?? proxy.cluster(named: route.clusterName)
    let policy = route.policy
    for idle in proxy.applyPolicy(policy, to: cluster, at: now) { close(idle, cluster: cluster, proxy: &proxy, worker: worker) }
    proxy.clusters[cluster].stats.requestsTotal += 1
    let hosts: [Int]
    if let original = route.originalDestination {
      hosts = originalDestinationHost(original, proxy: &proxy).map { [$0] } ?? []
    } else if policy.loadBalancer == .passthrough, let address = serviceAddress(of: route.value) {
      // An ORIGINAL_DST cluster: the sidecar dials the Service's address, and kube-proxy picks a pod for each
      // connection; a request rides a connection the worker has that can take it before a new one is dialled.
      let open = proxy.clusters[cluster].pools.used.first { key in
        key.worker == worker && proxy.hosts[key.host].originalDestination
          && proxy.clusters[cluster].pools[key].contains { !$0.draining && (!http1 || $0.active == 0) }
      }
      hosts = open.map { [$0.host] } ?? originalDestinationHost(address, proxy: &proxy).map { [$0] } ?? []
    } else if let known = proxy.clusters[cluster].hosts {
      hosts = known
    } else {
      hosts = upstreamHosts(of: route.value, proxy: &proxy)
      proxy.clusters[cluster].hosts = hosts
    }
    let balanced = policy.outlier == nil ? hosts : proxy.clusters[cluster].balanced(hosts, at: now)
    guard !balanced.isEmpty else {
      throw LocalReply(grpcStatus: .unavailable, message: "no healthy upstream", responseFlags: "UH", details: "no_healthy_upstream")
    }
    let number =
      if policy.hash != nil {
        EnvoyLoadBalancer.pick(balanced, hashing: hashKey, addresses: { proxy.hosts[$0].address.description }, rng: &random.envoy)
      } else {
        proxy.pickHost(among: balanced, by: policy.loadBalancer, in: cluster, worker: worker, rng: &random.envoy)
      }
    let key = PoolKey(worker: worker, host: number)
    for idle in proxy.clusters[cluster].takeIdleConnections(in: key, idleTimeout: policy.idleTimeout, at: now) {
      close(idle, cluster: cluster, proxy: &proxy, worker: worker)
    }
    let mtls =
      policy.tlsMode.map { $0 == .istioMutual }
      ?? (route.originalDestination == nil && proxy.hosts[number].istioTLS && proxy.hosts[number].server.inboundMode != .disable)
    return PoolRequest(
      route: route, cluster: cluster, host: number, worker: worker, mtls: mtls, downstream: downstream, stream: stream)
  }

  /// What a consistent hash hashes the channel's request on: its source address, one of its headers or
  /// its query's parameter; nil when the request lacks it (the app sends no cookie back).
  static func hashKey(_ policy: UpstreamPolicy.HashPolicy, of channel: Channel) -> String? {
    switch policy {
    case .sourceIP: return channel.source.ip
    case .header(.authority): return channel.authority
    case .header(.path): return channel.path
    case .header(.userAgent): return channel.userAgent
    case .header(.contentType): return channel.http1 ? nil : "application/grpc"
    case .header(.other), .cookie: return nil
    case .queryParameter(let checksum):
      guard let query = channel.path.split(separator: "?", maxSplits: 1).dropFirst().first else { return nil }
      for parameter in query.split(separator: "&") {
        let name = parameter.prefix { $0 != "=" }
        if Checksum.fnv1a(Array(name.utf8)) == checksum { return String(parameter.dropFirst(name.count + 1)) }
      }
      return nil
    }
  }

  /// The second decision: the pool's answer (`EnvoyProxy.poolDecision`), logged and counted as Envoy's
  /// connection pool does. The request takes a ready connection, else it waits in the pool's queue, and
  /// the pool opens a connection for it when it must and may. A request that was `queued` tries again
  /// here when a connection of its pool connects, frees a stream or ends.
  ///
  /// - Throws: Overflow (`UO`) when a circuit breaker on pending or active requests trips, or the reset
  ///   a new connection meets when the two ends disagree on TLS (`HandshakeFailure`).
  mutating func connect(
    _ request: PoolRequest, proxy: inout EnvoyProxy, from client: Pod, queued: Bool
  ) throws(LocalReply) -> PoolOutcome {
    let debugLog = proxy.debugLog
    func log(_ message: EnvoyMessage) { proxyLog(debugLog, worker: request.worker, message) }
    let (cluster, key, number) = (request.cluster, request.pool, request.host)
    switch proxy.poolDecision(for: request, queued: queued) {
    case .pendingOverflow:
      log(.maxPendingOverflow)
      proxy.clusters[cluster].stats.requestsPendingOverflow += 1
      throw Self.overflow
    case .wait(let wait):
      if !queued {
        log(.queueing(ready: 0, busy: wait.busy, connecting: wait.connecting))
        proxy.clusters[cluster].stats.requestsPendingTotal += 1
        log(.tryingToCreate)
      }
      if wait.connectionsOverflow { proxy.clusters[cluster].stats.connectionsOverflow += 1 }
      var opened: PendingConnection?
      if wait.opens {
        log(.creatingConnection(connecting: wait.connecting))
        let host = proxy.hosts[number]
        if let failure = HandshakeFailure(mtls: request.mtls, server: host.server.value) {
          if queued { proxy.clusters[cluster].leaveQueue(of: key) }
          proxy.clusters[cluster].recordOutcome(503, host: number, at: now)
          log(.routerUpstreamReset(downstream: request.downstream, stream: request.stream, reason: failure.reason))
          throw failure.reply
        }
        opened = openConnection(request, to: host, proxy: &proxy, from: client)
      }
      if !queued {
        proxy.clusters[cluster].joinQueue(of: key)
      }
      return .queued(request, connecting: opened)
    case .ready(let index, let overflows):
      if queued { proxy.clusters[cluster].leaveQueue(of: key) }
      let ready = proxy.clusters[cluster].pools[key][index]
      log(queued ? .attaching(connection: ready.envoyID) : .usingExisting(connection: ready.envoyID))
      if overflows {
        log(.maxStreamsOverflow)
        proxy.clusters[cluster].stats.requestsPendingOverflow += 1
        throw Self.overflow
      }
      let draining = proxy.clusters[cluster].startStream(in: key, connection: index, at: now)
      log(.creatingStream(connection: ready.envoyID))
      if draining {
        log(.maxStreamsDraining(connection: ready.envoyID))
        proxy.clusters[cluster].stats.connectionsMaxRequests += 1
      }
      log(.routerPoolReady(downstream: request.downstream, stream: request.stream))
      proxy.activeRequests[number] += 1
      let route = request.route
      return .dispatched(UpstreamDispatch(
        route: route.keys ?? telemetry.keys(of: route.value), port: route.port, isTCP: route.isTCP, host: number,
        server: proxy.hosts[number].server.keys, address: proxy.hosts[number].addressKey,
        inboundCluster: proxy.hosts[number].inboundCluster, cluster: cluster, pool: key, envoyConnection: ready.envoyID,
        record: ready.record, newConnection: ready.carried == 0, mtls: request.mtls, source: ready.source,
        detectsOutliers: route.policy.outlier != nil && !route.isTCP))
    }
  }

  /// Opens a connection of the request's pool to `host`: it joins the pool, connecting, with
  /// `maxRequestsPerConnection` streams to carry. Returns when its TCP (and TLS) handshakes end.
  private mutating func openConnection(
    _ request: PoolRequest, to host: UpstreamHost, proxy: inout EnvoyProxy, from client: Pod
  ) -> PendingConnection {
    let debugLog = proxy.debugLog
    func log(_ message: EnvoyMessage) { proxyLog(debugLog, worker: request.worker, message) }
    let envoyID = proxy.takeConnectionID()
    log(.connectingState(connection: envoyID))
    log(.clientConnecting(connection: envoyID))
    log(.connecting(connection: envoyID, address: host.address))
    log(.connectionInProgress(connection: envoyID))
    let opened = now
    var connectsAt = now + oneWayLatency() + oneWayLatency()
    if request.mtls {
      connectsAt = connectsAt + oneWayLatency() + oneWayLatency() + random.network.duration(in: .microseconds(500)...(.microseconds(1_500)))
    }
    let record = telemetry.nextConnectionID
    let source = SocketAddress(ip: client.status?.podIP ?? "", port: ephemeralPort())
    let route = request.route
    telemetry.open(ConnectionRecord(
      id: record, client: PodRef(namespace: client.metadata.namespace ?? "", name: client.metadata.name),
      opener: "istio-proxy", source: source,
      destination: route.originalDestination ?? host.address, server: host.pod, serverAddress: host.address,
      kubeProxy: host.kubeProxy,
      envoyCluster: route.clusterName, mtls: request.mtls, opened: opened, closed: nil))
    proxy.clusters[request.cluster].pools[request.pool].append(UpstreamConnection(
      record: record, envoyID: envoyID, remainingStreams: route.policy.maxRequestsPerConnection, mtls: request.mtls,
      source: telemetry.key(source), lastUsed: now, connectsAt: connectsAt))
    proxy.clusters[request.cluster].stats.connectionsTotal += 1
    proxy.clusters[request.cluster].stats.connectionsActive += 1
    return PendingConnection(envoyID: envoyID, connectsAt: connectsAt)
  }

  /// A connection of a pool has finished its handshakes and can carry the pool's queued streams.
  mutating func connectionReady(_ envoyID: Int, cluster: Int, pool: PoolKey, proxy: inout EnvoyProxy) {
    guard let index = proxy.clusters[cluster].pools[pool].firstIndex(where: { $0.envoyID == envoyID }) else { return }
    proxy.clusters[cluster].pools[pool][index].connectsAt = nil
    proxyLog(proxy.debugLog, worker: pool.worker, .connectionConnected(connection: envoyID))
    proxyLog(proxy.debugLog, worker: pool.worker, .clientConnected(connection: envoyID))
  }

  /// Appends `message` to the sidecar's log, when it logs at debug level (`log` is set).
  mutating func proxyLog(_ log: LogID?, worker: Int, _ message: EnvoyMessage) {
    guard let log else { return }
    let thread = EnvoyProxy.workerThreads[worker % EnvoyProxy.workerThreads.count]
    telemetry.appendLog(log, at: now, message, thread: thread)
  }

  /// The overflow reply: trailers-only, `grpc-status: 14`, flagged `UO`.
  private static let overflow = LocalReply(
    grpcStatus: .unavailable,
    message: "upstream connect error or disconnect/reset before headers. reset reason: overflow",
    responseFlags: "UO", details: "upstream_reset_before_response_started{overflow}")

  /// The Service address and port a route's calls were made to, when the Service has a cluster IP.
  private func serviceAddress(of route: OutboundRoute) -> SocketAddress? {
    guard let ip = store.service(route.service.name, in: route.service.namespace)?.spec.clusterIP, ip != "None" else { return nil }
    return SocketAddress(ip: ip, port: route.port)
  }

  /// Ready endpoints of the route's Service, narrowed to its subset: the pods and the pod port they serve.
  func readyEndpoints(of route: OutboundRoute) -> [(pod: Pod, address: SocketAddress)] {
    guard let service = store.service(route.service.name, in: route.service.namespace),
      let servicePort = service.spec.ports?.first(where: { $0.port == route.port })
    else { return [] }
    return store.backends(of: service, port: servicePort).filter { pod, _ in
      route.subsetLabels.allSatisfy { pod.metadata.labels?[$0.key] == $0.value }
    }
  }

  /// The route's ready endpoints as the proxy's EDS hosts, by number.
  private mutating func upstreamHosts(of route: OutboundRoute, proxy: inout EnvoyProxy) -> [Int] {
    readyEndpoints(of: route).map { pod, address in
      upstreamHost(pod, address, istioTLS: pod.metadata.labels?["security.istio.io/tlsMode"] == "istio", proxy: &proxy)
    }
  }

  /// Registers an upstream host with `proxy`, returning the proxy's number for it.
  private mutating func upstreamHost(
    _ pod: Pod, _ address: SocketAddress, istioTLS: Bool, originalDestination: Bool = false,
    kubeProxy: KubeProxyDecision? = nil, proxy: inout EnvoyProxy
  ) -> Int {
    proxy.register(UpstreamHost(
      server: Shared(serverEnd(of: pod)), address: address, addressKey: telemetry.key(address),
      inboundCluster: telemetry.key("inbound|\(address.port)||"), istioTLS: istioTLS,
      originalDestination: originalDestination, kubeProxy: kubeProxy))
  }

  /// The pod an `ORIGINAL_DST` connection reaches: the sidecar dials the address the app dialled, and
  /// kube-proxy picks the endpoint of a Service address for that connection.
  private mutating func originalDestinationHost(_ destination: SocketAddress, proxy: inout EnvoyProxy) -> Int? {
    guard case .connected(let pod, let address, let decision) = dial(destination) else { return nil }
    return upstreamHost(pod, address, istioTLS: false, originalDestination: true, kubeProxy: decision, proxy: &proxy)
  }
}
