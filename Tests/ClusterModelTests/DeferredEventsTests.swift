import Foundation
import Testing

@testable import ClusterModel

/// A cluster made from an archive keeps its objects, its pods' runtimes and its recorders' memory as archived
/// JSON until first used: it archives again to the same bytes, reads the same events, and records new ones
/// as the original does.
@Suite struct DeferredEventsTests {
  /// The texts an archive keeps apart from the cluster's JSON: each kind's objects, the pods' runtimes and
  /// the recorders' memory.
  static func deferredTexts(of archive: Data) -> [Data] {
    let lines = ArchivedTelemetryTests.lines(of: archive)
    #expect(lines.count > 5, "the first line, a part per kind, the runtimes, the recorders and the JSON")
    return Array(lines.dropFirst().dropLast())
  }

  @Test func anUnreadArchiveArchivesTheSameTexts() throws {
    let cluster = try ArchivedTelemetryTests.clusterWithTraffic()
    let bytes = try cluster.archived()
    let loaded = try Cluster(archived: bytes)
    #expect(try Self.deferredTexts(of: loaded.archived()) == Self.deferredTexts(of: bytes))
    #expect(loaded.store.list(.event) == cluster.store.list(.event))
    #expect(!loaded.store.list(.event).isEmpty)
    #expect(loaded.store.pods() == cluster.store.pods())
    #expect(!loaded.store.pods().isEmpty)
    #expect(loaded == cluster)
  }

  @Test func aClusterFromAnArchiveRecordsEventsAsTheOriginalDoes() throws {
    var cluster = try ArchivedTelemetryTests.clusterWithTraffic()
    var loaded = try Cluster(archived: try cluster.archived())
    let copy = loaded
    for _ in 0..<2 {
      let pod = try #require(cluster.store.pods(in: "grpc").first).metadata.name
      try cluster.delete(ObjectKey(kind: .pod, namespace: "grpc", name: pod))
      try loaded.delete(ObjectKey(kind: .pod, namespace: "grpc", name: pod))
      cluster.advance(by: .seconds(45))
      loaded.advance(by: .seconds(45))
    }
    #expect(loaded == cluster)
    #expect(loaded.store.list(.event).count > copy.store.list(.event).count)
    #expect(try Cluster(archived: try copy.archived()) == copy, "a copy taken before is not changed")
  }

  @Test func aDamagedTextIsRefusedWithTheArchiveAndTextThatDoesNotDecodeIsEmpty() throws {
    let bytes = try ArchivedTelemetryTests.clusterWithTraffic().archived()
    for text in Self.deferredTexts(of: bytes) {
      var damaged = bytes
      damaged[text.startIndex + 20] ^= 0x01
      #expect(throws: (any Error).self) { try Cluster(archived: damaged) }
    }
    let text = Data(#"{"a":"x"}"#.utf8)
    let decoder = JSONDecoder()
    decoder.userInfo = [try #require(ArchiveParts.key): ArchiveParts([text])]
    let read = try decoder.decode(DeferredJSON<[String: Int]>.self, from: Data(#"{"part":0,"checksum":\#(Checksum.fnv1a(text))}"#.utf8))
    #expect(read.value == [:])
    #expect(throws: DecodingError.self) {
      try decoder.decode(DeferredJSON<[String: Int]>.self, from: Data(#"{"part":1,"checksum":0}"#.utf8))
    }
    #expect(throws: EncodingError.self) { try JSONEncoder().encode(read) }
  }
}
