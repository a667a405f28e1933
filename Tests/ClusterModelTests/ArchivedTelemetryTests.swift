import Foundation
import Testing

@testable import ClusterModel

/// A cluster made from an archive keeps its telemetry packed until it is read: it archives again to the
/// same bytes, knows its revision, and reads the same telemetry as the cluster it was made from.
@Suite struct ArchivedTelemetryTests {
  static func clusterWithTraffic() throws -> Cluster {
    var cluster = try labCluster(seed: 5)
    for _ in 0..<3 {
      _ = try cluster.send(HTTPRequest(host: "localhost", port: 8080, path: "/hello/grpc"), from: clientPod(cluster))
    }
    return cluster
  }

  /// The lines of an archive up to its telemetry: the JSON's checksum with the byte counts of the parts and
  /// the JSON, the parts, and the line of JSON.
  static func lines(of archive: Data) -> [Data] {
    let first = archive.prefix { $0 != UInt8(ascii: "\n") }
    let fields = String(decoding: first, as: UTF8.self).split(separator: " ").count
    return Array(archive.split(separator: UInt8(ascii: "\n"), maxSplits: fields, omittingEmptySubsequences: false).prefix(fields))
  }

  /// Where an archive's packed telemetry starts: after its last line.
  static func telemetryStart(of archive: Data) -> Int {
    (lines(of: archive).last?.endIndex ?? archive.count - 1) + 1
  }

  /// The packed telemetry of an archive.
  static func telemetry(of archive: Data) -> Data {
    archive[telemetryStart(of: archive)...]
  }

  @Test func anUnreadArchiveArchivesToTheSameBytesAndKnowsItsRevision() throws {
    let cluster = try Self.clusterWithTraffic()
    let bytes = try cluster.archived()
    let loaded = try Cluster(archived: bytes)
    #expect(loaded.revision == cluster.revision)
    #expect(Self.telemetry(of: try loaded.archived()) == Self.telemetry(of: bytes))
    #expect(loaded.telemetry.calls.count == 75)
    #expect(loaded == cluster)
    #expect(Self.telemetry(of: try loaded.archived()) == Self.telemetry(of: bytes))
  }

  @Test func aClusterFromAnArchiveGoesOnAsTheOriginalDoes() throws {
    var cluster = try Self.clusterWithTraffic()
    var loaded = try Cluster(archived: try cluster.archived())
    let copy = loaded
    let request = HTTPRequest(host: "localhost", port: 8080, path: "/hello/grpc")
    _ = try cluster.send(request, from: clientPod(cluster))
    _ = try loaded.send(request, from: clientPod(loaded))
    #expect(loaded == cluster)
    #expect(loaded.telemetry.calls.count == 100)
    #expect(copy.telemetry.calls.count == 75, "a copy taken before is not changed")
  }

  @Test func logsAndSpansReadBeforeAChangeAreTheOriginals() throws {
    var cluster = try Self.clusterWithTraffic()
    let loaded = try Cluster(archived: try cluster.archived())
    let client = try #require(cluster.store.pod(clientPod(cluster))?.metadata.uid)
    #expect(loaded.telemetry.calls.count == 75, "the calls are read, the logs and spans stay packed")
    #expect(loaded.telemetry.log(podUID: client, container: "custom-grpc-hello") == cluster.telemetry.log(podUID: client, container: "custom-grpc-hello"))
    #expect(!loaded.telemetry.log(podUID: client, container: "custom-grpc-hello").isEmpty)
    #expect(Array(loaded.telemetry.spans) == Array(cluster.telemetry.spans))
    var again = try Cluster(archived: try loaded.archived())
    let request = HTTPRequest(host: "localhost", port: 8080, path: "/hello/grpc")
    _ = try cluster.send(request, from: clientPod(cluster))
    _ = try again.send(request, from: clientPod(again))
    #expect(again == cluster)
  }

  @Test func anArchiveCutShortOrDamagedIsRefusedWhenLoaded() throws {
    let bytes = try Self.clusterWithTraffic().archived()
    #expect(throws: (any Error).self) { try Cluster(archived: bytes.dropLast()) }
    let newline = Self.telemetryStart(of: bytes) - 1
    #expect(bytes[newline] == UInt8(ascii: "\n"))
    for length in [0, 8, 10, 15] {
      #expect(throws: (any Error).self) { try Cluster(archived: bytes[...(newline + length)]) }
    }
    for index in [newline + 1, newline + 9, newline + 17, newline + 41, bytes.count - 1] {
      var damaged = bytes
      damaged[index] ^= 0x10
      #expect(throws: (any Error).self) { try Cluster(archived: damaged) }
    }
    let json = try #require(Self.lines(of: bytes).last)
    for index in [json.startIndex, json.startIndex + 100, json.endIndex - 2] {
      var damaged = bytes
      damaged[index] ^= 0x01
      #expect(throws: (any Error).self, "a changed byte of the JSON") { try Cluster(archived: damaged) }
    }
    let sum = Checksum.fnv1a(Array("{}".utf8)[...])
    for first in ["\(sum) 1000000000000", "\(sum) -1", "\(sum)", "x 2", "\(sum) 3", "\(sum) 1 2", "\(sum) 2 2", "0 2"] {
      #expect(throws: (any Error).self, "\(first)") { try Cluster(archived: Data((first + "\n{}\n").utf8)) }
    }
  }
}

/// Logs and spans left packed: their count is checked when the telemetry is unpacked, and records that do
/// not unpack read as empty ones, so the logs keep one log per key and no read traps.
@Suite struct BulkRecordsTests {
  static func sections(logs: [UInt8], spans: [UInt8] = []) -> PackedReader {
    var writer = PackedWriter()
    for section in [logs, spans] {
      writer.write(section.count)
      writer.append(bytes: section)
    }
    return PackedReader(Data(writer.bytes))
  }

  static func count(_ count: Int, then rest: [UInt8]) -> [UInt8] {
    var writer = PackedWriter()
    writer.write(count)
    return writer.bytes + rest
  }

  @Test func logsOfTheWrongCountAreRefused() {
    var reader = Self.sections(logs: Self.count(3, then: []))
    #expect(throws: PackedReader.Truncated.self) { try BulkRecords(unpacking: &reader, logCount: 2) }
    var short = Self.sections(logs: [1, 2])
    #expect(throws: PackedReader.Truncated.self) { try BulkRecords(unpacking: &short, logCount: 2) }
  }

  @Test func recordsThatDoNotUnpackAreEmptyOnesAndChangeLikeAnyOthers() throws {
    var reader = Self.sections(logs: Self.count(2, then: [9, 9, 9]), spans: [7])
    var bulk = try BulkRecords(unpacking: &reader, logCount: 2)
    #expect(reader.isAtEnd)
    #expect(bulk.logs == [ContainerLog(), ContainerLog()])
    #expect(bulk.traces.isEmpty)
    bulk.logs[1].append(text: "line", at: SimTime(nanoseconds: 5))
    #expect(bulk.logs.count == 2 && bulk.logs[1] != ContainerLog())
  }
}
