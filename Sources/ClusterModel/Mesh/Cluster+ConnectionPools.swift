/// A sidecar's connection pools, per upstream cluster, host and worker thread: streams start and end on
/// pooled connections, a connection drains after `maxRequestsPerConnection` streams and closes when its last
/// stream ends, idle ones close after `idleTimeout`, and a policy change drains them all.
extension Cluster {
  /// Opens a stream on connection `index` of a pool: it counts as active, and drains when it has carried
  /// its `maxRequestsPerConnection`. Returns whether it drains now.
  static func startStream(on cluster: inout UpstreamCluster, key: PoolKey, index: Int, at now: SimTime) -> Bool {
    func start(_ connection: inout UpstreamConnection) -> Bool {
      connection.active += 1
      connection.carried += 1
      connection.remainingStreams -= 1
      connection.lastUsed = now
      if connection.remainingStreams <= 0 { connection.draining = true }
      return connection.draining
    }
    cluster.activeRequests += 1
    return start(&cluster.pools[key.index][index])
  }

  /// Ends the stream of `dispatch` when its response has arrived: a draining connection with no streams
  /// left closes, and so does any connection when `closing` (a TCP proxy whose downstream closed).
  mutating func completeUpstream(
    _ proxy: inout EnvoyProxy, _ dispatch: UpstreamDispatch, worker: Int, closing: Bool = false
  ) {
    let debugLog = proxy.debugLog
    func log(_ message: EnvoyMessage) { proxyLog(debugLog, worker: worker, message) }
    proxy.activeRequests[dispatch.host] -= 1
    let pool = dispatch.pool.index
    guard let index = proxy.clusters[dispatch.cluster].pools[pool].firstIndex(where: { $0.envoyID == dispatch.envoyConnection })
    else { return }
    let (active, draining) = Self.endStream(on: &proxy.clusters[dispatch.cluster], key: dispatch.pool, index: index, at: now)
    log(.responseComplete(connection: dispatch.envoyConnection))
    log(.destroyingStream(connection: dispatch.envoyConnection, remaining: active))
    if (draining || closing) && active == 0 {
      let connection = proxy.clusters[dispatch.cluster].pools[pool].remove(at: index)
      close(connection, cluster: dispatch.cluster, proxy: &proxy, worker: worker)
      if proxy.clusters[dispatch.cluster].pools[pool].isEmpty && proxy.clusters[dispatch.cluster].pending[pool] == 0 {
        log(.idleCallbacks)
      }
    }
  }

  /// Ends a stream on connection `index` of a pool: it no longer counts as active. Returns the streams
  /// still active on it, and whether it drains.
  static func endStream(
    on cluster: inout UpstreamCluster, key: PoolKey, index: Int, at now: SimTime
  ) -> (active: Int, draining: Bool) {
    func end(_ connection: inout UpstreamConnection) -> (active: Int, draining: Bool) {
      connection.active -= 1
      connection.lastUsed = now
      return (connection.active, connection.draining)
    }
    cluster.activeRequests -= 1
    return end(&cluster.pools[key.index][index])
  }

  /// Takes a queued request out of its pool's queue: it got a connection, or its caller gave up waiting.
  func abandon(_ request: PoolRequest, proxy: inout EnvoyProxy) {
    proxy.clusters[request.cluster].pending[request.pool.index] -= 1
    proxy.clusters[request.cluster].pendingStreams -= 1
  }

  /// Marks every connection of `cluster` draining after a policy change, closing those without streams.
  mutating func drainPools(of cluster: Int, in proxy: inout EnvoyProxy, worker: Int) {
    let addresses = proxy.hosts.map(\.address)
    for key in proxy.clusters[cluster].usedPools.sorted(by: {
      ($0.worker, addresses[$0.host].description) < ($1.worker, addresses[$1.host].description)
    }) {
      let pool = proxy.clusters[cluster].pools[key.index]
      for connection in pool where connection.active == 0 {
        close(connection, cluster: cluster, proxy: &proxy, worker: worker)
      }
      let busy = pool.filter { $0.active > 0 }.map { connection in
        var connection = connection
        connection.draining = true
        return connection
      }
      proxy.clusters[cluster].pools[key.index] = busy
    }
  }

  /// Closes connections of the pool that carried no stream for `idleTimeout`.
  mutating func closeIdleConnections(
    in key: PoolKey, of cluster: Int, proxy: inout EnvoyProxy, idleTimeout: SimDuration
  ) {
    let pool = proxy.clusters[cluster].pools[key.index]
    let now = now
    func isIdle(_ connection: UpstreamConnection) -> Bool {
      connection.connectsAt == nil && connection.active == 0 && now - connection.lastUsed >= idleTimeout
    }
    guard pool.contains(where: isIdle) else { return }
    for connection in pool where isIdle(connection) { close(connection, cluster: cluster, proxy: &proxy, worker: key.worker) }
    proxy.clusters[cluster].pools[key.index] = pool.filter { !isIdle($0) }
  }

  /// Closes one upstream connection locally, logging as Envoy does and ending its record.
  mutating func close(_ connection: UpstreamConnection, cluster: Int, proxy: inout EnvoyProxy, worker: Int) {
    for message in [
      EnvoyMessage.closing(connection: connection.envoyID), .closingSocket(connection: connection.envoyID),
    ] + (connection.mtls ? [.sslShutdown(connection: connection.envoyID)] : []) + [
      .disconnect(connection: connection.envoyID), .clientDisconnected(connection: connection.envoyID),
    ] {
      proxyLog(proxy.debugLog, worker: worker, message)
    }
    proxy.clusters[cluster].stats.connectionsActive -= 1
    telemetry.closeConnection(connection.record, at: now)
  }
}
