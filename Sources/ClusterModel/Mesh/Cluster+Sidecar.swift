/// A request a client's sidecar has sent on an upstream connection.
struct UpstreamDispatch: Equatable, Sendable {
  var route: Shared<OutboundRoute>
  var host: UpstreamHost
  var server: PodRef { host.pod }
  var address: SocketAddress { host.address }
  var pool: PoolKey
  /// The upstream connection's Envoy id and its record in `Telemetry.connections`.
  var envoyConnection: Int
  var record: Int
  /// Whether this request made the sidecar open the connection.
  var newConnection: Bool
  var mtls: Bool
}

extension Cluster {
  /// Balances one request over the route's endpoints and puts it on a pooled upstream connection, as
  /// the client's Envoy does: circuit breakers first, then an idle ready connection, else a new one.
  ///
  /// Moves `now` past the connection set-up when a connection had to be opened, and logs what Envoy
  /// logs at debug level when the pod asks for it.
  mutating func dispatchUpstream(
    _ proxy: inout EnvoyProxy, from client: Pod, route: Shared<OutboundRoute>, worker: Int, downstream: Int, stream: UInt64
  ) -> Result<UpstreamDispatch, LocalReply> {
    let debugLog = proxy.debugLog
    func log(_ message: EnvoyMessage) { proxyLog(debugLog, worker: worker, message) }
    refreshConfig(of: &proxy)
    let cluster = route.clusterName
    let policy = route.policy
    let previous = proxy.policies[cluster]
    if let previous, previous != policy {
      drainPools(of: cluster, in: &proxy, client: client, worker: worker)
    }
    if previous != policy { proxy.policies[cluster] = policy }
    proxy.stats[cluster, default: UpstreamStats()].requestsTotal += 1
    let hosts: [UpstreamHost]
    if let original = route.originalDestination {
      hosts = originalDestinationHost(original).map { [$0] } ?? []
    } else if let known = proxy.hosts[cluster] {
      hosts = known
    } else {
      hosts = readyEndpoints(of: route.value)
      proxy.hosts[cluster] = hosts
    }
    guard !hosts.isEmpty else {
      return .failure(LocalReply(grpcStatus: .unavailable, message: "no healthy upstream", responseFlags: "UH", details: "no_healthy_upstream"))
    }
    let host = pickHost(hosts, policy: policy, proxy: &proxy, worker: worker, cluster: cluster)
    let key = PoolKey(worker: worker, cluster: cluster, host: host.address)
    closeIdleConnections(in: key, proxy: &proxy, idleTimeout: policy.idleTimeout, client: client)
    let mtls: Bool
    switch policy.tlsMode {
    case "ISTIO_MUTUAL": mtls = true
    case .some: mtls = false
    case nil: mtls = route.originalDestination == nil && host.istioTLS && host.server.inboundMode != "DISABLE"
    }
    let serverRef = host.pod
    var pool = proxy.pools[key] ?? []
    let newConnection: Bool
    let index: Int
    if let ready = pool.firstIndex(where: { !$0.draining }) {
      log(.usingExisting(connection: pool[ready].envoyID))
      newConnection = false
      index = ready
    } else {
      if proxy.pendingStreams(in: cluster) >= policy.maxPendingRequests {
        log(.maxPendingOverflow)
        proxy.stats[cluster, default: UpstreamStats()].requestsPendingOverflow += 1
        return .failure(Self.overflow)
      }
      log(.queueing(ready: 0, busy: pool.count, connecting: 0))
      log(.tryingToCreate)
      let canCreate = proxy.openConnections(in: cluster) < policy.maxConnections
      if !canCreate { proxy.stats[cluster, default: UpstreamStats()].connectionsOverflow += 1 }
      guard canCreate || pool.isEmpty else {
        proxy.pending[key, default: 0] += 1
        return .failure(Self.queued)
      }
      log(.creatingConnection(connecting: 0))
      if !mtls && host.server.strictMTLS {
        log(.routerUpstreamReset(downstream: downstream, stream: stream, reason: "connection termination"))
        return .failure(LocalReply(
          grpcStatus: .unavailable,
          message: "upstream connect error or disconnect/reset before headers. reset reason: connection termination",
          responseFlags: "UC", details: "upstream_reset_before_response_started{connection_termination}"))
      }
      if mtls && !host.server.sidecar {
        log(.routerUpstreamReset(downstream: downstream, stream: stream, reason: "connection failure"))
        return .failure(LocalReply(
          grpcStatus: .unavailable,
          message: "upstream connect error or disconnect/reset before headers. reset reason: connection failure, transport failure reason: TLS error: 268435703:SSL routines:OPENSSL_internal:WRONG_VERSION_NUMBER",
          responseFlags: "UF", details: "upstream_reset_before_response_started{connection_failure}"))
      }
      let envoyID = proxy.takeConnectionID()
      log(.connectingState(connection: envoyID))
      log(.clientConnecting(connection: envoyID))
      log(.connecting(connection: envoyID, address: host.address))
      log(.connectionInProgress(connection: envoyID))
      let opened = now
      now = now + oneWayLatency() + oneWayLatency()
      if mtls { now = now + oneWayLatency() + oneWayLatency() + rng.duration(in: .microseconds(500)...(.microseconds(1_500))) }
      log(.connectionConnected(connection: envoyID))
      log(.clientConnected(connection: envoyID))
      log(.attaching(connection: envoyID))
      let record = telemetry.nextConnectionID
      telemetry.open(ConnectionRecord(
        id: record, client: PodRef(namespace: client.metadata.namespace ?? "", name: client.metadata.name),
        opener: "istio-proxy", source: SocketAddress(ip: client.status?.podIP ?? "", port: ephemeralPort()),
        destination: route.originalDestination ?? host.address, server: serverRef, serverAddress: host.address,
        kubeProxy: host.kubeProxy,
        envoyCluster: cluster, mtls: mtls, opened: opened, closed: nil))
      pool.append(UpstreamConnection(
        record: record, envoyID: envoyID, remainingStreams: policy.maxRequestsPerConnection, mtls: mtls, lastUsed: now))
      proxy.stats[cluster, default: UpstreamStats()].connectionsTotal += 1
      proxy.stats[cluster, default: UpstreamStats()].connectionsActive += 1
      newConnection = true
      index = pool.count - 1
    }
    if proxy.activeRequests(in: cluster) >= policy.maxRequests {
      log(.maxStreamsOverflow)
      proxy.stats[cluster, default: UpstreamStats()].requestsPendingOverflow += 1
      proxy.pools[key] = pool
      return .failure(Self.overflow)
    }
    log(.creatingStream(connection: pool[index].envoyID))
    pool[index].active += 1
    pool[index].remainingStreams -= 1
    pool[index].lastUsed = now
    if pool[index].remainingStreams <= 0 {
      log(.maxStreamsDraining(connection: pool[index].envoyID))
      pool[index].draining = true
      proxy.stats[cluster, default: UpstreamStats()].connectionsMaxRequests += 1
    }
    log(.routerPoolReady(downstream: downstream, stream: stream))
    proxy.activeRequests[host.address, default: 0] += 1
    let dispatch = UpstreamDispatch(
      route: route, host: host, pool: key, envoyConnection: pool[index].envoyID,
      record: pool[index].record, newConnection: newConnection, mtls: mtls)
    proxy.pools[key] = pool
    return .success(dispatch)
  }

  /// Ends the stream of `dispatch` when its response has arrived: a draining connection with no streams
  /// left closes, and so does any connection when `closing` (a TCP proxy whose downstream closed).
  mutating func completeUpstream(
    _ proxy: inout EnvoyProxy, _ dispatch: UpstreamDispatch, client: Pod, worker: Int, closing: Bool = false
  ) {
    let debugLog = proxy.debugLog
    func log(_ message: EnvoyMessage) { proxyLog(debugLog, worker: worker, message) }
    proxy.activeRequests[dispatch.address, default: 1] -= 1
    guard var pool = proxy.pools[dispatch.pool], let index = pool.firstIndex(where: { $0.envoyID == dispatch.envoyConnection })
    else { return }
    pool[index].active -= 1
    pool[index].lastUsed = now
    log(.responseComplete(connection: dispatch.envoyConnection))
    log(.destroyingStream(connection: dispatch.envoyConnection, remaining: pool[index].active))
    if (pool[index].draining || closing) && pool[index].active == 0 {
      close(pool.remove(at: index), cluster: dispatch.pool.cluster, proxy: &proxy, client: client, worker: worker)
      if pool.isEmpty { log(.idleCallbacks) }
    }
    proxy.pools[dispatch.pool] = pool.isEmpty ? nil : pool
  }

  /// Removes one queued stream of `cluster` whose caller gave up waiting.
  func abandonQueuedStream(_ proxy: inout EnvoyProxy, cluster: String) {
    guard let key = proxy.pending.keys.sorted(by: { $0.host.description < $1.host.description }).first(where: { $0.cluster == cluster })
    else { return }
    proxy.pending[key, default: 1] -= 1
    if proxy.pending[key] == 0 { proxy.pending[key] = nil }
  }

  /// Appends `message` to the sidecar's log, when it logs at debug level (`key` is set).
  mutating func proxyLog(_ key: ContainerLogKey?, worker: Int, _ message: EnvoyMessage) {
    guard let key else { return }
    let thread = EnvoyProxy.workerThreads[worker % EnvoyProxy.workerThreads.count]
    telemetry.appendLog(key, LogLine(time: now, entry: .envoy(message, thread: thread)))
  }

  /// The overflow reply: trailers-only, `grpc-status: 14`, flagged `UO`.
  private static let overflow = LocalReply(
    grpcStatus: .unavailable,
    message: "upstream connect error or disconnect/reset before headers. reset reason: overflow",
    responseFlags: "UO", details: "upstream_reset_before_response_started{overflow}")

  /// What a caller sees when its stream was queued for a connection that a circuit breaker withholds:
  /// the stream waits until a connection to the host closes, and a caller that cannot wait gives up
  /// after the route's timeout. A client that makes one call at a time never queues.
  static let queued = LocalReply(
    grpcStatus: .unavailable, message: "upstream request timeout", responseFlags: "UT", details: "response_timeout")

  /// Ready endpoints of the route's Service, narrowed to its subset, with the pod port they serve.
  func readyEndpoints(of route: OutboundRoute) -> [UpstreamHost] {
    guard let service = store.service(route.service.name, in: route.service.namespace),
      let servicePort = service.spec.ports?.first(where: { $0.port == route.port })
    else { return [] }
    return backends(of: service, port: servicePort).compactMap { pod, address in
      guard route.subsetLabels.allSatisfy({ pod.metadata.labels?[$0.key] == $0.value }) else { return nil }
      return UpstreamHost(
        server: Shared(serverEnd(of: pod)), address: address, istioTLS: pod.metadata.labels?["security.istio.io/tlsMode"] == "istio")
    }
  }

  /// The pod an `ORIGINAL_DST` connection reaches: the sidecar dials the address the app dialled, and
  /// kube-proxy picks the endpoint of a Service address for that connection.
  private mutating func originalDestinationHost(_ destination: SocketAddress) -> UpstreamHost? {
    guard case .connected(let pod, let address, let decision) = dial(destination) else { return nil }
    return UpstreamHost(server: Shared(serverEnd(of: pod)), address: address, istioTLS: false, kubeProxy: decision)
  }

  /// Drops the proxy's hosts when the store changed since they were computed, as a push from istiod
  /// replaces them; until then the proxy keeps using what it has.
  func refreshConfig(of proxy: inout EnvoyProxy) {
    guard proxy.configVersion != lastResourceVersion else { return }
    proxy.configVersion = lastResourceVersion
    proxy.hosts = [:]
  }


  /// Envoy's choice of host: two random choices keeping the one with fewer active requests
  /// (LEAST_REQUEST), a per-worker rotation from a random start (ROUND_ROBIN), or uniform (RANDOM).
  private mutating func pickHost(
    _ hosts: [UpstreamHost], policy: UpstreamPolicy, proxy: inout EnvoyProxy, worker: Int, cluster: String
  ) -> UpstreamHost {
    let count = UInt64(hosts.count)
    switch policy.loadBalancer {
    case .roundRobin:
      let key = RoundRobinKey(worker: worker, cluster: cluster)
      let position = proxy.roundRobin[key] ?? Int(rng.next() % count)
      proxy.roundRobin[key] = position + 1
      return hosts[position % hosts.count]
    case .random, .passthrough:
      return hosts[Int(rng.next() % count)]
    case .leastRequest:
      let first = hosts[Int(rng.next() % count)]
      let second = hosts[Int(rng.next() % count)]
      let active = proxy.activeRequests
      return active[second.address, default: 0] < active[first.address, default: 0] ? second : first
    }
  }

  /// Marks every connection of `cluster` draining after a policy change, closing those without streams.
  private mutating func drainPools(of cluster: String, in proxy: inout EnvoyProxy, client: Pod, worker: Int) {
    for key in proxy.pools.keys.sorted(by: { ($0.worker, $0.host.description) < ($1.worker, $1.host.description) })
    where key.cluster == cluster {
      var pool = proxy.pools[key] ?? []
      for connection in pool where connection.active == 0 {
        close(connection, cluster: cluster, proxy: &proxy, client: client, worker: worker)
      }
      pool.removeAll { $0.active == 0 }
      for index in pool.indices { pool[index].draining = true }
      proxy.pools[key] = pool.isEmpty ? nil : pool
    }
  }

  /// Closes connections of the pool that carried no stream for `idleTimeout`.
  private mutating func closeIdleConnections(
    in key: PoolKey, proxy: inout EnvoyProxy, idleTimeout: SimDuration, client: Pod
  ) {
    guard let pool = proxy.pools[key] else { return }
    let idle = pool.filter { $0.active == 0 && now - $0.lastUsed >= idleTimeout }
    for connection in idle { close(connection, cluster: key.cluster, proxy: &proxy, client: client, worker: key.worker) }
    let open = pool.filter { connection in !idle.contains { $0.envoyID == connection.envoyID } }
    proxy.pools[key] = open.isEmpty ? nil : open
  }

  /// Closes one upstream connection locally, logging as Envoy does and ending its record.
  private mutating func close(
    _ connection: UpstreamConnection, cluster: String, proxy: inout EnvoyProxy, client: Pod, worker: Int
  ) {
    for message in [
      EnvoyMessage.closing(connection: connection.envoyID), .closingSocket(connection: connection.envoyID),
    ] + (connection.mtls ? [.sslShutdown(connection: connection.envoyID)] : []) + [
      .disconnect(connection: connection.envoyID), .clientDisconnected(connection: connection.envoyID),
    ] {
      proxyLog(proxy.debugLog, worker: worker, message)
    }
    proxy.stats[cluster, default: UpstreamStats()].connectionsActive -= 1
    telemetry.closeConnection(connection.record, at: now)
  }
}
