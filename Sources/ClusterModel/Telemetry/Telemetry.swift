import DequeModule

/// Everything the model observed: container logs, TCP connections, gRPC calls and client runs.
///
/// Checks and tools read the same records, so a check can never see something the tools cannot show.
public struct Telemetry: Equatable, Sendable {
  /// Log lines per container, keyed by pod UID and container name.
  private var logs: [ContainerLogKey: Deque<LogLine>] = [:]
  /// The most recent TCP connections, in id order.
  public private(set) var connections: Deque<ConnectionRecord> = []
  /// The most recent gRPC calls, in order.
  public private(set) var calls: Deque<CallRecord> = []
  /// Every run of the client app's `/hello/grpc` endpoint, in order.
  public internal(set) var clientRuns: [ClientRun] = []
  /// The most recent gRPC calls from the learner's workstation (grpcurl), in order.
  public private(set) var workstationCalls: Deque<WorkstationCallRecord> = []
  /// The most recent trace spans the sidecars reported to Jaeger, in order.
  public private(set) var spans: Deque<Span> = []
  /// Records dropped by retention; ids and run ranges keep counting across them.
  private var droppedConnections = 0
  private var droppedCalls = 0

  /// The lines kept per container; older lines are dropped, as log rotation does.
  public static let logRetention = 5_000
  /// The connections, calls and spans kept, so that memory stays flat however much traffic runs.
  public static let recordRetention = 50_000

  /// The id the next connection gets.
  var nextConnectionID: Int { droppedConnections + connections.count + 1 }

  /// The number of calls ever recorded: the end of the next run's range.
  public var callCount: Int { droppedCalls + calls.count }

  /// The connection with `id`, unless retention dropped it.
  public func connection(_ id: Int) -> ConnectionRecord? {
    let index = id - 1 - droppedConnections
    return connections.indices.contains(index) ? connections[index] : nil
  }

  mutating func open(_ connection: consuming ConnectionRecord) {
    connections.append(connection)
    Self.trim(&connections, dropped: &droppedConnections)
  }

  mutating func record(_ call: consuming CallRecord) {
    calls.append(call)
    Self.trim(&calls, dropped: &droppedCalls)
  }

  mutating func record(_ call: WorkstationCallRecord) {
    workstationCalls.append(call)
    Self.trim(&workstationCalls)
  }

  mutating func report(_ span: consuming Span) {
    spans.append(span)
    Self.trim(&spans)
  }

  /// Drops the oldest record past the retention, counting it; a ring buffer moves nothing else.
  private static func trim<Record>(_ records: inout Deque<Record>, dropped: inout Int) {
    guard records.count > recordRetention else { return }
    records.removeFirst()
    dropped += 1
  }

  /// Drops the oldest record past the retention, for records nothing numbers.
  private static func trim<Record>(_ records: inout Deque<Record>) {
    if records.count > recordRetention { records.removeFirst() }
  }

  public init() {}

  /// The log of one container, oldest first.
  public func log(podUID: String, container: String) -> [LogLine] {
    logs[ContainerLogKey(podUID: podUID, container: container)].map(Array.init) ?? []
  }

  mutating func appendLog(pod: Pod, container: String, at time: SimTime, _ text: String) {
    appendLog(ContainerLogKey(podUID: pod.metadata.uid ?? "", container: container), LogLine(time: time, entry: .text(text)))
  }

  /// Appends a line kept in structured form, rendered only when read.
  mutating func appendLog(_ key: ContainerLogKey, _ line: consuming LogLine) {
    Self.append(line, to: &logs[key, default: []])
  }

  /// Appends in place (one dictionary access), dropping the oldest line past the retention.
  private static func append(_ line: consuming LogLine, to lines: inout Deque<LogLine>) {
    lines.append(line)
    if lines.count > logRetention { lines.removeFirst() }
  }

  /// Marks connection `id` closed at `time`.
  mutating func closeConnection(_ id: Int, at time: SimTime) {
    let index = id - 1 - droppedConnections
    guard connections.indices.contains(index) else { return }
    connections[index].closed = time
  }

  mutating func removeLogs(ofPod uid: String) {
    logs = logs.filter { $0.key.podUID != uid }
  }

  /// The calls of one client run that retention kept; the slice's indices are positions in `calls`.
  public func calls(of run: ClientRun) -> Slice<Deque<CallRecord>> {
    let lower = min(max(run.calls.lowerBound - droppedCalls, 0), calls.count)
    let upper = min(max(run.calls.upperBound - droppedCalls, lower), calls.count)
    return calls[lower..<upper]
  }
}

/// Identifies one container's log.
///
/// The hash is computed once, since traffic appends to the same few logs millions of times.
public struct ContainerLogKey: Hashable, Sendable {
  /// The pod's UID: a new pod with the same name has a log of its own.
  public let podUID: String
  /// The container's name within the pod.
  public let container: String
  private let hash: Int

  /// The key of `container`'s log in the pod with `podUID`.
  public init(podUID: String, container: String) {
    self.podUID = podUID
    self.container = container
    var hasher = Hasher()
    hasher.combine(podUID)
    hasher.combine(container)
    hash = hasher.finalize()
  }

  public static func == (lhs: ContainerLogKey, rhs: ContainerLogKey) -> Bool {
    lhs.hash == rhs.hash && lhs.podUID == rhs.podUID && lhs.container == rhs.container
  }

  public func hash(into hasher: inout Hasher) { hasher.combine(hash) }
}

/// One line of container output.
///
/// Lines that traffic writes by the million are kept as structured entries and rendered when a tool
/// reads them; the text is the same either way.
public struct LogLine: Equatable, Sendable {
  public var time: SimTime
  var entry: LogEntry

  public init(time: SimTime, text: String) {
    self.time = time
    entry = .text(text)
  }

  init(time: SimTime, entry: LogEntry) {
    self.time = time
    self.entry = entry
  }

  /// The line as the container wrote it.
  public var text: String {
    switch entry {
    case .text(let text): text
    case .greeterReceived(let name, let thread):
      GreeterApp.line(time, "INFO", "org.acm.HelloService", "vert.x-eventloop-thread-\(thread)", "Received request from \(name)")
    case .greeterReply(let name): "Hello \(name)"
    case .envoy(let message, let thread): message.line(at: time, thread: thread)
    case .access(let entry): entry.text
    }
  }
}

/// What a log line says, before it is rendered.
enum LogEntry: Equatable, Sendable {
  case text(String)
  /// The greeter server's line for one call.
  case greeterReceived(name: String, thread: Int)
  /// The greeter client's line for one reply.
  case greeterReply(name: String)
  /// An Envoy debug line.
  indirect case envoy(EnvoyMessage, thread: Int)
  /// An Istio access-log line.
  indirect case access(AccessLogEntry)
}

/// A TCP socket address.
public struct SocketAddress: Hashable, Sendable, CustomStringConvertible {
  public var ip: String
  public var port: Int

  public init(ip: String, port: Int) {
    self.ip = ip
    self.port = port
  }

  public var description: String { "\(ip):\(port)" }
}

/// One TCP connection, and how its destination was chosen.
public struct ConnectionRecord: Equatable, Sendable {
  /// A cluster-wide connection number, from 1.
  public var id: Int
  /// The pod that opened it.
  public var client: PodRef
  /// The container that opened it: the app, or `istio-proxy` for a sidecar's upstream connection.
  public var opener: String
  public var source: SocketAddress
  /// Where the client dialled (a Service's virtual IP, or a pod IP).
  public var destination: SocketAddress
  /// The pod that accepted it.
  public var server: PodRef
  public var serverAddress: SocketAddress
  /// kube-proxy's choice, when the client dialled a Service's virtual IP.
  public var kubeProxy: KubeProxyDecision?
  /// The Envoy cluster whose pool holds it, for a sidecar's upstream connection.
  public var envoyCluster: String?
  /// Whether it is secured with Istio mutual TLS.
  public var mtls: Bool
  public var opened: SimTime
  public var closed: SimTime?
}

/// How kube-proxy's iptables rules picked an endpoint for a new connection.
public struct KubeProxyDecision: Equatable, Sendable {
  /// The Service, as `namespace/name`.
  public var service: String
  /// The ready endpoints, in rule order.
  public var endpoints: [PodRef]
  /// The index of the rule that matched.
  public var chosen: Int
}

/// gRPC status codes the model produces.
public enum GRPCStatusCode: Int, Equatable, Sendable {
  case ok = 0
  case unimplemented = 12
  case unavailable = 14

  /// The canonical upper-case name, as grpc-java prints it.
  public var name: String {
    switch self {
    case .ok: "OK"
    case .unimplemented: "UNIMPLEMENTED"
    case .unavailable: "UNAVAILABLE"
    }
  }
}

/// One unary gRPC call.
public struct CallRecord: Equatable, Sendable {
  /// The client run this call belongs to.
  public var run: Int
  /// 0-based position within the run.
  public var index: Int
  public var client: PodRef
  /// The connection the call rode, when one was established.
  public var connection: Int?
  /// The HTTP/2 stream id on that connection.
  public var stream: Int?
  /// The pod whose server handled it.
  public var server: PodRef?
  public var method: String
  public var started: SimTime
  public var finished: SimTime
  public var status: GRPCStatusCode
  /// The status description, empty on success.
  public var message: String
  /// The `x-request-id` the client's sidecar gave the call.
  public var requestID: RequestID?
  /// How the client's sidecar carried the call, when it has one.
  public var upstream: UpstreamCall?
  /// Whether a sidecar on the server reported the call (Kiali and Jaeger see only what proxies report).
  public var serverSidecar = false
}

/// How a client's sidecar carried one call to its upstream.
public struct UpstreamCall: Equatable, Sendable {
  /// The upstream connection's record id.
  public var connection: Int?
  /// Whether the sidecar opened that connection for this call.
  public var newConnection: Bool
  /// The Envoy cluster: `outbound|9000||grpc.grpc.svc.cluster.local`.
  public var cluster: String
  /// Whether the upstream connection used Istio mutual TLS.
  public var mtls: Bool
  /// Envoy's response flags: `-`, `UO`, `UH` …
  public var responseFlags: String
}

/// One span a proxy reported to the tracing backend, kept compact; names and tags are rendered on read.
public struct Span: Equatable, Sendable {
  let trace: TraceID
  let id: UInt64
  let parent: UInt64?
  /// The proxy that reported it.
  let proxy: ProxyIdentity
  /// The span name: the route's decorator, `grpc.grpc.svc.cluster.local:9000/*`.
  public let operation: String
  /// When the proxy received the request.
  public let start: SimTime
  /// Until the proxy sent the last byte of the response.
  public let duration: SimDuration
  let call: SpanCall

  /// 32 hexadecimal digits (Istio's tracer uses 128-bit trace ids), shared by the spans of one request.
  public var traceID: String { String(trace.high, radix: 16).leftPadded(to: 16) + String(trace.low, radix: 16).leftPadded(to: 16) }
  /// 16 hexadecimal digits.
  public var spanID: String { String(id, radix: 16).leftPadded(to: 16) }
  /// The calling span's id, for a span with a parent.
  public var parentID: String? { parent.map { String($0, radix: 16).leftPadded(to: 16) } }

  /// The service name in Jaeger: `<canonical name>.<namespace>`, e.g. `grpc.test`.
  public var service: String { "\(proxy.canonicalName).\(proxy.pod.namespace)" }

  /// Tags in the order the proxy sets them (Envoy's tracing tags, then Istio's).
  public var tags: [SpanTag] {
    let node = "sidecar~\(proxy.ip)~\(proxy.pod.name).\(proxy.pod.namespace)~\(proxy.pod.namespace).svc.cluster.local"
    let cluster = call.server ? "inbound|\(call.port)||" : call.cluster
    return [
      SpanTag("component", "proxy"), SpanTag("node_id", node), SpanTag("guid:x-request-id", call.requestID.description),
      SpanTag("http.url", "http://\(call.host):\(call.port)\(GreeterApp.method)"), SpanTag("http.method", "POST"),
      SpanTag("downstream_cluster", "-"), SpanTag("user_agent", Cluster.grpcUserAgent), SpanTag("http.protocol", "HTTP/2"),
      SpanTag("request_size", String(call.requestSize)), SpanTag("upstream_cluster", cluster),
      SpanTag("upstream_cluster.name", cluster), SpanTag("http.status_code", "200"),
      SpanTag("response_size", String(call.responseSize)), SpanTag("response_flags", "-"), SpanTag("grpc.status_code", "0"),
      SpanTag("grpc.path", GreeterApp.method), SpanTag("peer.address", call.peer),
      SpanTag("istio.canonical_service", proxy.canonicalName), SpanTag("istio.canonical_revision", proxy.canonicalRevision),
      SpanTag("istio.mesh_id", "cluster.local"), SpanTag("istio.namespace", proxy.pod.namespace),
      SpanTag("upstream_address", call.server ? "127.0.0.6:\(call.port)" : call.upstream.description),
      SpanTag("span.kind", call.server ? "server" : "client"),
    ]
  }
}

/// A 128-bit trace id.
struct TraceID: Equatable, Sendable {
  var high: UInt64
  var low: UInt64
}

/// A proxy as traces name it.
struct ProxyIdentity: Equatable, Sendable {
  var pod: PodRef
  var ip: String
  /// `service.istio.io/canonical-name` and `-revision`.
  var canonicalName: String
  var canonicalRevision: String
}

/// What a span records of its call.
struct SpanCall: Equatable, Sendable {
  var requestID: RequestID
  var host: String
  var port: Int
  var requestSize: Int
  var responseSize: Int
  var cluster: String
  var upstream: SocketAddress
  var peer: String
  /// Reported by the server's sidecar (inbound) rather than the client's.
  var server: Bool
}

/// One key–value tag of a span.
public struct SpanTag: Equatable, Sendable {
  /// The tag's name: `guid:x-request-id`, `upstream_cluster` …
  public var key: String
  public var value: String

  /// A tag `key=value`.
  public init(_ key: String, _ value: String) {
    self.key = key
    self.value = value
  }
}

/// One request to the client app's `GET /hello/grpc`: a channel and a loop of calls.
public struct ClientRun: Equatable, Sendable {
  /// A cluster-wide run number, from 1.
  public var id: Int
  public var client: PodRef
  public var started: SimTime
  public var finished: SimTime
  /// The run's calls by call number (counting every call ever recorded); `Telemetry.calls(of:)` returns
  /// those that retention kept.
  public var calls: Range<Int>
  /// The HTTP status the endpoint returned.
  public var httpStatus: Int
}
