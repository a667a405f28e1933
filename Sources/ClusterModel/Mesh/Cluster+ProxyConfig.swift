/// One Envoy cluster a sidecar holds, as `istioctl proxy-config cluster` lists it.
public struct ProxyCluster: Equatable, Sendable {
  /// The Envoy cluster name: `outbound|9000|v1|grpc.grpc.svc.cluster.local`, `inbound|9000||`, `agent` …
  public var name: String
  /// `EDS`, `STATIC`, `ORIGINAL_DST` or `STRICT_DNS`.
  public var type: String
  /// The DestinationRule behind it, as `name.namespace`.
  public var destinationRule: String?
}

/// One endpoint of an Envoy cluster, as `istioctl proxy-config endpoint` lists it.
public struct ProxyEndpoint: Equatable, Sendable {
  /// `ip:port`, or `unix://path` for a pipe.
  public var address: String
  /// EDS health: `HEALTHY` for ready endpoints.
  public var status: String
  /// The Envoy cluster the endpoint belongs to.
  public var cluster: String
  /// Outlier detection ejected the endpoint (`OUTLIER CHECK` says `FAILED`).
  public var ejected = false
}

/// One route of a sidecar's outbound route configuration, as `istioctl proxy-config route` lists it.
public struct ProxyRoute: Equatable, Sendable {
  /// The route configuration: the port (`9000`), or empty for the static ones.
  public var name: String
  /// `host:port`, or `backend` for the static ones.
  public var virtualHost: String
  /// The `:authority` values the virtual host answers.
  public var domains: [String]
  /// The path match: `/*` for a prefix `/`.
  public var match: String
  /// The VirtualService, as `name.namespace`, or `404` for a virtual host without routes.
  public var virtualService: String?
}

extension Cluster {
  /// The clusters the pod's sidecar holds: inbound ones for its ports, outbound ones per Service port and
  /// DestinationRule subset, and Istio's static ones.
  public func proxyClusters(of pod: Pod) -> [ProxyCluster] {
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
    for service in istiod.visibleServices() {
      let host = Istiod.fqdn(service)
      let rule = istiod.destinationRule(for: host, from: namespace)
      let ruleName = rule.map { "\($0.metadata.name).\($0.metadata.namespace ?? "")" }
      for port in service.spec.ports ?? [] {
        clusters.append(.init(name: "outbound|\(port.port)||\(host)", type: "EDS", destinationRule: ruleName))
        for subset in rule?.spec.subsets ?? [] {
          clusters.append(.init(name: "outbound|\(port.port)|\(subset.name ?? "")|\(host)", type: "EDS", destinationRule: ruleName))
        }
      }
    }
    return clusters
  }

  /// The endpoints of the pod's sidecar's EDS clusters: the ready pods of each Service (and subset).
  public func proxyEndpoints(of pod: Pod) -> [ProxyEndpoint] {
    var endpoints: [ProxyEndpoint] = [
      .init(address: "127.0.0.1:15000", status: "HEALTHY", cluster: "prometheus_stats"),
      .init(address: "127.0.0.1:15020", status: "HEALTHY", cluster: "agent"),
      .init(address: "unix://./etc/istio/proxy/XDS", status: "HEALTHY", cluster: "xds-grpc"),
      .init(address: "unix://./var/run/secrets/workload-spiffe-uds/socket", status: "HEALTHY", cluster: "sds-grpc"),
    ]
    let namespace = pod.metadata.namespace ?? ""
    for service in istiod.visibleServices() {
      let host = Istiod.fqdn(service)
      let rule = istiod.destinationRule(for: host, from: namespace)
      let subsets: [(name: String, labels: [String: String])] =
        [("", [:])] + (rule?.spec.subsets ?? []).map { ($0.name ?? "", $0.labels ?? [:]) }
      for port in service.spec.ports ?? [] {
        for subset in subsets {
          let route = OutboundRoute(
            service: PodRef(namespace: service.metadata.namespace ?? "", name: service.metadata.name), host: host, port: port.port, subset: subset.name, clusterName: "", virtualService: nil,
            destinationRule: nil, operation: "", policy: UpstreamPolicy(nil), subsetLabels: subset.labels)
          for endpoint in readyEndpoints(of: route) {
            let name = "outbound|\(port.port)|\(subset.name)|\(host)"
            let address = endpoint.address.description
            endpoints.append(.init(
              address: address, status: "HEALTHY", cluster: name, ejected: isEjected(address, in: name, by: pod)))
          }
        }
      }
    }
    return endpoints
  }

  /// The HTTP routes of the pod's proxy: a sidecar's outbound routes, one virtual host per Service on each
  /// port, or an ingress gateway's, one route configuration per Gateway server; then the static ones.
  public func proxyRoutes(of pod: Pod) -> [ProxyRoute] {
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
    for entry in istiod.gatewayServers(on: pod) {
      let number = entry.server.port?.number ?? 0
      let name = entry.server.tls == nil
        ? "http.\(store.service("istio-ingressgateway", in: pod.metadata.namespace ?? "")?.spec.ports?.first { $0.port == number }?.targetPort.map { "\($0)" } ?? String(number))"
        : "https.\(number).\(entry.server.port?.name ?? "").\(entry.gateway.metadata.name).\(entry.gateway.metadata.namespace ?? "")"
      let bound = istiod.virtualServices(boundTo: entry)
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
    for service in istiod.visibleServices() {
      let host = Istiod.fqdn(service)
      let name = service.metadata.name
      let serviceNamespace = service.metadata.namespace ?? ""
      var domains = [host, "\(name).\(serviceNamespace).svc", "\(name).\(serviceNamespace)"]
      if serviceNamespace == namespace { domains.append(name) }
      if let ip = service.spec.clusterIP, ip != "None" { domains.append(ip) }
      for port in service.spec.ports ?? [] where port.carriesHTTP {
        let virtualService = istiod.virtualServices(for: host).first
        routes.append(.init(
          name: String(port.port), virtualHost: "\(host):\(port.port)", domains: domains, match: "/*",
          virtualService: virtualService.map { "\($0.metadata.name).\($0.metadata.namespace ?? "")" }))
      }
    }
    return routes
  }
}
