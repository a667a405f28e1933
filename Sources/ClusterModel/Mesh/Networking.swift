/// An Istio VirtualService (`networking.istio.io`): how requests for some hosts are routed.
public struct VirtualService: Codable, Equatable, Sendable {
  public var apiVersion: String
  public var kind: String = "VirtualService"
  public var metadata: ObjectMeta
  public var spec: Spec

  public init(apiVersion: String = "networking.istio.io/v1beta1", metadata: ObjectMeta, spec: Spec) {
    self.apiVersion = apiVersion
    self.metadata = metadata
    self.spec = spec
  }

  /// The hosts a VirtualService routes, the gateways it binds to, and its HTTP routes.
  public struct Spec: Codable, Equatable, Sendable {
    public var hosts: [String]?
    /// Gateways the routes apply to (`ns/name` or `name`); `mesh` means the sidecars. Empty: `mesh` only.
    public var gateways: [String]?
    public var http: [HTTPRoute]?
    public var exportTo: [String]?

    public init(hosts: [String]? = nil, gateways: [String]? = nil, http: [HTTPRoute]? = nil) {
      self.hosts = hosts
      self.gateways = gateways
      self.http = http
    }
  }

  /// One HTTP route rule: match conditions and weighted destinations.
  public struct HTTPRoute: Codable, Equatable, Sendable {
    public var name: String?
    public var match: [HTTPMatch]?
    public var route: [RouteDestination]?
    public var timeout: String?

    public init(name: String? = nil, match: [HTTPMatch]? = nil, route: [RouteDestination]? = nil) {
      self.name = name
      self.match = match
      self.route = route
    }
  }

  /// Conditions a request must meet for a route to apply.
  public struct HTTPMatch: Codable, Equatable, Sendable {
    public var name: String?
    public var uri: StringMatch?
    public var port: Int?
    public var gateways: [String]?
  }

  /// `exact`, `prefix` or `regex`.
  public struct StringMatch: Codable, Equatable, Sendable {
    public var exact: String?
    public var prefix: String?
    public var regex: String?

    /// Whether `value` satisfies the match; a regex is matched as a whole-string pattern.
    public func matches(_ value: String) -> Bool {
      if let exact { return value == exact }
      if let prefix { return value.hasPrefix(prefix) }
      if let regex { return (try? Regex("^(?:\(regex))$").wholeMatch(in: value)) != nil }
      return true
    }

    /// The match as `istioctl proxy-config route` shows it: `/p*` for a prefix, the path, or `regex …`.
    var display: String {
      if let exact { return exact }
      if let prefix { return prefix + "*" }
      if let regex { return "regex \(regex)" }
      return "/*"
    }
  }

  /// A weighted destination of a route.
  public struct RouteDestination: Codable, Equatable, Sendable {
    public var destination: Destination
    public var weight: Int?

    public init(destination: Destination, weight: Int? = nil) {
      self.destination = destination
      self.weight = weight
    }

    /// The share Istio gives this destination among `count` of one route: its weight, else all of it when
    /// it stands alone and none when it has siblings; clamped to what Envoy accepts.
    func effectiveWeight(among count: Int) -> Int {
      min(max(weight ?? (count == 1 ? 100 : 0), 0), Int(Int32.max))
    }
  }
}

/// Where a route sends requests: a service host, an optional subset and port.
public struct Destination: Codable, Equatable, Sendable {
  public var host: String
  public var subset: String?
  public var port: PortSelector?

  public init(host: String, subset: String? = nil, port: PortSelector? = nil) {
    self.host = host
    self.subset = subset
    self.port = port
  }

  /// A port by number.
  public struct PortSelector: Codable, Equatable, Sendable {
    public var number: Int?

    public init(number: Int?) { self.number = number }
  }
}

/// An Istio DestinationRule (`networking.istio.io`): policies that apply after routing.
public struct DestinationRule: Codable, Equatable, Sendable {
  public var apiVersion: String
  public var kind: String = "DestinationRule"
  public var metadata: ObjectMeta
  public var spec: Spec

  public init(apiVersion: String = "networking.istio.io/v1beta1", metadata: ObjectMeta, spec: Spec) {
    self.apiVersion = apiVersion
    self.metadata = metadata
    self.spec = spec
  }

  /// The host a DestinationRule applies to, its traffic policy and its subsets.
  public struct Spec: Codable, Equatable, Sendable {
    public var host: String?
    public var trafficPolicy: TrafficPolicy?
    public var subsets: [Subset]?
    public var exportTo: [String]?

    public init(host: String?, trafficPolicy: TrafficPolicy? = nil, subsets: [Subset]? = nil) {
      self.host = host
      self.trafficPolicy = trafficPolicy
      self.subsets = subsets
    }
  }

  /// A named group of a service's endpoints, chosen by labels, with an optional policy override.
  public struct Subset: Codable, Equatable, Sendable {
    public var name: String?
    public var labels: [String: String]?
    public var trafficPolicy: TrafficPolicy?
  }
}

/// Load balancing, connection pool and TLS settings for a destination.
public struct TrafficPolicy: Codable, Equatable, Sendable {
  public var loadBalancer: LoadBalancerSettings?
  public var connectionPool: ConnectionPoolSettings?
  public var outlierDetection: OutlierDetection?
  public var tls: ClientTLSSettings?
  public var portLevelSettings: [PortTrafficPolicy]?

  public init(
    loadBalancer: LoadBalancerSettings? = nil, connectionPool: ConnectionPoolSettings? = nil,
    tls: ClientTLSSettings? = nil
  ) {
    self.loadBalancer = loadBalancer
    self.connectionPool = connectionPool
    self.tls = tls
  }

  /// A policy for one port of the destination.
  public struct PortTrafficPolicy: Codable, Equatable, Sendable {
    public var port: Destination.PortSelector?
    public var loadBalancer: LoadBalancerSettings?
    public var connectionPool: ConnectionPoolSettings?
    public var outlierDetection: OutlierDetection?
    public var tls: ClientTLSSettings?
  }

  /// Ejection of failing hosts: the sidecars' outlier detection (`UpstreamPolicy.OutlierPolicy`).
  public struct OutlierDetection: Codable, Equatable, Sendable {
    public var consecutive5xxErrors: Int?
    public var consecutiveGatewayErrors: Int?
    public var interval: String?
    public var baseEjectionTime: String?
    public var maxEjectionPercent: Int?
  }
}

/// `loadBalancer`: a simple policy, or a consistent hash over a request attribute (`UpstreamPolicy.HashPolicy`).
public struct LoadBalancerSettings: Codable, Equatable, Sendable {
  public var simple: String?
  public var consistentHash: ConsistentHash?

  public init(simple: String?) { self.simple = simple }

  /// `consistentHash`: what requests hash on, and the ring or Maglev table that maps hashes to hosts.
  public struct ConsistentHash: Codable, Equatable, Sendable {
    public var httpHeaderName: String?
    public var httpCookie: HTTPCookie?
    public var useSourceIp: Bool?
    public var httpQueryParameterName: String?
    public var ringHash: RingHash?
    public var maglev: Maglev?
    /// Deprecated in favour of `ringHash.minimumRingSize`.
    public var minimumRingSize: Int?
  }

  /// A cookie to hash on, which Envoy sets when it is missing.
  public struct HTTPCookie: Codable, Equatable, Sendable {
    public var name: String?
    public var path: String?
    public var ttl: String?
  }

  /// A ring of hashes, at least `minimumRingSize` entries long.
  public struct RingHash: Codable, Equatable, Sendable {
    public var minimumRingSize: Int?
  }

  /// A Maglev lookup table of `tableSize` entries, a prime.
  public struct Maglev: Codable, Equatable, Sendable {
    public var tableSize: Int?
  }
}

/// `connectionPool`: TCP and HTTP limits, each applied per client proxy (0 or unset: unlimited).
public struct ConnectionPoolSettings: Codable, Equatable, Sendable {
  public var tcp: TCP?
  public var http: HTTP?

  public init(tcp: TCP? = nil, http: HTTP? = nil) {
    self.tcp = tcp
    self.http = http
  }

  /// Limits on TCP connections to the destination.
  public struct TCP: Codable, Equatable, Sendable {
    public var maxConnections: Int?
    public var connectTimeout: String?
    public var idleTimeout: String?
    public var maxConnectionDuration: String?
    public var tcpKeepalive: Keepalive?

    public init(maxConnections: Int? = nil) { self.maxConnections = maxConnections }

    /// TCP keepalive probes on upstream connections.
    public struct Keepalive: Codable, Equatable, Sendable {
      public var probes: Int?
      public var time: String?
      public var interval: String?
    }
  }

  /// Limits on HTTP requests to the destination.
  public struct HTTP: Codable, Equatable, Sendable {
    public var http1MaxPendingRequests: Int?
    public var http2MaxRequests: Int?
    public var maxRequestsPerConnection: Int?
    public var maxRetries: Int?
    public var idleTimeout: String?
    public var h2UpgradePolicy: String?
    public var useClientProtocol: Bool?
    public var maxConcurrentStreams: Int?

    public init(http1MaxPendingRequests: Int? = nil, http2MaxRequests: Int? = nil, maxRequestsPerConnection: Int? = nil) {
      self.http1MaxPendingRequests = http1MaxPendingRequests
      self.http2MaxRequests = http2MaxRequests
      self.maxRequestsPerConnection = maxRequestsPerConnection
    }
  }
}

/// `tls` of a DestinationRule: how the client proxy secures upstream connections.
public struct ClientTLSSettings: Codable, Equatable, Sendable {
  public var mode: String?
  public var clientCertificate: String?
  public var privateKey: String?
  public var caCertificates: String?
  public var credentialName: String?
  public var caCrl: String?
  public var sni: String?
  public var subjectAltNames: [String]?
  public var insecureSkipVerify: Bool?

  public init(mode: String?) { self.mode = mode }
}

/// An Istio Gateway (`networking.istio.io`): ports, hosts and TLS a gateway proxy serves.
public struct Gateway: Codable, Equatable, Sendable {
  public var apiVersion: String
  public var kind: String = "Gateway"
  public var metadata: ObjectMeta
  public var spec: Spec

  public init(apiVersion: String = "networking.istio.io/v1beta1", metadata: ObjectMeta, spec: Spec) {
    self.apiVersion = apiVersion
    self.metadata = metadata
    self.spec = spec
  }

  /// The gateway pods it configures (by label) and the servers they expose.
  public struct Spec: Codable, Equatable, Sendable {
    public var selector: [String: String]?
    public var servers: [Server]?

    public init(selector: [String: String]?, servers: [Server]?) {
      self.selector = selector
      self.servers = servers
    }
  }

  /// One listening port of the gateway, with its hosts and TLS settings.
  public struct Server: Codable, Equatable, Sendable {
    public var port: Port?
    public var hosts: [String]?
    public var tls: ServerTLS?
    public var name: String?
  }

  /// A server port: number, name and protocol.
  public struct Port: Codable, Equatable, Sendable {
    public var number: Int?
    public var name: String?
    public var `protocol`: String?
    public var targetPort: Int?
  }

  /// How the gateway terminates TLS.
  public struct ServerTLS: Codable, Equatable, Sendable {
    public var httpsRedirect: Bool?
    public var mode: String?
    public var credentialName: String?
    public var serverCertificate: String?
    public var privateKey: String?
    public var caCertificates: String?
    public var caCrl: String?
    /// Several credentials, one per certificate type (RSA and ECDSA), instead of `credentialName`.
    public var credentialNames: [String]?
    /// Several certificates from files, instead of `serverCertificate` and `privateKey`.
    public var tlsCertificates: [Certificate]?
    public var subjectAltNames: [String]?
    public var minProtocolVersion: String?
    public var maxProtocolVersion: String?

    /// One entry of `tlsCertificates`.
    public struct Certificate: Codable, Equatable, Sendable {
      public var serverCertificate: String?
      public var privateKey: String?
      public var caCertificates: String?
    }
  }
}

/// An Istio PeerAuthentication (`security.istio.io/v1beta1`): what mTLS a workload's sidecar accepts.
public struct PeerAuthentication: Codable, Equatable, Sendable {
  public var apiVersion: String
  public var kind: String = "PeerAuthentication"
  public var metadata: ObjectMeta
  public var spec: Spec

  public init(apiVersion: String = "security.istio.io/v1beta1", metadata: ObjectMeta, spec: Spec) {
    self.apiVersion = apiVersion
    self.metadata = metadata
    self.spec = spec
  }

  /// The workloads it applies to and the mutual-TLS mode they accept.
  public struct Spec: Codable, Equatable, Sendable {
    public var selector: Selector?
    public var mtls: MutualTLS?
    public var portLevelMtls: [String: MutualTLS]?

    public init(selector: Selector? = nil, mtls: MutualTLS?) {
      self.selector = selector
      self.mtls = mtls
    }
  }

  /// `selector.matchLabels`.
  public struct Selector: Codable, Equatable, Sendable {
    public var matchLabels: [String: String]?

    public init(matchLabels: [String: String]?) { self.matchLabels = matchLabels }
  }

  /// `mtls.mode`: UNSET, DISABLE, PERMISSIVE or STRICT.
  public struct MutualTLS: Codable, Equatable, Sendable {
    public var mode: String?

    public init(mode: String?) { self.mode = mode }
  }
}

extension APIObject {
  /// The object as the API server answers a request made in `version`: networking.istio.io's versions
  /// share one schema and its CRDs convert none, so a rule written in any of them reads back in the one
  /// asked for. Objects of other kinds are returned as they are.
  func served(as version: String) -> APIObject {
    switch self {
    case .destinationRule(var rule):
      rule.apiVersion = version
      return .destinationRule(rule)
    case .virtualService(var service):
      service.apiVersion = version
      return .virtualService(service)
    case .gateway(var gateway):
      gateway.apiVersion = version
      return .gateway(gateway)
    default:
      return self
    }
  }

  /// The object as the API server answers `request`, a write of it: in the version the request was made in.
  public func served(like request: APIObject) -> APIObject {
    switch request {
    case .destinationRule(let rule): served(as: rule.apiVersion)
    case .virtualService(let service): served(as: service.apiVersion)
    case .gateway(let gateway): served(as: gateway.apiVersion)
    default: self
    }
  }
}
