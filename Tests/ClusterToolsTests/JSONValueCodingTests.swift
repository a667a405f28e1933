import ClusterModel
import Foundation
import Testing

@testable import ClusterTools

/// A value encoded straight into a `JSONValue` equals what its JSON text parses into, and an object
/// decoded from one equals the object decoded from that text.
@Suite struct JSONValueCodingTests {
  static let mesh = """
    apiVersion: networking.istio.io/v1beta1
    kind: VirtualService
    metadata:
      name: grpc-vs
      labels: {app: grpc}
    spec:
      hosts: [grpc, "grpc.apps.example.com"]
      gateways: [mesh, grpc-gateway]
      http:
      - route:
        - destination: {host: grpc, subset: v1, port: {number: 9000}}
          weight: 75
        - destination: {host: grpc, subset: v2}
          weight: 25
    ---
    apiVersion: networking.istio.io/v1beta1
    kind: DestinationRule
    metadata:
      name: grpc-dr
    spec:
      host: grpc
      trafficPolicy:
        loadBalancer: {simple: LEAST_REQUEST}
        connectionPool:
          tcp: {maxConnections: 1}
          http: {http1MaxPendingRequests: 1, http2MaxRequests: 1, maxRequestsPerConnection: 1}
        outlierDetection: {consecutive5xxErrors: 1, interval: 1s, baseEjectionTime: 3m, maxEjectionPercent: 100}
      subsets:
      - name: v1
        labels: {version: v1}
    ---
    apiVersion: networking.istio.io/v1beta1
    kind: Gateway
    metadata:
      name: grpc-gateway
    spec:
      selector: {istio: ingressgateway}
      servers:
      - port: {number: 443, name: https, protocol: HTTPS}
        tls: {mode: MUTUAL, credentialName: grpc-credential}
        hosts: ["grpc.apps.example.com"]
    ---
    apiVersion: security.istio.io/v1beta1
    kind: PeerAuthentication
    metadata:
      name: default
    spec:
      mtls: {mode: STRICT}
    ---
    apiVersion: v1
    kind: Secret
    metadata:
      name: grpc-credential
    type: Opaque
    stringData: {ca.crt: "x", tls.crt: "y"}
    ---
    apiVersion: v1
    kind: Service
    metadata:
      name: web
    spec:
      selector: {app: web}
      ports:
      - {name: http, port: 80, targetPort: http}
    """

  @Test func everyStoredObjectEncodesAndDecodesAsItsTextDoes() throws {
    var (session, _) = PodTerminationTests.running()
    let applied = session.run("oc -n demo apply -f mesh.yaml", files: MemoryFiles(files: ["/lab/mesh.yaml": Self.mesh]), workingDirectory: "/lab").0
    #expect(applied.exitCode == 0, "\(applied.stderr)")
    session.cluster.advance(by: .seconds(30))
    let objects = ResourceKind.allCases.flatMap { session.cluster.store.list($0) }
    #expect(Set(objects.map(\.kind)).count >= 15)
    for object in objects {
      let text = ObjectEncoding.compactJSON(object)
      let value = try JSONValue(encoding: object.encodable)
      #expect(value == JSONValue(json: text), "\(object.kind) \(object.metadata.name)")
      #expect(try Kubectl.decode(object.kind, from: value) == Kubectl.decode(object.kind, from: Data(text.utf8)))
    }
  }

  struct Numbers: Codable, Equatable {
    var whole: Double
    var half: Double
    var huge: Double
    var negativeZero: Double
    var largest: Int64
    var unsigned: UInt64
    var small: Int8
    var missing: String?
    var present: String?
    var flag: Bool
    var list: [Int?]
  }

  @Test func numbersReadBackAsTheirTextDoes() throws {
    let numbers = Numbers(
      whole: 1, half: 0.5, huge: 1e21, negativeZero: -0.0, largest: .max, unsigned: 7, small: -8, missing: nil,
      present: "x", flag: true, list: [1, nil, 3])
    let text = try String(decoding: JSONEncoder().encode(numbers), as: UTF8.self)
    let value = try JSONValue(encoding: numbers)
    #expect(value == JSONValue(json: text))
    #expect(try value.decoded(as: Numbers.self) == JSONDecoder().decode(Numbers.self, from: Data(text.utf8)))
    #expect(try JSONValue(encoding: UInt64.max) == JSONValue(json: "\(UInt64.max)"))
    #expect(throws: EncodingError.self) { try JSONValue(encoding: Double.nan) }
    #expect(throws: DecodingError.self) { try JSONValue.number(1.5).decoded(as: Int.self) }
    #expect(throws: DecodingError.self) { try JSONValue.integer(300).decoded(as: UInt8.self) }
    #expect(throws: DecodingError.self) { try JSONValue.string("1").decoded(as: Int.self) }
    #expect(throws: DecodingError.self) { try JSONValue.object(["whole": .null]).decoded(as: Numbers.self) }
  }
}
