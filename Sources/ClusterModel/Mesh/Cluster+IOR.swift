import Crypto

extension Cluster {
  /// Istio OpenShift Routing (IOR): one passthrough Route per host of each Gateway that a member
  /// namespace points at the ingress gateway, kept in step with the Gateways (maistra/istio
  /// `pilot/pkg/config/kube/ior`).
  mutating func syncGatewayRoutes() {
    var desired: [String: Route] = [:]
    if case .serviceMeshControlPlane(let plane) = store[ObjectKey(kind: .serviceMeshControlPlane, namespace: Self.controlPlaneNamespace, name: "basic")],
      plane.spec.gateways?.openshiftRoute?.enabled == true
    {
      for case .gateway(let gateway) in store.list(.gateway) {
        for route in Self.routes(for: gateway, ingressLabels: ingressGatewayLabels) where isMeshMember(gateway.metadata.namespace ?? "") {
          desired[route.metadata.name] = route
        }
      }
    }
    for case .route(let route) in store.list(.route, namespace: Self.controlPlaneNamespace)
    where route.metadata.labels?["maistra.io/generated-by"] == "ior" && desired[route.metadata.name] == nil {
      remove(ObjectKey(kind: .route, namespace: Self.controlPlaneNamespace, name: route.metadata.name))
    }
    for (name, wanted) in desired.sorted(by: { $0.key < $1.key }) {
      let key = ObjectKey(kind: .route, namespace: Self.controlPlaneNamespace, name: name)
      guard case .route(var existing) = store[key] else {
        _ = try? insert(.route(wanted))
        continue
      }
      var target = existing
      target.metadata.labels = wanted.metadata.labels
      target.metadata.annotations = wanted.metadata.annotations
      target.spec = wanted.spec
      if (target.spec.host ?? "").isEmpty { target.spec.host = existing.spec.host }
      if target != existing {
        existing = target
        write(.route(existing))
      }
    }
  }

  /// The labels of the ingress gateway's pods, which a Gateway's selector must match for IOR to serve it.
  private var ingressGatewayLabels: [String: String] {
    guard case .deployment(let deployment) = store[ObjectKey(kind: .deployment, namespace: Self.controlPlaneNamespace, name: "istio-ingressgateway")]
    else { return [:] }
    return deployment.spec.template.metadata?.labels ?? [:]
  }

  /// The Routes IOR makes for `gateway`: named `<namespace>-<name>-<first 8 bytes of sha256(host)>`.
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
        let digest = SHA256.hash(data: Array(hashed.utf8)).prefix(8).map { String($0, radix: 16).leftPadded(to: 2) }.joined()
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
            name: "\(namespace)-\(gateway.metadata.name)-\(digest)", namespace: controlPlaneNamespace, labels: labels,
            annotations: ["maistra.io/original-host": host]),
          spec: .init(
            host: host == "*" ? nil : host, to: .init(name: "istio-ingressgateway"),
            port: .init(targetPort: .string(server.tls == nil ? "http2" : "https")), tls: tls)))
      }
    }
    return routes
  }
}
