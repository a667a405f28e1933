import Foundation
import Testing

@testable import ClusterModel

/// The bound never falls below what `JSONEncoder` writes, and stays close enough to spare the encoding.
@Suite struct JSONSizeBoundTests {
  static func size(_ value: some Encodable) throws -> Int { try JSONEncoder().encode(value).count }

  @Test func everyStoredObjectOfAMeshClusterIsBounded() throws {
    var cluster = try meshCluster(seed: 6, subsets: [.init(name: "v1", labels: ["app.kubernetes.io/version": "l1"], trafficPolicy: nil)])
    try cluster.create(GatewayFilterChainTests.gateway("g", hosts: ["*.apps.cluster.example.com"]))
    var kinds: Set<ResourceKind> = []
    for kind in ResourceKind.allCases {
      for object in cluster.store.list(kind) {
        kinds.insert(kind)
        let actual = try Self.size(object.encodable)
        let bound = JSONSizeBound.of(object.encodable)
        #expect(bound >= actual, "\(kind) \(object.metadata.name)")
        #expect(bound <= 8 * actual, "\(kind) \(object.metadata.name): \(bound) for \(actual) bytes")
      }
    }
    #expect(kinds.isSuperset(of: [.pod, .deployment, .replicaSet, .service, .endpoints, .configMap, .serviceMeshMemberRoll, .destinationRule, .gateway]))
  }

  @Test(arguments: [
    "", "plain", "quote \" and backslash \\", "slash / is escaped", "controls \u{0}\u{1}\u{1F}\n\t", "ünïcödé 漢字 🙂",
    String(repeating: "\u{1}", count: 1_000),
  ])
  func stringsAreBoundedWhateverTheirEscapes(_ text: String) throws {
    var map = ConfigMap(metadata: ObjectMeta(name: "m", namespace: "grpc"), data: [text: text])
    map.metadata.labels = ["k": text]
    #expect(JSONSizeBound.of(map) >= (try Self.size(map)))
    #expect(JSONSizeBound.of([text]) >= (try Self.size([text])))
    #expect(JSONSizeBound.of([Int64.min: Double.leastNonzeroMagnitude]) >= (try Self.size([Int64.min: Double.leastNonzeroMagnitude])))
  }
}
