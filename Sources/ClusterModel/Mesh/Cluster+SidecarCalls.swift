/// A gRPC channel's one connection, as the app sees it.
struct Channel: Equatable, Sendable {
  /// The connection's record id; 0 for a downstream connection into a gateway, which is not recorded.
  var connection: Int
  /// `host:port`, the `:authority` of every call.
  var authority: String
  /// Where the app dialled (the Service's virtual IP).
  var destination: SocketAddress
  var source: SocketAddress
  /// The connection ends at the pod's own Envoy rather than at a server.
  var viaSidecar: Bool
  /// The sidecar's id for the downstream connection (`[C11]`), and the worker that owns it.
  var envoyConnection: Int
  var worker: Int
  /// For a TCP port: the one upstream connection the sidecar proxies the channel to.
  var tcpUpstream: UpstreamDispatch?
  /// Whether the control plane had sidecars write access logs when the channel opened.
  var accessLogs = false
  /// The TLS server name the downstream connection asked for (a gateway's); nil for plain text.
  var serverName: String?
  /// The method of the channel's requests when the app speaks HTTP/1.1 on it (fortio's or curl's client),
  /// one request at a time; nil for a gRPC channel.
  var method: String?
  /// The app speaks HTTP/1.1 on the connection.
  var http1: Bool { method != nil }
  /// The app closed the connection (fortio after a reply that was not OK) and has not opened another.
  var closed = false
  /// The HTTP/2 stream id of the app's next call on the connection (odd, as a client's are).
  var nextStream = 1
  /// The `:path` and `user-agent` of the channel's calls.
  var path = GreeterApp.method
  var userAgent = Cluster.grpcUserAgent
  /// The route choices of the channel's requests (the sidecar's RDS for them), and the store revision
  /// they were computed at: a push from istiod replaces them.
  var routes: RouteCache?
  /// The keys of what access-log lines say of the channel; set when the channel opens.
  var keys: ChannelKeys?
}

/// Route choices, with the store revision they were computed at.
struct RouteCache: Equatable, Sendable {
  var revision: Int
  var choices: Result<[RouteChoice], LocalReply>
  /// The route when there is exactly one destination, as there usually is: every request takes it.
  private(set) var only: Shared<OutboundRoute>?

  /// The cache of `choices` for the channel's `proxy`: their routes get their names' keys from
  /// `telemetry` and their clusters' numbers from the proxy.
  init(revision: Int, choices: Result<[RouteChoice], LocalReply>, telemetry: inout Telemetry, proxy: inout EnvoyProxy) {
    self.revision = revision
    self.choices = choices.map { choices in
      choices.map { choice in
        var choice = choice
        choice.route = choice.route.map { route in
          var route = telemetry.keyed(route.value)
          route.proxyCluster = proxy.cluster(named: route.clusterName)
          return Shared(route)
        }
        return choice
      }
    }
    if case .success(let choices) = self.choices, choices.count == 1, case .success(let route) = choices[0].route {
      only = route
    }
  }

  /// The route of the next request: the only one, or one by weight from the choices.
  ///
  /// - Throws: Why there is none: no route matched, or the destination picked has no cluster.
  func route(rng: inout SplitMix64) throws(LocalReply) -> Shared<OutboundRoute> {
    if let only { return only }
    switch choices {
    case .success(let choices): return try EnvoyLoadBalancer.pick(choices, rng: &rng).get()
    case .failure(let reply): throw reply
    }
  }

  /// The route whose keys a dispatch carries.
  func route(keyed keys: RouteKeys) -> OutboundRoute? {
    guard case .success(let choices) = choices else { return nil }
    return choices.lazy.compactMap { try? $0.route.get().value }.first { $0.keys == keys }
  }
}

/// A call the client's sidecar answered itself.
struct SidecarFailure: Error, Equatable, Sendable {
  var local: LocalReply
  var requestID: RequestID
  var cluster: String

  var grpcStatus: GRPCStatusCode { local.grpcStatus }
  var message: String { local.message }
}

extension Cluster {
  /// The user agent of the greeter's grpc-java client.
  static let grpcUserAgent = "grpc-java-netty/1.54.1"

  /// What the data plane needs of `pod` as a server: logs, address, sidecar and identity, with the
  /// keys the telemetry gave them.
  mutating func serverEnd(of pod: Pod) -> ServerEnd {
    let ref = PodRef(namespace: pod.metadata.namespace ?? "", name: pod.metadata.name)
    let uid = pod.metadata.uid ?? ""
    let labels = pod.metadata.labels ?? [:]
    let ip = pod.status?.podIP ?? ""
    let identity = ProxyIdentity(
      pod: ref, ip: ip, canonicalName: labels["service.istio.io/canonical-name"] ?? labels["app"] ?? ref.name,
      canonicalRevision: labels["service.istio.io/canonical-revision"] ?? "latest")
    let inboundMode = inboundMTLSMode(of: pod)
    return ServerEnd(
      ref: ref, ip: ip, inboundMode: inboundMode,
      keys: telemetry.serverKeys(
        of: ref, uid: uid, ip: ip, identity: identity, app: greeterContainer(of: pod), sidecar: pod.hasSidecar))
  }

  /// Hands one call to the client's sidecar: route, balance, and put it on a ready upstream connection,
  /// or in the pool's queue to wait for one.
  ///
  /// On a TCP port the sidecar balanced only the connection: every call follows it to the same pod.
  ///
  /// - Throws: The reply the client's sidecar gave itself, when the call found no route, no upstream, or a
  ///   circuit breaker that overflowed.
  mutating func sendThroughSidecar(
    _ message: CallMessage, stream downstreamStream: Int, sent: SimTime, from pod: Pod, channel: inout Channel,
    proxy: inout EnvoyProxy
  ) throws(SidecarFailure) -> (call: InFlight, outcome: PoolOutcome) {
    if var upstream = channel.tcpUpstream {
      upstream.newConnection = false
      return (InFlight(stream: downstreamStream, server: upstream.server, sent: sent, message: message), .dispatched(upstream))
    }
    let requestID = RequestID(high: random.tracing.next(), low: random.tracing.next())
    let stream = random.tracing.next()
    let start = now
    if channel.routes?.revision != lastResourceVersion {
      let choices = istiod.routeChoices(from: pod, authority: channel.authority, destination: channel.destination, path: channel.path)
      channel.routes = RouteCache(revision: lastResourceVersion, choices: choices, telemetry: &telemetry, proxy: &proxy)
    }
    var failure: LocalReply?
    let route: Shared<OutboundRoute>?
    do throws(LocalReply) {
      route = try channel.routes?.route(rng: &random.envoy)
    } catch {
      (route, failure) = (nil, error)
    }
    if let debugLog = proxy.debugLog {
      let path = channel.path
      let request = RequestHeaders(
        authority: channel.authority, path: path, userAgent: channel.userAgent, requestID: requestID,
        operation: route?.operation ?? "-", podIP: pod.status?.podIP ?? "", podName: pod.metadata.name,
        namespace: pod.metadata.namespace ?? "")
      proxyLog(
        debugLog, worker: channel.worker,
        .routerClusterMatch(downstream: channel.envoyConnection, stream: stream, cluster: route?.clusterName ?? "-", path: path))
      proxyLog(debugLog, worker: channel.worker, .routerDecodingHeaders(downstream: channel.envoyConnection, stream: stream, request: request))
    }
    guard let route else {
      throw localReply(failure ?? Istiod.routeNotFound, requestID: requestID, cluster: "-", start: start, from: pod, channel: channel)
    }
    let outcome: PoolOutcome
    do throws(LocalReply) {
      let hashKey = route.policy.hash.flatMap { Self.hashKey($0, of: channel) }
      outcome = try dispatchUpstream(
        &proxy, from: pod, route: route, worker: channel.worker, http1: channel.http1, hashKey: hashKey,
        downstream: channel.envoyConnection, stream: stream)
    } catch {
      throw localReply(error, requestID: requestID, cluster: route.clusterName, start: start, from: pod, channel: channel)
    }
    let server: ServerKeys
    switch outcome {
    case .dispatched(let dispatch):
      if dispatch.isTCP { channel.tcpUpstream = dispatch }
      server = dispatch.server
    case .queued(let request, _):
      server = proxy.hosts[request.host].server.keys
    }
    let call = InFlight(
      stream: downstreamStream, server: server, sent: sent, message: message, requestID: requestID,
      trace: TraceID(high: random.tracing.next(), low: random.tracing.next()))
    return (call, outcome)
  }

  /// Tries again to put a queued call on a connection of its pool, once a connection of the pool
  /// connected, freed a stream or ended.
  ///
  /// - Throws: The overflow or reset the sidecar answers the call with.
  mutating func resumeQueued(
    _ call: InFlight, _ request: PoolRequest, from pod: Pod, channel: Channel, proxy: inout EnvoyProxy
  ) throws(SidecarFailure) -> PoolOutcome {
    do throws(LocalReply) {
      return try connect(request, proxy: &proxy, from: pod, queued: true)
    } catch let local {
      throw localReply(
        local, requestID: call.requestID ?? RequestID(high: 0, low: 0), cluster: request.route.clusterName, start: call.sent,
        from: pod, channel: channel)
    }
  }

  /// Takes a queued call out of its pool's queue when nothing can free a connection for it (a TCP route's
  /// upstream connection lasts as long as its channel): its caller would wait for good, and the model
  /// gives it up as the caller's timeout would, logged as the sidecar logs a request that timed out.
  mutating func giveUp(
    _ call: InFlight, _ request: PoolRequest, from pod: Pod, channel: Channel, proxy: inout EnvoyProxy
  ) -> SidecarFailure {
    proxy.clusters[request.cluster].leaveQueue(of: request.pool)
    return localReply(
      Self.requestTimeout, requestID: call.requestID ?? RequestID(high: 0, low: 0), cluster: request.route.clusterName,
      start: call.sent, from: pod, channel: channel)
  }

  /// The reply to a request whose caller gave up waiting for its upstream.
  static let requestTimeout = LocalReply(
    grpcStatus: .unavailable, message: "upstream request timeout", responseFlags: "UT", details: "response_timeout")

  /// The failure of a call the client's sidecar answered itself, logged as its access log line.
  private mutating func localReply(
    _ local: LocalReply, requestID: RequestID, cluster: String, start: SimTime, from pod: Pod, channel: Channel
  ) -> SidecarFailure {
    if channel.accessLogs {
      let names = telemetry.keys(of: channel)
      telemetry.appendAccessLog(
        telemetry.logID(ContainerLogKey(podUID: pod.metadata.uid ?? "", container: "istio-proxy")), at: now,
        AccessLogEntry(
          start: start, code: channel.http1 ? local.httpStatus : 200, flags: telemetry.key(local.responseFlags),
          details: telemetry.key(local.details), received: 0, sent: channel.http1 ? local.message.utf8.count : 0,
          duration: now - start, serviceTime: nil, requestID: requestID, authority: names.authority, upstreamHost: nil,
          cluster: telemetry.key(cluster), upstreamLocal: nil, downstreamLocal: names.destination,
          downstreamRemote: names.source, serverName: names.serverName, path: names.path, userAgent: names.userAgent,
          method: names.method))
    }
    return SidecarFailure(local: local, requestID: requestID, cluster: cluster)
  }

  /// Completes a call that went through the client's sidecar: pool bookkeeping, outlier detection, access
  /// logs, spans.
  mutating func finishThroughSidecar(
    _ call: InFlight, exchange: HTTPExchange?, upstream: UpstreamDispatch, from pod: Pod, client: ServerEnd,
    channel: inout Channel, proxy: inout EnvoyProxy
  ) {
    if upstream.isTCP { return }
    let (received, sent) = call.bytes(exchange: exchange)
    let code = exchange?.status ?? 200
    let total = now - call.sent
    let serviceTime = max(total.milliseconds - 1, 0)
    let serverStart = call.sent + .microseconds(Int64(random.network.next() % 300) + 100)
    let route = upstream.route
    let passthrough = call.server.sidecar ? inboundPassthroughSource() : nil
    let names = channel.accessLogs ? channel.keys ?? telemetry.keys(of: channel) : nil
    if let names, call.server.sidecar {
      telemetry.appendAccessLog(
        call.server.proxyLog, at: now,
        AccessLogEntry(
          start: serverStart, code: code, flags: .dash, details: .viaUpstream, received: received, sent: sent,
          duration: now - serverStart, serviceTime: max(serviceTime - 1, 0), requestID: call.requestID,
          authority: names.authority, upstreamHost: upstream.address, cluster: upstream.inboundCluster,
          upstreamLocal: passthrough, downstreamLocal: upstream.address, downstreamRemote: upstream.source,
          serverName: upstream.mtls ? route.serverName : nil, path: names.path, userAgent: names.userAgent,
          method: names.method))
    }
    completeUpstream(&proxy, upstream, worker: channel.worker)
    if upstream.detectsOutliers {
      let status = exchange?.status ?? call.message.answer.status.httpStatus
      proxy.clusters[upstream.cluster].recordOutcome(status, host: upstream.host, at: now)
    }
    if let names {
      telemetry.appendAccessLog(
        client.proxyLog, at: now,
        AccessLogEntry(
          start: call.sent, code: code, flags: .dash, details: .viaUpstream, received: received, sent: sent, duration: total,
          serviceTime: serviceTime, requestID: call.requestID, authority: names.authority, upstreamHost: upstream.address,
          cluster: route.cluster, upstreamLocal: upstream.source, downstreamLocal: names.destination,
          downstreamRemote: names.source, serverName: names.serverName, path: names.path, userAgent: names.userAgent,
          method: names.method))
    }
    guard let requestID = call.requestID else { return }
    let clientSpan = exchange?.spans?.client ?? random.tracing.next()
    let span = SpanRecord(
      trace: call.trace, id: clientSpan, parent: nil, proxy: client.keys.identity, operation: route.operation,
      start: call.sent, duration: total, requestID: requestID, host: route.host, port: upstream.port,
      requestSize: received, responseSize: sent, cluster: route.cluster, upstream: upstream.address,
      peer: client.keys.ip, server: false)
    let inbound: InboundSpan? =
      if call.server.sidecar {
        InboundSpan(
          id: exchange?.spans?.server ?? random.tracing.next(), start: serverStart,
          duration: now - serverStart - .microseconds(150), proxy: call.server.identity)
      } else {
        nil
      }
    telemetry.report(TraceRecord(span: span, inbound: inbound))
  }

  /// The server sidecar's access log line for a call that reached it without a client sidecar (plain text).
  ///
  /// The server's sidecar is the first proxy the call meets, so it gives the call its `x-request-id` and
  /// starts the trace with its inbound span.
  mutating func logInbound(call: InFlight, exchange: HTTPExchange?, channel: Channel) {
    let connection = telemetry.connection(channel.connection)
    let port = connection?.serverAddress.port ?? GreeterApp.grpcPort
    let address = AddressKey(ip: call.server.ip, port: port)
    let requestID = RequestID(high: random.tracing.next(), low: random.tracing.next())
    let (received, sent) = call.bytes(exchange: exchange)
    let inboundCluster = telemetry.key("inbound|\(port)||")
    let passthrough = inboundPassthroughSource()
    if channel.accessLogs {
      let names = telemetry.keys(of: channel)
      telemetry.appendAccessLog(
        call.server.proxyLog, at: now,
        AccessLogEntry(
          start: call.sent, code: exchange?.status ?? 200, flags: .dash, details: .viaUpstream, received: received,
          sent: sent, duration: now - call.sent, serviceTime: max((now - call.sent).milliseconds - 1, 0),
          requestID: requestID, authority: names.authority, upstreamHost: address, cluster: inboundCluster,
          upstreamLocal: passthrough, downstreamLocal: address, downstreamRemote: names.source,
          serverName: nil, path: names.path, userAgent: names.userAgent, method: names.method))
    }
    let service = connection?.kubeProxy?.service.split(separator: "/").map(String.init) ?? []
    let host = service.count == 2 ? "\(service[1]).\(service[0]).svc.cluster.local" : channel.destination.ip
    let spans = exchange?.spans
    let trace = spans == nil ? TraceID(high: random.tracing.next(), low: random.tracing.next()) : call.trace
    telemetry.report(TraceRecord(span: SpanRecord(
      trace: trace, id: spans?.server ?? random.tracing.next(), parent: nil, proxy: call.server.identity,
      operation: telemetry.key("\(host):\(port)/*"), start: call.sent, duration: now - call.sent,
      requestID: requestID, host: telemetry.key(host), port: port, requestSize: received,
      responseSize: sent, cluster: inboundCluster, upstream: address,
      peer: telemetry.key(channel.source.ip), server: true)))
  }

  /// Closes the app's connection of `channel` after `pause`, and the sidecar side with it: the upstream
  /// connection a TCP proxy held ends with the app's connection.
  mutating func closeChannel(_ channel: Channel, after pause: ClosedRange<SimDuration>, proxy: inout EnvoyProxy) {
    now = now + random.network.duration(in: pause)
    telemetry.closeConnection(channel.connection, at: now)
    guard channel.viaSidecar, let upstream = channel.tcpUpstream else { return }
    completeUpstream(&proxy, upstream, worker: channel.worker, closing: true)
  }

  /// Whether the control plane turns sidecar access logs on (`spec.proxy.accessLogging.file.name`).
  var accessLogEnabled: Bool {
    guard case .serviceMeshControlPlane(let plane) = store[ObjectKey(kind: .serviceMeshControlPlane, namespace: Self.controlPlaneNamespace, name: "basic")]
    else { return false }
    return plane.spec.proxy?.accessLogging?.file?.name?.isEmpty == false
  }

  /// The address an inbound sidecar connects to its app from: Istio's `127.0.0.6` and an ephemeral port.
  private mutating func inboundPassthroughSource() -> AddressKey {
    AddressKey(ip: .inboundPassthrough, port: 40_000 + Int(random.network.next() % 20_000))
  }
}

/// What a call carries: the greeter's `HelloRequest`, or a health check.
enum CallMessage: Equatable, Sendable {
  /// `SayHello` with this `name`, whose first part (the client's prefix) is `prefixLength` bytes of UTF-8.
  case hello(CallName, prefixLength: Int32)
  /// `grpc.health.v1.Health/Check` of the server as a whole (an empty `service`).
  case healthCheck
  /// fortio's `fgrpc.PingServer/Ping`, which the greeter does not implement.
  case ping
  /// An HTTP/1.1 request of the channel's method and path, which the server's app answers (`Cluster.serveHTTP`).
  case http

  /// `SayHello` with the name `prefix` and then `number` (a Java `int`, as the client counts), if any.
  static func named(_ prefix: CallNamePrefix, number: Int?) -> CallMessage {
    .hello(CallName(prefix: prefix.key, number: number), prefixLength: Int32(clamping: prefix.utf8Count))
  }

  /// The greeter's answer: Quarkus serves the greeter and the standard health service.
  var answer: (status: GRPCStatusCode, message: String) {
    switch self {
    case .hello, .healthCheck, .http: (.ok, "")
    case .ping: (.unimplemented, "unknown service fgrpc.PingServer")
    }
  }

  /// Bytes of the request and of the reply on the wire, after the 5-byte gRPC frame: a `HelloRequest`'s
  /// tag, length and name and the `HelloReply` `Hello <name>`; an empty `HealthCheckRequest` and
  /// `status: SERVING`; a `PingMessage`'s sequence number and timestamp, and no reply (a trailers-only
  /// `UNIMPLEMENTED`).
  var bytes: (request: Int, reply: Int) {
    switch self {
    case .hello(let name, let prefixLength):
      var length = Int(prefixLength)
      if var rest = name.number {
        if rest < 0 { length += 1 }
        repeat {
          length += 1
          rest /= 10
        } while rest != 0
      }
      return (5 + 2 + length, 5 + 2 + 6 + length)
    case .healthCheck: return (5, 5 + 2)
    case .ping: return (5 + 2 + 10, 0)
    case .http: return (0, 0)
    }
  }
}
