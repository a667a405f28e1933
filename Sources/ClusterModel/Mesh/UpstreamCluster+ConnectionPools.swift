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
    return pools[key][index].startStream(at: now)
  }

  /// Ends a stream on connection `index` of the pool `key`: it no longer counts as active. Returns the
  /// streams still active on the connection, and whether it drains.
  mutating func endStream(in key: PoolKey, connection index: Int, at now: SimTime) -> (active: Int, draining: Bool) {
    activeRequests -= 1
    return pools[key][index].endStream(at: now)
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

extension UpstreamConnection {
  /// Counts a stream that starts on the connection now; returns whether the connection drains, having
  /// reached its `maxRequestsPerConnection`.
  fileprivate mutating func startStream(at now: SimTime) -> Bool {
    active += 1
    carried += 1
    remainingStreams -= 1
    lastUsed = now
    if remainingStreams <= 0 { draining = true }
    return draining
  }

  /// Counts a stream that ends on the connection now; returns the streams still active on it, and whether
  /// it drains.
  fileprivate mutating func endStream(at now: SimTime) -> (active: Int, draining: Bool) {
    active -= 1
    lastUsed = now
    return (active, draining)
  }
}
