/// What one Envoy proxy holds that shapes traffic: upstream connection pools, balancer state and counters.
///
/// Pools are kept per worker thread, per Envoy cluster and per upstream host, as Envoy keeps them. A
/// downstream connection lives on one worker, so the app's single gRPC connection sees one set of pools.
/// Clusters and hosts are numbered, so that a request finds its pool without hashing names.
struct EnvoyProxy: Equatable, Sendable, Codable {
  /// Worker threads (`concurrency`), with the thread ids their log lines carry.
  static let workerThreads = [21, 22]
  /// The admin listener's port on the pod's loopback.
  static let adminPort = 15000

  /// The Envoy clusters the proxy's route caches name, numbered in the order they were first named.
  /// Every cluster has a pool for every host and worker.
  var clusters: [UpstreamCluster] = []
  private var clusterNames = InternTable<String>()
  /// Upstream hosts, numbered as first seen by address and by how the proxy learnt them (EDS, or the
  /// original destination of a passthrough connection); an entry is replaced when it is learnt again.
  private(set) var hosts: [UpstreamHost] = []
  private var hostKeys = InternTable<HostKey>()
  /// Active requests per host number, shared by all workers and clusters (least-request balancing reads it).
  var activeRequests: [Int] = []
  /// Envoy's next connection id (`[C12]`); downstream and upstream connections share the sequence.
  var nextConnectionID: Int
  /// The store revision the hosts of each cluster were computed at: what istiod last pushed.
  var configVersion = -1

  /// Where debug lines go, when the pod asked for `sidecar.istio.io/logLevel: debug` (fixed at start).
  let debugLog: LogID?

  init(firstConnectionID: Int, debugLog: LogID?) {
    nextConnectionID = firstConnectionID
    self.debugLog = debugLog
  }

  /// Takes the next connection id.
  mutating func takeConnectionID() -> Int {
    defer { nextConnectionID += 1 }
    return nextConnectionID
  }

  /// The number of the cluster called `name`, adding it when requests first go there.
  mutating func cluster(named name: String) -> Int {
    let number = Int(clusterNames.intern(name).index)
    if number == clusters.count {
      var cluster = UpstreamCluster(name: name)
      cluster.reserve(hosts: hosts.count)
      clusters.append(cluster)
    }
    return number
  }

  /// The number of `host`, whose entry it becomes.
  mutating func register(_ host: UpstreamHost) -> Int {
    let number = Int(hostKeys.intern(HostKey(address: host.address, originalDestination: host.originalDestination)).index)
    guard number == hosts.count else {
      hosts[number] = host
      return number
    }
    hosts.append(host)
    activeRequests.append(0)
    for index in clusters.indices { clusters[index].reserve(hosts: hosts.count) }
    return number
  }

  private struct HostKey: Hashable, Codable {
    var address: SocketAddress
    var originalDestination: Bool
  }

  /// Takes the configuration istiod pushed at store revision `version`: the proxy drops its hosts and
  /// computes them again when requests need them; until a push it keeps using what it has.
  mutating func takePush(of version: Int) {
    configVersion = version
    for index in clusters.indices { clusters[index].hosts = nil }
  }

  /// Gives `cluster` the `policy` of istiod's latest push, when it differs from the one the cluster has:
  /// its pools drain, and a new outlier policy starts the detector afresh at `now`.
  ///
  /// - Returns: The connections without streams that the drain took out of the pools, for the caller to
  ///   close; none when the policy is the cluster's first, or unchanged.
  mutating func applyPolicy(_ policy: UpstreamPolicy, to cluster: Int, at now: SimTime) -> [UpstreamConnection] {
    guard clusters[cluster].policy != policy else { return [] }
    let previous = clusters[cluster].policy
    let idle = previous == nil ? [] : drainPools(of: cluster)
    if previous?.outlier != policy.outlier {
      clusters[cluster].outliers = Array(repeating: HostOutlier(), count: clusters[cluster].outliers.count)
      clusters[cluster].outlierEpoch = policy.outlier == nil ? nil : now
    }
    clusters[cluster].policy = policy
    return idle
  }

  /// Marks every connection of `cluster` draining after a policy change, and takes those without streams
  /// out of their pools for the caller to close: pool by pool, by worker and host address.
  mutating func drainPools(of cluster: Int) -> [UpstreamConnection] {
    let addresses = hosts.map(\.address)
    var idle: [UpstreamConnection] = []
    for key in clusters[cluster].pools.used.sorted(by: {
      ($0.worker, addresses[$0.host].description) < ($1.worker, addresses[$1.host].description)
    }) {
      let pool = clusters[cluster].pools[key]
      idle += pool.filter { $0.active == 0 }
      clusters[cluster].pools[key] = pool.filter { $0.active > 0 }.map { connection in
        var connection = connection
        connection.draining = true
        return connection
      }
    }
    return idle
  }

  /// Envoy's choice of host for one request among `hosts` (`EnvoyLoadBalancer`), by `policy`, the
  /// balancer `cluster` was built with, and the worker's rotation in it.
  mutating func pickHost(
    among hosts: [Int], by policy: UpstreamPolicy.LoadBalancer, in cluster: Int, worker: Int, rng: inout SplitMix64
  ) -> Int {
    let roundRobin = policy == .roundRobin
    let (host, rotation) = EnvoyLoadBalancer.pick(
      hosts, policy: policy, rotation: roundRobin ? clusters[cluster].roundRobin[worker] : nil,
      activeRequests: { activeRequests[$0] }, rng: &rng)
    if roundRobin { clusters[cluster].roundRobin[worker] = rotation }
    return host
  }

  /// The stats at `now` of each Envoy cluster that carried requests, as `pilot-agent request GET stats` names them
  /// (`cluster.<name>.upstream_rq_total`), in name order.
  func stats(at now: SimTime) -> [(name: String, value: Int)] {
    clusterStats(at: now).map { ("cluster.\($0.cluster).\($0.name)", $0.value) }.sorted { $0.name < $1.name }
  }

  /// The stats at `now` of each Envoy cluster that carried requests, each by its cluster and its name under it.
  func clusterStats(at now: SimTime) -> [(cluster: String, name: String, value: Int)] {
    clusters.filter { $0.stats.requestsTotal > 0 }.flatMap { cluster in
      cluster.stats.stats(now: cluster.gauges(at: now)).map { (cluster.name, $0.name, $0.value) }
    }
  }
}

/// One Envoy cluster of a proxy: its policy, endpoints, pools and counters.
struct UpstreamCluster: Equatable, Sendable, Codable {
  /// `outbound|9000||grpc.grpc.svc.cluster.local`, `PassthroughCluster` …
  let name: String
  /// The policy the cluster was last built with; a change rebuilds its pools.
  var policy: UpstreamPolicy?
  var stats = UpstreamStats()
  /// Healthy hosts (EDS) by the proxy's numbers, until istiod pushes a new configuration.
  var hosts: [Int]?
  /// Upstream connections, and the streams waiting for one, per host and worker thread.
  var pools = ConnectionPools()
  /// Round-robin position per worker.
  var roundRobin: [Int?] = Array(repeating: nil, count: EnvoyProxy.workerThreads.count)
  /// What the circuit breakers count, over all hosts: `max_requests` and `max_pending_requests`;
  /// `max_connections` counts `stats.connectionsActive`.
  var activeRequests = 0
  var pendingStreams = 0
  /// What outlier detection knows of each host, by the proxy's number.
  var outliers: [HostOutlier] = []
  /// When the cluster's outlier detector started, which its timer ticks from.
  var outlierEpoch: SimTime?

  init(name: String) {
    self.name = name
  }

  /// Makes room for the pools of `count` hosts.
  mutating func reserve(hosts count: Int) {
    pools.reserve(hosts: count)
    outliers += Array(repeating: HostOutlier(), count: max(count - outliers.count, 0))
  }

  /// Whether outlier detection keeps host number `host` out of balancing at `now`.
  func ejects(_ host: Int, at now: SimTime) -> Bool {
    outliers.indices.contains(host) && outliers[host].isEjected(at: now)
  }

  /// The circuit breakers' and outlier detection's gauges at `now`, against the cluster's policy.
  func gauges(at now: SimTime) -> ClusterGauges {
    let limits = policy ?? UpstreamPolicy(nil)
    return ClusterGauges(
      connectionsOpen: stats.connectionsActive >= limits.maxConnections, requestsOpen: activeRequests >= limits.maxRequests,
      pendingOpen: pendingStreams >= limits.maxPendingRequests,
      remainingConnections: max(limits.maxConnections - stats.connectionsActive, 0),
      remainingPending: max(limits.maxPendingRequests - pendingStreams, 0),
      remainingRequests: max(limits.maxRequests - activeRequests, 0), pending: pendingStreams,
      ejectionsActive: policy?.outlier == nil ? nil : outliers.filter { $0.isEjected(at: now) }.count)
  }
}

/// One endpoint of an Envoy cluster, as EDS describes it, or the original destination of a passthrough
/// connection.
struct UpstreamHost: Equatable, Sendable, Codable {
  var server: Shared<ServerEnd>
  var address: SocketAddress
  /// The keys of the address and of the server sidecar's inbound cluster `inbound|9000||`.
  var addressKey: AddressKey
  var inboundCluster: TelemetryKey<String>
  /// The pod is labelled `security.istio.io/tlsMode: istio` (auto mTLS uses Istio mutual TLS).
  var istioTLS: Bool
  /// The sidecar dials the address the app dialled (`ORIGINAL_DST`) rather than an endpoint EDS named.
  var originalDestination = false
  /// For an original-destination connection to a Service address: kube-proxy's choice of this pod.
  var kubeProxy: KubeProxyDecision? = nil

  var pod: PodRef { server.ref }
}

/// What the data plane needs to know of a server pod, taken once rather than per call.
struct ServerEnd: Equatable, Sendable, Codable {
  var ref: PodRef
  var ip: String
  /// What the server's sidecar accepts inbound: `STRICT`, `PERMISSIVE` or `DISABLE` (PeerAuthentication).
  var inboundMode: PeerAuthenticationMode
  /// What a call carries of the server.
  var keys: ServerKeys

  var sidecar: Bool { keys.sidecar }
  /// The server's sidecar accepts only Istio mutual TLS.
  var strictMTLS: Bool { sidecar && inboundMode == .strict }
  /// The app's and the sidecar's logs.
  var appLog: LogID { keys.appLog }
  var proxyLog: LogID { keys.proxyLog }
}

/// One connection from a sidecar to an upstream host: HTTP/2, carrying many streams at once, or HTTP/1.1,
/// carrying one request at a time.
struct UpstreamConnection: Equatable, Sendable, Codable {
  /// The connection's record in `Telemetry.connections`.
  var record: Int
  /// Envoy's id for it (`[C12]`).
  var envoyID: Int
  /// Streams open on it now.
  var active = 0
  /// Streams it has carried.
  var carried = 0
  /// Streams it may still carry before it drains (`maxRequestsPerConnection`).
  var remainingStreams: Int
  /// Accepts no new streams; closes when the last one ends.
  var draining = false
  /// Secured with Istio mutual TLS.
  var mtls: Bool
  /// The sidecar's end of it, as access logs name it.
  var source: AddressKey
  /// When it last carried a stream, for the idle timeout.
  var lastUsed: SimTime
  /// When its handshakes end, while it is still connecting; nil once connected.
  var connectsAt: SimTime?
}

/// The counters Envoy keeps per upstream cluster.
struct UpstreamStats: Equatable, Sendable, Codable {
  /// `upstream_cx_total`: connections opened.
  var connectionsTotal = 0
  /// `upstream_cx_active`: connections open now.
  var connectionsActive = 0
  /// `upstream_cx_overflow`: times the `max_connections` breaker was over its limit.
  var connectionsOverflow = 0
  /// `upstream_cx_max_requests`: connections drained for reaching `max_requests_per_connection`.
  var connectionsMaxRequests = 0
  /// `upstream_rq_total`: requests sent.
  var requestsTotal = 0
  /// `upstream_rq_pending_overflow`: requests refused by the pending or `max_requests` breakers.
  var requestsPendingOverflow = 0
  /// `upstream_rq_pending_total`: requests that found no ready connection and waited for one.
  var requestsPendingTotal = 0
  /// `outlier_detection.ejections_detected_consecutive_5xx`: hosts that reached `consecutive5xxErrors`.
  var ejectionsDetected5xx = 0
  /// `outlier_detection.ejections_enforced_consecutive_5xx`: those ejected for it.
  var ejectionsEnforced5xx = 0
  /// `outlier_detection.ejections_overflow`: ejections `maxEjectionPercent` refused.
  var ejectionsOverflow = 0

  /// The counters and gauges, with the circuit breakers' gauges as `breakers` reads them now, by the names
  /// Envoy gives them under `cluster.<name>.`.
  func stats(now breakers: ClusterGauges) -> [(name: String, value: Int)] {
    let open = [
      ("cx_open", breakers.connectionsOpen), ("cx_pool_open", false), ("rq_open", breakers.requestsOpen),
      ("rq_pending_open", breakers.pendingOpen), ("rq_retry_open", false),
    ]
    // Istio sets limits for the default priority only; no request uses the high one.
    let priorities = open.map { ("circuit_breakers.default.\($0.0)", $0.1 ? 1 : 0) }
      + open.map { ("circuit_breakers.high.\($0.0)", 0) }
    return priorities + [
      ("circuit_breakers.default.remaining_cx", breakers.remainingConnections),
      ("circuit_breakers.default.remaining_pending", breakers.remainingPending),
      ("circuit_breakers.default.remaining_retries", UpstreamPolicy.unlimited),
      ("circuit_breakers.default.remaining_rq", breakers.remainingRequests),
      ("upstream_cx_active", connectionsActive), ("upstream_cx_max_requests", connectionsMaxRequests),
      ("upstream_cx_overflow", connectionsOverflow), ("upstream_cx_total", connectionsTotal),
      ("upstream_rq_pending_active", breakers.pending), ("upstream_rq_pending_failure_eject", 0),
      ("upstream_rq_pending_overflow", requestsPendingOverflow), ("upstream_rq_pending_total", requestsPendingTotal),
      ("upstream_rq_total", requestsTotal),
    ] + (breakers.ejectionsActive.map { active in
      [
        ("ejections_active", active), ("ejections_consecutive_5xx", ejectionsDetected5xx),
        ("ejections_detected_consecutive_5xx", ejectionsDetected5xx), ("ejections_detected_consecutive_gateway_failure", 0),
        ("ejections_detected_consecutive_local_origin_failure", 0), ("ejections_detected_failure_percentage", 0),
        ("ejections_detected_local_origin_failure_percentage", 0), ("ejections_detected_local_origin_success_rate", 0),
        ("ejections_detected_success_rate", 0), ("ejections_enforced_consecutive_5xx", ejectionsEnforced5xx),
        ("ejections_enforced_consecutive_gateway_failure", 0), ("ejections_enforced_consecutive_local_origin_failure", 0),
        ("ejections_enforced_failure_percentage", 0), ("ejections_enforced_local_origin_failure_percentage", 0),
        ("ejections_enforced_local_origin_success_rate", 0), ("ejections_enforced_success_rate", 0),
        ("ejections_enforced_total", ejectionsEnforced5xx), ("ejections_overflow", ejectionsOverflow),
        ("ejections_success_rate", 0), ("ejections_total", ejectionsEnforced5xx),
      ].map { ("outlier_detection.\($0.0)", $0.1) }
    } ?? [])
  }
}

/// What a cluster's gauges read at one moment: whether each circuit breaker is open (at its limit) and the
/// room left under it, as Istio has Envoy track it, and the hosts outlier detection keeps out.
struct ClusterGauges: Equatable, Sendable {
  var connectionsOpen: Bool
  var requestsOpen: Bool
  var pendingOpen: Bool
  var remainingConnections: Int
  var remainingPending: Int
  var remainingRequests: Int
  /// Requests waiting for a connection now.
  var pending: Int
  /// Hosts outlier detection keeps out of balancing now; nil when the cluster has no outlier detection.
  var ejectionsActive: Int?
}

/// One host as outlier detection tracks it: its consecutive 5xx replies and its ejections.
struct HostOutlier: Equatable, Sendable, Codable {
  var consecutive5xx = 0
  /// The ejection multiplier: up by one at each ejection, down by one for each tick of the detector the
  /// host stays in; an ejection lasts `baseEjectionTime` times this.
  var ejections = 0
  /// When the host comes back into balancing, while it is ejected.
  var ejectedUntil: SimTime?
  /// The detector's last tick the host's multiplier was lowered at.
  var healthySince: SimTime?

  func isEjected(at now: SimTime) -> Bool { ejectedUntil.map { now < $0 } ?? false }
}

/// The limits and choices a DestinationRule gives an Envoy cluster, with Istio's translation applied:
/// unset and `0` both mean unlimited.
struct UpstreamPolicy: Equatable, Sendable, Codable {
  /// Envoy's "unlimited": 2^32 − 1 for circuit breakers.
  static let unlimited = 4_294_967_295

  var loadBalancer: LoadBalancer = .leastRequest
  /// What a consistent hash hashes each request on, when the rule sets `consistentHash` in place of `simple`.
  var hash: HashPolicy?
  var maxConnections = unlimited
  var maxPendingRequests = unlimited
  var maxRequests = unlimited
  /// Streams per connection before it drains; Envoy's cap is 2^29 when unset.
  var maxRequestsPerConnection = 536_870_912
  var idleTimeout = SimDuration.seconds(3_600)
  /// The DestinationRule's `tls.mode`, if it sets one; otherwise auto mTLS decides.
  var tlsMode: ClientTLSMode?
  /// Outlier detection, when the rule sets `outlierDetection`.
  var outlier: OutlierPolicy?

  /// `outlierDetection` as Istio gives it to Envoy, with Envoy's defaults for what it leaves out.
  struct OutlierPolicy: Equatable, Sendable, Codable {
    /// 5xx replies in a row that eject a host; 0 turns the detector off.
    var consecutive5xx = 5
    /// How often ejected hosts are looked at to be let back.
    var interval = SimDuration.seconds(10)
    /// How long a first ejection lasts.
    var baseEjectionTime = SimDuration.seconds(30)
    /// The most of the cluster's hosts that may be ejected at once, in percent.
    var maxEjectionPercent = 10

    /// The longest an ejection lasts, however often the host was ejected (Envoy's `max_ejection_time`).
    static let maximumEjectionTime = SimDuration.seconds(300)
  }

  /// The request attribute a ring hash (or Maglev) load balancer hashes on (`consistentHash`). It holds no
  /// references, so that the policy every call copies stays plain bits.
  enum HashPolicy: Equatable, Sendable, Codable {
    /// `useSourceIp`: the downstream address.
    case sourceIP
    /// `httpHeaderName`, by the header it names.
    case header(RequestHeader)
    /// `httpCookie`: a cookie the client sends back; Envoy sets it on the reply when it was missing.
    case cookie
    /// `httpQueryParameterName`, by the checksum of the name (`Checksum.fnv1a` of its UTF-8).
    case queryParameter(nameChecksum: UInt64)
  }

  /// A header a consistent hash may name: those the lab's requests carry, or another, which none carries.
  enum RequestHeader: Equatable, Sendable, Codable {
    case authority, path, userAgent, contentType, other

    /// The header `name` (any case) names; `host` is HTTP/2's `:authority`.
    init(_ name: String) {
      switch name.lowercased() {
      case ":authority", "host": self = .authority
      case ":path": self = .path
      case "user-agent": self = .userAgent
      case "content-type": self = .contentType
      default: self = .other
      }
    }
  }

  /// Envoy's balancing algorithms, as `loadBalancer.simple` names them.
  enum LoadBalancer: String, Equatable, Sendable, Codable {
    case leastRequest = "LEAST_REQUEST"
    case roundRobin = "ROUND_ROBIN"
    case random = "RANDOM"
    case passthrough = "PASSTHROUGH"
  }

  /// The policy `trafficPolicy` (already merged for the subset and port) describes.
  init(_ policy: TrafficPolicy?) {
    func limit(_ value: Int?) -> Int? { value.flatMap { $0 > 0 ? $0 : nil } }
    switch policy?.loadBalancer?.simple {
    case "ROUND_ROBIN": loadBalancer = .roundRobin
    case "RANDOM": loadBalancer = .random
    case "PASSTHROUGH": loadBalancer = .passthrough
    default: loadBalancer = .leastRequest
    }
    if let hash = policy?.loadBalancer?.consistentHash {
      if hash.useSourceIp == true {
        self.hash = .sourceIP
      } else if let name = hash.httpHeaderName {
        self.hash = .header(RequestHeader(name))
      } else if hash.httpCookie != nil {
        self.hash = .cookie
      } else if let name = hash.httpQueryParameterName {
        self.hash = .queryParameter(nameChecksum: Checksum.fnv1a(Array(name.utf8)))
      }
    }
    let pool = policy?.connectionPool
    maxConnections = limit(pool?.tcp?.maxConnections) ?? Self.unlimited
    maxPendingRequests = limit(pool?.http?.http1MaxPendingRequests) ?? Self.unlimited
    maxRequests = limit(pool?.http?.http2MaxRequests) ?? Self.unlimited
    maxRequestsPerConnection = limit(pool?.http?.maxRequestsPerConnection) ?? 536_870_912
    if let text = pool?.http?.idleTimeout ?? pool?.tcp?.idleTimeout, let duration = SimDuration(istio: text),
      duration.nanoseconds > 0
    {
      idleTimeout = duration
    }
    tlsMode = policy?.tls?.mode.flatMap(ClientTLSMode.init(rawValue:))
    if let detection = policy?.outlierDetection {
      var outlier = OutlierPolicy()
      if let errors = detection.consecutive5xxErrors { outlier.consecutive5xx = max(errors, 0) }
      // Durations past a year change nothing a lab can see, and keep the clock's sums in range.
      let year = SimDuration.seconds(365 * 24 * 3600)
      if let text = detection.interval, let duration = SimDuration(istio: text), duration.nanoseconds > 0 {
        outlier.interval = min(duration, year)
      }
      if let text = detection.baseEjectionTime, let duration = SimDuration(istio: text), duration.nanoseconds > 0 {
        outlier.baseEjectionTime = min(duration, year)
      }
      // Istio passes the percentage on only when it is above 0; Envoy's default stands otherwise.
      if let percent = detection.maxEjectionPercent, percent > 0 { outlier.maxEjectionPercent = min(percent, 100) }
      self.outlier = outlier
    }
  }
}

extension SimDuration {
  /// Parses a protobuf duration as Istio writes it: `10s`, `1.5s`, `100ms`, `1h`, `2m`.
  init?(istio text: String) {
    let units: [(suffix: String, nanoseconds: Double)] = [
      ("ms", 1e6), ("us", 1e3), ("ns", 1), ("h", 3.6e12), ("m", 6e10), ("s", 1e9),
    ]
    guard let unit = units.first(where: { text.hasSuffix($0.suffix) }),
      let value = Double(text.dropLast(unit.suffix.count)), value.isFinite,
      abs(value * unit.nanoseconds) < 9.2e18
    else { return nil }
    self.init(nanoseconds: Int64(value * unit.nanoseconds))
  }
}
