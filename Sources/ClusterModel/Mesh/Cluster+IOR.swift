import Crypto

extension Cluster {
  /// Istio OpenShift Routing (IOR): one passthrough Route per host of each Gateway that a member
  /// namespace points at the ingress gateway, kept in step with the Gateways (maistra/istio
  /// `pilot/pkg/config/kube/ior`).
  ///
  /// As istiod does, it creates a Route when its Gateway is added or changed, and logs each Route it
  /// creates or deletes, and each it cannot create (a host that is no valid Route host), in istiod's log.
  mutating func syncGatewayRoutes() {
    var desired: [String: Route] = [:]
    var events: Set<String> = []
    var handled: [String: String] = [:]
    if case .serviceMeshControlPlane(let plane) = store[ObjectKey(kind: .serviceMeshControlPlane, namespace: Self.controlPlaneNamespace, name: "basic")],
      plane.spec.gateways?.openshiftRoute?.enabled == true
    {
      for case .gateway(let gateway) in store.list(.gateway) where isMeshMember(gateway.metadata.namespace ?? "") {
        let routes = iorRoutes(for: gateway)
        guard !routes.isEmpty else { continue }
        let gatewayKey = "\(gateway.metadata.namespace ?? "")/\(gateway.metadata.name)"
        handled[gatewayKey] = gateway.metadata.resourceVersion ?? ""
        for route in routes {
          desired[route.metadata.name] = route
          if iorHandled[gatewayKey] != handled[gatewayKey] { events.insert(route.metadata.name) }
        }
      }
    }
    for case .route(let route) in store.list(.route, namespace: Self.controlPlaneNamespace)
    where route.metadata.labels?["maistra.io/generated-by"] == "ior" && desired[route.metadata.name] == nil {
      remove(ObjectKey(kind: .route, namespace: Self.controlPlaneNamespace, name: route.metadata.name))
      logIstiod("info", "ior", "Deleted route \(Self.controlPlaneNamespace)/\(route.metadata.name) (gateway hostname: \(route.metadata.annotation("maistra.io/original-host") ?? route.spec.host ?? ""))")
    }
    iorHandled = handled
    for (name, wanted) in desired.sorted(by: { $0.key < $1.key }) {
      let key = ObjectKey(kind: .route, namespace: Self.controlPlaneNamespace, name: name)
      guard case .route(var existing) = store[key] else {
        guard events.contains(name) else { continue }
        let host = wanted.metadata.annotation("maistra.io/original-host") ?? ""
        let gateway = "\(wanted.metadata.labels?["maistra.io/gateway-namespace"] ?? "")/\(wanted.metadata.labels?["maistra.io/gateway-name"] ?? "")"
        do {
          let created = try insert(.route(wanted))
          if case .route(let route) = created {
            logIstiod("info", "ior", "Created route \(Self.controlPlaneNamespace)/\(name) for hostname \(route.spec.host ?? "") (gateway: \(gateway))")
          }
        } catch {
          logIstiod("error", "ior", "1 error occurred:\n\t* error creating a route for the host \(host) (gateway: \(gateway)): \(Self.apiMessage(error))\n\n")
        }
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

  /// Why `host` cannot be a Route's host, in the API server's words; nil when it can.
  public static func routeHostProblem(_ host: String) -> String? {
    nameProblem(host, for: .route)
  }

  /// An API error as a Go client's `err.Error()` reads it: the kind qualified by its group.
  private static func apiMessage(_ error: ClusterError) -> String {
    guard case .invalid(let kind, let name, let causes) = error else { return error.description }
    let qualified = kind.group.isEmpty ? kind.rawValue : "\(kind.rawValue).\(kind.group)"
    return "\(qualified) \"\(name)\" is invalid: " + (causes.count == 1 ? causes[0] : "[" + causes.joined(separator: ", ") + "]")
  }

  /// Appends a message of one of istiod's scopes (`ior`, `ads`) to the log of each running istiod, in
  /// Istio's log format.
  mutating func logIstiod(_ level: String, _ scope: String, _ message: String) {
    let time = now.rfc3339(fractionDigits: 6)
    for pod in store.pods(in: Self.controlPlaneNamespace) where pod.metadata.labels?["app"] == "istiod" && pod.status?.phase == "Running" {
      for line in "\(time)\t\(level)\t\(scope)\t\(message)".split(separator: "\n", omittingEmptySubsequences: false) {
        telemetry.appendLog(pod: pod, container: "discovery", at: now, String(line))
      }
    }
  }

  /// The Routes IOR makes for `gateway` when its namespace is a member of the mesh: one per host, labelled
  /// for the Gateway, as `syncGatewayRoutes` inserts them.
  public func iorRoutes(for gateway: Gateway) -> [Route] {
    Self.routes(for: gateway, ingressLabels: ingressGatewayLabels)
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
