import Testing

@testable import ClusterModel

/// IOR's decisions for one sync, from the member Gateways, the Routes of the control plane's namespace and
/// the Gateway versions the last sync handled, before anything is written or logged.
@Suite struct IORControllerTests {
  static let ingressLabels = ["istio": "ingressgateway", "app": "istio-ingressgateway"]

  /// A Gateway of `grpc` for `hosts`, at `version`.
  static func gateway(hosts: [String], version: String = "7", selector: [String: String] = ["istio": "ingressgateway"]) -> Gateway {
    var gateway = IORTests.gateway("grpc")
    gateway.spec.selector = selector
    gateway.spec.servers?[0].hosts = hosts
    gateway.metadata.resourceVersion = version
    return gateway
  }

  /// The one Route IOR makes for a Gateway for `host`.
  static func route(host: String, version: String = "7") throws -> Route {
    try #require(IORController.routes(for: gateway(hosts: [host], version: version), ingressLabels: ingressLabels).first)
  }

  @Test func aNewGatewayGetsItsRoutesAndIsHandledAtItsVersion() throws {
    let gateway = Self.gateway(hosts: ["b.apps.example.com", "a.apps.example.com"])
    let plan = IORController.plan(gateways: [gateway], ingressLabels: Self.ingressLabels, existing: [], handled: [:])
    let routes = IORController.routes(for: gateway, ingressLabels: Self.ingressLabels)
    #expect(routes.map(\.spec.host) == ["b.apps.example.com", "a.apps.example.com"])
    #expect(
      plan == IORController.Plan(
        changes: routes.sorted { $0.metadata.name < $1.metadata.name }.map { .create($0) }, handled: ["grpc/grpc-gateway": "7"]))
  }

  @Test func aRouteDeletedByHandStaysDeletedUntilItsGatewayChanges() throws {
    let same = IORController.plan(
      gateways: [Self.gateway(hosts: ["a.apps.example.com"])], ingressLabels: Self.ingressLabels, existing: [],
      handled: ["grpc/grpc-gateway": "7"])
    #expect(same == IORController.Plan(handled: ["grpc/grpc-gateway": "7"]))
    let changed = IORController.plan(
      gateways: [Self.gateway(hosts: ["a.apps.example.com"], version: "9")], ingressLabels: Self.ingressLabels, existing: [],
      handled: ["grpc/grpc-gateway": "7"])
    #expect(changed.changes == [.create(try Self.route(host: "a.apps.example.com", version: "9"))])
  }

  @Test func aRouteThatDriftedIsUpdatedAndKeepsItsHostForAWildcard() throws {
    var drifted = try Self.route(host: "*")
    drifted.spec.host = "grpc-istio-system.apps.example.com"
    drifted.spec.tls = nil
    let plan = IORController.plan(
      gateways: [Self.gateway(hosts: ["*"])], ingressLabels: Self.ingressLabels, existing: [drifted],
      handled: ["grpc/grpc-gateway": "7"])
    var expected = try Self.route(host: "*")
    expected.spec.host = "grpc-istio-system.apps.example.com"
    #expect(plan.changes == [.update(expected)])
    let inStep = IORController.plan(
      gateways: [Self.gateway(hosts: ["*"])], ingressLabels: Self.ingressLabels, existing: [expected],
      handled: ["grpc/grpc-gateway": "7"])
    #expect(inStep == IORController.Plan(handled: ["grpc/grpc-gateway": "7"]))
  }

  @Test func onlyRoutesIORMadeThatNoGatewayWantsAreDeleted() throws {
    let stale = try Self.route(host: "old.apps.example.com")
    var own = try Self.route(host: "mine.apps.example.com")
    own.metadata.name = "mine"
    own.metadata.labels = nil
    let plan = IORController.plan(gateways: [], ingressLabels: Self.ingressLabels, existing: [own, stale], handled: ["grpc/grpc-gateway": "7"])
    #expect(plan == IORController.Plan(deletions: [stale]))
  }

  @Test func aGatewayForOtherPodsOrOptedOutGetsNoRoute() {
    let other = Self.gateway(hosts: ["a.apps.example.com"], selector: ["istio": "egressgateway"])
    var optedOut = Self.gateway(hosts: ["a.apps.example.com"])
    optedOut.metadata.annotations = ["maistra.io/manageRoute": "false"]
    let plan = IORController.plan(gateways: [other, optedOut], ingressLabels: Self.ingressLabels, existing: [], handled: [:])
    #expect(plan == IORController.Plan())
  }
}
