extension Cluster {
  /// The image of the `istio-proxy` sidecar.
  static let proxyImage = "registry.redhat.io/openshift-service-mesh/proxyv2-rhel8:\(meshVersion)"
  /// istiod's address for the proxies of the `basic` control plane.
  static let istiodAddress = "istiod-basic.istio-system.svc:15012"

  /// The sidecar injector, a mutating webhook that sees pods only when they are created.
  ///
  /// OpenShift Service Mesh injects only into member namespaces, and only pods that opt in with
  /// `sidecar.istio.io/inject: "true"` as an annotation or label; `istio-injection=enabled` on the
  /// namespace does nothing. As OpenShift Service Mesh always redirects traffic through its CNI plugin,
  /// it adds no init container.
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
    annotations["prometheus.io/path"] = "/stats/prometheus"
    annotations["prometheus.io/port"] = "15020"
    annotations["prometheus.io/scrape"] = "true"
    annotations["sidecar.istio.io/interceptionMode"] = "REDIRECT"
    annotations["traffic.sidecar.istio.io/excludeInboundPorts"] = "15090,15021"
    annotations["traffic.sidecar.istio.io/includeInboundPorts"] = "*"
    annotations["traffic.sidecar.istio.io/includeOutboundIPRanges"] = "*"
    let volumes = Self.sidecarVolumes
    annotations["sidecar.istio.io/status"] =
      #"{"initContainers":null,"containers":["istio-proxy"],"volumes":["#
      + volumes.map { "\"\($0.name)\"" }.joined(separator: ",") + #"],"imagePullSecrets":null,"revision":"basic"}"#
    pod.metadata.annotations = annotations
    pod.spec.containers.append(Self.sidecar(for: pod, logLevel: annotations["sidecar.istio.io/logLevel"] ?? "warning"))
    pod.spec.volumes = volumes + (pod.spec.volumes ?? [])
  }

  /// The `istio-proxy` container the injection template makes for `pod`.
  private static func sidecar(for pod: Pod, logLevel: String) -> Container {
    var proxy = Container(
      name: "istio-proxy", image: proxyImage, ports: [ContainerPort(name: "http-envoy-prom", containerPort: 15090)])
    proxy.args = [
      "proxy", "sidecar", "--domain", "$(POD_NAMESPACE).svc.cluster.local", "--proxyLogLevel=\(logLevel)",
      "--proxyComponentLogLevel=misc:error", "--log_output_level=default:info",
    ]
    let ports = pod.spec.containers.flatMap { $0.ports ?? [] }.map { port in
      (port.name.map { #"{"name":"\#($0)","# } ?? "{") + #""containerPort":\#(port.containerPort),"protocol":"\#(port.protocol ?? "TCP")"}"#
    }
    let (owner, workload) = ownerAndWorkload(of: pod)
    proxy.env = [
      EnvVar("JWT_POLICY", "third-party-jwt"),
      EnvVar("PILOT_CERT_PROVIDER", "istiod"),
      EnvVar("CA_ADDR", istiodAddress),
      EnvVar("POD_NAME", field: "metadata.name"),
      EnvVar("POD_NAMESPACE", field: "metadata.namespace"),
      EnvVar("INSTANCE_IP", field: "status.podIP"),
      EnvVar("SERVICE_ACCOUNT", field: "spec.serviceAccountName"),
      EnvVar("HOST_IP", field: "status.hostIP"),
      EnvVar("ISTIO_CPU_LIMIT", resource: "limits.cpu"),
      EnvVar(
        "PROXY_CONFIG",
        #"{"discoveryAddress":"\#(istiodAddress)","tracing":{"zipkin":{"address":"jaeger-collector.istio-system.svc:9411"}}}"# + "\n"),
      EnvVar("ISTIO_META_POD_PORTS", "[" + ports.enumerated().map { "\n    " + ($0.offset > 0 ? "," : "") + $0.element }.joined() + "\n]"),
      EnvVar("ISTIO_META_APP_CONTAINERS", pod.spec.containers.map(\.name).joined(separator: ",")),
      EnvVar("ISTIO_META_CLUSTER_ID", "Kubernetes"),
      EnvVar("ISTIO_META_NODE_NAME", field: "spec.nodeName"),
      EnvVar("ISTIO_META_INTERCEPTION_MODE", "REDIRECT"),
      EnvVar("ISTIO_META_WORKLOAD_NAME", workload),
      EnvVar("ISTIO_META_OWNER", owner),
      EnvVar("ISTIO_META_MESH_ID", "cluster.local"),
      EnvVar("TRUST_DOMAIN", "cluster.local"),
    ]
    proxy.resources = ResourceRequirements(limits: ["cpu": "2", "memory": "1Gi"], requests: ["cpu": "10m", "memory": "128Mi"])
    proxy.readinessProbe = Probe(
      httpGet: .init(path: "/healthz/ready", port: .int(15021), scheme: "HTTP"), initialDelaySeconds: 1, timeoutSeconds: 3,
      periodSeconds: 2, successThreshold: 1, failureThreshold: 30)
    proxy.securityContext = SecurityContext(
      allowPrivilegeEscalation: false, capabilities: .init(add: nil, drop: ["ALL", "KILL", "MKNOD", "SETGID", "SETUID"]),
      privileged: false, readOnlyRootFilesystem: true, runAsGroup: nil, runAsNonRoot: true, runAsUser: nil)
    proxy.volumeMounts = [
      ("workload-socket", "/var/run/secrets/workload-spiffe-uds"), ("credential-socket", "/var/run/secrets/credential-uds"),
      ("workload-certs", "/var/run/secrets/workload-spiffe-credentials"), ("istiod-ca-cert", "/var/run/secrets/istio"),
      ("istio-data", "/var/lib/istio/data"), ("istio-envoy", "/etc/istio/proxy"), ("istio-token", "/var/run/secrets/tokens"),
      ("istio-podinfo", "/etc/istio/pod"),
    ].map { VolumeMount(name: $0.0, mountPath: $0.1) }
    return proxy
  }

  /// The workload a pod belongs to, as the injector names it: the owner's URL and the workload's name
  /// (a ReplicaSet's pods belong to its Deployment).
  private static func ownerAndWorkload(of pod: Pod) -> (owner: String, name: String) {
    let namespace = pod.metadata.namespace ?? ""
    guard let owner = pod.metadata.ownerReferences?.first(where: { $0.controller == true }) else {
      return ("kubernetes://apis/v1/namespaces/\(namespace)/pods/\(pod.metadata.name)", pod.metadata.name)
    }
    if owner.kind == "ReplicaSet", let hash = pod.metadata.labels?["pod-template-hash"], owner.name.hasSuffix("-" + hash) {
      let deployment = String(owner.name.dropLast(hash.count + 1))
      return ("kubernetes://apis/apps/v1/namespaces/\(namespace)/deployments/\(deployment)", deployment)
    }
    return ("kubernetes://apis/\(owner.apiVersion)/namespaces/\(namespace)/\(owner.kind.lowercased())s/\(owner.name)", owner.name)
  }

  /// The volumes the injector adds in front of the pod's own.
  private static let sidecarVolumes: [Volume] = {
    func emptyDir(_ name: String, medium: String? = nil) -> Volume {
      Volume(name: name, emptyDir: EmptyDirVolumeSource(medium: medium))
    }
    let podInfo = DownwardAPIVolumeSource(
      defaultMode: 420,
      items: [
        .init(fieldRef: FieldSelector(fieldPath: "metadata.labels"), path: "labels"),
        .init(fieldRef: FieldSelector(fieldPath: "metadata.annotations"), path: "annotations"),
      ])
    let token = ProjectedVolumeSource(
      defaultMode: 420,
      sources: [.init(serviceAccountToken: .init(audience: "istio-ca", expirationSeconds: 43200, path: "istio-token"))])
    var caCertificate = ConfigMapVolumeSource(name: "istio-ca-root-cert")
    caCertificate.defaultMode = 420
    return [
      emptyDir("workload-socket"), emptyDir("credential-socket"), emptyDir("workload-certs"), emptyDir("istio-envoy", medium: "Memory"),
      emptyDir("istio-data"), Volume(name: "istio-podinfo", downwardAPI: podInfo), Volume(name: "istio-token", projected: token),
      Volume(name: "istiod-ca-cert", configMap: caCertificate),
    ]
  }()
}

extension Pod {
  /// Whether the pod runs an injected Envoy sidecar.
  public var hasSidecar: Bool { spec.containers.contains { $0.name == "istio-proxy" } }

  /// The sidecar's log level from `sidecar.istio.io/logLevel`, `warning` by default.
  public var proxyLogLevel: String { metadata.annotation("sidecar.istio.io/logLevel") ?? "warning" }
}
