import X509

/// The TLS settings the ingress gateway serves for one Gateway server: its certificate and, for
/// `MUTUAL`, the authorities client certificates must chain to.
struct GatewayCredential {
  var identity: TLSIdentity
  var clientRoots: [Certificate]?
}

/// A Gateway server the ingress gateway listens with, and the Gateway that declares it.
struct GatewayServer {
  var gateway: Gateway
  var server: Gateway.Server

  /// `namespace/name`, as VirtualServices bind to it.
  var reference: String { "\(gateway.metadata.namespace ?? "")/\(gateway.metadata.name)" }
  /// The server's hosts without their namespace prefix.
  var hosts: [String] { (server.hosts ?? []).map { $0.split(separator: "/").last.map(String.init) ?? $0 } }
}

/// A connection from the workstation that the ingress gateway accepted: its pod, the TLS server name
/// and the Gateway server whose filter chain took it.
struct GatewayConnection {
  var pod: Pod
  var serverName: String
  var server: GatewayServer
}

/// Why a connection from the workstation did not reach the ingress gateway's routes.
enum GatewayDialFailure: Error, Equatable {
  /// The dial or the TLS handshake failed, with Go's error text.
  case failed(String)
  /// Nothing answered, and gRPC kept trying.
  case timedOut
  /// Something answered that gRPC cannot read (an HTTP/1.1 reply to its HTTP/2 preface), with grpc-go's
  /// words, and gRPC kept trying.
  case unusable(String)
  /// The client finished its TLS 1.3 handshake, then the gateway refused its certificate with an alert and
  /// closed the connection.
  case refused(ClientCertificateRefusal)
}

extension Cluster {
  /// The container port the ingress gateway's Envoy listens on for its Service's port 443.
  static let gatewayHTTPSPort = 8443

  /// The ingress gateway's side of a connection the router passed through: the filter chain for the
  /// server name and the TLS handshake per the Gateway.
  mutating func handshake(
    _ call: WorkstationCall, serverName: String, on pod: Pod, record: inout WorkstationCallRecord
  ) -> Result<GatewayConnection, GatewayDialFailure> {
    guard case .running = runtimes[pod.metadata.uid ?? ""]?.phase, let server = gatewayServer(on: pod, serverName: serverName)
    else { return .failure(.failed("EOF")) }
    guard let mode = server.server.tls?.mode.flatMap({ ServerTLSMode(rawValue: $0.uppercased()) }), [.simple, .mutual].contains(mode) else {
      return .failure(.failed(server.server.tls == nil ? "tls: first record does not look like a TLS handshake" : "EOF"))
    }
    guard let credential = gatewayCredential(server.server.tls?.credentialName, in: pod.metadata.namespace ?? "", mutual: mode == .mutual)
    else { return .failure(.failed("EOF")) }
    now = now + oneWayLatency() + oneWayLatency() + random.network.duration(in: .microseconds(400)...(.microseconds(900)))
    if !call.insecure,
      let rejection = verifyChain(credential.identity.chain, roots: call.roots ?? [], at: now, purpose: .server, host: serverName)
    {
      return .failure(.failed(rejection.goDescription))
    }
    if let roots = credential.clientRoots {
      // TLS 1.3: the client's handshake is done before the gateway judges its certificate; the alert
      // then breaks the connection.
      guard let identity = call.identity else {
        record.refusal = .missing
        return .failure(.refused(.missing))
      }
      let names = server.server.tls?.subjectAltNames ?? []
      let rejection = verifyChain(identity.chain, roots: roots, at: now, purpose: .client)
        ?? (names.isEmpty || identity.chain.first.map { leaf in leaf.dnsNames.contains(where: names.contains) } == true
          ? nil : .hostname(valid: identity.chain.first?.dnsNames ?? [], host: names.joined(separator: ", ")))
      if let rejection {
        record.refusal = .untrusted(rejection)
        return .failure(.refused(.untrusted(rejection)))
      }
    }
    return .success(GatewayConnection(pod: pod, serverName: serverName, server: server))
  }

  /// The Gateway server whose hosts cover `serverName` on the gateway pod's HTTPS port, among the
  /// Gateways istiod sends the pod: as Envoy's filter-chain match prefers, an exact host first, then the
  /// longest wildcard suffix, then the oldest Gateway.
  private func gatewayServer(on pod: Pod, serverName: String) -> GatewayServer? {
    let servicePort = store.service("istio-ingressgateway", in: pod.metadata.namespace ?? "")?.spec.ports?
      .first { $0.targetPort == .int(Self.gatewayHTTPSPort) }?.port ?? 443
    var candidates: [(specificity: Int, created: SimTime, server: GatewayServer)] = []
    for entry in gatewayServers(on: pod) where entry.server.port?.number == servicePort {
      let specificity = entry.hosts.map { $0.lowercased() }.filter { Istiod.hostMatches(pattern: $0, host: serverName) }
        .map { $0.hasPrefix("*") ? $0.count : Int.max }.max()
      guard let specificity else { continue }
      candidates.append((specificity, entry.gateway.metadata.creationTimestamp?.time ?? now, entry))
    }
    return candidates.min { (-$0.specificity, $0.created) < (-$1.specificity, $1.created) }?.server
  }

  /// Every server of the Gateways whose selector matches the gateway pod, among those istiod sends it.
  func gatewayServers(on pod: Pod) -> [GatewayServer] {
    let labels = pod.metadata.labels ?? [:]
    return store.list(.gateway).flatMap { object -> [GatewayServer] in
      guard case .gateway(let gateway) = object, istiod.isVisibleToProxies(gateway.metadata.namespace ?? ""),
        let selector = gateway.spec.selector, selector.allSatisfy({ labels[$0.key] == $0.value })
      else { return [] }
      return (gateway.spec.servers ?? []).map { GatewayServer(gateway: gateway, server: $0) }
    }
  }

  /// The VirtualServices bound to a gateway server whose hosts overlap the server's, oldest first.
  func virtualServices(boundTo server: GatewayServer) -> [VirtualService] {
    istiod.virtualServices(boundTo: server.reference) { host in
      server.hosts.contains { Self.hostsOverlap($0.lowercased(), host.lowercased()) }
    }
  }

  /// What istiod's secret reader serves for `credentialName` in the gateway's namespace: `cert` and
  /// `key`, else `tls.crt` and `tls.key`; the CA of `gatewayAuthoritySecret`. Nil when the secret is
  /// missing or does not load, and for `MUTUAL` without a CA: the server then gets no filter chain.
  private func gatewayCredential(_ name: String?, in namespace: String, mutual: Bool) -> GatewayCredential? {
    guard let name, case .secret(let secret) = store[ObjectKey(kind: .secret, namespace: namespace, name: name)] else { return nil }
    guard let (certificates, key) = Self.keyPair(in: secret.decodedData),
      let identity = try? TLSIdentity(certificates: certificates, key: key)
    else { return nil }
    guard mutual else { return GatewayCredential(identity: identity, clientRoots: nil) }
    guard let authority = gatewayAuthoritySecret(name, in: namespace).flatMap(Self.certificateAuthority(in:)), let roots = try? PEM.certificates(in: authority), !roots.isEmpty else { return nil }
    return GatewayCredential(identity: identity, clientRoots: roots)
  }

  /// The data of the secret istiod reads a gateway credential's CA from: `<name>-cacert` when it exists,
  /// else the credential's own secret; nil when neither exists.
  func gatewayAuthoritySecret(_ name: String, in namespace: String) -> [String: String]? {
    for candidate in [name + "-cacert", name] {
      if case .secret(let secret) = store[ObjectKey(kind: .secret, namespace: namespace, name: candidate)] { return secret.decodedData }
    }
    return nil
  }

  /// The certificate chain and key a credential secret holds: `cert` and `key`, else `tls.crt` and
  /// `tls.key`; an empty value counts as missing.
  static func keyPair(in data: [String: String]) -> (certificates: String, key: String)? {
    let data = data.filter { !$0.value.isEmpty }
    return data["cert"].flatMap { cert in data["key"].map { (cert, $0) } }
      ?? data["tls.crt"].flatMap { cert in data["tls.key"].map { (cert, $0) } }
  }

  /// The certificate authority a credential secret holds: `cacert`, else `ca.crt`; an empty value counts as
  /// missing.
  static func certificateAuthority(in data: [String: String]) -> String? {
    [data["cacert"], data["ca.crt"]].compactMap { $0 }.first { !$0.isEmpty }
  }

  /// Routes the request by the VirtualServices bound to the gateway and carries it through the mesh.
  mutating func forwardFromGateway(
    _ call: WorkstationCall, over connection: GatewayConnection, record: inout WorkstationCallRecord
  ) -> GRPCReply {
    let pod = connection.pod
    let me = serverEnd(of: pod)
    let uid = pod.metadata.uid ?? ""
    var proxy = runtimes[uid]?.proxy ?? EnvoyProxy(firstConnectionID: 1, debugLog: nil)
    var channel = gatewayChannel(for: call, over: connection, at: me, proxy: &proxy)
    let started = now
    let reply: GRPCReply
    do throws(SidecarFailure) {
      let (inFlight, outcome) = try sendThroughSidecar(
        .hello(CallName(prefix: telemetry.intern(call.name), number: nil)), stream: 1, sent: now, from: pod, channel: &channel,
        proxy: &proxy)
      let upstream = try waitForUpstream(outcome, for: inFlight, from: pod, channel: channel, proxy: &proxy)
      record.virtualService = upstream.route.virtualService.map { telemetry.strings[$0] }
      let server = telemetry.pods[upstream.server.pod]
      record.server = server
      now = now + oneWayLatency()
      let greeter = store.pod(server).map(greeterContainer(of:)) ?? ""
      let answered = !greeter.isEmpty
      let method = call.path.split(separator: "/").joined(separator: "/")
      if answered, call.path == GreeterApp.method, case .hello(let name) = inFlight.message {
        telemetry.appendReceived(inFlight.server.appLog, at: now, name: name, thread: 0)
      }
      now = now + random.network.duration(in: .microseconds(400)...(.microseconds(1_600))) + oneWayLatency()
      finishThroughSidecar(inFlight, exchange: nil, upstream: upstream, from: pod, client: me, channel: &channel, proxy: &proxy)
      let status: GRPCStatusCode
      let message: String
      if !answered {
        (status, message) = (.unavailable, "upstream connect error or disconnect/reset before headers. reset reason: connection failure")
      } else if call.path == GreeterApp.method {
        (status, message) = (.ok, "")
      } else {
        (status, message) = (.unimplemented, "Method not found: \(method)")
      }
      let serviceTime = max((now - started).milliseconds, 1)
      reply = status == .ok
        ? GRPCReply(
          headers: [HTTPHeader("content-type", "application/grpc"), HTTPHeader("grpc-accept-encoding", "gzip")]
            + envoyHeaders(serviceTime: serviceTime),
          message: "Hello \(call.name)", trailers: [], status: .ok, statusMessage: "")
        : trailersOnly(status: status, message: message, serviceTime: serviceTime)
      telemetry.record(CallRecord(
        run: 0, index: 0, client: me.ref, connection: upstream.record, stream: 1, server: server,
        method: call.path, started: started, finished: now, status: status, message: message, requestID: inFlight.requestID,
        upstream: UpstreamCall(
          connection: upstream.record, newConnection: upstream.newConnection, cluster: telemetry.strings[upstream.route.cluster],
          mtls: upstream.mtls, responseFlags: "-"),
        serverSidecar: inFlight.server.sidecar))
    } catch let failure {
      reply = trailersOnly(status: failure.grpcStatus, message: failure.message, serviceTime: nil)
      telemetry.record(CallRecord(
        run: 0, index: 0, client: me.ref, connection: nil, stream: nil, server: nil, method: call.path, started: started,
        finished: now, status: failure.grpcStatus, message: failure.message, requestID: failure.requestID,
        upstream: UpstreamCall(
          connection: nil, newConnection: false, cluster: failure.cluster, mtls: false, responseFlags: failure.local.responseFlags)))
    }
    runtimes[uid]?.proxy = proxy
    return reply
  }

  /// The gateway's side of the connection as a channel of the gateway's Envoy: the router's address as its
  /// source, and the routes of the VirtualServices bound to the connection's Gateway server.
  mutating func gatewayChannel(for call: WorkstationCall, over connection: GatewayConnection, at me: ServerEnd, proxy: inout EnvoyProxy) -> Channel {
    let authority = call.authority ?? "\(call.host):\(call.port)"
    var channel = Channel(
      connection: 0, authority: authority,
      destination: SocketAddress(ip: me.ip, port: Self.gatewayHTTPSPort),
      source: SocketAddress(ip: router.podAddress, port: ephemeralPort()), viaSidecar: true,
      envoyConnection: proxy.takeConnectionID(), worker: Int(random.envoy.next() % UInt64(EnvoyProxy.workerThreads.count)))
    channel.accessLogs = accessLogEnabled
    channel.path = call.path
    channel.userAgent = call.userAgent
    channel.serverName = connection.serverName
    channel.names = telemetry.names(of: channel)
    channel.routes = RouteCache(
      revision: lastResourceVersion,
      choices: gatewayRouteChoices(
        server: connection.server, host: String(authority.split(separator: ":").first ?? "").lowercased(), path: call.path),
      telemetry: &telemetry, proxy: &proxy)
    return channel
  }

  /// The upstream of the gateway's one call: the call waits for the connection its pool opened for it.
  ///
  /// The gateway carries one call at a time, so its pools hold no busy connection and a call waits only
  /// for a connection it opened; one that had to wait for anything else is given up (`giveUp`).
  private mutating func waitForUpstream(
    _ outcome: PoolOutcome, for call: InFlight, from pod: Pod, channel: Channel, proxy: inout EnvoyProxy
  ) throws(SidecarFailure) -> UpstreamDispatch {
    switch outcome {
    case .dispatched(let dispatch):
      return dispatch
    case .queued(let request, let connecting?):
      now = connecting.connectsAt
      connectionReady(connecting.envoyID, cluster: request.cluster, pool: request.pool, proxy: &proxy)
      return try waitForUpstream(resumeQueued(call, request, from: pod, channel: channel, proxy: &proxy), for: call, from: pod, channel: channel, proxy: &proxy)
    case .queued(let request, nil):
      throw giveUp(call, request, from: pod, channel: channel, proxy: &proxy)
    }
  }

  /// A trailers-only gRPC reply as it leaves the gateway: from the upstream (with its service time), or made
  /// by the gateway's Envoy itself.
  private func trailersOnly(status: GRPCStatusCode, message: String, serviceTime: Int64?) -> GRPCReply {
    GRPCReply(
      headers: [], message: nil, trailers: [HTTPHeader("content-type", "application/grpc")] + envoyHeaders(serviceTime: serviceTime),
      status: status, statusMessage: message)
  }

  /// The headers the gateway's Envoy adds to a response; `x-envoy-upstream-service-time` only for one from upstream.
  private func envoyHeaders(serviceTime: Int64?) -> [HTTPHeader] {
    [HTTPHeader("date", now.httpDate), HTTPHeader("server", "istio-envoy")]
      + (serviceTime.map { [HTTPHeader("x-envoy-upstream-service-time", String($0))] } ?? [])
  }

  /// The gateway's routes for `host`: the VirtualServices bound to the gateway whose hosts cover both the
  /// request's host and one of the server's, merged oldest first as Istio merges them on a gateway; the
  /// first matching HTTP route wins. Without one the gateway answers 404 (`NR`).
  private func gatewayRouteChoices(server: GatewayServer, host: String, path: String) -> Result<[RouteChoice], LocalReply> {
    let bound = virtualServices(boundTo: server).filter { service in
      let namespace = service.metadata.namespace ?? ""
      return (service.spec.hosts ?? []).contains { Istiod.hostMatches(pattern: Istiod.qualify($0, namespace: namespace).lowercased(), host: host) }
    }
    let port = server.server.port?.number ?? 443
    guard
      let (service, rule) = bound.lazy.compactMap({ service in
        Istiod.firstMatch(in: service, port: port, path: path, gateway: server.reference).map { (service, $0) }
      }).first,
      let destinations = rule.route, !destinations.isEmpty
    else { return .failure(Istiod.routeNotFound) }
    let namespace = service.metadata.namespace ?? ""
    return .success(destinations.map { weighted in
      var destination = weighted.destination
      destination.host = Istiod.qualify(destination.host, namespace: namespace)
      let fqdn = destination.host
      let target = destination.port?.number ?? istiod.meshService(forHost: fqdn, from: namespace)?.spec.ports?.first?.port ?? 0
      let operation = destinations.count > 1 ? "\(service.metadata.name):\(target)/*" : "\(fqdn):\(target)/*"
      return RouteChoice(
        weight: weighted.effectiveWeight(among: destinations.count),
        route: istiod.outboundRoute(
          to: destination, from: Self.controlPlaneNamespace, virtualService: "\(service.metadata.name).\(namespace)",
          operation: operation))
    })
  }
}
