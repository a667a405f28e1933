/// The connection pools of one Envoy cluster: a pool per upstream host and worker thread, each with its
/// connections, oldest first, and the streams queued for one. Pools are added as hosts join
/// (`reserve(hosts:)`) and are never removed; an empty pool has no connections.
struct ConnectionPools: Equatable, Sendable, Codable {
  /// Connections per pool, at `PoolKey.index`.
  private var connections: [[UpstreamConnection]] = []
  /// Streams queued per pool, at `PoolKey.index`.
  private var queues: [Int] = []

  /// The connections of pool `key`, oldest first.
  subscript(key: PoolKey) -> [UpstreamConnection] {
    get { connections[key.index] }
    _modify { yield &connections[key.index] }
  }

  /// How many streams wait in pool `key` for a connection.
  func queued(in key: PoolKey) -> Int {
    queues[key.index]
  }

  /// A stream joins, or (with `by: -1`) leaves, the queue of pool `key`.
  mutating func changeQueue(of key: PoolKey, by change: Int) {
    queues[key.index] += change
  }

  /// Makes room for the pools of `count` hosts.
  mutating func reserve(hosts count: Int) {
    let needed = count * EnvoyProxy.workerThreads.count
    guard connections.count < needed else { return }
    connections += Array(repeating: [], count: needed - connections.count)
    queues += Array(repeating: 0, count: needed - queues.count)
  }

  /// The pools that hold connections, or streams waiting for one.
  var used: [PoolKey] {
    connections.indices.filter { !connections[$0].isEmpty || queues[$0] > 0 }.map(PoolKey.init(index:))
  }
}

/// Identifies one connection pool of a cluster: a worker's connections to one host (by the proxy's number).
struct PoolKey: Equatable, Sendable {
  /// A position in `EnvoyProxy.workerThreads`.
  var worker: Int
  /// The proxy's number for the host.
  var host: Int

  /// The pool of `worker`'s connections to `host`.
  init(worker: Int, host: Int) {
    self.worker = worker
    self.host = host
  }

  /// The pool at `index` in `ConnectionPools`' arrays.
  fileprivate init(index: Int) {
    (host, worker) = index.quotientAndRemainder(dividingBy: EnvoyProxy.workerThreads.count)
  }

  /// The pool's position in `ConnectionPools`' arrays.
  fileprivate var index: Int { host * EnvoyProxy.workerThreads.count + worker }
}
