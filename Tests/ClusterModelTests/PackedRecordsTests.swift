import Foundation
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
    .routerDecodingHeaders(
      downstream: 21, stream: 1,
      request: RequestHeaders(
        authority: "grpc.grpc:9000", path: "/helloworld.Greeter/SayHello", userAgent: "grpc-java-netty/1.55.1",
        requestID: RequestID(high: 1, low: 2), operation: "grpc.grpc.svc.cluster.local:9000/*", podIP: "10.128.2.14",
        podName: "grpc-client-1", namespace: "test")),
    .routerClusterMatch(downstream: 22, stream: 3, cluster: "outbound|9000||grpc.grpc.svc.cluster.local", path: "/"),
    .routerPoolReady(downstream: 23, stream: 5), .routerUpstreamReset(downstream: 24, stream: 7, reason: "overflow"),
  ]

  static func packed<Record: PackedRecord>(_ record: Record) -> [UInt8] {
    var writer = PackedWriter()
    writer.write(record)
    return writer.bytes
  }

  static func unpacked<Record: PackedRecord>(_ bytes: [UInt8], as type: Record.Type) throws(PackedReader.Truncated) -> Record {
    var reader = PackedReader(Data(bytes))
    return try reader.read(type)
  }

  static var ring: Ring<EnvoyMessage> {
    var ring = Ring<EnvoyMessage>(capacity: 64, dropped: 3)
    for message in messages { ring.append(message) }
    return ring
  }

  @Test func everyEnvoyMessageComesBackTheSame() throws {
    let back = try Self.unpacked(Self.packed(Self.ring), as: Ring<EnvoyMessage>.self)
    #expect(back == Self.ring)
    #expect(back.dropped == 3)
    #expect(back.map { $0.text } == Self.messages.map { $0.text })
  }

  @Test func bytesCutShortAreRefused() {
    let bytes = Self.packed(Self.ring)
    for end in 0..<bytes.count {
      #expect(throws: PackedReader.Truncated.self) { try Self.unpacked(Array(bytes[..<end]), as: Ring<EnvoyMessage>.self) }
    }
  }

  @Test func aTagNoRecordWritesIsRefused() {
    #expect(throws: PackedReader.Truncated.self) { try Self.unpacked([99], as: EnvoyMessage.self) }
    #expect(throws: PackedReader.Truncated.self) { try Self.unpacked([2], as: Bool.self) }
  }

  @Test func moreRecordsThanTheCapacityAreRefused() {
    var ring = Ring<Int>(capacity: 3)
    for number in 1...3 { ring.append(number) }
    var bytes = Self.packed(ring)
    bytes[0] = 2
    #expect(throws: PackedReader.Truncated.self) { try Self.unpacked(bytes, as: Ring<Int>.self) }
  }
}
