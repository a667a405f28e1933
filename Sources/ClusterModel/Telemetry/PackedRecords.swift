import Foundation

/// A record kept by the thousand, written as fixed-width little-endian bytes.
///
/// A snapshot keeps each ring of such records (telemetry's calls, traces and log lines) and each
/// namespace's pod rows (`ArchivedPods`) as one blob of bytes rather than keyed JSON per field: they then
/// load in milliseconds.
protocol PackedRecord {
  func pack(into writer: inout PackedWriter)
  init(unpacking reader: inout PackedReader) throws(PackedReader.Truncated)
}

/// Bytes being written, one record after another.
struct PackedWriter {
  private(set) var bytes: [UInt8] = []

  mutating func write<Record: PackedRecord>(_ record: Record) { record.pack(into: &self) }

  /// The bytes `record` packs into on its own: what `PackedReader.record(filling:)` reads back.
  static func bytes(of record: some PackedRecord) -> Data {
    var writer = PackedWriter()
    writer.write(record)
    return Data(writer.bytes)
  }

  /// Appends what another writer wrote.
  mutating func append(bytes more: some Collection<UInt8>) { bytes += more }

  mutating func append<Integer: FixedWidthInteger>(integer: Integer) {
    var rest = integer.littleEndian
    for _ in 0..<MemoryLayout<Integer>.size {
      bytes.append(UInt8(truncatingIfNeeded: rest))
      rest >>= 8
    }
  }

  mutating func append(utf8 text: String) {
    append(integer: UInt32(truncatingIfNeeded: text.utf8.count))
    bytes.append(contentsOf: text.utf8)
  }
}

/// Bytes being read back, one record after another; reading past the end, or a byte no record writes,
/// throws.
struct PackedReader {
  /// What is read is not what a writer wrote: the bytes end early or hold a value no record has.
  struct Truncated: Error {}

  private let bytes: Data
  /// How many bytes were read.
  private var offset = 0

  init(_ bytes: Data) {
    self.bytes = bytes
  }

  var isAtEnd: Bool { offset == bytes.count }

  /// How many bytes are left to read.
  var remaining: Int { bytes.count - offset }

  mutating func read<Record: PackedRecord>(_ type: Record.Type = Record.self) throws(Truncated) -> Record {
    try Record(unpacking: &self)
  }

  mutating func integer<Integer: FixedWidthInteger>(_ type: Integer.Type = Integer.self) throws(Truncated) -> Integer {
    let size = MemoryLayout<Integer>.size
    guard bytes.count - offset >= size else { throw Truncated() }
    let value = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: Integer.self) }
    offset += size
    return Integer(littleEndian: value)
  }

  /// The next `count` bytes, after their count, unread.
  mutating func section() throws(Truncated) -> Data {
    try take(Int(try integer(Int.self)))
  }

  mutating func utf8() throws(Truncated) -> String {
    String(decoding: try take(Int(try integer(UInt32.self))), as: UTF8.self)
  }

  /// The next `count` bytes.
  private mutating func take(_ count: Int) throws(Truncated) -> Data {
    guard count >= 0, remaining >= count else { throw Truncated() }
    defer { offset += count }
    let start = bytes.startIndex + offset
    return bytes[start..<start + count]
  }

  /// The one record `bytes` hold; nil when they hold anything else, or more.
  static func record<Record: PackedRecord>(_ type: Record.Type = Record.self, filling bytes: Data) -> Record? {
    var reader = PackedReader(bytes)
    guard let record = try? reader.read(Record.self), reader.isAtEnd else { return nil }
    return record
  }
}

extension PackedRecord where Self: FixedWidthInteger {
  func pack(into writer: inout PackedWriter) { writer.append(integer: self) }
  init(unpacking reader: inout PackedReader) throws(PackedReader.Truncated) { self = try reader.integer() }
}

extension Int: PackedRecord {}
extension Int32: PackedRecord {}
extension Int64: PackedRecord {}
extension UInt8: PackedRecord {}
extension UInt64: PackedRecord {}

extension Bool: PackedRecord {
  func pack(into writer: inout PackedWriter) { writer.append(integer: UInt8(self ? 1 : 0)) }

  init(unpacking reader: inout PackedReader) throws(PackedReader.Truncated) {
    switch try reader.integer(UInt8.self) {
    case 0: self = false
    case 1: self = true
    default: throw PackedReader.Truncated()
    }
  }
}

extension String: PackedRecord {
  func pack(into writer: inout PackedWriter) { writer.append(utf8: self) }
  init(unpacking reader: inout PackedReader) throws(PackedReader.Truncated) { self = try reader.utf8() }
}

extension Optional: PackedRecord where Wrapped: PackedRecord {
  func pack(into writer: inout PackedWriter) {
    writer.write(self != nil)
    if let self { writer.write(self) }
  }

  init(unpacking reader: inout PackedReader) throws(PackedReader.Truncated) {
    self = try reader.read(Bool.self) ? try reader.read(Wrapped.self) : nil
  }
}

extension Array: PackedRecord where Element: PackedRecord {
  func pack(into writer: inout PackedWriter) {
    writer.write(count)
    for element in self { writer.write(element) }
  }

  init(unpacking reader: inout PackedReader) throws(PackedReader.Truncated) {
    let count = try reader.read(Int.self)
    guard count >= 0 else { throw PackedReader.Truncated() }
    self = []
    // Room for no more records than the bytes left could hold, and at most 65 536 at once: a damaged count
    // asks for little.
    reserveCapacity(Swift.min(count, reader.remaining, 1 << 16))
    for _ in 0..<count { append(try reader.read()) }
  }
}

extension SimTime: PackedRecord {
  func pack(into writer: inout PackedWriter) { writer.write(nanoseconds) }
  init(unpacking reader: inout PackedReader) throws(PackedReader.Truncated) { self.init(nanoseconds: try reader.integer()) }
}

extension SimDuration: PackedRecord {
  func pack(into writer: inout PackedWriter) { writer.write(nanoseconds) }
  init(unpacking reader: inout PackedReader) throws(PackedReader.Truncated) { self.init(nanoseconds: try reader.integer()) }
}

extension TelemetryKey: PackedRecord {
  func pack(into writer: inout PackedWriter) { writer.write(index) }
  init(unpacking reader: inout PackedReader) throws(PackedReader.Truncated) { self.init(index: try reader.read()) }
}

extension RequestID: PackedRecord {
  func pack(into writer: inout PackedWriter) {
    writer.write(high)
    writer.write(low)
  }

  init(unpacking reader: inout PackedReader) throws(PackedReader.Truncated) {
    self.init(high: try reader.read(), low: try reader.read())
  }
}

extension TraceID: PackedRecord {
  func pack(into writer: inout PackedWriter) {
    writer.write(high)
    writer.write(low)
  }

  init(unpacking reader: inout PackedReader) throws(PackedReader.Truncated) {
    self.init(high: try reader.read(), low: try reader.read())
  }
}

extension SocketAddress: PackedRecord {
  func pack(into writer: inout PackedWriter) {
    writer.write(ip)
    writer.write(port)
  }

  init(unpacking reader: inout PackedReader) throws(PackedReader.Truncated) {
    self.init(ip: try reader.read(), port: try reader.read())
  }
}

extension HTTPHeader: PackedRecord {
  func pack(into writer: inout PackedWriter) {
    writer.write(name)
    writer.write(value)
  }

  init(unpacking reader: inout PackedReader) throws(PackedReader.Truncated) {
    self.init(try reader.read(), try reader.read())
  }
}

extension RequestHeaders: PackedRecord {
  func pack(into writer: inout PackedWriter) {
    for text in [authority, path, userAgent, operation, podIP, podName, namespace] { writer.write(text) }
    writer.write(requestID)
  }

  init(unpacking reader: inout PackedReader) throws(PackedReader.Truncated) {
    let (authority, path, userAgent, operation): (String, String, String, String) =
      (try reader.read(), try reader.read(), try reader.read(), try reader.read())
    let (podIP, podName, namespace): (String, String, String) = (try reader.read(), try reader.read(), try reader.read())
    self.init(
      authority: authority, path: path, userAgent: userAgent, requestID: try reader.read(), operation: operation,
      podIP: podIP, podName: podName, namespace: namespace)
  }
}

extension Ring: PackedRecord where Element: PackedRecord {
  func pack(into writer: inout PackedWriter) {
    writer.write(capacity)
    writer.write(dropped)
    writer.write(count)
    for index in indices { writer.write(self[index]) }
  }

  /// A ring as `pack(into:)` wrote it; one that says it keeps more than any ring of the model's
  /// telemetry is refused, as its room would be taken at its first record.
  init(unpacking reader: inout PackedReader) throws(PackedReader.Truncated) {
    let capacity = try reader.read(Int.self)
    guard (1...Telemetry.recordRetention).contains(capacity) else { throw PackedReader.Truncated() }
    self.init(capacity: capacity, dropped: try reader.read())
    let count = try reader.read(Int.self)
    guard (0...capacity).contains(count) else { throw PackedReader.Truncated() }
    for _ in 0..<count { append(try reader.read()) }
  }
}

extension InternTable: PackedRecord where Value: PackedRecord {
  func pack(into writer: inout PackedWriter) { writer.write(values) }

  init(unpacking reader: inout PackedReader) throws(PackedReader.Truncated) {
    self.init()
    for value in try reader.read([Value].self) { _ = intern(value) }
  }
}

extension ContainerLogKey: PackedRecord {
  func pack(into writer: inout PackedWriter) {
    writer.write(podUID)
    writer.write(container)
  }

  init(unpacking reader: inout PackedReader) throws(PackedReader.Truncated) {
    self.init(podUID: try reader.read(), container: try reader.read())
  }
}

extension ClientRun: PackedRecord {
  func pack(into writer: inout PackedWriter) {
    writer.write(id)
    writer.write(client)
    writer.write(started)
    writer.write(finished)
    writer.write(calls.lowerBound)
    writer.write(calls.upperBound)
    switch origin {
    case .helloEndpoint(let status):
      writer.write(0)
      writer.write(status)
    case .loadTool(let name):
      writer.write(1)
      writer.write(name)
    }
  }

  init(unpacking reader: inout PackedReader) throws(PackedReader.Truncated) {
    let id: Int = try reader.read()
    let client: PodRef = try reader.read()
    let started: SimTime = try reader.read()
    let finished: SimTime = try reader.read()
    let lower: Int = try reader.read()
    let upper: Int = try reader.read()
    guard lower <= upper else { throw PackedReader.Truncated() }
    let origin: Origin
    switch try reader.read(Int.self) {
    case 0: origin = .helloEndpoint(httpStatus: try reader.read())
    case 1: origin = .loadTool(try reader.read())
    default: throw PackedReader.Truncated()
    }
    self.init(id: id, client: client, started: started, finished: finished, calls: lower..<upper, origin: origin)
  }
}

extension ProxyIdentity: PackedRecord {
  func pack(into writer: inout PackedWriter) {
    writer.write(pod)
    writer.write(ip)
    writer.write(canonicalName)
    writer.write(canonicalRevision)
  }

  init(unpacking reader: inout PackedReader) throws(PackedReader.Truncated) {
    self.init(pod: try reader.read(), ip: try reader.read(), canonicalName: try reader.read(), canonicalRevision: try reader.read())
  }
}

extension AccessContext: PackedRecord {
  func pack(into writer: inout PackedWriter) {
    writer.write(code)
    writer.write(flags)
    writer.write(details)
    writer.write(authority)
    writer.write(cluster)
    writer.write(path)
    writer.write(userAgent)
    writer.write(serverName)
    writer.write(upstreamHost)
    writer.write(downstreamLocal)
    writer.write(method)
  }

  init(unpacking reader: inout PackedReader) throws(PackedReader.Truncated) {
    self.init(
      code: try reader.read(), flags: try reader.read(), details: try reader.read(), authority: try reader.read(),
      cluster: try reader.read(), path: try reader.read(), userAgent: try reader.read(), serverName: try reader.read(),
      upstreamHost: try reader.read(), downstreamLocal: try reader.read(), method: try reader.read())
  }
}

/// A workstation call, too rare to pack field by field, is kept as its JSON.
extension WorkstationCallRecord: PackedRecord {
  func pack(into writer: inout PackedWriter) {
    writer.write((try? JSONEncoder().encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "")
  }

  init(unpacking reader: inout PackedReader) throws(PackedReader.Truncated) {
    let json: String = try reader.read()
    guard let record = try? JSONDecoder().decode(Self.self, from: Data(json.utf8)) else { throw PackedReader.Truncated() }
    self = record
  }
}

extension PodRef: PackedRecord {
  func pack(into writer: inout PackedWriter) {
    writer.write(namespace)
    writer.write(name)
  }

  init(unpacking reader: inout PackedReader) throws(PackedReader.Truncated) {
    self.init(namespace: try reader.read(), name: try reader.read())
  }
}

extension AddressKey: PackedRecord {
  func pack(into writer: inout PackedWriter) {
    writer.write(ip)
    writer.write(port)
  }

  init(unpacking reader: inout PackedReader) throws(PackedReader.Truncated) {
    self.init(ip: try reader.read(), port: Int(try reader.read(Int32.self)))
  }
}

extension GRPCStatusCode: PackedRecord {
  func pack(into writer: inout PackedWriter) { writer.write(rawValue) }

  init(unpacking reader: inout PackedReader) throws(PackedReader.Truncated) {
    guard let code = GRPCStatusCode(rawValue: try reader.read()) else { throw PackedReader.Truncated() }
    self = code
  }
}

extension UpstreamEntry: PackedRecord {
  func pack(into writer: inout PackedWriter) {
    writer.write(connection)
    writer.write(newConnection)
    writer.write(cluster)
    writer.write(mtls)
    writer.write(responseFlags)
  }

  init(unpacking reader: inout PackedReader) throws(PackedReader.Truncated) {
    self.init(
      connection: try reader.read(), newConnection: try reader.read(), cluster: try reader.read(), mtls: try reader.read(),
      responseFlags: try reader.read())
  }
}

extension CallEntry: PackedRecord {
  func pack(into writer: inout PackedWriter) {
    writer.write(run)
    writer.write(index)
    writer.write(client)
    writer.write(connection)
    writer.write(stream)
    writer.write(server)
    writer.write(method)
    writer.write(started)
    writer.write(finished)
    writer.write(status)
    writer.write(message)
    writer.write(requestID)
    writer.write(upstream)
    writer.write(serverSidecar)
  }

  init(unpacking reader: inout PackedReader) throws(PackedReader.Truncated) {
    self.init(
      run: try reader.read(), index: try reader.read(), client: try reader.read(), connection: try reader.read(),
      stream: try reader.read(), server: try reader.read(), method: try reader.read(), started: try reader.read(),
      finished: try reader.read(), status: try reader.read(), message: try reader.read(), requestID: try reader.read(),
      upstream: try reader.read(), serverSidecar: try reader.read())
  }
}

extension SpanRecord: PackedRecord {
  func pack(into writer: inout PackedWriter) {
    writer.write(trace)
    writer.write(requestID)
    writer.write(id)
    writer.write(start)
    writer.write(duration)
    writer.write(parent)
    writer.write(proxy)
    writer.write(operation)
    writer.write(host)
    writer.write(cluster)
    writer.write(peer)
    writer.write(upstream)
    writer.write(port)
    writer.write(requestSize)
    writer.write(responseSize)
    writer.write(server)
  }

  init(unpacking reader: inout PackedReader) throws(PackedReader.Truncated) {
    let trace: TraceID = try reader.read()
    let requestID: RequestID = try reader.read()
    let id: UInt64 = try reader.read()
    let start: SimTime = try reader.read()
    let duration: SimDuration = try reader.read()
    let parent: UInt64? = try reader.read()
    let proxy: TelemetryKey<ProxyIdentity> = try reader.read()
    let operation: TelemetryKey<String> = try reader.read()
    let host: TelemetryKey<String> = try reader.read()
    let cluster: TelemetryKey<String> = try reader.read()
    let peer: TelemetryKey<String> = try reader.read()
    let upstream: AddressKey = try reader.read()
    let port = Int(try reader.read(Int32.self))
    let requestSize = Int(try reader.read(Int32.self))
    let responseSize = Int(try reader.read(Int32.self))
    self.init(
      trace: trace, id: id, parent: parent, proxy: proxy, operation: operation, start: start, duration: duration,
      requestID: requestID, host: host, port: port, requestSize: requestSize, responseSize: responseSize, cluster: cluster,
      upstream: upstream, peer: peer, server: try reader.read())
  }
}

extension TraceRecord: PackedRecord {
  func pack(into writer: inout PackedWriter) {
    writer.write(span)
    writer.write(inbound)
  }

  init(unpacking reader: inout PackedReader) throws(PackedReader.Truncated) {
    self.init(span: try reader.read(), inbound: try reader.read())
  }
}

extension InboundSpan: PackedRecord {
  func pack(into writer: inout PackedWriter) {
    writer.write(id)
    writer.write(start)
    writer.write(duration)
    writer.write(proxy)
  }

  init(unpacking reader: inout PackedReader) throws(PackedReader.Truncated) {
    self.init(id: try reader.read(), start: try reader.read(), duration: try reader.read(), proxy: try reader.read())
  }
}

extension CallName: PackedRecord {
  func pack(into writer: inout PackedWriter) {
    writer.write(prefix)
    writer.write(index)
  }

  init(unpacking reader: inout PackedReader) throws(PackedReader.Truncated) {
    self.init(prefix: try reader.read(), number: try reader.read(Int32?.self).map(Int.init))
  }
}

extension StoredLine: PackedRecord {
  func pack(into writer: inout PackedWriter) {
    writer.write(time)
    switch entry {
    case .text: writer.write(UInt8(0))
    case .greeterReceived(let name, let thread):
      writer.write(UInt8(1))
      writer.write(name)
      writer.write(thread)
    case .greeterReply(let name):
      writer.write(UInt8(2))
      writer.write(name)
    case .envoy(let thread):
      writer.write(UInt8(3))
      writer.write(thread)
    case .access: writer.write(UInt8(4))
    }
  }

  init(unpacking reader: inout PackedReader) throws(PackedReader.Truncated) {
    let time: SimTime = try reader.read()
    let entry: LogEntry
    switch try reader.read(UInt8.self) {
    case 0: entry = .text
    case 1: entry = .greeterReceived(try reader.read(), thread: try reader.read())
    case 2: entry = .greeterReply(try reader.read())
    case 3: entry = .envoy(thread: try reader.read())
    case 4: entry = .access
    default: throw PackedReader.Truncated()
    }
    self.init(time: time, entry: entry)
  }
}

extension KubeProxyDecision: PackedRecord {
  func pack(into writer: inout PackedWriter) {
    writer.write(service)
    writer.write(endpoints)
    writer.write(chosen)
  }

  init(unpacking reader: inout PackedReader) throws(PackedReader.Truncated) {
    self.init(service: try reader.read(), endpoints: try reader.read(), chosen: try reader.read())
  }
}

extension ConnectionRecord: PackedRecord {
  func pack(into writer: inout PackedWriter) {
    writer.write(id)
    writer.write(client)
    writer.write(opener)
    writer.write(source)
    writer.write(destination)
    writer.write(server)
    writer.write(serverAddress)
    writer.write(kubeProxy)
    writer.write(envoyCluster)
    writer.write(mtls)
    writer.write(opened)
    writer.write(closed)
  }

  init(unpacking reader: inout PackedReader) throws(PackedReader.Truncated) {
    self.init(
      id: try reader.read(), client: try reader.read(), opener: try reader.read(), source: try reader.read(),
      destination: try reader.read(), server: try reader.read(), serverAddress: try reader.read(), kubeProxy: try reader.read(),
      envoyCluster: try reader.read(), mtls: try reader.read(), opened: try reader.read(), closed: try reader.read())
  }
}

extension EnvoyMessage: PackedRecord {
  func pack(into writer: inout PackedWriter) {
    func tag(_ number: UInt8, _ numbers: Int...) {
      writer.write(number)
      for number in numbers { writer.write(number) }
    }
    switch self {
    case .queueing(let ready, let busy, let connecting): tag(0, ready, busy, connecting)
    case .tryingToCreate: tag(1)
    case .creatingConnection(let connecting): tag(2, connecting)
    case .connectingState(let connection): tag(3, connection)
    case .clientConnecting(let connection): tag(4, connection)
    case .connecting(let connection, let address):
      tag(5, connection)
      writer.write(address)
    case .connectionInProgress(let connection): tag(6, connection)
    case .connectionConnected(let connection): tag(7, connection)
    case .clientConnected(let connection): tag(8, connection)
    case .attaching(let connection): tag(9, connection)
    case .usingExisting(let connection): tag(10, connection)
    case .creatingStream(let connection): tag(11, connection)
    case .maxStreamsDraining(let connection): tag(12, connection)
    case .maxStreamsOverflow: tag(13)
    case .maxPendingOverflow: tag(14)
    case .responseComplete(let connection): tag(15, connection)
    case .destroyingStream(let connection, let remaining): tag(16, connection, remaining)
    case .closing(let connection): tag(17, connection)
    case .closingSocket(let connection): tag(18, connection)
    case .disconnect(let connection): tag(19, connection)
    case .clientDisconnected(let connection): tag(20, connection)
    case .sslShutdown(let connection): tag(21, connection)
    case .idleCallbacks: tag(22)
    case .routerDecodingHeaders(let downstream, let stream, let request):
      tag(23, downstream)
      writer.write(stream)
      writer.write(request)
    case .routerClusterMatch(let downstream, let stream, let cluster, let path):
      tag(24, downstream)
      writer.write(stream)
      writer.write(cluster)
      writer.write(path)
    case .routerPoolReady(let downstream, let stream):
      tag(25, downstream)
      writer.write(stream)
    case .routerUpstreamReset(let downstream, let stream, let reason):
      tag(26, downstream)
      writer.write(stream)
      writer.write(reason)
    }
  }

  init(unpacking reader: inout PackedReader) throws(PackedReader.Truncated) {
    let tag = try reader.read(UInt8.self)
    switch tag {
    case 0: self = .queueing(ready: try reader.read(), busy: try reader.read(), connecting: try reader.read())
    case 1: self = .tryingToCreate
    case 2: self = .creatingConnection(connecting: try reader.read())
    case 5: self = .connecting(connection: try reader.read(), address: try reader.read())
    case 13: self = .maxStreamsOverflow
    case 14: self = .maxPendingOverflow
    case 16: self = .destroyingStream(connection: try reader.read(), remaining: try reader.read())
    case 22: self = .idleCallbacks
    case 23: self = .routerDecodingHeaders(downstream: try reader.read(), stream: try reader.read(), request: try reader.read())
    case 24:
      self = .routerClusterMatch(downstream: try reader.read(), stream: try reader.read(), cluster: try reader.read(), path: try reader.read())
    case 25: self = .routerPoolReady(downstream: try reader.read(), stream: try reader.read())
    case 26: self = .routerUpstreamReset(downstream: try reader.read(), stream: try reader.read(), reason: try reader.read())
    default:
      let connection: Int = try reader.read()
      switch tag {
      case 3: self = .connectingState(connection: connection)
      case 4: self = .clientConnecting(connection: connection)
      case 6: self = .connectionInProgress(connection: connection)
      case 7: self = .connectionConnected(connection: connection)
      case 8: self = .clientConnected(connection: connection)
      case 9: self = .attaching(connection: connection)
      case 10: self = .usingExisting(connection: connection)
      case 11: self = .creatingStream(connection: connection)
      case 12: self = .maxStreamsDraining(connection: connection)
      case 15: self = .responseComplete(connection: connection)
      case 17: self = .closing(connection: connection)
      case 18: self = .closingSocket(connection: connection)
      case 19: self = .disconnect(connection: connection)
      case 20: self = .clientDisconnected(connection: connection)
      case 21: self = .sslShutdown(connection: connection)
      default: throw PackedReader.Truncated()
      }
    }
  }
}
