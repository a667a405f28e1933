/// A gRPC channel's one connection, as the app sees it.
struct Channel: Equatable, Sendable {
  /// The connection's record id.
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
}

/// A call the client's sidecar answered itself.
struct SidecarFailure: Error, Equatable, Sendable {
  var local: LocalReply
  var requestID: String
  var cluster: String

  var grpcStatus: GRPCStatusCode { local.grpcStatus }
  var message: String { local.message }
}

extension Cluster {
  /// The user agent of the greeter's grpc-java client.
  static let grpcUserAgent = "grpc-java-netty/1.54.1"

  /// Hands one `SayHello` call to the client's sidecar: route, balance, and put it on an upstream connection.
  ///
  /// On a TCP port the sidecar balanced only the connection: every call follows it to the same pod.
  mutating func sendThroughSidecar(from pod: Pod, channel: inout Channel, name: String) -> Result<InFlight, SidecarFailure> {
    if var upstream = channel.tcpUpstream, let server = store.pod(upstream.server) {
      upstream.newConnection = false
      return .success(InFlight(stream: 0, server: server, sent: now, upstream: upstream))
    }
    let requestID = newRequestID()
    let stream = rng.next()
    let start = now
    let debug = pod.proxyLogLevel == "debug" || pod.proxyLogLevel == "trace"
    let thread = EnvoyProxy.workerThreads[channel.worker % EnvoyProxy.workerThreads.count]
    let path = GreeterApp.method
    let route = cachedRouteChoices(from: pod, authority: channel.authority, port: channel.destination.port, path: path)
      .flatMap { Self.weightedPick($0, rng: &rng) }
    let clusterName = (try? route.get())?.clusterName ?? "-"
    if debug {
      let headers = [
        (":authority", channel.authority), (":path", path), (":method", "POST"), (":scheme", "http"),
        ("content-type", "application/grpc"), ("te", "trailers"), ("grpc-accept-encoding", "gzip"),
        ("user-agent", Self.grpcUserAgent), ("grpc-timeout", "9999983u"), ("x-forwarded-proto", "http"),
        ("x-request-id", requestID), ("x-envoy-decorator-operation", (try? route.get())?.operation ?? "-"),
        ("x-envoy-peer-metadata-id", "sidecar~\(pod.status?.podIP ?? "")~\(pod.metadata.name).\(pod.metadata.namespace ?? "")~\(pod.metadata.namespace ?? "").svc.cluster.local"),
        ("x-envoy-attempt-count", "1"),
      ]
      for message in [
        EnvoyMessage.routerClusterMatch(downstream: channel.envoyConnection, stream: stream, cluster: clusterName, path: path),
        .routerDecodingHeaders(downstream: channel.envoyConnection, stream: stream, headers: headers),
      ] {
        telemetry.appendLog(pod: pod, container: "istio-proxy", at: now, message.line(at: now, thread: thread))
      }
    }
    let outcome = route.flatMap { route in
      dispatchUpstream(from: pod, route: route, worker: channel.worker, downstream: channel.envoyConnection, stream: stream)
    }
    switch outcome {
    case .failure(let local):
      if local == Self.queued { abandonQueuedStream(from: pod, cluster: clusterName) }
      appendAccessLog(
        pod: pod, start: start, code: 200, flags: local.responseFlags, details: local.details, received: 0, sent: 0,
        serviceTime: nil, requestID: requestID, authority: channel.authority, upstreamHost: nil, cluster: clusterName,
        upstreamLocal: nil, downstreamLocal: channel.destination, downstreamRemote: channel.source, serverName: nil)
      return .failure(SidecarFailure(local: local, requestID: requestID, cluster: clusterName))
    case .success(let dispatch):
      if dispatch.route.isTCP { channel.tcpUpstream = dispatch }
      guard let server = store.pod(dispatch.server) else {
        return .failure(SidecarFailure(
          local: LocalReply(grpcStatus: .unavailable, message: "no healthy upstream", responseFlags: "UH", details: "no_healthy_upstream"),
          requestID: requestID, cluster: clusterName))
      }
      return .success(InFlight(
        stream: 0, server: server, sent: start, requestID: requestID, upstream: dispatch, traceID: newTraceID(),
        envoyStream: stream))
    }
  }

  /// Completes a call that went through the client's sidecar: pool bookkeeping, access logs, spans.
  mutating func finishThroughSidecar(_ call: InFlight, upstream: UpstreamDispatch, from pod: Pod, channel: Channel, name: String) {
    if upstream.route.isTCP { return }
    let received = Self.requestBytes(name)
    let sent = Self.replyBytes(name)
    let total = now - call.sent
    let serviceTime = max(total.milliseconds - 1, 0)
    let upstreamLocal = telemetry.connection(upstream.record)?.source ?? SocketAddress(ip: pod.status?.podIP ?? "", port: 0)
    if call.server.hasSidecar {
      appendAccessLog(
        pod: call.server, start: call.sent, code: 200, flags: "-", details: "via_upstream", received: received, sent: sent,
        serviceTime: serviceTime, requestID: call.requestID ?? "-", authority: channel.authority,
        upstreamHost: upstream.address, cluster: "inbound|\(upstream.address.port)||",
        upstreamLocal: SocketAddress(ip: "127.0.0.6", port: 40_000 + Int(rng.next() % 20_000)),
        downstreamLocal: upstream.address, downstreamRemote: upstreamLocal,
        serverName: upstream.mtls ? "outbound_.\(upstream.route.port)_.\(upstream.route.subset ?? "")_.\(upstream.route.host)" : nil)
    }
    completeUpstream(upstream, client: pod, worker: channel.worker)
    appendAccessLog(
      pod: pod, start: call.sent, code: 200, flags: "-", details: "via_upstream", received: received, sent: sent,
      serviceTime: serviceTime, requestID: call.requestID ?? "-", authority: channel.authority, upstreamHost: upstream.address,
      cluster: upstream.route.clusterName, upstreamLocal: upstreamLocal, downstreamLocal: channel.destination,
      downstreamRemote: channel.source, serverName: nil)
    recordSpans(call, upstream: upstream, client: pod, name: name)
  }

  /// Closes the upstream connection a TCP proxy held for `channel`, when the app closes its connection.
  mutating func closeTCPProxy(of channel: Channel, from pod: Pod) {
    guard let upstream = channel.tcpUpstream else { return }
    completeUpstream(upstream, client: pod, worker: channel.worker, closing: true)
  }

  /// The server sidecar's access log line for a call that reached it without a client sidecar (plain text).
  mutating func logInbound(call: InFlight, name: String, from pod: Pod, channel: Channel, mtls: Bool) {
    let address = SocketAddress(ip: call.server.status?.podIP ?? "", port: GreeterApp.grpcPort)
    appendAccessLog(
      pod: call.server, start: call.sent, code: 200, flags: "-", details: "via_upstream", received: Self.requestBytes(name),
      sent: Self.replyBytes(name), serviceTime: max((now - call.sent).milliseconds - 1, 0), requestID: "-",
      authority: channel.authority, upstreamHost: address, cluster: "inbound|\(GreeterApp.grpcPort)||",
      upstreamLocal: SocketAddress(ip: "127.0.0.6", port: 40_000 + Int(rng.next() % 20_000)), downstreamLocal: address,
      downstreamRemote: channel.source, serverName: nil)
  }

  /// Istio's TEXT access-log line, written when the control plane sends access logs to `/dev/stdout`.
  private mutating func appendAccessLog(
    pod: Pod, start: SimTime, code: Int, flags: String, details: String, received: Int, sent: Int, serviceTime: Int64?,
    requestID: String, authority: String, upstreamHost: SocketAddress?, cluster: String, upstreamLocal: SocketAddress?,
    downstreamLocal: SocketAddress, downstreamRemote: SocketAddress, serverName: String?
  ) {
    guard accessLogEnabled else { return }
    let duration = (now - start).milliseconds
    let fields: [String] = [
      "[\(start.rfc3339(fractionDigits: 3))]", "\"POST \(GreeterApp.method) HTTP/2\"", String(code), flags, details, "-", "\"-\"",
      String(received), String(sent), String(duration), serviceTime.map(String.init) ?? "-", "\"-\"",
      "\"\(Self.grpcUserAgent)\"", "\"\(requestID)\"", "\"\(authority)\"", "\"\(upstreamHost?.description ?? "-")\"",
      cluster, upstreamLocal?.description ?? "-", downstreamLocal.description, downstreamRemote.description,
      serverName ?? "-", "default",
    ]
    telemetry.appendLog(pod: pod, container: "istio-proxy", at: now, fields.joined(separator: " "))
  }

  /// Whether the control plane turns sidecar access logs on (`spec.proxy.accessLogging.file.name`).
  private var accessLogEnabled: Bool {
    guard case .serviceMeshControlPlane(let plane) = store[ObjectKey(kind: .serviceMeshControlPlane, namespace: Self.controlPlaneNamespace, name: "basic")]
    else { return false }
    return plane.spec.proxy?.accessLogging?.file?.name?.isEmpty == false
  }

  /// The client and server spans of one call, as the sidecars report them to Jaeger.
  private mutating func recordSpans(_ call: InFlight, upstream: UpstreamDispatch, client: Pod, name: String) {
    let traceID = call.traceID ?? newTraceID()
    let clientSpan = newTraceID()
    let serverSpan = newTraceID()
    let status = "200"
    func service(_ pod: Pod) -> String {
      "\(pod.metadata.labels?["service.istio.io/canonical-name"] ?? pod.metadata.labels?["app"] ?? pod.metadata.name).\(pod.metadata.namespace ?? "")"
    }
    func nodeID(_ pod: Pod) -> String {
      "sidecar~\(pod.status?.podIP ?? "")~\(pod.metadata.name).\(pod.metadata.namespace ?? "")~\(pod.metadata.namespace ?? "").svc.cluster.local"
    }
    let url = "http://\(upstream.route.host):\(upstream.route.port)\(GreeterApp.method)"
    let common = { (pod: Pod, cluster: String, peer: String) in
      [
        SpanTag("component", "proxy"), SpanTag("node_id", nodeID(pod)), SpanTag("guid:x-request-id", call.requestID ?? ""),
        SpanTag("http.url", url), SpanTag("http.method", "POST"), SpanTag("downstream_cluster", "-"),
        SpanTag("user_agent", Self.grpcUserAgent), SpanTag("http.protocol", "HTTP/2"),
        SpanTag("request_size", String(Self.requestBytes(name))), SpanTag("upstream_cluster", cluster),
        SpanTag("upstream_cluster.name", cluster), SpanTag("http.status_code", status),
        SpanTag("response_size", String(Self.replyBytes(name))), SpanTag("response_flags", "-"),
        SpanTag("grpc.status_code", "0"), SpanTag("grpc.path", GreeterApp.method), SpanTag("peer.address", peer),
        SpanTag("istio.canonical_service", pod.metadata.labels?["service.istio.io/canonical-name"] ?? ""),
        SpanTag("istio.canonical_revision", pod.metadata.labels?["service.istio.io/canonical-revision"] ?? ""),
        SpanTag("istio.mesh_id", "cluster.local"), SpanTag("istio.namespace", pod.metadata.namespace ?? ""),
      ]
    }
    telemetry.report(Span(
      traceID: traceID, spanID: clientSpan, parentID: nil, service: service(client), operation: upstream.route.operation,
      start: call.sent, duration: now - call.sent,
      tags: common(client, upstream.route.clusterName, client.status?.podIP ?? "")
        + [SpanTag("upstream_address", upstream.address.description), SpanTag("span.kind", "client")]))
    if call.server.hasSidecar {
      let serverStart = call.sent + .microseconds(Int64(rng.next() % 300) + 100)
      telemetry.report(Span(
        traceID: traceID, spanID: serverSpan, parentID: clientSpan, service: service(call.server),
        operation: upstream.route.operation, start: serverStart, duration: now - serverStart - .microseconds(150),
        tags: common(call.server, "inbound|\(upstream.address.port)||", client.status?.podIP ?? "")
          + [SpanTag("upstream_address", "127.0.0.6:\(upstream.address.port)"), SpanTag("span.kind", "server")]))
    }
  }

  /// An `x-request-id`: a UUIDv4 whose 15th character is `9`, Envoy's mark for a sampled trace.
  mutating func newRequestID() -> String {
    var chars = Array(newUID())
    chars[14] = "9"
    return String(chars)
  }

  /// 16 random hexadecimal digits: a trace or span id.
  mutating func newTraceID() -> String {
    String(rng.next(), radix: 16).leftPadded(to: 16)
  }

  /// Bytes of a `HelloRequest` with `name` on the wire: the 5-byte gRPC frame, tag, length and text.
  static func requestBytes(_ name: String) -> Int { 5 + 2 + name.utf8.count }

  /// Bytes of the `HelloReply` `Hello <name>` on the wire.
  static func replyBytes(_ name: String) -> Int { 5 + 2 + 6 + name.utf8.count }
}
