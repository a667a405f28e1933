/// Everything the model observed: container logs, TCP connections, gRPC calls and client runs.
///
/// Checks and tools read the same records, so a check can never see something the tools cannot show.
/// Records that traffic writes by the million (calls, log lines, spans) are kept compact: shared strings
/// and pods by number (`InternTable`), rendered only when read.
public struct Telemetry: Equatable, Sendable {
  /// Container logs and traces.
  private var bulk = BulkRecords()
  private var logKeys = InternTable<ContainerLogKey>()
  /// The most recent TCP connections, in id order.
  private(set) var connections = Ring<ConnectionRecord>(capacity: recordRetention)
  private var callRecords = Ring<CallEntry>(capacity: recordRetention)
  /// Every run of the client app's `/hello/grpc` endpoint, in order.
  public private(set) var clientRuns: [ClientRun] = []
  private var workstationRecords = Ring<WorkstationCallRecord>(capacity: recordRetention)
  /// Strings, pods and proxies, at the keys the compact records carry.
  private var strings = InternTable<String>.wellKnown
  /// The pods calls name.
  private var pods = InternTable<PodRef>()
  /// The proxies spans name.
  private var proxies = InternTable<ProxyIdentity>()
  /// The shared fields of access-log lines.
  private var accessContexts = InternTable<AccessContext>()
  /// The access contexts numbered last, found without hashing.
  private var recentAccessContexts = RecentAccessContexts()

  /// The lines kept per container; older lines are dropped, as log rotation does.
  public static let logRetention = 5_000
  /// The connections and calls kept, so that memory stays flat however much traffic runs.
  public static let recordRetention = 50_000
  /// The traces kept, as Jaeger's memory store keeps a number of traces: as many spans as `recordRetention`
  /// when each trace has a client's and a server's.
  public static let traceRetention = recordRetention / 2

  /// Container logs, each at the number of its key.
  private var logs: [ContainerLog] {
    get { bulk.logs }
    _modify { yield &bulk.logs }
  }

  /// The most recent traces, in the order their first spans were reported.
  private var traceRecords: Ring<TraceRecord> {
    get { bulk.traces }
    _modify { yield &bulk.traces }
  }

  /// Counts the changes to what was observed: a record, a log line, a new key. Telemetry that
  /// was not changed keeps its revision, so comparing revisions tells whether a command observed anything.
  private(set) var revision = ChangeCount()

  public init() {}

  /// The id the next connection gets.
  var nextConnectionID: Int { connections.dropped + connections.count + 1 }

  /// The number of calls ever recorded: the end of the next run's range.
  public var callCount: Int { callRecords.dropped + callRecords.count }

  /// The most recent gRPC calls, in order.
  public var calls: CallLog {
    RecordLog(callRecords) { [strings, pods] in $0.resolved(strings: strings, pods: pods) }
  }

  /// The spans of the most recent traces the sidecars reported to Jaeger, in the order they were reported.
  public var spans: SpanLog {
    let traces = traceRecords
    var places: [(trace: Int, inbound: Bool)] = []
    places.reserveCapacity(traces.count * 2)
    for (index, trace) in traces.enumerated() {
      places.append((index, false))
      if trace.inbound != nil { places.append((index, true)) }
    }
    return RecordLog(count: places.count) { [strings, proxies, places] position in
      let (index, inbound) = places[position]
      let trace = traces[index]
      let span = if inbound, let server = trace.inbound { trace.span.child(server) } else { trace.span }
      return span.resolved(strings: strings, proxies: proxies)
    }
  }

  /// The most recent gRPC calls from the learner's workstation (grpcurl), in order.
  public var workstationCalls: RecordLog<WorkstationCallRecord> { RecordLog(workstationRecords) { $0 } }

  /// The calls of one client run that retention kept; the slice's indices are positions in `calls`.
  public func calls(of run: ClientRun) -> Slice<CallLog> {
    let lower = min(max(run.calls.lowerBound - callRecords.dropped, 0), callRecords.count)
    let upper = min(max(run.calls.upperBound - callRecords.dropped, lower), callRecords.count)
    return calls[lower..<upper]
  }

  /// The connection with `id`, unless retention dropped it.
  public func connection(_ id: Int) -> ConnectionRecord? {
    let index = id - 1 - connections.dropped
    return connections.indices.contains(index) ? connections[index] : nil
  }

  /// The key of `string`, which entries carry in its place.
  mutating func key(_ string: String) -> TelemetryKey<String> { Self.intern(string, in: &strings, counting: &revision) }
  /// The key of `pod`, which entries carry in its place.
  mutating func key(_ pod: PodRef) -> TelemetryKey<PodRef> { Self.intern(pod, in: &pods, counting: &revision) }
  /// The key of `proxy`, which spans carry in its place.
  mutating func key(_ proxy: ProxyIdentity) -> TelemetryKey<ProxyIdentity> { Self.intern(proxy, in: &proxies, counting: &revision) }
  /// The key of `address`, which entries carry in its place.
  mutating func key(_ address: SocketAddress) -> AddressKey {
    AddressKey(ip: key(address.ip), port: address.port)
  }

  /// `text` as the first part of call names.
  mutating func callNamePrefix(_ text: String) -> CallNamePrefix {
    CallNamePrefix(key: key(text), utf8Count: text.utf8.count)
  }

  /// The number of `value` in `table`, counting a change in `revision` when the table did not hold it yet.
  private static func intern<Value>(
    _ value: Value, in table: inout InternTable<Value>, counting revision: inout ChangeCount
  ) -> TelemetryKey<Value> {
    let count = table.values.count
    let number = table.intern(value)
    if table.values.count != count { revision.count() }
    return number
  }

  /// Records a run of the client app's endpoint.
  mutating func record(_ run: ClientRun) {
    revision.count()
    clientRuns.append(run)
  }

  mutating func open(_ connection: consuming ConnectionRecord) {
    revision.count()
    connections.append(connection)
  }

  /// Marks connection `id` closed at `time`.
  mutating func closeConnection(_ id: Int, at time: SimTime) {
    let index = id - 1 - connections.dropped
    guard connections.indices.contains(index) else { return }
    revision.count()
    connections[index].closed = time
  }

  /// Records a call.
  mutating func record(_ call: CallEntry) {
    revision.count()
    callRecords.append(call)
  }

  mutating func record(_ call: WorkstationCallRecord) {
    revision.count()
    workstationRecords.append(call)
  }

  /// Records the spans of one request.
  mutating func report(_ trace: TraceRecord) {
    revision.count()
    traceRecords.append(trace)
  }

  /// The number of a container's log, creating the log when it is new.
  mutating func logID(_ key: ContainerLogKey) -> LogID {
    let id = LogID(index: Int(logKeys.intern(key).index))
    if id.index == logs.count {
      revision.count()
      logs.append(ContainerLog())
    }
    return id
  }

  /// How many lines one container has written, those no longer kept included.
  public func logLength(podUID: String, container: String) -> Int {
    guard let number = logKeys.number(of: ContainerLogKey(podUID: podUID, container: container)) else { return 0 }
    return logs[Int(number.index)].written
  }

  /// The log of one container, oldest first.
  public func log(podUID: String, container: String) -> [LogLine] {
    guard let number = logKeys.number(of: ContainerLogKey(podUID: podUID, container: container)) else { return [] }
    return logs[Int(number.index)].lines(strings: strings, contexts: accessContexts)
  }

  mutating func appendLog(pod: Pod, container: String, at time: SimTime, _ text: String) {
    appendLog(logID(ContainerLogKey(podUID: pod.metadata.uid ?? "", container: container)), at: time, text)
  }

  /// Appends `lines` to one container's log, looked up once; no lines leave the log as it was.
  mutating func appendLog(pod: Pod, container: String, _ lines: [LogLine]) {
    guard !lines.isEmpty else { return }
    let log = logID(ContainerLogKey(podUID: pod.metadata.uid ?? "", container: container))
    for line in lines { appendLog(log, at: line.time, line.text) }
  }

  mutating func appendLog(_ log: LogID, at time: SimTime, _ text: String) {
    revision.count()
    logs[log.index].append(text: text, at: time)
  }

  /// Appends the greeter server's line for one call, kept in structured form and rendered only when read.
  mutating func appendReceived(_ log: LogID, at time: SimTime, name: CallName, thread: Int) {
    revision.count()
    logs[log.index].append(received: name, thread: thread, at: time)
  }

  /// Appends the greeter client's line for one reply.
  mutating func appendReply(_ log: LogID, at time: SimTime, name: CallName) {
    revision.count()
    logs[log.index].append(reply: name, at: time)
  }

  /// Appends an Envoy debug line.
  mutating func appendLog(_ log: LogID, at time: SimTime, _ message: EnvoyMessage, thread: Int) {
    revision.count()
    logs[log.index].append(message, thread: thread, at: time)
  }

  /// Appends an access-log line, numbering the fields it shares with other lines (`AccessContext`).
  mutating func appendAccessLog(_ log: LogID, at time: SimTime, _ entry: AccessLogEntry) {
    let shared = entry.context
    let context: TelemetryKey<AccessContext>
    if let known = recentAccessContexts.number(of: shared) {
      context = known
    } else {
      context = Self.intern(shared, in: &accessContexts, counting: &revision)
      recentAccessContexts.remember(shared, as: context)
    }
    revision.count()
    logs[log.index].append(StoredAccess(entry, context: context), at: time)
  }

  /// Forgets the lines of a pod that is gone (a pod's UID is never used again).
  mutating func removeLogs(ofPod uid: String) {
    for (index, key) in logKeys.values.enumerated() where key.podUID == uid && logs[index] != ContainerLog() {
      revision.count()
      logs[index] = ContainerLog()
    }
  }
}

/// The number of one container's log in `Telemetry`.
struct LogID: Hashable, Sendable, Codable {
  let index: Int
}

/// One container's log. A line is a few words; what a line holds beside its words (its text, an Envoy
/// message, an access-log entry) is kept beside the lines, in the same order, so that the lines traffic
/// writes (the greeter's and the access log's) are appended without reference counting.
///
/// Each kind of payload has a ring as long as the log's, so the payloads of the lines still kept are
/// always the last ones of their ring: a payload is overwritten only after its line has fallen out, and
/// dropping a line reads nothing. Until then a dropped line's payload stays in its ring, and counts
/// when logs are compared.
struct ContainerLog: Equatable, Sendable {
  private var lines = Ring<StoredLine>(capacity: Telemetry.logRetention)
  private var texts = Ring<String>(capacity: Telemetry.logRetention)
  private var envoyMessages = Ring<EnvoyMessage>(capacity: Telemetry.logRetention)
  private var accessEntries = Ring<StoredAccess>(capacity: Telemetry.logRetention)

  /// How many lines the container wrote, those no longer kept included.
  var written: Int { lines.dropped + lines.count }

  mutating func append(received name: CallName, thread: Int, at time: SimTime) {
    lines.append(StoredLine(time: time, entry: .greeterReceived(name, thread: UInt8(clamping: thread))))
  }

  mutating func append(reply name: CallName, at time: SimTime) {
    lines.append(StoredLine(time: time, entry: .greeterReply(name)))
  }

  mutating func append(text: String, at time: SimTime) {
    texts.append(text)
    lines.append(StoredLine(time: time, entry: .text))
  }

  mutating func append(_ message: EnvoyMessage, thread: Int, at time: SimTime) {
    envoyMessages.append(message)
    lines.append(StoredLine(time: time, entry: .envoy(thread: UInt8(clamping: thread))))
  }

  mutating func append(_ entry: StoredAccess, at time: SimTime) {
    accessEntries.append(entry)
    lines.append(StoredLine(time: time, entry: .access))
  }

  /// The lines as the container wrote them.
  func lines(strings: InternTable<String>, contexts: InternTable<AccessContext>) -> [LogLine] {
    var kept = (texts: 0, envoy: 0, access: 0)
    for line in lines {
      switch line.entry {
      case .text: kept.texts += 1
      case .envoy: kept.envoy += 1
      case .access: kept.access += 1
      case .greeterReceived, .greeterReply: break
      }
    }
    var texts = texts.suffix(kept.texts).makeIterator()
    var messages = envoyMessages.suffix(kept.envoy).makeIterator()
    var access = accessEntries.suffix(kept.access).makeIterator()
    return lines.map { line in
      let text: String
      switch line.entry {
      case .text: text = texts.next() ?? ""
      case .greeterReceived(let name, let thread):
        text = GreeterApp.line(
          line.time, "INFO", "org.acm.HelloService", "vert.x-eventloop-thread-\(thread)",
          "Received request from \(name.text(strings))")
      case .greeterReply(let name): text = "Hello \(name.text(strings))"
      case .envoy(let thread): text = messages.next()?.line(at: line.time, thread: Int(thread)) ?? ""
      case .access: text = access.next()?.text(strings, contexts: contexts) ?? ""
      }
      return LogLine(time: line.time, text: text)
    }
  }
}

/// Identifies one container's log.
public struct ContainerLogKey: Hashable, Sendable {
  /// The pod's UID: a new pod with the same name has a log of its own.
  public let podUID: String
  /// The container's name within the pod.
  public let container: String

  /// The key of `container`'s log in the pod with `podUID`.
  public init(podUID: String, container: String) {
    self.podUID = podUID
    self.container = container
  }
}

/// One line of container output.
public struct LogLine: Equatable, Sendable {
  public var time: SimTime
  /// The line as the container wrote it.
  public var text: String

  public init(time: SimTime, text: String) {
    self.time = time
    self.text = text
  }
}

/// One line as a log keeps it: lines that traffic writes by the million are structured, and rendered
/// when a tool reads them; the text is the same either way.
struct StoredLine: Equatable, Sendable {
  var time: SimTime
  var entry: LogEntry
}

/// What a log line says, before it is rendered.
enum LogEntry: Equatable, Sendable {
  /// A line of text: the log's next text.
  case text
  /// The greeter server's line for one call, and the event-loop thread that took it.
  case greeterReceived(CallName, thread: UInt8)
  /// The greeter client's line for one reply.
  case greeterReply(CallName)
  /// An Envoy debug line, and the worker thread that wrote it: the log's next Envoy message.
  case envoy(thread: UInt8)
  /// An Istio access-log line: the log's next access entry.
  case access
}

/// The `name` of a `HelloRequest`: the client's test string followed by the call's index (a Java `int`,
/// as `numrequest` is), or a whole name when `number` is nil.
struct CallName: Equatable, Sendable {
  /// The prefix's number (31 bits: intern tables count from 0), a bit for whether there is an index, and
  /// the index's 32 bits, in one aligned word that calls and log lines copy whole.
  private let bits: UInt64

  init(prefix: TelemetryKey<String>, number: Int?) {
    let high = UInt64(UInt32(truncatingIfNeeded: prefix.index) & 0x7FFF_FFFF) << 33
    bits = number.map { high | 1 << 32 | UInt64(UInt32(bitPattern: Int32(clamping: $0))) } ?? high
  }

  var prefix: TelemetryKey<String> { TelemetryKey(index: Int32(truncatingIfNeeded: bits >> 33)) }

  /// The index, as the Java `int` the client counts in.
  var index: Int32? { bits & 1 << 32 == 0 ? nil : Int32(bitPattern: UInt32(truncatingIfNeeded: bits)) }

  var number: Int? { index.map(Int.init) }

  func text(_ strings: InternTable<String>) -> String {
    number.map { strings[prefix] + String($0) } ?? strings[prefix]
  }
}

/// The first part of the names a client's calls carry: its key in the telemetry, and its length.
struct CallNamePrefix: Equatable, Sendable {
  /// The text's key; only the telemetry reads the text.
  let key: TelemetryKey<String>
  /// The text's length in UTF-8 bytes.
  let utf8Count: Int
}

/// A TCP socket address.
public struct SocketAddress: Hashable, Sendable, CustomStringConvertible, Codable {
  public var ip: String
  public var port: Int

  public init(ip: String, port: Int) {
    self.ip = ip
    self.port = port
  }

  public var description: String { "\(ip):\(port)" }
}

extension SocketAddress {
  /// Four decimal octets, without signs or leading zeros, as Go's `net.ParseIP` reads an IPv4 address.
  static func isIPv4(_ text: String) -> Bool {
    let parts = text.utf8.split(separator: UInt8(ascii: "."), maxSplits: 4, omittingEmptySubsequences: false)
    return parts.count == 4 && parts.allSatisfy { part in
      guard let first = part.first, part.count <= 3, part.count == 1 || first != UInt8(ascii: "0") else { return false }
      var value = 0
      for byte in part {
        guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return false }
        value = value * 10 + Int(byte - UInt8(ascii: "0"))
      }
      return value <= 255
    }
  }
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
public struct KubeProxyDecision: Equatable, Sendable, Codable {
  /// The Service, as `namespace/name`.
  public var service: String
  /// The ready endpoints, in rule order.
  public var endpoints: [PodRef]
  /// The index of the rule that matched.
  public var chosen: Int
}

/// gRPC status codes the model produces.
public enum GRPCStatusCode: Int, Equatable, Sendable, Codable {
  case ok = 0
  case unknown = 2
  case deadlineExceeded = 4
  case permissionDenied = 7
  case unimplemented = 12
  case `internal` = 13
  case unavailable = 14
  case unauthenticated = 16

  /// The status a gRPC client reads from an HTTP status without `grpc-status` (gRPC's
  /// `http-grpc-status-mapping`); a call record keeps an HTTP/1.1 request's outcome this way.
  public init(httpStatus: Int) {
    switch httpStatus {
    case 200..<300: self = .ok
    case 400: self = .internal
    case 401: self = .unauthenticated
    case 403: self = .permissionDenied
    case 404: self = .unimplemented
    case 429, 502, 503, 504: self = .unavailable
    default: self = .unknown
    }
  }

  /// The HTTP status Envoy counts a reply with this status as (`Grpc::Utility::grpcToHttpStatus`), for
  /// outlier detection.
  var httpStatus: Int {
    switch self {
    case .ok: 200
    case .unknown, .internal: 500
    case .deadlineExceeded: 504
    case .permissionDenied: 403
    case .unimplemented: 501
    case .unavailable: 503
    case .unauthenticated: 401
    }
  }

  /// The canonical upper-case name, as grpc-java prints it.
  public var name: String {
    switch self {
    case .ok: "OK"
    case .unknown: "UNKNOWN"
    case .deadlineExceeded: "DEADLINE_EXCEEDED"
    case .permissionDenied: "PERMISSION_DENIED"
    case .unimplemented: "UNIMPLEMENTED"
    case .internal: "INTERNAL"
    case .unavailable: "UNAVAILABLE"
    case .unauthenticated: "UNAUTHENTICATED"
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

/// A call as the data plane hands it to the telemetry, and as the telemetry keeps it: a `CallRecord` with
/// keys in place of its strings and pods, laid out in 80 bytes. Numbers are kept in 32 bits (a run's calls,
/// connection ids and HTTP/2 stream ids stay below 2³¹; larger ones are clamped), and an absent value as
/// zero beside a bit of `present` that says whether it is there.
struct CallEntry: Equatable, Sendable {
  /// The values an entry may lack, and its flags.
  private struct Present: OptionSet, Sendable {
    let rawValue: UInt16
    static let connection = Present(rawValue: 1 << 0)
    static let stream = Present(rawValue: 1 << 1)
    static let server = Present(rawValue: 1 << 2)
    static let requestID = Present(rawValue: 1 << 3)
    static let upstream = Present(rawValue: 1 << 4)
    static let upstreamConnection = Present(rawValue: 1 << 5)
    static let newConnection = Present(rawValue: 1 << 6)
    static let mtls = Present(rawValue: 1 << 7)
    static let serverSidecar = Present(rawValue: 1 << 8)
  }

  /// When the client sent the call, and when its reply or failure reached the client.
  let started: SimTime
  let finished: SimTime
  private let storedRequestID: RequestID
  private let storedRun: Int32
  private let storedIndex: Int32
  private let storedConnection: Int32
  private let storedStream: Int32
  private let storedUpstreamConnection: Int32
  /// The client's pod, the call's `:path` and its status message.
  let client: TelemetryKey<PodRef>
  private let storedServer: TelemetryKey<PodRef>
  let method: TelemetryKey<String>
  let message: TelemetryKey<String>
  private let upstreamCluster: TelemetryKey<String>
  private let responseFlags: TelemetryKey<String>
  /// The call's gRPC status.
  let status: GRPCStatusCode
  private let present: Present

  /// The entry of a call, with `upstream` when a client sidecar carried it.
  init(
    run: Int, index: Int, client: TelemetryKey<PodRef>, connection: Int?, stream: Int?, server: TelemetryKey<PodRef>?,
    method: TelemetryKey<String>, started: SimTime, finished: SimTime, status: GRPCStatusCode,
    message: TelemetryKey<String>, requestID: RequestID? = nil, upstream: UpstreamEntry? = nil, serverSidecar: Bool = false
  ) {
    var present: Present = []
    func stored(_ value: Int?, _ flag: Present) -> Int32 {
      guard let value else { return 0 }
      present.insert(flag)
      return Int32(clamping: value)
    }
    storedRun = Int32(clamping: run)
    storedIndex = Int32(clamping: index)
    storedConnection = stored(connection, .connection)
    storedStream = stored(stream, .stream)
    storedUpstreamConnection = stored(upstream?.connection, .upstreamConnection)
    if server != nil { present.insert(.server) }
    storedServer = server ?? TelemetryKey(index: 0)
    if requestID != nil { present.insert(.requestID) }
    storedRequestID = requestID ?? RequestID(high: 0, low: 0)
    if let upstream {
      present.insert(.upstream)
      if upstream.newConnection { present.insert(.newConnection) }
      if upstream.mtls { present.insert(.mtls) }
    }
    upstreamCluster = upstream?.cluster ?? TelemetryKey(index: 0)
    responseFlags = upstream?.responseFlags ?? TelemetryKey(index: 0)
    if serverSidecar { present.insert(.serverSidecar) }
    self.client = client
    self.method = method
    self.started = started
    self.finished = finished
    self.status = status
    self.message = message
    self.present = present
  }

  /// The client run, and the call's number in it.
  var run: Int { Int(storedRun) }
  var index: Int { Int(storedIndex) }
  /// The client's connection (its record id) and the HTTP/2 stream the call took on it.
  var connection: Int? { present.contains(.connection) ? Int(storedConnection) : nil }
  var stream: Int? { present.contains(.stream) ? Int(storedStream) : nil }
  /// The pod that served the call.
  var server: TelemetryKey<PodRef>? { present.contains(.server) ? storedServer : nil }
  /// The `x-request-id` a sidecar gave the call.
  var requestID: RequestID? { present.contains(.requestID) ? storedRequestID : nil }
  /// Whether the server's sidecar saw the call.
  var serverSidecar: Bool { present.contains(.serverSidecar) }

  /// How the client's sidecar carried the call.
  var upstream: UpstreamEntry? {
    guard present.contains(.upstream) else { return nil }
    return UpstreamEntry(
      connection: present.contains(.upstreamConnection) ? Int(storedUpstreamConnection) : nil,
      newConnection: present.contains(.newConnection), cluster: upstreamCluster, mtls: present.contains(.mtls),
      responseFlags: responseFlags)
  }

  func resolved(strings: InternTable<String>, pods: InternTable<PodRef>) -> CallRecord {
    CallRecord(
      run: run, index: index, client: pods[client], connection: connection, stream: stream, server: server.map { pods[$0] },
      method: strings[method], started: started, finished: finished, status: status, message: strings[message],
      requestID: requestID,
      upstream: upstream.map {
        UpstreamCall(
          connection: $0.connection, newConnection: $0.newConnection, cluster: strings[$0.cluster], mtls: $0.mtls,
          responseFlags: strings[$0.responseFlags])
      },
      serverSidecar: serverSidecar)
  }
}

/// An `UpstreamCall` with keys in place of its strings.
struct UpstreamEntry: Equatable, Sendable {
  var connection: Int?
  var newConnection: Bool
  var cluster: TelemetryKey<String>
  var mtls: Bool
  var responseFlags: TelemetryKey<String>
}

/// Records kept in compact form, oldest first, rendered as `Record`s when read.
public struct RecordLog<Record>: RandomAccessCollection, Sendable {
  public let endIndex: Int
  private let render: @Sendable (Int) -> Record

  init<Stored: Sendable>(_ records: Ring<Stored>, render: @escaping @Sendable (Stored) -> Record) {
    endIndex = records.count
    self.render = { render(records[$0]) }
  }

  /// `count` records, each rendered from its position.
  init(count: Int, render: @escaping @Sendable (Int) -> Record) {
    endIndex = count
    self.render = render
  }

  public var startIndex: Int { 0 }
  public subscript(position: Int) -> Record { render(position) }
}

/// The recorded calls, oldest first.
public typealias CallLog = RecordLog<CallRecord>

/// The spans the sidecars reported, oldest first.
public typealias SpanLog = RecordLog<Span>

/// A span as the sidecars hand it to the telemetry in a `TraceRecord`, and as the trace keeps its first
/// span: `Span` with keys in place of its strings and proxy, laid out in 112 bytes.
struct SpanRecord: Equatable, Sendable {
  var trace: TraceID
  var requestID: RequestID
  var id: UInt64
  var start: SimTime
  var duration: SimDuration
  var parent: UInt64?
  var proxy: TelemetryKey<ProxyIdentity>
  var operation: TelemetryKey<String>
  var host: TelemetryKey<String>
  var cluster: TelemetryKey<String>
  var peer: TelemetryKey<String>
  var upstream: AddressKey
  private(set) var port: Int32
  private(set) var requestSize: Int32
  private(set) var responseSize: Int32
  /// Reported by the server's sidecar (inbound) rather than the client's.
  var server: Bool

  init(
    trace: TraceID, id: UInt64, parent: UInt64?, proxy: TelemetryKey<ProxyIdentity>, operation: TelemetryKey<String>,
    start: SimTime, duration: SimDuration, requestID: RequestID, host: TelemetryKey<String>, port: Int, requestSize: Int,
    responseSize: Int, cluster: TelemetryKey<String>, upstream: AddressKey, peer: TelemetryKey<String>, server: Bool
  ) {
    self.trace = trace
    self.requestID = requestID
    self.id = id
    self.start = start
    self.duration = duration
    self.parent = parent
    self.proxy = proxy
    self.operation = operation
    self.host = host
    self.cluster = cluster
    self.peer = peer
    self.upstream = upstream
    self.port = Int32(clamping: port)
    self.requestSize = Int32(clamping: requestSize)
    self.responseSize = Int32(clamping: responseSize)
    self.server = server
  }

  func resolved(strings: InternTable<String>, proxies: InternTable<ProxyIdentity>) -> Span {
    Span(
      trace: trace, id: id, parent: parent, proxy: proxies[proxy], operation: strings[operation], start: start,
      duration: duration,
      call: SpanCall(
        requestID: requestID, host: strings[host], port: Int(port), requestSize: Int(requestSize),
        responseSize: Int(responseSize),
        cluster: strings[cluster], upstream: upstream.resolved(strings), peer: strings[peer], server: server))
  }
}

extension SpanRecord {
  /// The inbound span under this one that `inbound` describes.
  func child(_ inbound: InboundSpan) -> SpanRecord {
    var child = self
    child.id = inbound.id
    child.parent = id
    child.proxy = inbound.proxy
    child.start = inbound.start
    child.duration = inbound.duration
    child.server = true
    return child
  }
}

/// The spans of one request as the sidecars hand them to the telemetry and as the telemetry keeps them: the
/// first span, and the server sidecar's inbound span under it as what the two do not share. One trace of
/// two spans takes 144 bytes where the spans would take 224.
struct TraceRecord: Equatable, Sendable {
  /// The trace's first span: the client sidecar's, or the server sidecar's when the client has none.
  var span: SpanRecord
  /// The server sidecar's span under the client sidecar's.
  var inbound: InboundSpan? = nil
}

/// What a server sidecar's inbound span does not share with the client sidecar's span above it.
struct InboundSpan: Equatable, Sendable {
  /// The span's id; its parent is the client sidecar's span.
  var id: UInt64
  /// When the server's sidecar received the request, and until it sent the last byte of the response.
  var start: SimTime
  var duration: SimDuration
  /// The server's proxy.
  var proxy: TelemetryKey<ProxyIdentity>
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
  public var traceID: String { Hex.digits(trace.high) + Hex.digits(trace.low) }
  /// 16 hexadecimal digits.
  public var spanID: String { Hex.digits(id) }
  /// The calling span's id, for a span with a parent.
  public var parentID: String? { parent.map(Hex.digits) }

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
struct ProxyIdentity: Hashable, Sendable {
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

/// One run of a client's calls: a request to the client app's `GET /hello/grpc` (a channel and a loop
/// of calls), or a load tool's threads.
public struct ClientRun: Equatable, Sendable {
  /// A cluster-wide run number, from 1.
  public var id: Int
  public var client: PodRef
  public var started: SimTime
  public var finished: SimTime
  /// The run's calls by call number (counting every call ever recorded); `Telemetry.calls(of:)` returns
  /// those that retention kept.
  public var calls: Range<Int>
  public var origin: Origin

  /// What made a run.
  public enum Origin: Equatable, Sendable {
    /// The greeter client's `GET /hello/grpc`, with the HTTP status it answered.
    case helloEndpoint(httpStatus: Int)
    /// A load tool: run in the pod (`fortio`), or on the workstation through the ingress gateway, the
    /// run's client (`ghz`).
    case loadTool(String)
  }

  /// The run is the lab client's own `/hello/grpc`, which the lab's steps are about.
  public var isHelloEndpoint: Bool {
    if case .helloEndpoint = origin { true } else { false }
  }
}

extension Telemetry: PackedRecord {
  func pack(into writer: inout PackedWriter) {
    writer.write(revision.value)
    writer.write(logKeys)
    writer.write(connections)
    writer.write(callRecords)
    writer.write(clientRuns)
    writer.write(workstationRecords)
    writer.write(strings)
    writer.write(pods)
    writer.write(proxies)
    writer.write(accessContexts)
    bulk.pack(into: &writer)
  }

  init(unpacking reader: inout PackedReader) throws(PackedReader.Truncated) {
    revision = ChangeCount(value: try reader.read())
    logKeys = try reader.read()
    connections = try reader.read()
    callRecords = try reader.read()
    clientRuns = try reader.read()
    workstationRecords = try reader.read()
    strings = try reader.read()
    pods = try reader.read()
    proxies = try reader.read()
    accessContexts = try reader.read()
    bulk = try BulkRecords(unpacking: &reader, logCount: logKeys.values.count)
  }
}

extension ContainerLog: PackedRecord {
  func pack(into writer: inout PackedWriter) {
    writer.write(lines)
    writer.write(texts)
    writer.write(envoyMessages)
    writer.write(accessEntries)
  }

  init(unpacking reader: inout PackedReader) throws(PackedReader.Truncated) {
    lines = try reader.read()
    texts = try reader.read()
    envoyMessages = try reader.read()
    accessEntries = try reader.read()
  }
}

/// How many changes a value has seen. Equality ignores it: two values that hold the same are equal however
/// they got there, while comparing the counts of one value before and after tells whether it changed.
struct ChangeCount: Equatable, Sendable {
  private(set) var value = 0

  mutating func count() { value &+= 1 }

  static func == (lhs: ChangeCount, rhs: ChangeCount) -> Bool { true }
}
