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
  /// DestinationRule subset, and Istio's static ones (`Istiod.proxyClusters`).
  public func proxyClusters(of pod: Pod) -> [ProxyCluster] {
    istiod.proxyClusters(of: pod)
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

  /// The HTTP routes of the pod's proxy (`Istiod.proxyRoutes`).
  public func proxyRoutes(of pod: Pod) -> [ProxyRoute] {
    istiod.proxyRoutes(of: pod)
  }
}
