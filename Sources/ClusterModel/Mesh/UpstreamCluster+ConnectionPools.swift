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
    pools[key][index].active += 1
    pools[key][index].carried += 1
    pools[key][index].remainingStreams -= 1
    pools[key][index].lastUsed = now
    if pools[key][index].remainingStreams <= 0 { pools[key][index].draining = true }
    return pools[key][index].draining
  }

  /// Ends a stream on connection `index` of the pool `key`: it no longer counts as active. Returns the
  /// streams still active on the connection, and whether it drains.
  mutating func endStream(in key: PoolKey, connection index: Int, at now: SimTime) -> (active: Int, draining: Bool) {
    activeRequests -= 1
    pools[key][index].active -= 1
    pools[key][index].lastUsed = now
    return (pools[key][index].active, pools[key][index].draining)
  }

  /// Puts a request in the queue of pool `key`, to wait for a connection.
  mutating func joinQueue(of key: PoolKey) {
    pools.changeQueue(of: key, by: 1)
    pendingStreams += 1
  }

  /// Takes a queued request out of the queue of pool `key`: it got a connection, or its caller gave up.
  mutating func leaveQueue(of key: PoolKey) {
    pools.changeQueue(of: key, by: -1)
    pendingStreams -= 1
  }

  /// Takes the connections of pool `key` that carried no stream for `idleTimeout` out of it, oldest
  /// first, for the caller to close.
  mutating func takeIdleConnections(in key: PoolKey, idleTimeout: SimDuration, at now: SimTime) -> [UpstreamConnection] {
    func isIdle(_ connection: UpstreamConnection) -> Bool {
      connection.connectsAt == nil && connection.active == 0 && now - connection.lastUsed >= idleTimeout
    }
    // Most requests find none: the pool is then left as it is, without a write.
    guard pools[key].contains(where: isIdle) else { return [] }
    let idle = pools[key].filter(isIdle)
    pools[key].removeAll(where: isIdle)
    return idle
  }
}
