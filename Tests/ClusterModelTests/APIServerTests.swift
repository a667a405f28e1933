import Testing

@testable import ClusterModel

/// Every write and every deletion takes the next revision and wakes what watches its kind; removing what
/// is not there changes nothing.
@Suite struct APIServerTests {
  static let key = ObjectKey(kind: .configMap, namespace: "grpc", name: "a")

  @Test func aWriteTakesTheNextResourceVersion() {
    var server = APIServer()
    let first = server.lastResourceVersion
    var object = APIObject.configMap(ConfigMap(metadata: ObjectMeta(name: "a", namespace: "grpc"), data: [:]))
    server.write(&object)
    #expect(server.lastResourceVersion == first + 1)
    #expect(object.metadata.resourceVersion == String(first + 1))
    #expect(server.store[Self.key] == object)
  }

  @Test func aDeletionTakesARevisionAndWakesTheControllersWatchingItsKind() {
    var server = APIServer()
    var object = APIObject.configMap(ConfigMap(metadata: ObjectMeta(name: "a", namespace: "grpc"), data: [:]))
    server.write(&object)
    server.watches.recordRun(of: .caBundles, from: server.lastResourceVersion, settled: true)
    #expect(server.watches.isSettled(.caBundles))
    let before = server.lastResourceVersion
    #expect(server.remove(Self.key) == object)
    #expect(server.lastResourceVersion == before + 1)
    #expect(!server.watches.isSettled(.caBundles))
    #expect(server.remove(Self.key) == nil)
    #expect(server.lastResourceVersion == before + 1)
  }
}
