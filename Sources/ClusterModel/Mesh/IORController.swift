import Crypto

/// Istio OpenShift Routing's decisions (maistra/istio `pilot/pkg/config/kube/ior`): one passthrough Route
/// per host of each Gateway that a mesh member points at the ingress gateway, kept in step with the
/// Gateways. `Cluster.syncGatewayRoutes` carries a `Plan` out and logs it in istiod's log.
enum IORController {
  /// What one sync does, in order: delete the Routes IOR made that no Gateway wants, then create or
  /// update the wanted ones by name.
  struct Plan: Equatable {
    /// The Routes to delete.
    var deletions: [Route] = []
    /// The Routes to create or to update, by name.
    var changes: [Change] = []
    /// The resource version of each Gateway the sync handled, by `namespace/name`.
    var handled: [String: String] = [:]
  }

  /// A change to one wanted Route.
  enum Change: Equatable {
    /// The Route is missing and its Gateway is new or changed since the last sync: IOR creates Routes on a
    /// Gateway's events only, so a Route deleted by hand stays deleted until its Gateway changes.
    case create(Route)
    /// The Route exists with other labels, annotations or spec: it becomes this one.
    case update(Route)
  }

  /// The sync for `gateways` (those of mesh members; none when the control plane turns IOR off), given the
  /// ingress gateway pods' `ingressLabels`, the Routes of the control plane's namespace (`existing`) and
  /// the Gateway versions the last sync `handled`.
  static func plan(
    gateways: [Gateway], ingressLabels: [String: String], existing: [Route], handled lastHandled: [String: String]
  ) -> Plan {
    var plan = Plan()
    var wanted: [String: Route] = [:]
    var changedGateway: Set<String> = []
    for gateway in gateways {
      let routes = routes(for: gateway, ingressLabels: ingressLabels)
      guard !routes.isEmpty else { continue }
      let key = "\(gateway.metadata.namespace ?? "")/\(gateway.metadata.name)"
      plan.handled[key] = gateway.metadata.resourceVersion ?? ""
      for route in routes {
        wanted[route.metadata.name] = route
        if lastHandled[key] != plan.handled[key] { changedGateway.insert(route.metadata.name) }
      }
    }
    plan.deletions = existing.filter { $0.metadata.labels?["maistra.io/generated-by"] == "ior" && wanted[$0.metadata.name] == nil }
    let byName = Dictionary(existing.map { ($0.metadata.name, $0) }, uniquingKeysWith: { first, _ in first })
    for (name, route) in wanted.sorted(by: { $0.key < $1.key }) {
      guard let current = byName[name] else {
        if changedGateway.contains(name) { plan.changes.append(.create(route)) }
        continue
      }
      var target = current
      target.metadata.labels = route.metadata.labels
      target.metadata.annotations = route.metadata.annotations
      target.spec = route.spec
      if (target.spec.host ?? "").isEmpty { target.spec.host = current.spec.host }
      if target != current { plan.changes.append(.update(target)) }
    }
    return plan
  }

  /// The Routes IOR makes for `gateway` when the ingress gateway's pods carry `ingressLabels`: one per
  /// host, named `<namespace>-<name>-<first 8 bytes of sha256(host)>` and labelled for the Gateway; none
  /// when the Gateway opts out (`maistra.io/manageRoute: "false"`) or selects other pods.
  static func routes(for gateway: Gateway, ingressLabels: [String: String]) -> [Route] {
    guard gateway.metadata.annotation("maistra.io/manageRoute") != "false",
      let selector = gateway.spec.selector, !selector.isEmpty,
      selector.allSatisfy({ ingressLabels[$0.key] == $0.value })
    else { return [] }
    let namespace = gateway.metadata.namespace ?? ""
    var routes: [Route] = []
    for server in gateway.spec.servers ?? [] {
      for entry in server.hosts ?? [] {
        let host = entry.split(separator: "/").last.map(String.init) ?? entry
        let hashed = host == "*" ? "star" : host.replacingOccurrences(of: "*", with: "wildcard")
        let digest = SHA256.hash(data: Array(hashed.utf8)).prefix(8).map { String($0, radix: 16).leftPadded(to: 2, with: "0") }.joined()
        var labels = gateway.metadata.labels ?? [:]
        labels["maistra.io/generated-by"] = "ior"
        labels["maistra.io/gateway-namespace"] = namespace
        labels["maistra.io/gateway-name"] = gateway.metadata.name
        labels["maistra.io/gateway-resourceVersion"] = gateway.metadata.resourceVersion ?? ""
        let tls = server.tls.map { tls in
          Route.TLS(termination: "passthrough", insecureEdgeTerminationPolicy: tls.httpsRedirect == true ? "Redirect" : nil)
        }
        routes.append(Route(
          metadata: ObjectMeta(
            name: "\(namespace)-\(gateway.metadata.name)-\(digest)", namespace: Cluster.controlPlaneNamespace, labels: labels,
            annotations: ["maistra.io/original-host": host]),
          spec: .init(
            host: host == "*" ? nil : host, to: .init(name: "istio-ingressgateway"),
            port: .init(targetPort: .string(server.tls == nil ? "http2" : "https")), tls: tls)))
      }
    }
    return routes
  }
}
