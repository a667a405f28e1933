extension Cluster {
  /// The image of the `istio-proxy` sidecar.
  static let proxyImage = "registry.redhat.io/openshift-service-mesh/proxyv2-rhel8:\(meshVersion)"

  /// The sidecar injector, a mutating webhook that sees pods only when they are created.
  ///
  /// OpenShift Service Mesh injects only into member namespaces, and only pods that opt in with
  /// `sidecar.istio.io/inject: "true"` as an annotation or label; `istio-injection=enabled` on the
  /// namespace does nothing.
  mutating func injectSidecar(into pod: inout Pod) {
    let namespace = pod.metadata.namespace ?? ""
    let optIn = pod.metadata.annotation("sidecar.istio.io/inject") ?? pod.metadata.labels?["sidecar.istio.io/inject"]
    guard isMeshMember(namespace), optIn?.lowercased() == "true",
      !pod.spec.containers.contains(where: { $0.name == "istio-proxy" })
    else { return }
    let app = pod.spec.containers.first?.name ?? ""
    let workload = pod.metadata.labels?["app"] ?? pod.metadata.generateName.map { String($0.dropLast()) } ?? pod.metadata.name
    var labels = pod.metadata.labels ?? [:]
    labels["security.istio.io/tlsMode"] = "istio"
    labels["service.istio.io/canonical-name"] = labels["app.kubernetes.io/name"] ?? labels["app"] ?? workload
    labels["service.istio.io/canonical-revision"] = labels["app.kubernetes.io/version"] ?? labels["version"] ?? "latest"
    labels["maistra-version"] = Self.meshVersion
    pod.metadata.labels = labels
    var annotations = pod.metadata.annotations ?? [:]
    annotations["istio.io/rev"] = "basic"
    annotations["k8s.v1.cni.cncf.io/networks"] = "v2-5-istio-cni"
    annotations["kubectl.kubernetes.io/default-container"] = annotations["kubectl.kubernetes.io/default-container"] ?? app
    annotations["kubectl.kubernetes.io/default-logs-container"] = annotations["kubectl.kubernetes.io/default-logs-container"] ?? app
    annotations["sidecar.istio.io/interceptionMode"] = "REDIRECT"
    annotations["traffic.sidecar.istio.io/excludeInboundPorts"] = "15090,15021"
    annotations["sidecar.istio.io/status"] =
      #"{"initContainers":null,"containers":["istio-proxy"],"volumes":["workload-socket","credential-socket","workload-certs","istio-envoy","istio-data","istio-podinfo","istio-token","istiod-ca-cert"],"imagePullSecrets":null,"revision":"basic"}"#
    pod.metadata.annotations = annotations
    var proxy = Container(
      name: "istio-proxy", image: Self.proxyImage,
      ports: [ContainerPort(name: "http-envoy-prom", containerPort: 15090)])
    proxy.args = [
      "proxy", "sidecar", "--domain", "$(POD_NAMESPACE).svc.cluster.local",
      "--proxyLogLevel=\(annotations["sidecar.istio.io/logLevel"] ?? "warning")",
      "--proxyComponentLogLevel=misc:error", "--log_output_level=default:info",
    ]
    pod.spec.containers.append(proxy)
  }
}

extension Pod {
  /// Whether the pod runs an injected Envoy sidecar.
  public var hasSidecar: Bool { spec.containers.contains { $0.name == "istio-proxy" } }

  /// The sidecar's log level from `sidecar.istio.io/logLevel`, `warning` by default.
  public var proxyLogLevel: String { metadata.annotation("sidecar.istio.io/logLevel") ?? "warning" }
}
