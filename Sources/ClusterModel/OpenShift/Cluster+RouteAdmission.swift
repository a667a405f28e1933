extension Cluster {
  /// A Route's admission: a host made from its name and namespace when it has none, a valid one, and the
  /// default router's admission in its status.
  mutating func admit(_ route: inout Route) throws(ClusterError) {
    if (route.spec.host ?? "").isEmpty {
      route.spec.host = "\(route.metadata.name)-\(route.metadata.namespace ?? "").\(appsDomain)"
    }
    if let host = route.spec.host, let problem = Self.nameProblem(host, for: .route) {
      throw .invalid(.route, name: route.metadata.name, causes: ["spec.host: Invalid value: \"\(host)\": \(problem)"])
    }
    route.status = Route.Status(ingress: [
      .init(
        host: route.spec.host, routerName: "default", routerCanonicalHostname: "router-default.\(appsDomain)",
        wildcardPolicy: route.spec.wildcardPolicy ?? "None",
        conditions: [.init(type: "Admitted", status: "True", lastTransitionTime: Timestamp(now))])
    ])
  }
}
