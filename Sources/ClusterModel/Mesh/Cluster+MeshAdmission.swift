/// Errors Istio's validation collects for one object, combined as hashicorp/go-multierror combines them.
struct IstioValidation {
  private(set) var errors: [String] = []
  /// Set when a leaf check wrapped its error in a multierror, which prints as a list even alone.
  private var listed = false

  mutating func add(_ message: String) { errors.append(message) }

  /// Adds `message` as `multierror.Append(nil, err)` leaves do.
  mutating func addListed(_ message: String) {
    errors.append(message)
    listed = true
  }

  /// `configuration is invalid: …` with one bare error, or `N errors occurred:` and a tab-indented list.
  var message: String? {
    guard let first = errors.first else { return nil }
    if errors.count == 1 && !listed { return "configuration is invalid: \(first)" }
    let noun = errors.count == 1 ? "error" : "errors"
    return "configuration is invalid: \(errors.count) \(noun) occurred:\n\t" + errors.map { "* \($0)" }.joined(separator: "\n\t") + "\n\n"
  }
}

extension Cluster {
  /// The webhook that validates Istio resources.
  static let istioWebhook = "validation.istio.io"

  /// Admission for mesh resources: the CRD schema's enums first (the API server), then Istio's webhook.
  mutating func admitMesh(_ object: inout APIObject) throws(ClusterError) {
    let name = object.metadata.name
    var causes: [String] = []
    var validation = IstioValidation()
    switch object {
    case .destinationRule(let rule):
      causes = Self.enumProblems(rule)
      Self.validate(rule, into: &validation)
    case .virtualService(let service):
      Self.validate(service, into: &validation)
    case .gateway(let gateway):
      for (index, server) in (gateway.spec.servers ?? []).enumerated() {
        if let mode = server.tls?.mode, !Self.gatewayTLSModes.contains(mode) {
          causes.append(Self.unsupported("spec.servers[\(index)].tls.mode", mode, Self.gatewayTLSModes))
        }
      }
      Self.validate(gateway, into: &validation)
    case .peerAuthentication(let policy):
      let modes = PeerAuthenticationMode.allCases.map(\.rawValue)
      if let mode = policy.spec.mtls?.mode, !modes.contains(mode) {
        causes.append(Self.unsupported("spec.mtls.mode", mode, modes))
      }
    case .serviceMeshMemberRoll(let roll):
      let webhook = "smmr.validation.maistra.io"
      if roll.metadata.namespace != Self.controlPlaneNamespace {
        throw .denied(
          webhook: webhook, reason: "BadRequest",
          message: "no service mesh is configured in namespace '\(roll.metadata.namespace ?? "")'")
      }
      if roll.metadata.name != "default" {
        throw .denied(webhook: webhook, reason: "BadRequest", message: "ServiceMeshMemberRoll must be named 'default'")
      }
    default:
      break
    }
    if !causes.isEmpty { throw .invalid(object.kind, name: name, causes: causes) }
    if let message = validation.message { throw .denied(webhook: Self.istioWebhook, message: message) }
  }

  static let loadBalancerValues = ["UNSPECIFIED", "LEAST_CONN", "RANDOM", "PASSTHROUGH", "ROUND_ROBIN", "LEAST_REQUEST"]
  static let clientTLSModes = ClientTLSMode.allCases.map(\.rawValue)
  static let gatewayTLSModes = ServerTLSMode.allCases.map(\.rawValue)
  static let h2UpgradePolicies = ["DEFAULT", "DO_NOT_UPGRADE", "UPGRADE"]

  /// `path: Unsupported value: "FOO": supported values: "A", "B"`, as the API server words a CRD enum violation.
  static func unsupported(_ path: String, _ value: String, _ values: [String]) -> String {
    "\(path): Unsupported value: \"\(value)\": supported values: " + values.map { "\"\($0)\"" }.joined(separator: ", ")
  }

  /// The enum fields of a DestinationRule that its CRD schema rejects.
  private static func enumProblems(_ rule: DestinationRule) -> [String] {
    var causes: [String] = []
    func check(_ policy: TrafficPolicy?, _ path: String) {
      guard let policy else { return }
      if let simple = policy.loadBalancer?.simple, !loadBalancerValues.contains(simple) {
        causes.append(unsupported("\(path).loadBalancer.simple", simple, loadBalancerValues))
      }
      if let mode = policy.tls?.mode, !clientTLSModes.contains(mode) {
        causes.append(unsupported("\(path).tls.mode", mode, clientTLSModes))
      }
      if let upgrade = policy.connectionPool?.http?.h2UpgradePolicy, !h2UpgradePolicies.contains(upgrade) {
        causes.append(unsupported("\(path).connectionPool.http.h2UpgradePolicy", upgrade, h2UpgradePolicies))
      }
    }
    check(rule.spec.trafficPolicy, "spec.trafficPolicy")
    for (index, subset) in (rule.spec.subsets ?? []).enumerated() {
      check(subset.trafficPolicy, "spec.subsets[\(index)].trafficPolicy")
    }
    return causes
  }

  // MARK: - DestinationRule

  static func validate(_ rule: DestinationRule, into v: inout IstioValidation) {
    validateWildcardDomain(rule.spec.host ?? "", into: &v)
    validate(rule.spec.trafficPolicy, into: &v)
    for subset in rule.spec.subsets ?? [] {
      let name = subset.name ?? ""
      if name.isEmpty {
        v.add("subset name cannot be empty")
      } else if !isDNS1123Label(name) {
        v.add("subset name is invalid: \(name)")
      }
      validate(subset.trafficPolicy, into: &v)
    }
  }

  private static func validate(_ policy: TrafficPolicy?, into v: inout IstioValidation) {
    guard let policy else { return }
    if policy.loadBalancer == nil && policy.connectionPool == nil && policy.outlierDetection == nil && policy.tls == nil
      && policy.portLevelSettings == nil
    {
      v.add("traffic policy must have at least one field")
      return
    }
    if let outlier = policy.outlierDetection {
      for duration in [outlier.baseEjectionTime, outlier.interval].compactMap({ $0 }) { validateDuration(duration, into: &v) }
      if let percent = outlier.maxEjectionPercent, !(0...100).contains(percent) {
        v.add("percentage \(percent) is not in range 0..100")
      }
    }
    validate(policy.connectionPool, into: &v)
    validate(policy.tls, into: &v)
    for level in policy.portLevelSettings ?? [] {
      if level.port?.number == nil || level.port?.number == 0 {
        v.add("portTrafficPolicy must have valid port")
      }
      if level.loadBalancer == nil && level.connectionPool == nil && level.tls == nil {
        v.add("port traffic policy must have at least one field")
      }
      validate(level.connectionPool, into: &v)
      validate(level.tls, into: &v)
    }
  }

  private static func validate(_ pool: ConnectionPoolSettings?, into v: inout IstioValidation) {
    guard let pool else { return }
    if pool.http == nil && pool.tcp == nil {
      v.add("connection pool must have at least one field")
      return
    }
    if let http = pool.http {
      if (http.http1MaxPendingRequests ?? 0) < 0 { v.add("http1 max pending requests must be non-negative") }
      if (http.http2MaxRequests ?? 0) < 0 { v.add("http2 max requests must be non-negative") }
      if (http.maxRequestsPerConnection ?? 0) < 0 { v.add("max requests per connection must be non-negative") }
      if (http.maxRetries ?? 0) < 0 { v.add("max retries must be non-negative") }
      if let idle = http.idleTimeout { validateDuration(idle, into: &v) }
      if http.h2UpgradePolicy == "UPGRADE" && http.useClientProtocol == true {
        v.add("use client protocol must not be true when H2UpgradePolicy is UPGRADE")
      }
    }
    if let tcp = pool.tcp {
      if (tcp.maxConnections ?? 0) < 0 { v.add("max connections must be non-negative") }
      if let timeout = tcp.connectTimeout { validateDuration(timeout, into: &v) }
    }
  }

  private static func validate(_ tls: ClientTLSSettings?, into v: inout IstioValidation) {
    let mode = tls?.mode.flatMap(ClientTLSMode.init(rawValue:))
    guard let tls, mode == .simple || mode == .mutual else { return }
    if tls.credentialName != nil {
      if tls.clientCertificate != nil || tls.caCertificates != nil || tls.privateKey != nil {
        v.add("cannot specify client certificates or CA certificate If credentialName is set")
      }
      return
    }
    if mode == .mutual {
      if tls.clientCertificate == nil { v.add("client certificate required for mutual tls") }
      if tls.privateKey == nil { v.add("private key required for mutual tls") }
    }
  }

  // MARK: - VirtualService

  static func validate(_ service: VirtualService, into v: inout IstioValidation) {
    let hosts = service.spec.hosts ?? []
    let gateways = service.spec.gateways ?? []
    for gateway in gateways where gateway != "mesh" {
      if gateway.contains("/") {
        let parts = gateway.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        if parts[0].isEmpty || parts[1].isEmpty {
          v.add("config namespace and gateway name cannot be empty")
        } else if !isDNS1123Label(parts[0]) {
          v.add("invalid value for namespace: \"\(parts[0])\"")
        } else if !isDNS1123Label(parts[1]) {
          v.add("invalid value for gateway name: \"\(parts[1])\"")
        }
      } else {
        validateFQDN(gateway, into: &v)
      }
    }
    let appliesToMesh = gateways.isEmpty || gateways.contains("mesh")
    var hostsValid = true
    for host in hosts {
      let before = v.errors.count
      validateWildcardDomain(host, into: &v)
      if v.errors.count > before { hostsValid = false }
      if appliesToMesh && host == "*" {
        v.add("wildcard host * is not allowed for virtual services bound to the mesh gateway")
        hostsValid = false
      }
    }
    if hostsValid {
      for (i, a) in hosts.enumerated() {
        for b in hosts[(i + 1)...] where hostsOverlap(a, b) {
          v.add("duplicate hosts in virtual service: \(a) & \(b)")
        }
      }
    }
    guard let routes = service.spec.http, !routes.isEmpty else {
      v.add("http, tcp or tls must be provided in virtual service")
      return
    }
    for route in routes {
      guard let destinations = route.route, !destinations.isEmpty else {
        v.add("HTTP route, redirect or direct_response is required")
        continue
      }
      var total = 0
      for destination in destinations {
        let host = destination.destination.host
        if host.isEmpty && destination.destination == Destination(host: "") {
          v.addListed("destination is required")
          continue
        }
        if host == "*" {
          v.add("invalid destination host *")
        } else {
          validateWildcardDomain(host, into: &v)
        }
        if let subset = destination.destination.subset, !isDNS1123Label(subset) {
          v.add(subset.isEmpty ? "subset name cannot be empty" : "subset name is invalid: \(subset)")
        }
        if let port = destination.destination.port {
          let number = port.number ?? 0
          if !(1...65535).contains(number) { v.add("port number \(number) must be in the range 1..65535") }
        }
        let weight = destination.weight ?? 0
        if weight < 0 { v.add("weight \(weight) < 0") }
        total += min(max(weight, 0), Int(Int32.max))
      }
      if destinations.count > 1 && total == 0 && destinations.allSatisfy({ ($0.weight ?? 0) >= 0 }) {
        v.add("total destination weight = 0")
      }
    }
  }

  // MARK: - Gateway

  static func validate(_ gateway: Gateway, into v: inout IstioValidation) {
    if !isDNS1123Label(gateway.metadata.name) {
      v.add("invalid gateway name: \"\(gateway.metadata.name)\"")
    }
    guard let servers = gateway.spec.servers, !servers.isEmpty else {
      v.add("gateway must have at least one server")
      return
    }
    var portNames: Set<String> = []
    for server in servers {
      let hosts = server.hosts ?? []
      if hosts.isEmpty { v.add("server config must contain at least one host") }
      for host in hosts {
        let parts = host.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        var dnsName = host
        if parts.count == 2 {
          if parts[0].isEmpty || parts[1].isEmpty {
            v.add("config namespace and dnsName in host entry cannot be empty")
            continue
          }
          if parts[0] != "*" && parts[0] != "." && !isDNS1123Label(parts[0]) {
            v.add("invalid namespace value \"\(parts[0])\" in gateway")
          }
          dnsName = parts[1]
        }
        if dnsName != "*" && !dnsName.contains(".") {
          v.add("short names (non FQDN) are not allowed")
        } else if !isIPv4(dnsName) {
          validateWildcardDomain(dnsName, into: &v)
        }
      }
      guard let port = server.port else {
        v.add("port is required")
        continue
      }
      let protocols = ["TCP", "UDP", "GRPC", "GRPC-WEB", "HTTP", "HTTP_PROXY", "HTTP2", "HTTPS", "TLS", "MONGO", "REDIS", "MYSQL"]
      let proto = (port.protocol ?? "").uppercased()
      var portValid = true
      if !protocols.contains(proto) {
        v.add("invalid protocol \"\(port.protocol ?? "")\", supported protocols are HTTP, HTTP2, GRPC, GRPC-WEB, MONGO, REDIS, MYSQL, TCP")
        portValid = false
      }
      if let number = port.number, number > 0, number > 65535 {
        v.add("port number \(number) must be in the range 1..65535")
        portValid = false
      }
      if (port.name ?? "").isEmpty {
        v.add("port name must be set: number:\(port.number ?? 0) protocol:\"\(port.protocol ?? "")\"")
        portValid = false
      }
      validate(server.tls, into: &v)
      if portValid {
        let secure = proto == "HTTPS" || proto == "TLS"
        let plainHTTP = ["HTTP", "HTTP2", "GRPC", "GRPC-WEB", "HTTP_PROXY"].contains(proto)
        if secure && server.tls == nil {
          v.add("server must have TLS settings for HTTPS/TLS protocols")
        } else if plainHTTP, let tls = server.tls {
          let mode = tls.mode.flatMap(ServerTLSMode.init(rawValue:))
          let passthrough = tls.mode == nil || mode == .passthrough || mode == .autoPassthrough
          if !passthrough || tls.serverCertificate != nil || tls.privateKey != nil || tls.caCertificates != nil || tls.credentialName != nil {
            v.add("server cannot have TLS settings for plain text HTTP ports")
          }
        } else if !secure && !plainHTTP && server.tls != nil {
          v.add("server cannot have TLS settings for non HTTPS/TLS ports")
        }
      }
      let name = port.name ?? ""
      if portNames.contains(name) { v.add("port names in servers must be unique: duplicate name \(name)") }
      portNames.insert(name)
    }
  }

  private static func validate(_ tls: Gateway.ServerTLS?, into v: inout IstioValidation) {
    guard let tls else { return }
    let mode = tls.mode.flatMap(ServerTLSMode.init(rawValue:))
    switch mode {
    case .istioMutual:
      if tls.serverCertificate != nil { v.add("ISTIO_MUTUAL TLS cannot have associated server certificate") }
      if tls.privateKey != nil { v.add("ISTIO_MUTUAL TLS cannot have associated private key") }
      if tls.caCertificates != nil { v.add("ISTIO_MUTUAL TLS cannot have associated CA bundle") }
      if tls.credentialName != nil { v.add("ISTIO_MUTUAL TLS cannot have associated credentialName") }
    case .simple, .mutual, .optionalMutual:
      if tls.credentialName != nil { return }
      let named = mode == .simple ? "SIMPLE" : "MUTUAL"
      if tls.serverCertificate == nil { v.add("\(named) TLS requires a server certificate") }
      if tls.privateKey == nil { v.add("\(named) TLS requires a private key") }
      if named == "MUTUAL" && tls.caCertificates == nil { v.add("MUTUAL TLS requires a client CA bundle") }
    default:
      break
    }
  }

  // MARK: - Names

  /// Istio's `ValidateWildcardDomain`: DNS labels, a wildcard only as (the start of) the first label.
  private static func validateWildcardDomain(_ domain: String, into v: inout IstioValidation) {
    if domain.isEmpty {
      v.add("empty domain name not allowed")
      return
    }
    if domain.count > 255 {
      v.add("domain name \"\(domain)\" too long (max 255)")
      return
    }
    var labels = domain.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    if labels.count > 1 && labels.last == "" { labels.removeLast() }
    if let first = labels.first, first.hasPrefix("*") {
      let rest = String(first.dropFirst())
      if !rest.isEmpty && !isDNSLabel(rest, allowLeadingHyphen: true) {
        v.add("domain name \"\(domain)\" invalid (label \"\(first)\" invalid)")
        return
      }
      labels.removeFirst()
    }
    checkLabels(labels, domain: domain, into: &v)
  }

  /// Istio's `ValidateFQDN`: like a wildcard domain, without the wildcard.
  private static func validateFQDN(_ domain: String, into v: inout IstioValidation) {
    if domain.isEmpty {
      v.add("empty domain name not allowed")
      return
    }
    checkLabels(domain.split(separator: ".", omittingEmptySubsequences: false).map(String.init), domain: domain, into: &v)
  }

  private static func checkLabels(_ labels: [String], domain: String, into v: inout IstioValidation) {
    for label in labels where !isDNSLabel(label, allowLeadingHyphen: false) {
      v.add("domain name \"\(domain)\" invalid (label \"\(label)\" invalid)")
      return
    }
    if let top = labels.last, !top.isEmpty, top.allSatisfy(\.isNumber), labels.count > 1, !isIPv4(domain) {
      v.add("domain name \"\(domain)\" invalid (top level domain \"\(top)\" cannot be all-numeric)")
    }
  }

  /// `[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?`, at most 63 characters.
  private static func isDNSLabel(_ label: String, allowLeadingHyphen: Bool) -> Bool {
    guard !label.isEmpty, label.count <= 63, label.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }),
      label.last != "-"
    else { return false }
    return allowLeadingHyphen || label.first != "-"
  }

  /// A lower-case RFC 1123 label, as Kubernetes names and subset names must be.
  static func isDNS1123Label(_ text: String) -> Bool {
    guard !text.isEmpty, text.count <= 63, text.first != "-", text.last != "-" else { return false }
    return text.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
  }

  /// Istio's `ValidateDuration`: at least 1 ms, whole milliseconds.
  private static func validateDuration(_ text: String, into v: inout IstioValidation) {
    guard let duration = SimDuration(istio: text) else {
      v.add("invalid duration: \(text)")
      return
    }
    if duration.nanoseconds < 1_000_000 {
      v.add("duration must be greater than 1ms")
    } else if duration.nanoseconds % 1_000_000 != 0 {
      v.add("only durations to ms precision are supported")
    }
  }

  /// Whether two Istio host patterns can name the same host (`*.foo.bar` and `*.bar`).
  static func hostsOverlap(_ a: String, _ b: String) -> Bool {
    hostMatches(pattern: a, host: b) || hostMatches(pattern: b, host: a)
  }
}
