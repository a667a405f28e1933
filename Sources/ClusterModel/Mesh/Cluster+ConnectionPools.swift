/// What Envoy logs of its pools, and the ends of the connections they close: the pools' own state changes
/// are `UpstreamCluster`'s (`UpstreamCluster+ConnectionPools.swift`).
extension Cluster {
  /// Ends the stream of `dispatch` when its response has arrived: a draining connection with no streams
  /// left closes, and so does any connection when `closing` (a TCP proxy whose downstream closed).
  mutating func completeUpstream(
    _ proxy: inout EnvoyProxy, _ dispatch: UpstreamDispatch, worker: Int, closing: Bool = false
  ) {
    let debugLog = proxy.debugLog
    func log(_ message: EnvoyMessage) { proxyLog(debugLog, worker: worker, message) }
    proxy.activeRequests[dispatch.host] -= 1
    let pool = dispatch.pool
    guard let index = proxy.clusters[dispatch.cluster].pools[pool].firstIndex(where: { $0.envoyID == dispatch.envoyConnection })
    else { return }
    let (active, draining) = proxy.clusters[dispatch.cluster].endStream(in: dispatch.pool, connection: index, at: now)
    log(.responseComplete(connection: dispatch.envoyConnection))
    log(.destroyingStream(connection: dispatch.envoyConnection, remaining: active))
    if (draining || closing) && active == 0 {
      let connection = proxy.clusters[dispatch.cluster].pools[pool].remove(at: index)
      close(connection, cluster: dispatch.cluster, proxy: &proxy, worker: worker)
      if proxy.clusters[dispatch.cluster].pools[pool].isEmpty && proxy.clusters[dispatch.cluster].pools.queued(in: pool) == 0 {
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
