extension Cluster {
  /// Istio OpenShift Routing keeps the Routes of member Gateways in step (`IORController`): it deletes
  /// those no Gateway wants, creates and updates the wanted ones, and logs in istiod's log each Route it
  /// creates or deletes, and each it cannot create (a host that is no valid Route host).
  mutating func syncGatewayRoutes() {
    var enabled = false
    if case .serviceMeshControlPlane(let plane) = store[ObjectKey(kind: .serviceMeshControlPlane, namespace: Self.controlPlaneNamespace, name: "basic")] {
      enabled = plane.spec.gateways?.openshiftRoute?.enabled == true
    }
    let gateways = !enabled ? [] : store.list(.gateway).compactMap { object -> Gateway? in
      guard case .gateway(let gateway) = object, isMeshMember(gateway.metadata.namespace ?? "") else { return nil }
      return gateway
    }
    let existing = store.list(.route, namespace: Self.controlPlaneNamespace).compactMap { object -> Route? in
      if case .route(let route) = object { route } else { nil }
    }
    let plan = IORController.plan(
      gateways: gateways, ingressLabels: gateways.isEmpty ? [:] : ingressGatewayLabels, existing: existing, handled: iorHandled)
    for route in plan.deletions {
      remove(ObjectKey(kind: .route, namespace: Self.controlPlaneNamespace, name: route.metadata.name))
      logIstiod("info", "ior", "Deleted route \(Self.controlPlaneNamespace)/\(route.metadata.name) (gateway hostname: \(route.metadata.annotation("maistra.io/original-host") ?? route.spec.host ?? ""))")
    }
    iorHandled = plan.handled
    for change in plan.changes {
      switch change {
      case .update(let route): write(.route(route))
      case .create(let wanted):
        let host = wanted.metadata.annotation("maistra.io/original-host") ?? ""
        let gateway = "\(wanted.metadata.labels?["maistra.io/gateway-namespace"] ?? "")/\(wanted.metadata.labels?["maistra.io/gateway-name"] ?? "")"
        do {
          let created = try insert(.route(wanted))
          if case .route(let route) = created {
            logIstiod("info", "ior", "Created route \(Self.controlPlaneNamespace)/\(wanted.metadata.name) for hostname \(route.spec.host ?? "") (gateway: \(gateway))")
          }
        } catch {
          logIstiod("error", "ior", "1 error occurred:\n\t* error creating a route for the host \(host) (gateway: \(gateway)): \(Self.apiMessage(error))\n\n")
        }
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
    return "\(kind.qualifiedKind) \"\(name)\" is invalid: " + (causes.count == 1 ? causes[0] : "[" + causes.joined(separator: ", ") + "]")
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
    IORController.routes(for: gateway, ingressLabels: ingressGatewayLabels)
  }

  /// The labels of the ingress gateway's pods, which a Gateway's selector must match for IOR to serve it.
  private var ingressGatewayLabels: [String: String] {
    guard case .deployment(let deployment) = store[ObjectKey(kind: .deployment, namespace: Self.controlPlaneNamespace, name: "istio-ingressgateway")]
    else { return [:] }
    return deployment.spec.template.metadata?.labels ?? [:]
  }
}
