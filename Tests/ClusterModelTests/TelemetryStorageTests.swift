import Foundation
import Testing

@testable import ClusterModel

@Suite struct TelemetryStorageTests {
  @Test func internTablesNumberValuesOnceAndInOrder() {
    var table = InternTable<String>.wellKnown
    #expect(table[.dash] == "-" && table[.viaUpstream] == "via_upstream" && table[.inboundPassthrough] == "127.0.0.6")
    #expect(table[.empty].isEmpty)
    let first = table.intern("grpc.grpc.svc.cluster.local")
    #expect(table.intern("other") != first)
    #expect(table.intern("grpc.grpc.svc.cluster.local") == first)
    #expect(table[first] == "grpc.grpc.svc.cluster.local")
  }

  @Test func callMessagesCountTheirNamesBytesWithoutRendering() {
    var strings = InternTable<String>.wellKnown
    for (text, numbers) in [("prom", [0, 9, 10, 99, 100, 123_456, -7, nil]), ("测试", [nil, 1])] {
      let prefix = CallNamePrefix(key: strings.intern(text), utf8Count: text.utf8.count)
      for number in numbers {
        let message = CallMessage.named(prefix, number: number)
        guard case .hello(let name, _) = message else {
          Issue.record("not a SayHello")
          continue
        }
        let length = name.text(strings).utf8.count
        #expect(message.bytes == (5 + 2 + length, 5 + 2 + 6 + length))
      }
    }
  }

  /// What a call's entry is given: its optional values, and how a client sidecar carried it.
  struct GivenCall: Sendable {
    var connection: Int?
    var stream: Int?
    var server: Bool
    var requestID: Bool
    /// The sidecar's upstream connection, whether it opened it, and whether it used mutual TLS.
    var upstream: (connection: Int?, new: Bool, mtls: Bool)?
    var serverSidecar: Bool
  }

  /// A call's entry gives back every value it was given, present or absent, as the telemetry reads it and
  /// after packing, though it keeps numbers in 32 bits and absent values as zeros.
  @Test(arguments: [
    GivenCall(connection: 7, stream: 1, server: true, requestID: true, upstream: (nil, false, false), serverSidecar: true),
    GivenCall(connection: nil, stream: nil, server: false, requestID: false, upstream: nil, serverSidecar: false),
    GivenCall(connection: 0, stream: 0, server: true, requestID: false, upstream: nil, serverSidecar: false),
    GivenCall(
      connection: 2_147_483_647, stream: 2_147_483_645, server: false, requestID: true, upstream: (41, true, true),
      serverSidecar: true),
  ])
  func callEntriesGiveBackWhatTheyWereGiven(_ given: GivenCall) throws {
    var telemetry = Telemetry()
    let pod = PodRef(namespace: "grpc", name: "grpc-v1-5d4b8f7c9-x2k4p")
    let client = telemetry.key(PodRef(namespace: "test", name: "grpc-client-7f9c6d5b4-q8r2t"))
    let cluster = "outbound|9000||grpc.grpc.svc.cluster.local"
    let upstream = given.upstream.map {
      UpstreamEntry(
        connection: $0.connection, newConnection: $0.new, cluster: telemetry.key(cluster), mtls: $0.mtls,
        responseFlags: telemetry.key("UO"))
    }
    let entry = CallEntry(
      run: 3, index: 999_999, client: client, connection: given.connection, stream: given.stream,
      server: given.server ? telemetry.key(pod) : nil, method: telemetry.key(GreeterApp.method),
      started: SimTime(seconds: 1_684_500_000), finished: SimTime(seconds: 1_684_500_001), status: .unavailable,
      message: telemetry.key("upstream connect error"), requestID: given.requestID ? RequestID(high: 1, low: 2) : nil,
      upstream: upstream, serverSidecar: given.serverSidecar)
    telemetry.record(entry)
    let record = try #require(telemetry.calls.last)
    #expect(record.run == 3 && record.index == 999_999 && record.client.name == "grpc-client-7f9c6d5b4-q8r2t")
    #expect(record.connection == given.connection && record.stream == given.stream)
    #expect(record.server == (given.server ? pod : nil))
    #expect(record.requestID == (given.requestID ? RequestID(high: 1, low: 2) : nil))
    #expect(record.upstream?.connection == given.upstream?.connection)
    #expect(record.upstream?.newConnection == given.upstream?.new && record.upstream?.mtls == given.upstream?.mtls)
    #expect(record.upstream?.responseFlags == upstream.map { _ in "UO" } && record.upstream?.cluster == upstream.map { _ in cluster })
    #expect(record.serverSidecar == given.serverSidecar && record.status == .unavailable)
    #expect(record.message == "upstream connect error")
    var writer = PackedWriter()
    writer.write(entry)
    var reader = PackedReader(Data(writer.bytes))
    #expect(try reader.read(CallEntry.self) == entry)
  }

  /// Ids past the 32 bits an entry keeps are clamped, not trapped on: no session opens 2³¹ connections.
  @Test func callEntriesClampIdsTheyCannotKeep() throws {
    var telemetry = Telemetry()
    let client = telemetry.key(PodRef(namespace: "test", name: "grpc-client-7f9c6d5b4-q8r2t"))
    telemetry.record(CallEntry(
      run: 1, index: 0, client: client, connection: 3_000_000_000, stream: 1, server: nil, method: telemetry.key(GreeterApp.method),
      started: SimTime(seconds: 0), finished: SimTime(seconds: 0), status: .ok, message: .empty))
    let record = try #require(telemetry.calls.last)
    #expect(record.connection == Int(Int32.max) && record.stream == 1)
  }

  /// The records traffic writes by the million take the bytes their comments give.
  @Test func recordsTakeTheBytesTheirCommentsGive() {
    #expect(MemoryLayout<CallEntry>.stride == 80)
    #expect(MemoryLayout<SpanRecord>.stride == 112)
    #expect(MemoryLayout<TraceRecord>.stride == 144)
  }

  /// Traces read back as the spans they were reported with, in order: the first span, then the server
  /// sidecar's inbound span under it, which shares all but its id, proxy and times.
  @Test func tracesReadBackAsTheirSpans() {
    var telemetry = Telemetry()
    var strings = InternTable<String>.wellKnown
    var proxies = InternTable<ProxyIdentity>()
    func key(_ text: String) -> TelemetryKey<String> {
      let key = telemetry.key(text)
      #expect(strings.intern(text) == key)
      return key
    }
    func proxy(_ pod: String, _ ip: String) -> TelemetryKey<ProxyIdentity> {
      let identity = ProxyIdentity(pod: PodRef(namespace: "grpc", name: pod), ip: ip, canonicalName: "grpc", canonicalRevision: "v1")
      let key = telemetry.key(identity)
      #expect(proxies.intern(identity) == key)
      return key
    }
    func span(_ id: UInt64, server: Bool) -> SpanRecord {
      SpanRecord(
        trace: TraceID(high: id, low: 1), id: id, parent: nil, proxy: proxy("grpc-client-1", "10.128.2.9"),
        operation: key("grpc.grpc.svc.cluster.local:9000/*"), start: SimTime(seconds: 1_684_500_000),
        duration: .milliseconds(2), requestID: RequestID(high: id, low: 2), host: key("grpc.grpc.svc.cluster.local"),
        port: 9000, requestSize: 12, responseSize: 18, cluster: key("outbound|9000||grpc.grpc.svc.cluster.local"),
        upstream: AddressKey(ip: key("10.128.2.15"), port: 9000), peer: key("10.128.2.9"), server: server)
    }
    let start = SimTime(seconds: 1_684_500_000) + .microseconds(300)
    let inbound = InboundSpan(id: 101, start: start, duration: .milliseconds(1), proxy: proxy("grpc-v1-1", "10.128.2.15"))
    let traces = [
      TraceRecord(span: span(1, server: false), inbound: inbound), TraceRecord(span: span(2, server: true)),
      TraceRecord(span: span(3, server: false)),
    ]
    for trace in traces { telemetry.report(trace) }
    var child = span(1, server: true)
    child.id = 101
    child.parent = 1
    child.proxy = inbound.proxy
    child.start = start
    child.duration = .milliseconds(1)
    let spans = [span(1, server: false), child, span(2, server: true), span(3, server: false)]
    #expect(Array(telemetry.spans) == spans.map { $0.resolved(strings: strings, proxies: proxies) })
    #expect(telemetry.spans[1].parentID == telemetry.spans[0].spanID && telemetry.spans[1].service == "grpc.grpc")
  }

  /// An access-log line gives back each field it was given, or `-` for one it lacks; packed and unpacked,
  /// it is the same line.
  @Test(arguments: [(true, true, true), (false, false, false), (true, false, true), (false, true, false)])
  func accessLinesGiveBackWhatTheyWereGiven(_ given: (requestID: Bool, serviceTime: Bool, upstreamLocal: Bool)) throws {
    var telemetry = Telemetry()
    let log = telemetry.logID(ContainerLogKey(podUID: "uid", container: "istio-proxy"))
    let address = telemetry.key(SocketAddress(ip: "10.128.2.15", port: 9000))
    let local = telemetry.key(SocketAddress(ip: "10.128.2.9", port: 0))
    let entry = AccessLogEntry(
      start: SimTime(seconds: 1_684_500_000), code: 200, flags: .dash, details: .viaUpstream, received: 0, sent: 18,
      duration: .milliseconds(2), serviceTime: given.serviceTime ? 0 : nil,
      requestID: given.requestID ? RequestID(high: 0, low: 0) : nil, authority: telemetry.key("grpc:9000"),
      upstreamHost: address, cluster: telemetry.key("inbound|9000||"), upstreamLocal: given.upstreamLocal ? local : nil,
      downstreamLocal: address, downstreamRemote: address, serverName: nil, path: telemetry.key(GreeterApp.method),
      userAgent: telemetry.key(Cluster.grpcUserAgent))
    telemetry.appendAccessLog(log, at: entry.start, entry)
    let fields = try #require(telemetry.log(podUID: "uid", container: "istio-proxy").first).text.split(separator: " ")
    try #require(fields.count == 24)
    #expect(fields[9...12] == ["0", "18", "2", given.serviceTime ? "0" : "-"])
    #expect(fields[15] == (given.requestID ? "\"\(RequestID(high: 0, low: 0))\"" : "\"-\""))
    #expect(fields[19] == (given.upstreamLocal ? "10.128.2.9:0" : "-"))
    let stored = StoredAccess(entry, context: TelemetryKey(index: 0))
    var writer = PackedWriter()
    writer.write(stored)
    var reader = PackedReader(Data(writer.bytes))
    #expect(try reader.read(StoredAccess.self) == stored)
  }

  /// Lines of more contexts than the recent ones kept, in turn, each keep their own fields, and a context
  /// seen again is not numbered twice.
  @Test func accessLinesKeepTheirContextsWhenRecentOnesAreDisplaced() {
    var telemetry = Telemetry()
    let log = telemetry.logID(ContainerLogKey(podUID: "uid", container: "istio-proxy"))
    let start = SimTime(seconds: 1_684_500_000)
    let ports = Array(1_000..<3_000)
    func entry(port: Int) -> AccessLogEntry {
      let address = telemetry.key(SocketAddress(ip: "10.128.2.15", port: port))
      return AccessLogEntry(
        start: start, code: 200, flags: .dash, details: .viaUpstream, received: 12, sent: 18, duration: .milliseconds(2),
        serviceTime: 1, requestID: nil, authority: telemetry.key("grpc:9000"), upstreamHost: address,
        cluster: telemetry.key("inbound|9000||"), upstreamLocal: nil, downstreamLocal: address, downstreamRemote: address,
        serverName: nil, path: telemetry.key(GreeterApp.method), userAgent: telemetry.key(Cluster.grpcUserAgent))
    }
    for port in ports { telemetry.appendAccessLog(log, at: start, entry(port: port)) }
    let revision = telemetry.revision.value
    for port in ports.reversed() { telemetry.appendAccessLog(log, at: start, entry(port: port)) }
    #expect(telemetry.revision.value == revision + ports.count)
    let lines = telemetry.log(podUID: "uid", container: "istio-proxy")
    for (line, port) in zip(lines, ports + ports.reversed()) {
      #expect(line.text.contains("\"10.128.2.15:\(port)\" inbound|9000|| - 10.128.2.15:\(port) 10.128.2.15:\(port)"))
    }
  }

  /// Lines whose payload is kept beside the lines (texts, Envoy messages, access entries) stay with
  /// their lines when rotation drops the oldest.
  @Test func rotationKeepsEachLineWithItsPayload() {
    var telemetry = Telemetry()
    let log = telemetry.logID(ContainerLogKey(podUID: "uid", container: "istio-proxy"))
    let name = CallName(prefix: telemetry.key("prom"), number: 1)
    let start = SimTime(seconds: 1_684_500_000)
    let address = telemetry.key(SocketAddress(ip: "10.128.2.15", port: 9000))
    let entry = AccessLogEntry(
      start: start, code: 200, flags: .dash, details: .viaUpstream, received: 12, sent: 18, duration: .milliseconds(2),
      serviceTime: 1, requestID: nil, authority: telemetry.key("grpc:9000"), upstreamHost: address,
      cluster: telemetry.key("inbound|9000||"), upstreamLocal: nil, downstreamLocal: address, downstreamRemote: address,
      serverName: nil, path: telemetry.key(GreeterApp.method), userAgent: telemetry.key(Cluster.grpcUserAgent))
    let total = Telemetry.logRetention + 7
    for index in 0..<total {
      let time = start + .microseconds(Int64(index))
      switch index % 4 {
      case 0: telemetry.appendLog(log, at: time, "text \(index)")
      case 1: telemetry.appendLog(log, at: time, .tryingToCreate, thread: 21)
      case 2: telemetry.appendAccessLog(log, at: time, entry)
      default: telemetry.appendReply(log, at: time, name: name)
      }
    }
    let lines = telemetry.log(podUID: "uid", container: "istio-proxy")
    #expect(lines.count == Telemetry.logRetention)
    for (offset, line) in lines.enumerated() {
      let index = total - Telemetry.logRetention + offset
      #expect(line.time == start + .microseconds(Int64(index)))
      switch index % 4 {
      case 0: #expect(line.text == "text \(index)")
      case 1: #expect(line.text.hasSuffix("\ttrying to create new connection\tthread=21"))
      case 2: #expect(line.text.hasPrefix("[2023-05-19T12:40:00.000Z] \"POST /helloworld.Greeter/SayHello HTTP/2\" 200 - via_upstream"))
      default: #expect(line.text == "Hello prom1")
      }
    }
  }

  /// A kind of line that stops being written keeps the payloads of its lines that are still shown, however
  /// many lines of other kinds came after.
  @Test func rotationKeepsPayloadsWhenKindsComeUnevenly() {
    var telemetry = Telemetry()
    let log = telemetry.logID(ContainerLogKey(podUID: "uid", container: "istio-proxy"))
    let start = SimTime(seconds: 1_684_500_000)
    let count = Telemetry.logRetention
    for index in 0..<(count + 3) {
      telemetry.appendLog(log, at: start + .microseconds(Int64(index)), .usingExisting(connection: index), thread: 21)
    }
    for index in 0..<(count - 2) {
      telemetry.appendLog(log, at: start + .seconds(1) + .microseconds(Int64(index)), "text \(index)")
    }
    let lines = telemetry.log(podUID: "uid", container: "istio-proxy")
    #expect(lines.count == count)
    #expect(lines[0].text.hasSuffix("[C\(count + 1)] using existing fully connected connection\tthread=21"))
    #expect(lines[1].text.hasSuffix("[C\(count + 2)] using existing fully connected connection\tthread=21"))
    #expect(lines[2].text == "text 0" && lines.last?.text == "text \(count - 3)")
  }
}
