import Foundation
import Testing

@testable import ClusterModel

/// A cluster made from an archive keeps its events and its recorders' memory as archived JSON until first
/// used: it archives again to the same bytes, reads the same events, and records new ones as the original does.
@Suite struct DeferredEventsTests {
  /// The archived texts of the events and of the recorders' memory, in an archive's line of JSON.
  static func deferredTexts(of archive: [UInt8]) throws -> [String] {
    let line = Data(archive.prefix { $0 != UInt8(ascii: "\n") })
    let cluster = try #require(try JSONSerialization.jsonObject(with: line) as? [String: Any])
    let store = try #require(cluster["store"] as? [String: Any])
    return try [store["events"], cluster["eventCorrelator"]].map { try #require(($0 as? [String: Any])?["json"] as? String) }
  }

  @Test func anUnreadArchiveArchivesTheSameTexts() throws {
    let cluster = try ArchivedTelemetryTests.clusterWithTraffic()
    let bytes = try cluster.archived()
    let loaded = try Cluster(archived: bytes[...])
    #expect(try Self.deferredTexts(of: loaded.archived()) == Self.deferredTexts(of: bytes))
    #expect(loaded.store.list(.event) == cluster.store.list(.event))
    #expect(!loaded.store.list(.event).isEmpty)
    #expect(loaded == cluster)
  }

  @Test func aClusterFromAnArchiveRecordsEventsAsTheOriginalDoes() throws {
    var cluster = try ArchivedTelemetryTests.clusterWithTraffic()
    var loaded = try Cluster(archived: try cluster.archived()[...])
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
    #expect(try Cluster(archived: try copy.archived()[...]) == copy, "a copy taken before is not changed")
  }

  @Test func deferredTextWhoseChecksumDoesNotHoldIsRefusedAndTextThatDoesNotDecodeIsEmpty() throws {
    let events = DeferredJSON<[String: Int]>(["a": 1])
    let json = try JSONEncoder().encode(events)
    let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
    #expect(object["json"] as? String == #"{"a":1}"#)
    var damaged = object
    damaged["json"] = #"{"a":2}"#
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode(DeferredJSON<[String: Int]>.self, from: JSONSerialization.data(withJSONObject: damaged))
    }
    let text = #"{"a":"x"}"#
    let undecodable = ["json": text, "checksum": Checksum.fnv1a(text.utf8)] as [String: Any]
    let read = try JSONDecoder().decode(DeferredJSON<[String: Int]>.self, from: JSONSerialization.data(withJSONObject: undecodable))
    #expect(read.value == [:])
  }
}
