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

  /// Admission for mesh resources: the CRD schema's enums first (the API server), then Istio's webhook;
  /// a networking.istio.io object is then kept at the preferred version.
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
    object = object.served(as: object.kind.apiVersion)
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
    var names: Set<String> = []
    for subset in rule.spec.subsets ?? [] {
      let name = subset.name ?? ""
      if !names.insert(name).inserted { v.add("duplicate subset names: \(name)") }
      if name.isEmpty {
        v.add("subset name cannot be empty")
      } else if !isIstioLabel(name) {
        v.add("subset name is invalid: \(name)")
      }
      for (key, value) in (subset.labels ?? [:]).sorted(by: { $0.key < $1.key }) {
        if let problem = tagKeyProblem(key) { v.addListed(problem) }
        if !value.isEmpty && !ASCIIName.isQualifiedName(value) { v.addListed("invalid tag value: \(value.goQuoted)") }
      }
      validate(subset.trafficPolicy, into: &v)
    }
  }

  /// Why `key` is not a Kubernetes label key (`prefix/name`), in Istio's words; nil when it is one.
  private static func tagKeyProblem(_ key: String) -> String? {
    let parts = key.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
    let prefix = parts.count == 2 ? parts[0] : nil
    let name = parts.last ?? ""
    let prefixValid = prefix.map { !$0.isEmpty && $0.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { isIstioLabel(String($0), limited: false) } } ?? true
    guard prefixValid, ASCIIName.isQualifiedName(name) else { return "invalid tag key: \(key.goQuoted)" }
    if let prefix, prefix.utf8.count > 253 { return "invalid tag key: \(key.goQuoted) (DNS prefix is too long)" }
    if name.utf8.count > 63 { return "invalid tag key: \(key.goQuoted) (name is too long)" }
    return nil
  }

  /// Istio's order: outlier detection, connection pool, load balancer, TLS, then each port's settings.
  private static func validate(_ policy: TrafficPolicy?, into v: inout IstioValidation) {
    guard let policy else { return }
    if policy.loadBalancer == nil && policy.connectionPool == nil && policy.outlierDetection == nil && policy.tls == nil
      && policy.portLevelSettings == nil
    {
      v.add("traffic policy must have at least one field")
      return
    }
    validate(policy.outlierDetection, into: &v)
    validate(policy.connectionPool, into: &v)
    validate(policy.loadBalancer, into: &v)
    validate(policy.tls, into: &v)
    for level in policy.portLevelSettings ?? [] {
      if level.port == nil { v.add("portTrafficPolicy must have valid port") }
      if level.loadBalancer == nil && level.connectionPool == nil && level.outlierDetection == nil && level.tls == nil {
        v.add("port traffic policy must have at least one field")
        continue
      }
      validate(level.outlierDetection, into: &v)
      validate(level.connectionPool, into: &v)
      validate(level.loadBalancer, into: &v)
      validate(level.tls, into: &v)
    }
  }

  /// Outlier detection: its durations, and an ejection percentage of 0–100.
  private static func validate(_ outlier: TrafficPolicy.OutlierDetection?, into v: inout IstioValidation) {
    guard let outlier else { return }
    for duration in [outlier.baseEjectionTime, outlier.interval].compactMap({ $0 }) { validateDuration(duration, into: &v) }
    if let percent = outlier.maxEjectionPercent, !(0...100).contains(percent) {
      v.add("percentage \(percent) is not in range 0..100")
    }
  }

  /// Connection pool limits: not negative, durations in whole milliseconds, HTTP then TCP.
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
      if (http.maxConcurrentStreams ?? 0) < 0 { v.add("max concurrent streams must be non-negative") }
    }
    if let tcp = pool.tcp {
      if (tcp.maxConnections ?? 0) < 0 { v.add("max connections must be non-negative") }
      if let timeout = tcp.connectTimeout { validateDuration(timeout, into: &v) }
      if let lifetime = tcp.maxConnectionDuration { validateDuration(lifetime, into: &v) }
      if let idle = tcp.idleTimeout, SimDuration(istio: idle).map({ $0.nanoseconds / 1_000_000 != 0 }) != false {
        validateDuration(idle, into: &v)
      }
      for duration in [tcp.tcpKeepalive?.time, tcp.tcpKeepalive?.interval].compactMap({ $0 }) {
        validateDuration(duration, into: &v)
      }
    }
  }

  /// A consistent hash: a named cookie, one ring setting, a Maglev table that is set, small enough and prime.
  private static func validate(_ balancer: LoadBalancerSettings?, into v: inout IstioValidation) {
    guard let hash = balancer?.consistentHash else { return }
    if let cookie = hash.httpCookie, (cookie.name ?? "").isEmpty { v.add("name required for HttpCookie") }
    if (hash.minimumRingSize ?? 0) != 0 && (hash.ringHash != nil || hash.maglev != nil) {
      v.add("only one of MinimumRingSize or Maglev/Ringhash can be specified")
    }
    if let maglev = hash.maglev {
      let size = maglev.tableSize ?? 0
      if size == 0 { v.add("tableSize must be set for maglev") }
      if size >= 5_000_011 { v.add("tableSize must be less than 5000011 for maglev") }
      if !isEnvoyPrime(size) { v.add("tableSize must be a prime number for maglev") }
    }
  }

  /// Envoy's primality verdict for Maglev tables, which counts 1 as prime, reached by Miller–Rabin with
  /// the bases that decide every 64-bit number, so that a huge size answers at once.
  private static func isEnvoyPrime(_ n: Int) -> Bool {
    if n <= 3 { return n > 0 }
    if n % 2 == 0 { return false }
    let number = UInt64(n)
    func multiply(_ a: UInt64, _ b: UInt64) -> UInt64 {
      let (high, low) = a.multipliedFullWidth(by: b)
      return number.dividingFullWidth((high, low)).remainder
    }
    func power(_ base: UInt64, _ exponent: UInt64) -> UInt64 {
      var (result, base, exponent) = (UInt64(1), base % number, exponent)
      while exponent > 0 {
        if exponent & 1 == 1 { result = multiply(result, base) }
        base = multiply(base, base)
        exponent >>= 1
      }
      return result
    }
    var odd = number - 1
    var twos = 0
    while odd % 2 == 0 {
      odd /= 2
      twos += 1
    }
    for witness: UInt64 in [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37] where witness % number != 0 {
      var x = power(witness, odd)
      if x == 1 || x == number - 1 { continue }
      var composite = true
      for _ in 1..<max(twos, 1) {
        x = multiply(x, x)
        if x == number - 1 {
          composite = false
          break
        }
      }
      if composite { return false }
    }
    return true
  }

  /// Client TLS: what `insecureSkipVerify` excludes, what `credentialName` replaces, MUTUAL's key pair.
  private static func validate(_ tls: ClientTLSSettings?, into v: inout IstioValidation) {
    guard let tls else { return }
    let mode = tls.mode.flatMap(ClientTLSMode.init(rawValue:))
    let namesAlternatives = !(tls.subjectAltNames ?? []).isEmpty
    if tls.insecureSkipVerify == true {
      if mode == .simple && (given(tls.caCertificates) || given(tls.credentialName) || namesAlternatives) {
        v.add("cannot specify CaCertificates or CredentialName or SubjectAltNames when InsecureSkipVerify is set true")
      }
      if mode == .mutual && (given(tls.caCertificates) || namesAlternatives) {
        v.add("cannot specify CaCertificates or SubjectAltNames when InsecureSkipVerify is set true")
      }
    }
    guard mode == .simple || mode == .mutual else { return }
    if given(tls.credentialName) {
      if [tls.clientCertificate, tls.caCertificates, tls.privateKey, tls.caCrl].contains(where: given) {
        v.add("cannot specify client certificates or CA certificate or CA CRL If credentialName is set")
      }
      return
    }
    if mode == .mutual {
      if !given(tls.clientCertificate) { v.add("client certificate required for mutual tls") }
      if !given(tls.privateKey) { v.add("private key required for mutual tls") }
    }
  }

  // MARK: - VirtualService

  static func validate(_ service: VirtualService, into v: inout IstioValidation) {
    let hosts = service.spec.hosts ?? []
    let gateways = service.spec.gateways ?? []
    // As Istio's `validateGatewayNames`: a name without a namespace (`mesh` too) is checked as a domain,
    // and ends the check of the names after it.
    for gateway in gateways {
      let parts = gateway.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
      guard parts.count == 2 else {
        validateFQDN(gateway, into: &v)
        break
      }
      if parts[0].isEmpty || parts[1].isEmpty { v.add("config namespace and gateway name cannot be empty") }
      if !isIstioLabel(parts[0]) { v.add("invalid value for namespace: \(parts[0].goQuoted)") }
      if !isIstioLabel(parts[1]) { v.add("invalid value for gateway name: \(parts[1].goQuoted)") }
    }
    let appliesToMesh = gateways.isEmpty || gateways.contains("mesh")
    var hostsValid = true
    for host in hosts {
      var hostErrors = IstioValidation()
      validateWildcardDomain(host, into: &hostErrors)
      if !hostErrors.errors.isEmpty && !isIPAddress(host) {
        hostErrors.errors.forEach { v.add($0) }
        hostsValid = false
      } else if appliesToMesh && host == "*" {
        v.add("wildcard host * is not allowed for virtual services bound to the mesh gateway")
        hostsValid = false
      }
    }
    if hostsValid {
      for (i, a) in hosts.enumerated() {
        for b in hosts[(i + 1)...] where Istiod.hostsOverlap(a, b) {
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
        if let subset = destination.destination.subset, given(subset), !isIstioLabel(subset) {
          v.add("subset name is invalid: \(subset)")
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
    if !isIstioLabel(gateway.metadata.name) {
      v.add("invalid gateway name: \"\(gateway.metadata.name)\"")
    }
    guard let servers = gateway.spec.servers, !servers.isEmpty else {
      v.add("gateway must have at least one server")
      return
    }
    for server in servers {
      let hosts = server.hosts ?? []
      if hosts.isEmpty { v.add("server config must contain at least one host") }
      for host in hosts { validateGatewayHost(host, into: &v) }
      let proto = (server.port?.protocol ?? "").uppercased()
      var portValid = true
      if let port = server.port {
        var portErrors = IstioValidation()
        validate(port, into: &portErrors)
        portErrors.errors.forEach { v.add($0) }
        portValid = portErrors.errors.isEmpty
      } else {
        v.add("port is required")
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
          let passthrough = !given(tls.mode) || mode == .passthrough || mode == .autoPassthrough
          if !passthrough || [tls.serverCertificate, tls.privateKey, tls.caCertificates].contains(where: given) {
            v.add("server cannot have TLS settings for plain text HTTP ports")
          }
        } else if !secure && !plainHTTP && server.tls != nil {
          v.add("server cannot have TLS settings for non HTTPS/TLS ports")
        }
      }
    }
    var portNames: Set<String> = []
    for server in servers {
      guard let port = server.port else { continue }
      let name = port.name ?? ""
      if !portNames.insert(name).inserted { v.add("port names in servers must be unique: duplicate name \(name)") }
    }
  }

  /// A server host: `dnsName`, or `namespace/dnsName`.
  private static func validateGatewayHost(_ host: String, into v: inout IstioValidation) {
    let parts = host.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
    var dnsName = host
    if parts.count == 2 {
      if parts[0].isEmpty || parts[1].isEmpty { v.add("config namespace and dnsName in host entry cannot be empty") }
      if parts[0] != "*" && parts[0] != "." && !isIstioLabel(parts[0]) {
        v.add("invalid namespace value \"\(parts[0])\" in gateway")
      }
      dnsName = parts[1]
    }
    if dnsName != "*" && !dnsName.contains(".") { v.add("short names (non FQDN) are not allowed") }
    var domainErrors = IstioValidation()
    validateWildcardDomain(dnsName, into: &domainErrors)
    if !isIPAddress(dnsName) { domainErrors.errors.forEach { v.add($0) } }
    if dnsName.contains("*") && dnsName.count > 1 && !dnsName.hasPrefix("*.") {
      v.add("partial wildcard \"\(dnsName)\" not allowed")
    }
  }

  /// A server's port: its protocol, number, unused target port and name.
  private static func validate(_ port: Gateway.Port, into v: inout IstioValidation) {
    let protocols = ["TCP", "UDP", "GRPC", "GRPC-WEB", "HTTP", "HTTP_PROXY", "HTTP2", "HTTPS", "TLS", "MONGO", "REDIS", "MYSQL"]
    if !protocols.contains((port.protocol ?? "").uppercased()) {
      v.add("invalid protocol \"\(port.protocol ?? "")\", supported protocols are HTTP, HTTP2, GRPC, GRPC-WEB, MONGO, REDIS, MYSQL, TCP")
    }
    let number = port.number ?? 0
    if !(1...65535).contains(number) { v.add("port number \(number) must be in the range 1..65535") }
    if (port.targetPort ?? 0) > 0 { v.add("targetPort has no impact on Gateways") }
    if (port.name ?? "").isEmpty {
      v.add("port name must be set: number:\(number) protocol:\"\(port.protocol ?? "")\"")
    }
  }

  /// Server TLS: ISTIO_MUTUAL without certificates, one source of certificates, the files a mode needs, CRLs.
  private static func validate(_ tls: Gateway.ServerTLS?, into v: inout IstioValidation) {
    guard let tls else { return }
    let mode = given(tls.mode) ? tls.mode.flatMap(ServerTLSMode.init(rawValue:)) : .passthrough
    let certificates = tls.tlsCertificates ?? []
    let credentials = tls.credentialNames ?? []
    if mode == .istioMutual {
      if given(tls.serverCertificate) { v.add("ISTIO_MUTUAL TLS cannot have associated server certificate") }
      if given(tls.privateKey) { v.add("ISTIO_MUTUAL TLS cannot have associated private key") }
      if given(tls.caCertificates) { v.add("ISTIO_MUTUAL TLS cannot have associated CA bundle") }
      if !certificates.isEmpty { v.add("ISTIO_MUTUAL TLS cannot have associated tlsCertificates") }
      if given(tls.credentialName) { v.add("ISTIO_MUTUAL TLS cannot have associated credentialName") }
      if !credentials.isEmpty { v.add("ISTIO_MUTUAL TLS cannot have associated credentialNames") }
      return
    }
    let sources = [
      given(tls.serverCertificate) && given(tls.privateKey), given(tls.credentialName), !credentials.isEmpty, !certificates.isEmpty,
    ]
    if sources.filter({ $0 }).count > 1 {
      v.add("only one of credential_name, credential_names, server_certificate/private_key, tls_certificates should be specified")
    }
    let terminating = mode == .simple || mode == .mutual || mode == .optionalMutual
    if terminating && (given(tls.credentialName) || !credentials.isEmpty) { return }
    if terminating {
      let named = mode == .simple ? "SIMPLE TLS" : "MUTUAL TLS"
      if mode != .simple && !given(tls.caCertificates) { v.add("\(named) requires a client CA bundle") }
      let pairs = certificates.isEmpty ? [(tls.serverCertificate, tls.privateKey)] : certificates.map { ($0.serverCertificate, $0.privateKey) }
      for (certificate, key) in pairs {
        if !given(certificate) { v.add("\(named) requires a server certificate") }
        if !given(key) { v.add("\(named) requires a private key") }
      }
    }
    if given(tls.caCrl) {
      if given(tls.credentialName) {
        v.add("CRL is not supported with credentialName. CRL has to be specified in the credential")
      } else if mode == .simple {
        v.add("CRL is not supported with SIMPLE TLS")
      }
    }
  }

  // MARK: - Names

  /// Whether a proto string field is set: Go's protobuf reads an empty string as unset.
  private static func given(_ text: String?) -> Bool { !(text ?? "").isEmpty }

  /// Istio's `ValidateWildcardDomain`: the first label may be or start with a wildcard; the rest are DNS labels,
  /// the last not all digits.
  private static func validateWildcardDomain(_ domain: String, into v: inout IstioValidation) {
    guard domainPreconditions(domain, into: &v) else { return }
    let parts = domain.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
    if !isWildcardLabel(parts[0]) {
      v.add("domain name \"\(domain)\" invalid (label \"\(parts[0])\" invalid)")
    } else if parts.count > 1 {
      validateLabels(parts[1], into: &v)
    }
  }

  /// Istio's `ValidateFQDN`: DNS labels, the last not all digits.
  private static func validateFQDN(_ domain: String, into v: inout IstioValidation) {
    guard domainPreconditions(domain, into: &v) else { return }
    validateLabels(domain, into: &v)
  }

  /// A domain that is neither empty nor over 255 bytes; false, with the error, otherwise.
  private static func domainPreconditions(_ domain: String, into v: inout IstioValidation) -> Bool {
    if domain.utf8.count > 255 {
      v.add("domain name \"\(domain)\" too long (max 255)")
      return false
    }
    if domain.isEmpty {
      v.add("empty domain name not allowed")
      return false
    }
    return true
  }

  /// Dot-separated DNS labels, where a trailing dot is allowed and the last label may not be a number.
  private static func validateLabels(_ domain: String, into v: inout IstioValidation) {
    let labels = domain.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    let top = labels.last ?? ""
    let digits = top.first == "+" || top.first == "-" ? top.dropFirst() : Substring(top)
    if !digits.isEmpty && digits.allSatisfy({ ("0"..."9").contains($0) }) {
      v.add("domain name \"\(domain)\" invalid (top level domain \"\(top)\" cannot be all-numeric)")
      return
    }
    for (index, label) in labels.enumerated() where !(index == labels.count - 1 && label.isEmpty) && !isIstioLabel(label) {
      v.add("domain name \"\(domain)\" invalid (label \"\(label)\" invalid)")
      return
    }
  }

  /// `[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?`, at most 63 characters (or any length when not `limited`):
  /// Istio's DNS label, which unlike Kubernetes' allows upper case.
  private static func isIstioLabel(_ label: String, limited: Bool = true) -> Bool {
    (!limited || label.utf8.count <= 63) && ASCIIName.matches(label.utf8, ends: ASCIIName.isAlphanumeric) { $0 == UInt8(ascii: "-") }
  }

  /// `*`, or a DNS label with `*` or `*-` in front of it.
  private static func isWildcardLabel(_ label: String) -> Bool {
    guard label.utf8.count <= 63 else { return false }
    if label == "*" { return true }
    let rest = label.hasPrefix("*-") ? label.dropFirst(2) : label.hasPrefix("*") ? label.dropFirst() : Substring(label)
    return isIstioLabel(String(rest))
  }

  /// An IPv4 or IPv6 address: eight hex groups, or fewer around one `::`, the last two of which may be
  /// written as an IPv4 address (without a zone).
  static func isIPAddress(_ text: String) -> Bool {
    if SocketAddress.isIPv4(text) { return true }
    let halves = text.components(separatedBy: "::")
    guard text.contains(":"), halves.count <= 2 else { return false }
    var count = 0
    for (h, half) in halves.enumerated() where !half.isEmpty {
      let groups = half.components(separatedBy: ":")
      for (g, group) in groups.enumerated() {
        if h == halves.count - 1 && g == groups.count - 1 && SocketAddress.isIPv4(group) {
          count += 2
        } else if (1...4).contains(group.count) && group.allSatisfy({ $0.isASCII && $0.isHexDigit }) {
          count += 1
        } else {
          return false
        }
      }
    }
    return halves.count == 2 ? count < 8 : count == 8
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
}
