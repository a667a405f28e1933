/// What `istioctl proxy-config` shows of a proxy's configuration that istiod alone decides: its clusters
/// and its HTTP routes.
extension Istiod {
  /// The clusters the pod's sidecar holds: inbound ones for its ports, outbound ones per Service port and
  /// DestinationRule subset, and Istio's static ones.
  func proxyClusters(of pod: Pod) -> [ProxyCluster] {
    var clusters: [ProxyCluster] = [
      .init(name: "BlackHoleCluster", type: "STATIC"), .init(name: "InboundPassthroughClusterIpv4", type: "ORIGINAL_DST"),
      .init(name: "PassthroughCluster", type: "ORIGINAL_DST"), .init(name: "agent", type: "STATIC"),
      .init(name: "prometheus_stats", type: "STATIC"), .init(name: "sds-grpc", type: "STATIC"),
      .init(name: "xds-grpc", type: "STATIC"), .init(name: "zipkin", type: "STRICT_DNS"),
    ]
    for container in pod.spec.containers where container.name != "istio-proxy" {
      for port in container.ports ?? [] {
        clusters.append(.init(name: "inbound|\(port.containerPort)||", type: "ORIGINAL_DST"))
      }
    }
    let namespace = pod.metadata.namespace ?? ""
    for service in visibleServices() {
      let host = Self.fqdn(service)
      let rule = destinationRule(for: host, from: namespace)
      let ruleName = rule.map { "\($0.metadata.name).\($0.metadata.namespace ?? "")" }
      // PASSTHROUGH makes an ORIGINAL_DST cluster, which dials the address the app dialled; the policy is the
      // one routing gives the port and the subset.
      func type(_ subset: DestinationRule.Subset?, _ port: Int) -> String {
        Self.clusterPolicy(rule, subset: subset, port: port)?.loadBalancer?.simple == "PASSTHROUGH" ? "ORIGINAL_DST" : "EDS"
      }
      for port in service.spec.ports ?? [] {
        clusters.append(.init(name: "outbound|\(port.port)||\(host)", type: type(nil, port.port), destinationRule: ruleName))
        for subset in rule?.spec.subsets ?? [] {
          clusters.append(.init(
            name: "outbound|\(port.port)|\(subset.name ?? "")|\(host)", type: type(subset, port.port), destinationRule: ruleName))
        }
      }
    }
    return clusters
  }

  /// The HTTP routes of the pod's proxy: a sidecar's outbound routes, one virtual host per Service on each
  /// port, or an ingress gateway's, one route configuration per Gateway server; then the static ones.
  func proxyRoutes(of pod: Pod) -> [ProxyRoute] {
    let routes = pod.metadata.labels?["istio"] == "ingressgateway" ? gatewayRoutes(of: pod) : sidecarRoutes(of: pod)
    return routes + [
      .init(name: "", virtualHost: "backend", domains: ["*"], match: "/stats/prometheus*", virtualService: nil),
      .init(name: "", virtualHost: "backend", domains: ["*"], match: "/healthz/ready*", virtualService: nil),
    ]
  }

  /// A gateway's routes: `https.443.HTTPS.gateway.namespace` for a TLS server (`http.8080` for plain HTTP),
  /// with a virtual host per host of the VirtualServices bound to it, or the `blackhole` one that answers 404.
  private func gatewayRoutes(of pod: Pod) -> [ProxyRoute] {
    var routes: [ProxyRoute] = []
    for entry in gatewayServers(on: pod) {
      let number = entry.server.port?.number ?? 0
      let name = entry.server.tls == nil
        ? "http.\(store.service("istio-ingressgateway", in: pod.metadata.namespace ?? "")?.spec.ports?.first { $0.port == number }?.targetPort.map { "\($0)" } ?? String(number))"
        : "https.\(number).\(entry.server.port?.name ?? "").\(entry.gateway.metadata.name).\(entry.gateway.metadata.namespace ?? "")"
      let bound = virtualServices(boundTo: entry)
      guard !bound.isEmpty else {
        routes.append(.init(name: name, virtualHost: "blackhole:\(number)", domains: ["*"], match: "/*", virtualService: "404"))
        continue
      }
      for service in bound {
        let namespace = service.metadata.namespace ?? ""
        let matches = (service.spec.http ?? []).flatMap { route in
          (route.match ?? []).isEmpty ? ["/*"] : (route.match ?? []).map { $0.uri?.display ?? "/*" }
        }
        for host in service.spec.hosts ?? [] {
          for match in matches {
            routes.append(.init(
              name: name, virtualHost: "\(host):\(number)", domains: [host, "\(host):\(number)"], match: match,
              virtualService: "\(service.metadata.name).\(namespace)"))
          }
        }
      }
    }
    return routes
  }

  /// A sidecar's outbound routes: one virtual host per Service on each HTTP port.
  private func sidecarRoutes(of pod: Pod) -> [ProxyRoute] {
    let namespace = pod.metadata.namespace ?? ""
    var routes: [ProxyRoute] = []
    for service in visibleServices() {
      let host = Self.fqdn(service)
      let name = service.metadata.name
      let serviceNamespace = service.metadata.namespace ?? ""
      // In Istio's order (`generateAltVirtualHostsForKubernetesService`): from the Service's own namespace
      // the short name, `.svc`, then the namespace form; from another, the namespace form, then `.svc`.
      let qualified = "\(name).\(serviceNamespace)"
      var domains = [host] + (serviceNamespace == namespace ? [name, qualified + ".svc", qualified] : [qualified, qualified + ".svc"])
      if let ip = service.spec.clusterIP, ip != "None" { domains.append(ip) }
      for port in service.spec.ports ?? [] where port.carriesHTTP {
        let virtualService = virtualServices(for: host).first
        routes.append(.init(
          name: String(port.port), virtualHost: "\(host):\(port.port)", domains: domains, match: "/*",
          virtualService: virtualService.map { "\($0.metadata.name).\($0.metadata.namespace ?? "")" }))
      }
    }
    return routes
  }
}
