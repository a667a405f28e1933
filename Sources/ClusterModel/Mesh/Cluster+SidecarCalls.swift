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
  /// The `:path` and `user-agent` of the channel's calls.
  var path = GreeterApp.method
  var userAgent = Cluster.grpcUserAgent
  /// The pod's sidecar while the channel is open (an idle one for a channel without a sidecar); it goes
  /// back to the pod's runtime when the run ends.
  var proxy = EnvoyProxy(firstConnectionID: 1, debugLog: nil)
  /// The route choices of the channel's requests (the sidecar's RDS for them), and the store revision
  /// they were computed at: a push from istiod replaces them.
  var routes: RouteCache?
}

/// Route choices, with the store revision they were computed at.
struct RouteCache: Equatable, Sendable {
  var revision: Int
  var choices: Result<[RouteChoice], LocalReply>
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

  /// What the data plane needs of `pod` as a server: log keys, address, sidecar and identity.
  func serverEnd(of pod: Pod) -> ServerEnd {
    let ref = PodRef(namespace: pod.metadata.namespace ?? "", name: pod.metadata.name)
    let uid = pod.metadata.uid ?? ""
    let labels = pod.metadata.labels ?? [:]
    return ServerEnd(
      ref: ref, appLog: ContainerLogKey(podUID: uid, container: greeterContainer(of: pod)),
      proxyLog: ContainerLogKey(podUID: uid, container: "istio-proxy"), ip: pod.status?.podIP ?? "", sidecar: pod.hasSidecar,
      inboundMode: inboundMTLSMode(of: pod),
      identity: ProxyIdentity(
        pod: ref, ip: pod.status?.podIP ?? "", canonicalName: labels["service.istio.io/canonical-name"] ?? labels["app"] ?? ref.name,
        canonicalRevision: labels["service.istio.io/canonical-revision"] ?? "latest"))
  }

  /// Hands one `SayHello` call to the client's sidecar: route, balance, and put it on an upstream connection.
  ///
  /// On a TCP port the sidecar balanced only the connection: every call follows it to the same pod.
  mutating func sendThroughSidecar(from pod: Pod, channel: inout Channel) -> Result<InFlight, SidecarFailure> {
    if var upstream = channel.tcpUpstream {
      upstream.newConnection = false
      return .success(InFlight(stream: 0, server: upstream.host.server, sent: now, upstream: upstream))
    }
    let requestID = RequestID(high: rng.next(), low: rng.next())
    let stream = rng.next()
    let start = now
    let path = channel.path
    if channel.routes?.revision != lastResourceVersion {
      let choices = routeChoices(from: pod, authority: channel.authority, destination: channel.destination, path: path)
      channel.routes = RouteCache(revision: lastResourceVersion, choices: choices)
    }
    let route = (channel.routes?.choices ?? .failure(Self.routeNotFound)).flatMap { Self.weightedPick($0, rng: &rng) }
    let clusterName = (try? route.get())?.clusterName ?? "-"
    let debugLog = channel.proxy.debugLog
    if debugLog != nil {
      let headers = [
        (":authority", channel.authority), (":path", path), (":method", "POST"), (":scheme", "http"),
        ("content-type", "application/grpc"), ("te", "trailers"), ("grpc-accept-encoding", "gzip"),
        ("user-agent", channel.userAgent), ("grpc-timeout", "9999983u"), ("x-forwarded-proto", "http"),
        ("x-request-id", requestID.description), ("x-envoy-decorator-operation", (try? route.get())?.operation ?? "-"),
        ("x-envoy-peer-metadata-id", "sidecar~\(pod.status?.podIP ?? "")~\(pod.metadata.name).\(pod.metadata.namespace ?? "")~\(pod.metadata.namespace ?? "").svc.cluster.local"),
        ("x-envoy-attempt-count", "1"),
      ]
      proxyLog(debugLog, worker: channel.worker, .routerClusterMatch(downstream: channel.envoyConnection, stream: stream, cluster: clusterName, path: path))
      proxyLog(debugLog, worker: channel.worker, .routerDecodingHeaders(downstream: channel.envoyConnection, stream: stream, headers: headers))
    }
    let outcome = route.flatMap { route in
      dispatchUpstream(&channel.proxy, from: pod, route: route, worker: channel.worker, downstream: channel.envoyConnection, stream: stream)
    }
    switch outcome {
    case .failure(let local):
      if local == Self.queued { abandonQueuedStream(&channel.proxy, cluster: clusterName) }
      appendAccessLog(
        channel, ContainerLogKey(podUID: pod.metadata.uid ?? "", container: "istio-proxy"),
        AccessLogEntry(
          start: start, code: 200, flags: local.responseFlags, details: local.details, received: 0, sent: 0,
          duration: now - start, serviceTime: nil, requestID: requestID, authority: channel.authority, upstreamHost: nil,
          cluster: clusterName, upstreamLocal: nil, downstreamLocal: channel.destination, downstreamRemote: channel.source,
          serverName: channel.serverName))
      return .failure(SidecarFailure(local: local, requestID: requestID, cluster: clusterName))
    case .success(let dispatch):
      if dispatch.route.isTCP { channel.tcpUpstream = dispatch }
      return .success(InFlight(
        stream: 0, server: dispatch.host.server, sent: start, requestID: requestID, upstream: dispatch,
        trace: TraceID(high: rng.next(), low: rng.next())))
    }
  }

  /// Completes a call that went through the client's sidecar: pool bookkeeping, access logs, spans.
  mutating func finishThroughSidecar(
    _ call: InFlight, upstream: UpstreamDispatch, from pod: Pod, client: ServerEnd, channel: inout Channel, name: String
  ) {
    if upstream.route.isTCP { return }
    let received = Self.requestBytes(name)
    let sent = Self.replyBytes(name)
    let total = now - call.sent
    let serviceTime = max(total.milliseconds - 1, 0)
    let upstreamLocal = telemetry.connection(upstream.record)?.source ?? SocketAddress(ip: client.ip, port: 0)
    let serverStart = call.sent + .microseconds(Int64(rng.next() % 300) + 100)
    if call.server.sidecar {
      appendAccessLog(
        channel, call.server.proxyLog,
        AccessLogEntry(
          start: serverStart, code: 200, flags: "-", details: "via_upstream", received: received, sent: sent,
          duration: now - serverStart, serviceTime: max(serviceTime - 1, 0), requestID: call.requestID,
          authority: channel.authority, upstreamHost: upstream.address, cluster: "inbound|\(upstream.address.port)||",
          upstreamLocal: inboundPassthroughSource(),
          downstreamLocal: upstream.address, downstreamRemote: upstreamLocal,
          serverName: upstream.mtls ? upstream.route.serverName : nil))
    }
    completeUpstream(&channel.proxy, upstream, client: pod, worker: channel.worker)
    appendAccessLog(
      channel, client.proxyLog,
      AccessLogEntry(
        start: call.sent, code: 200, flags: "-", details: "via_upstream", received: received, sent: sent, duration: total,
        serviceTime: serviceTime, requestID: call.requestID, authority: channel.authority, upstreamHost: upstream.address,
        cluster: upstream.route.clusterName, upstreamLocal: upstreamLocal, downstreamLocal: channel.destination,
        downstreamRemote: channel.source, serverName: channel.serverName))
    guard let requestID = call.requestID else { return }
    let span = SpanCall(
      requestID: requestID, host: upstream.route.host, port: upstream.route.port, requestSize: received, responseSize: sent,
      cluster: upstream.route.clusterName, upstream: upstream.address, peer: client.ip, server: false)
    let clientSpan = rng.next()
    telemetry.report(Span(
      trace: call.trace, id: clientSpan, parent: nil, proxy: client.identity, operation: upstream.route.operation,
      start: call.sent, duration: total, call: span))
    if call.server.sidecar {
      var inbound = span
      inbound.server = true
      telemetry.report(Span(
        trace: call.trace, id: rng.next(), parent: clientSpan, proxy: call.server.identity, operation: upstream.route.operation,
        start: serverStart, duration: now - serverStart - .microseconds(150), call: inbound))
    }
  }

  /// The server sidecar's access log line for a call that reached it without a client sidecar (plain text).
  ///
  /// The server's sidecar is the first proxy the call meets, so it gives the call its `x-request-id` and
  /// starts the trace with its inbound span.
  mutating func logInbound(call: InFlight, name: String, channel: Channel) {
    let address = SocketAddress(ip: call.server.ip, port: GreeterApp.grpcPort)
    let requestID = RequestID(high: rng.next(), low: rng.next())
    appendAccessLog(
      channel, call.server.proxyLog,
      AccessLogEntry(
        start: call.sent, code: 200, flags: "-", details: "via_upstream", received: Self.requestBytes(name),
        sent: Self.replyBytes(name), duration: now - call.sent, serviceTime: max((now - call.sent).milliseconds - 1, 0),
        requestID: requestID, authority: channel.authority, upstreamHost: address, cluster: "inbound|\(GreeterApp.grpcPort)||",
        upstreamLocal: inboundPassthroughSource(), downstreamLocal: address,
        downstreamRemote: channel.source, serverName: nil))
    let service = telemetry.connection(channel.connection)?.kubeProxy?.service.split(separator: "/").map(String.init) ?? []
    let host = service.count == 2 ? "\(service[1]).\(service[0]).svc.cluster.local" : channel.destination.ip
    telemetry.report(Span(
      trace: TraceID(high: rng.next(), low: rng.next()), id: rng.next(), parent: nil, proxy: call.server.identity,
      operation: "\(host):\(GreeterApp.grpcPort)/*", start: call.sent, duration: now - call.sent,
      call: SpanCall(
        requestID: requestID, host: host, port: GreeterApp.grpcPort, requestSize: Self.requestBytes(name),
        responseSize: Self.replyBytes(name), cluster: "inbound|\(GreeterApp.grpcPort)||", upstream: address,
        peer: channel.source.ip, server: true)))
  }

  /// Closes the channel's sidecar side: the upstream connection a TCP proxy held ends with the app's
  /// connection, and the sidecar's state goes back to the pod.
  mutating func closeSidecarSide(of channel: Channel, from pod: Pod) {
    guard channel.viaSidecar else { return }
    var proxy = channel.proxy
    if let upstream = channel.tcpUpstream {
      completeUpstream(&proxy, upstream, client: pod, worker: channel.worker, closing: true)
    }
    runtimes[pod.metadata.uid ?? ""]?.proxy = proxy
  }

  /// Appends an Istio TEXT access-log line, when the control plane sends access logs to `/dev/stdout`.
  private mutating func appendAccessLog(_ channel: Channel, _ key: ContainerLogKey, _ entry: AccessLogEntry) {
    guard channel.accessLogs else { return }
    var entry = entry
    entry.path = channel.path
    entry.userAgent = channel.userAgent
    telemetry.appendLog(key, LogLine(time: now, entry: .access(entry)))
  }

  /// Whether the control plane turns sidecar access logs on (`spec.proxy.accessLogging.file.name`).
  var accessLogEnabled: Bool {
    guard case .serviceMeshControlPlane(let plane) = store[ObjectKey(kind: .serviceMeshControlPlane, namespace: Self.controlPlaneNamespace, name: "basic")]
    else { return false }
    return plane.spec.proxy?.accessLogging?.file?.name?.isEmpty == false
  }

  /// The address an inbound sidecar connects to its app from: Istio's `127.0.0.6` and an ephemeral port.
  private mutating func inboundPassthroughSource() -> SocketAddress {
    SocketAddress(ip: "127.0.0.6", port: 40_000 + Int(rng.next() % 20_000))
  }

  /// Bytes of a `HelloRequest` with `name` on the wire: the 5-byte gRPC frame, tag, length and text.
  static func requestBytes(_ name: String) -> Int { 5 + 2 + name.utf8.count }

  /// Bytes of the `HelloReply` `Hello <name>` on the wire.
  static func replyBytes(_ name: String) -> Int { 5 + 2 + 6 + name.utf8.count }
}
