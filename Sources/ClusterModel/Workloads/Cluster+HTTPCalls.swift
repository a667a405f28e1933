/// What the data plane records of an HTTP/1.1 call that reached its server: the reply's status and body
/// size, and the span ids the sidecars gave it.
struct HTTPExchange {
  var status: Int
  var bodyBytes: Int
  var spans: CallSpans?
}

/// The span ids the sidecars give an HTTP/1.1 call, drawn when it reaches the server so that the headers the
/// app echoes and the spans Jaeger shows agree.
struct CallSpans {
  var client: UInt64
  var server: UInt64
}

extension Cluster {
  /// The reply of `server`'s app to an HTTP/1.1 call that reached it, as the app sends it: the request
  /// carries the headers the sidecars on the way added (trace, attempt count, client certificate). Returns the
  /// span ids the sidecars gave the call too; the server's sidecar starts the trace (`call.trace`) when the
  /// client has none.
  mutating func serveHTTP(_ call: inout InFlight, by server: PodRef?, channel: Channel, upstream: UpstreamDispatch?, from client: Pod)
    -> (response: HTTPResponse, spans: CallSpans?)
  {
    guard let server = server.flatMap({ store.pod($0) }) else {
      return (HTTPResponse(status: 503, headers: [], body: ""), nil)
    }
    var spans: CallSpans?
    var headers = [HTTPHeader("Host", channel.authority), HTTPHeader("User-Agent", channel.userAgent)]
    if upstream != nil || call.server.sidecar {
      if upstream == nil { call.trace = TraceID(high: random.tracing.next(), low: random.tracing.next()) }
      let drawn = CallSpans(client: random.tracing.next(), server: random.tracing.next())
      spans = drawn
      let traceID = Hex.digits(call.trace.high) + Hex.digits(call.trace.low)
      if upstream != nil {
        headers.append(HTTPHeader("X-B3-Parentspanid", Hex.digits(drawn.client)))
        headers.append(HTTPHeader("X-Envoy-Attempt-Count", "1"))
      }
      headers += [
        HTTPHeader("X-B3-Sampled", "1"), HTTPHeader("X-B3-Spanid", Hex.digits(call.server.sidecar ? drawn.server : drawn.client)),
        HTTPHeader("X-B3-Traceid", traceID),
      ]
    }
    if let upstream, upstream.mtls, call.server.sidecar {
      let serverIdentity = Self.spiffeID(of: server)
      let clientIdentity = Self.spiffeID(of: client)
      // The certificate's SHA-256, which stands here as four words drawn from the identity it names.
      var words = SplitMix64(seed: Self.fnv1a(clientIdentity))
      let hash = (0..<4).map { _ in Hex.digits(words.next()) }.joined()
      headers.append(HTTPHeader("X-Forwarded-Client-Cert", "By=\(serverIdentity);Hash=\(hash);Subject=\"\";URI=\(clientIdentity)"))
    }
    let origin = call.server.sidecar ? "127.0.0.6" : client.status?.podIP ?? ""
    let port = upstream.map { Int($0.address.port) } ?? telemetry.connection(channel.connection)?.serverAddress.port ?? 0
    guard server.spec.containers.contains(where: { $0.image.flatMap(ContainerImage.lookup)?.behaviour == .httpbin }) else {
      // The greeter's REST resource; a load never runs its `/hello/grpc` client (fortio refuses it).
      let greeter = port == GreeterApp.httpPort ? GreeterApp.restReply(method: channel.method ?? "GET", path: channel.path) : nil
      return (greeter ?? HTTPResponse(status: 404, headers: [HTTPHeader("content-length", "0")], body: ""), spans)
    }
    let response = HTTPBinApp.respond(
      method: channel.method ?? "GET", path: channel.path, headers: headers, origin: origin, url: "http://\(channel.authority)\(channel.path)",
      at: now)
    return (response, spans)
  }

  /// The reply as the client app reads it: each sidecar on the way back names itself the server, drops the
  /// hop-by-hop `Connection`, lower-cases the names and adds the time upstream took.
  func deliveredHTTP(_ response: HTTPResponse, serverSidecar: Bool, clientSidecar: Bool, upstreamTime: SimDuration) -> HTTPResponse {
    guard serverSidecar || clientSidecar else { return response }
    var headers = response.headers.filter { $0.name.lowercased() != "connection" }.map { HTTPHeader($0.name.lowercased(), $0.value) }
    let name = clientSidecar ? "envoy" : "istio-envoy"
    if let index = headers.firstIndex(where: { $0.name == "server" }) {
      headers[index].value = name
    } else {
      headers.insert(HTTPHeader("server", name), at: 0)
    }
    headers.append(HTTPHeader("x-envoy-upstream-service-time", String(max(upstreamTime.milliseconds, 0))))
    return HTTPResponse(status: response.status, headers: headers, body: response.body)
  }

  /// The reply a client's sidecar makes itself on an HTTP/1.1 connection: `503` with its reason for an
  /// overflow (marked `x-envoy-overloaded`) or a failed upstream, `404` when no route matched.
  func localHTTPReply(_ local: LocalReply) -> HTTPResponse {
    let status = local.httpStatus
    var headers: [HTTPHeader] = local.responseFlags == "UO" ? [HTTPHeader("x-envoy-overloaded", "true")] : []
    headers += [
      HTTPHeader("content-length", String(local.message.utf8.count)),
    ] + (local.message.isEmpty ? [] : [HTTPHeader("content-type", "text/plain")]) + [
      HTTPHeader("date", now.httpDate), HTTPHeader("server", "envoy"),
    ]
    return HTTPResponse(status: status, headers: headers, body: local.message)
  }

  /// The SPIFFE identity of a pod's service account, as Istio's certificates name it.
  static func spiffeID(of pod: Pod) -> String {
    "spiffe://cluster.local/ns/\(pod.metadata.namespace ?? "")/sa/\(pod.spec.serviceAccountName ?? "default")"
  }
}

extension LocalReply {
  /// The HTTP status of the reply on an HTTP/1.1 connection: 404 when no route matched, 504 when the
  /// caller timed out, 503 otherwise.
  var httpStatus: Int {
    switch responseFlags {
    case "NR": 404
    case "UT": 504
    default: 503
    }
  }
}
