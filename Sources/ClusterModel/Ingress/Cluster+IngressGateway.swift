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
    guard case .running = runtimes[pod.metadata.uid ?? ""]?.phase, let server = istiod.gatewayServer(on: pod, serverName: serverName)
    else { return .failure(.failed("EOF")) }
    guard let mode = server.server.tls?.mode.flatMap({ ServerTLSMode(rawValue: $0.uppercased()) }), [.simple, .mutual].contains(mode) else {
      return .failure(.failed(server.server.tls == nil ? "tls: first record does not look like a TLS handshake" : "EOF"))
    }
    guard let credential = istiod.gatewayCredential(server.server.tls?.credentialName, in: pod.metadata.namespace ?? "", mutual: mode == .mutual)
    else { return .failure(.failed("EOF")) }
    now = now + oneWayLatency() + oneWayLatency() + random.network.duration(in: .microseconds(400)...(.microseconds(900)))
    if let failure = credential.handshake(with: call, server: server.server, serverName: serverName, at: now) {
      if case .refused(let refusal) = failure { record.refusal = refusal }
      return .failure(failure)
    }
    return .success(GatewayConnection(pod: pod, serverName: serverName, server: server))
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
        .named(telemetry.callNamePrefix(call.name), number: nil), stream: 1, sent: now, from: pod, channel: &channel,
        proxy: &proxy)
      let upstream = try waitForUpstream(outcome, for: inFlight, from: pod, channel: channel, proxy: &proxy)
      record.virtualService = channel.routes?.route(keyed: upstream.route)?.virtualService
      let server = proxy.hosts[upstream.host].server.ref
      record.server = server
      now = now + oneWayLatency()
      let greeter = store.pod(server).map(greeterContainer(of:)) ?? ""
      let answered = !greeter.isEmpty
      let method = call.path.split(separator: "/").joined(separator: "/")
      if answered, call.path == GreeterApp.method, case .hello(let name, _) = inFlight.message {
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
      telemetry.record(CallEntry(
        run: 0, index: 0, client: me.keys.pod, connection: upstream.record, stream: 1, server: upstream.server.pod,
        method: telemetry.key(call.path), started: started, finished: now, status: status, message: telemetry.key(message),
        requestID: inFlight.requestID,
        upstream: UpstreamEntry(
          connection: upstream.record, newConnection: upstream.newConnection, cluster: upstream.route.cluster,
          mtls: upstream.mtls, responseFlags: .dash),
        serverSidecar: inFlight.server.sidecar))
    } catch let failure {
      reply = trailersOnly(status: failure.grpcStatus, message: failure.message, serviceTime: nil)
      telemetry.record(CallEntry(
        run: 0, index: 0, client: me.keys.pod, connection: nil, stream: nil, server: nil, method: telemetry.key(call.path),
        started: started, finished: now, status: failure.grpcStatus, message: telemetry.key(failure.message),
        requestID: failure.requestID,
        upstream: UpstreamEntry(
          connection: nil, newConnection: false, cluster: telemetry.key(failure.cluster), mtls: false,
          responseFlags: telemetry.key(failure.local.responseFlags))))
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
    channel.keys = telemetry.keys(of: channel)
    channel.routes = RouteCache(
      revision: lastResourceVersion,
      choices: istiod.gatewayRouteChoices(
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
}
