/// A sidecar's connection pools, per upstream cluster, host and worker thread: streams start and end on
/// pooled connections, a connection drains after `maxRequestsPerConnection` streams and closes when its last
/// stream ends, idle ones close after `idleTimeout`, and a policy change drains them all.
///
/// The pools change here; `Cluster` logs what Envoy logs and ends the connections' records from what
/// these return.
extension UpstreamCluster {
  /// Opens a stream on connection `index` of the pool `key`: it counts as active, and drains when it has
  /// carried its `maxRequestsPerConnection`. Returns whether it drains now.
  mutating func startStream(in key: PoolKey, connection index: Int, at now: SimTime) -> Bool {
    activeRequests += 1
    pools[key.index][index].active += 1
    pools[key.index][index].carried += 1
    pools[key.index][index].remainingStreams -= 1
    pools[key.index][index].lastUsed = now
    if pools[key.index][index].remainingStreams <= 0 { pools[key.index][index].draining = true }
    return pools[key.index][index].draining
  }

  /// Ends a stream on connection `index` of the pool `key`: it no longer counts as active. Returns the
  /// streams still active on the connection, and whether it drains.
  mutating func endStream(in key: PoolKey, connection index: Int, at now: SimTime) -> (active: Int, draining: Bool) {
    activeRequests -= 1
    pools[key.index][index].active -= 1
    pools[key.index][index].lastUsed = now
    return (pools[key.index][index].active, pools[key.index][index].draining)
  }

  /// Takes a queued request out of the queue of pool `key`: it got a connection, or its caller gave up.
  mutating func leaveQueue(of key: PoolKey) {
    pending[key.index] -= 1
    pendingStreams -= 1
  }

  /// Takes the connections of pool `key` that carried no stream for `idleTimeout` out of it, oldest
  /// first, for the caller to close.
  mutating func takeIdleConnections(in key: PoolKey, idleTimeout: SimDuration, at now: SimTime) -> [UpstreamConnection] {
    func isIdle(_ connection: UpstreamConnection) -> Bool {
      connection.connectsAt == nil && connection.active == 0 && now - connection.lastUsed >= idleTimeout
    }
    guard pools[key.index].contains(where: isIdle) else { return [] }
    let idle = pools[key.index].filter(isIdle)
    pools[key.index].removeAll(where: isIdle)
    return idle
  }
}

extension EnvoyProxy {
  /// Marks every connection of `cluster` draining after a policy change, and takes those without streams
  /// out of their pools for the caller to close: pool by pool, by worker and host address.
  mutating func drainPools(of cluster: Int) -> [UpstreamConnection] {
    let addresses = hosts.map(\.address)
    var idle: [UpstreamConnection] = []
    for key in clusters[cluster].usedPools.sorted(by: {
      ($0.worker, addresses[$0.host].description) < ($1.worker, addresses[$1.host].description)
    }) {
      let pool = clusters[cluster].pools[key.index]
      idle += pool.filter { $0.active == 0 }
      clusters[cluster].pools[key.index] = pool.filter { $0.active > 0 }.map { connection in
        var connection = connection
        connection.draining = true
        return connection
      }
    }
    return idle
  }
}

extension Cluster {
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
    let (active, draining) = proxy.clusters[dispatch.cluster].endStream(in: dispatch.pool, connection: index, at: now)
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
