/// One debug message an Envoy proxy logs about upstream connections, with the logger and source
/// location Istio's log format prints (`envoy pool external/envoy/source/…/conn_pool_base.cc:140`).
enum EnvoyMessage: Equatable, Sendable {
  case queueing(ready: Int, busy: Int, connecting: Int)
  case tryingToCreate
  case creatingConnection(connecting: Int)
  case connectingState(connection: Int)
  case clientConnecting(connection: Int)
  case connecting(connection: Int, address: SocketAddress)
  case connectionInProgress(connection: Int)
  case connectionConnected(connection: Int)
  case clientConnected(connection: Int)
  case attaching(connection: Int)
  case usingExisting(connection: Int)
  case creatingStream(connection: Int)
  case maxStreamsDraining(connection: Int)
  case maxStreamsOverflow
  case maxPendingOverflow
  case responseComplete(connection: Int)
  case destroyingStream(connection: Int, remaining: Int)
  case closing(connection: Int)
  case closingSocket(connection: Int)
  case disconnect(connection: Int)
  case clientDisconnected(connection: Int)
  case sslShutdown(connection: Int)
  case idleCallbacks
  /// Boxed: its headers would make every message as large as they are.
  indirect case routerDecodingHeaders(downstream: Int, stream: UInt64, request: RequestHeaders)
  case routerClusterMatch(downstream: Int, stream: UInt64, cluster: String, path: String)
  case routerPoolReady(downstream: Int, stream: UInt64)
  case routerUpstreamReset(downstream: Int, stream: UInt64, reason: String)

  static func == (lhs: EnvoyMessage, rhs: EnvoyMessage) -> Bool { lhs.text == rhs.text && lhs.logger == rhs.logger }

  /// The logger name (`%n`).
  var logger: String {
    switch self {
    case .queueing, .tryingToCreate, .creatingConnection, .attaching, .usingExisting, .creatingStream,
      .maxStreamsDraining, .maxStreamsOverflow, .maxPendingOverflow, .destroyingStream, .clientDisconnected,
      .idleCallbacks:
      "pool"
    case .connectingState, .connecting, .connectionInProgress, .connectionConnected, .closing, .closingSocket, .sslShutdown:
      "connection"
    case .clientConnecting, .clientConnected, .responseComplete, .disconnect: "client"
    case .routerDecodingHeaders, .routerClusterMatch, .routerPoolReady, .routerUpstreamReset: "router"
    }
  }

  /// The source file and line of the log statement (`%g:%#`), from Envoy 1.26 (OpenShift Service Mesh 2.5).
  var source: String {
    let (file, line): (String, Int) =
      switch self {
      case .queueing: ("source/common/http/conn_pool_base.cc", 78)
      case .tryingToCreate: ("source/common/conn_pool/conn_pool_base.cc", 291)
      case .creatingConnection: ("source/common/conn_pool/conn_pool_base.cc", 145)
      case .connectingState: ("source/common/network/connection_impl.h", 98)
      case .clientConnecting: ("source/common/http/codec_client.cc", 57)
      case .connecting: ("source/common/network/connection_impl.cc", 941)
      case .connectionInProgress: ("source/common/network/connection_impl.cc", 960)
      case .connectionConnected: ("source/common/network/connection_impl.cc", 688)
      case .clientConnected: ("source/common/http/codec_client.cc", 88)
      case .attaching: ("source/common/conn_pool/conn_pool_base.cc", 328)
      case .usingExisting: ("source/common/conn_pool/conn_pool_base.cc", 265)
      case .creatingStream: ("source/common/conn_pool/conn_pool_base.cc", 182)
      case .maxStreamsDraining: ("source/common/conn_pool/conn_pool_base.cc", 188)
      case .maxStreamsOverflow: ("source/common/conn_pool/conn_pool_base.cc", 176)
      case .maxPendingOverflow: ("source/common/conn_pool/conn_pool_base.cc", 269)
      case .responseComplete: ("source/common/http/codec_client.cc", 128)
      case .destroyingStream: ("source/common/conn_pool/conn_pool_base.cc", 215)
      case .closing: ("source/common/network/connection_impl.cc", 139)
      case .closingSocket: ("source/common/network/connection_impl.cc", 250)
      case .sslShutdown: ("source/extensions/transport_sockets/tls/ssl_socket.cc", 320)
      case .disconnect: ("source/common/http/codec_client.cc", 107)
      case .clientDisconnected: ("source/common/conn_pool/conn_pool_base.cc", 484)
      case .idleCallbacks: ("source/common/conn_pool/conn_pool_base.cc", 454)
      case .routerDecodingHeaders: ("source/common/router/router.cc", 686)
      case .routerClusterMatch: ("source/common/router/router.cc", 478)
      case .routerPoolReady: ("source/common/router/upstream_request.cc", 550)
      case .routerUpstreamReset: ("source/common/router/router.cc", 1208)
      }
    return "external/envoy/\(file):\(line)"
  }

  /// The message (`%v`), with Envoy's `[C12]` / `[C12][S…]` prefix.
  var text: String {
    switch self {
    case .queueing(let ready, let busy, let connecting):
      "queueing stream due to no available connections (ready=\(ready) busy=\(busy) connecting=\(connecting))"
    case .tryingToCreate: "trying to create new connection"
    case .creatingConnection(let connecting): "creating a new connection (connecting=\(connecting))"
    case .connectingState(let id): "[C\(id)] current connecting state: true"
    case .clientConnecting(let id): "[C\(id)] connecting"
    case .connecting(let id, let address): "[C\(id)] connecting to \(address)"
    case .connectionInProgress(let id): "[C\(id)] connection in progress"
    case .connectionConnected(let id), .clientConnected(let id): "[C\(id)] connected"
    case .attaching(let id): "[C\(id)] attaching to next stream"
    case .usingExisting(let id): "[C\(id)] using existing fully connected connection"
    case .creatingStream(let id): "[C\(id)] creating stream"
    case .maxStreamsDraining(let id): "[C\(id)] maximum streams per connection, start draining"
    case .maxStreamsOverflow: "max streams overflow"
    case .maxPendingOverflow: "max pending streams overflow"
    case .responseComplete(let id): "[C\(id)] response complete"
    case .destroyingStream(let id, let remaining): "[C\(id)] destroying stream: \(remaining) remaining"
    case .closing(let id): "[C\(id)] closing data_to_write=0 type=1"
    case .closingSocket(let id): "[C\(id)] closing socket: 1"
    case .disconnect(let id): "[C\(id)] disconnect. resetting 0 pending requests"
    case .clientDisconnected(let id): "[C\(id)] client disconnected, failure reason: "
    case .sslShutdown(let id): "[C\(id)] SSL shutdown: rc=0"
    case .idleCallbacks: "invoking idle callbacks - is_draining_for_deletion_=false"
    case .routerDecodingHeaders(let downstream, let stream, let request):
      "[C\(downstream)][S\(stream)] router decoding headers:\n"
        + request.headers.map { "'\($0.name)', '\($0.value)'" }.joined(separator: "\n") + "\n"
    case .routerClusterMatch(let downstream, let stream, let cluster, let path):
      "[C\(downstream)][S\(stream)] cluster '\(cluster)' match for URL '\(path)'"
    case .routerPoolReady(let downstream, let stream): "[C\(downstream)][S\(stream)] pool ready"
    case .routerUpstreamReset(let downstream, let stream, let reason):
      "[C\(downstream)][S\(stream)] upstream reset: reset reason: \(reason), transport failure reason: "
    }
  }

  /// The whole line in Istio's log format: `time\tdebug\tenvoy <logger> <source>\t<message>\tthread=<id>`.
  func line(at time: SimTime, thread: Int) -> String {
    "\(time.rfc3339(fractionDigits: 6))\tdebug\tenvoy \(logger) \(source)\t\(text)\tthread=\(thread)"
  }
}

/// The headers a sidecar's router decodes from an app's gRPC request, kept as the values they are made of
/// and written out only when the log is read.
struct RequestHeaders: Equatable, Sendable {
  var authority: String
  var path: String
  var userAgent: String
  var requestID: RequestID
  /// The route's decorator operation; `-` without a route.
  var operation: String
  /// The client pod's address, name and namespace, which make its peer metadata id.
  var podIP: String
  var podName: String
  var namespace: String

  /// The headers in the order Envoy logs them.
  var headers: [HTTPHeader] {
    [
      HTTPHeader(":authority", authority), HTTPHeader(":path", path), HTTPHeader(":method", "POST"), HTTPHeader(":scheme", "http"),
      HTTPHeader("content-type", "application/grpc"), HTTPHeader("te", "trailers"), HTTPHeader("grpc-accept-encoding", "gzip"),
      HTTPHeader("user-agent", userAgent), HTTPHeader("grpc-timeout", "9999983u"), HTTPHeader("x-forwarded-proto", "http"),
      HTTPHeader("x-request-id", requestID.description), HTTPHeader("x-envoy-decorator-operation", operation),
      HTTPHeader("x-envoy-peer-metadata-id", "sidecar~\(podIP)~\(podName).\(namespace)~\(namespace).svc.cluster.local"),
      HTTPHeader("x-envoy-attempt-count", "1"),
    ]
  }
}
