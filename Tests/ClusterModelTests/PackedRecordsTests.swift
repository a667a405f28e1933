import Testing

@testable import ClusterModel

/// Telemetry's records packed into bytes come back equal, and bytes cut short or holding a tag no record
/// writes are refused rather than read past.
@Suite struct PackedRecordsTests {
  static let messages: [EnvoyMessage] = [
    .queueing(ready: 1, busy: 2, connecting: 3), .tryingToCreate, .creatingConnection(connecting: 1), .connectingState(connection: 4),
    .clientConnecting(connection: 5), .connecting(connection: 6, address: SocketAddress(ip: "10.128.2.14", port: 9000)),
    .connectionInProgress(connection: 7), .connectionConnected(connection: 8), .clientConnected(connection: 9),
    .attaching(connection: 10), .usingExisting(connection: 11), .creatingStream(connection: 12), .maxStreamsDraining(connection: 13),
    .maxStreamsOverflow, .maxPendingOverflow, .responseComplete(connection: 14), .destroyingStream(connection: 15, remaining: 0),
    .closing(connection: 16), .closingSocket(connection: 17), .disconnect(connection: 18), .clientDisconnected(connection: 19),
    .sslShutdown(connection: 20), .idleCallbacks,
    .routerDecodingHeaders(downstream: 21, stream: 1, headers: [HTTPHeader(":path", "/helloworld.Greeter/SayHello")]),
    .routerClusterMatch(downstream: 22, stream: 3, cluster: "outbound|9000||grpc.grpc.svc.cluster.local", path: "/"),
    .routerPoolReady(downstream: 23, stream: 5), .routerUpstreamReset(downstream: 24, stream: 7, reason: "overflow"),
  ]

  @Test func everyEnvoyMessageComesBackTheSame() throws {
    var ring = Ring<EnvoyMessage>(capacity: 64, dropped: 3)
    for message in Self.messages { ring.append(message) }
    let back = try Ring<EnvoyMessage>(capacity: 64, dropped: 3, packed: ring.packed)
    #expect(back == ring)
    #expect(back.map(\.text) == Self.messages.map(\.text))
  }

  @Test func bytesCutShortAreRefused() {
    var ring = Ring<EnvoyMessage>(capacity: 64)
    for message in Self.messages { ring.append(message) }
    let bytes = ring.packed
    var refused = 0
    for end in 0..<bytes.count {
      do {
        let back = try Ring<EnvoyMessage>(capacity: 64, dropped: 0, packed: Array(bytes[..<end]))
        #expect(back.count < ring.count)
      } catch {
        refused += 1
      }
    }
    #expect(refused > 0)
  }

  @Test func aTagNoRecordWritesIsRefused() {
    #expect(throws: PackedReader.Truncated.self) { try Ring<EnvoyMessage>(capacity: 4, dropped: 0, packed: [99]) }
    #expect(throws: PackedReader.Truncated.self) { try Ring<Bool>(capacity: 4, dropped: 0, packed: [2]) }
  }

  @Test func moreRecordsThanTheCapacityAreRefused() {
    var ring = Ring<Int>(capacity: 3)
    for number in 1...3 { ring.append(number) }
    #expect(throws: PackedReader.Truncated.self) { try Ring<Int>(capacity: 2, dropped: 0, packed: ring.packed) }
  }
}
