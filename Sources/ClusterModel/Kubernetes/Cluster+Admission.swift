import Foundation

extension Cluster {
  /// The most bytes of annotations, keys and values together, an object may carry.
  static let annotationLimit = 256 * 1024
  /// The most bytes of data a ConfigMap or Secret may hold (`MaxSecretSize`).
  static let configDataLimit = 1024 * 1024
  /// The largest object etcd stores (its `--max-request-bytes`).
  static let storageLimit = 1024 * 1024 * 3 / 2

  /// Refuses an object larger than etcd stores, as etcd does once validation has passed.
  static func checkStorageSize(_ object: APIObject) throws(ClusterError) {
    guard let size = try? JSONEncoder().encode(object.encodable).count, size > storageLimit else { return }
    throw .requestTooLargeForStorage
  }

  /// Runs the API server's checks on a write: namespace, name, per-kind validation and defaults.
  mutating func admit(_ object: inout APIObject, existing: APIObject?) throws(ClusterError) {
    let kind = object.kind
    if kind.isNamespaced {
      let namespace = object.metadata.namespace ?? ""
      if namespace.isEmpty { throw .badRequest("an empty namespace may not be set during creation") }
      guard let home = store.namespace(namespace) else { throw .notFound(.namespace, name: namespace) }
      if existing == nil, home.metadata.deletionTimestamp != nil {
        throw .forbidden(
          kind, name: object.metadata.name,
          message: "unable to create new content in namespace \(namespace) because it is being terminated")
      }
    } else {
      object.metadata.namespace = nil
    }
    let name = object.metadata.name
    if name.isEmpty {
      throw .invalid(kind, name: name, causes: ["metadata.name: Required value: name or generateName is required"])
    }
    if let problem = Self.nameProblem(name, for: kind) {
      throw .invalid(kind, name: name, causes: ["metadata.name: Invalid value: \"\(name)\": \(problem)"])
    }
    let annotationBytes = (object.metadata.annotations ?? [:]).reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count }
    if annotationBytes > Self.annotationLimit {
      throw .invalid(kind, name: name, causes: ["metadata.annotations: Too long: must have at most \(Self.annotationLimit) bytes"])
    }
    if existing == nil && kind.isCustomResource { object.metadata.generation = 1 }
    switch object {
    case .namespace(var namespace):
      namespace.metadata.labels = (namespace.metadata.labels ?? [:]).merging(["kubernetes.io/metadata.name": name]) { a, _ in a }
      namespace.spec = namespace.spec ?? Namespace.Spec(finalizers: ["kubernetes"])
      namespace.status = Namespace.Status(phase: "Active")
      object = .namespace(namespace)
    case .configMap(let configMap):
      if (configMap.data ?? [:]).reduce(0, { $0 + $1.value.utf8.count }) > Self.configDataLimit {
        throw .invalid(kind, name: name, causes: ["[]: Too long: must have at most \(Self.configDataLimit) bytes"])
      }
    case .endpoints, .event, .ingressConfig:
      break
    case .route(var route):
      if (route.spec.host ?? "").isEmpty {
        route.spec.host = "\(name)-\(route.metadata.namespace ?? "").\(appsDomain)"
      }
      if let host = route.spec.host, let problem = Self.nameProblem(host, for: .route) {
        throw .invalid(kind, name: name, causes: ["spec.host: Invalid value: \"\(host)\": \(problem)"])
      }
      route.status = Route.Status(ingress: [
        .init(
          host: route.spec.host, routerName: "default", routerCanonicalHostname: "router-default.\(appsDomain)",
          wildcardPolicy: route.spec.wildcardPolicy ?? "None",
          conditions: [.init(type: "Admitted", status: "True", lastTransitionTime: Timestamp(now))])
      ])
      object = .route(route)
    case .serviceMeshControlPlane, .serviceMeshMemberRoll, .virtualService, .destinationRule, .gateway, .peerAuthentication:
      try admitMesh(&object)
    case .secret(var secret):
      secret.type = secret.type ?? "Opaque"
      for (key, value) in secret.stringData ?? [:] {
        secret.data = secret.data ?? [:]
        secret.data?[key] = Data(value.utf8).base64EncodedString()
      }
      secret.stringData = nil
      var bytes = 0
      for (key, value) in secret.data ?? [:] {
        guard let decoded = Data(base64Encoded: value) else {
          throw .badRequest(
            "Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data at input byte 0 (data.\(key))")
        }
        bytes += decoded.count
      }
      if bytes > Self.configDataLimit {
        throw .invalid(kind, name: name, causes: ["data: Too long: must have at most \(Self.configDataLimit) bytes"])
      }
      object = .secret(secret)
    case .pod(var pod):
      let causes = Self.validate(pod.spec, path: "spec")
      if !causes.isEmpty { throw .invalid(kind, name: name, causes: causes) }
      if existing == nil {
        mountServiceAccountToken(into: &pod)
        injectSidecar(into: &pod)
        mountServiceAccountToken(into: &pod)
        Self.applyPodDefaults(&pod.spec)
      }
      Self.applyDefaults(&pod.spec)
      object = .pod(pod)
    case .deployment(var deployment):
      var causes: [String] = []
      if let replicas = deployment.spec.replicas, replicas < 0 {
        causes.append("spec.replicas: Invalid value: \(replicas): must be greater than or equal to 0")
      }
      if deployment.spec.selector.isEmpty {
        causes.append("spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment")
      } else if !deployment.spec.selector.matches(deployment.spec.template.metadata?.labels ?? [:]) {
        let labels = Self.goMap(deployment.spec.template.metadata?.labels ?? [:])
        causes.append("spec.template.metadata.labels: Invalid value: \(labels): `selector` does not match template `labels`")
      }
      causes += Self.validate(deployment.spec.template.spec, path: "spec.template.spec")
      if !causes.isEmpty { throw .invalid(kind, name: name, causes: causes) }
      deployment.spec.replicas = deployment.spec.replicas ?? 1
      deployment.spec.revisionHistoryLimit = deployment.spec.revisionHistoryLimit ?? 10
      deployment.spec.progressDeadlineSeconds = deployment.spec.progressDeadlineSeconds ?? 600
      deployment.spec.strategy = deployment.spec.strategy
        ?? Deployment.Strategy(
          type: "RollingUpdate", rollingUpdate: .init(maxUnavailable: .string("25%"), maxSurge: .string("25%")))
      Self.applyDefaults(&deployment.spec.template.spec)
      if existing == nil { deployment.metadata.generation = 1 }
      object = .deployment(deployment)
    case .replicaSet(var replicaSet):
      if !replicaSet.spec.selector.matches(replicaSet.spec.template.metadata?.labels ?? [:]) {
        let labels = Self.goMap(replicaSet.spec.template.metadata?.labels ?? [:])
        throw .invalid(kind, name: name, causes: [
          "spec.template.metadata.labels: Invalid value: \(labels): `selector` does not match template `labels`"
        ])
      }
      Self.applyDefaults(&replicaSet.spec.template.spec)
      if existing == nil { replicaSet.metadata.generation = 1 }
      object = .replicaSet(replicaSet)
    case .service(var service):
      var causes: [String] = []
      let ports = service.spec.ports ?? []
      if ports.isEmpty && !service.isHeadless { causes.append("spec.ports: Required value") }
      for (index, port) in ports.enumerated() where !(1...65535).contains(port.port) {
        causes.append("spec.ports[\(index)].port: Invalid value: \(port.port): must be between 1 and 65535, inclusive")
      }
      if ports.count > 1 {
        for (index, port) in ports.enumerated() where (port.name ?? "").isEmpty {
          causes.append("spec.ports[\(index)].name: Required value")
        }
      }
      if !causes.isEmpty { throw .invalid(kind, name: name, causes: causes) }
      service.spec.type = service.spec.type ?? "ClusterIP"
      service.spec.sessionAffinity = service.spec.sessionAffinity ?? "None"
      service.spec.ipFamilies = ["IPv4"]
      service.spec.ipFamilyPolicy = "SingleStack"
      service.spec.internalTrafficPolicy = service.spec.internalTrafficPolicy ?? "Cluster"
      service.spec.ports = ports.map { port in
        var port = port
        port.protocol = port.protocol ?? "TCP"
        port.targetPort = port.targetPort ?? .int(port.port)
        return port
      }
      if case .service(let old) = existing {
        service.spec.clusterIP = old.spec.clusterIP
      } else if service.spec.clusterIP == nil || service.spec.clusterIP == "" {
        service.spec.clusterIP = allocateClusterIP()
      }
      service.spec.clusterIPs = service.spec.clusterIP.map { [$0] }
      service.status = Service.Status(loadBalancer: .init())
      object = .service(service)
    }
  }

  /// Field errors in a pod spec, in the API server's wording.
  static func validate(_ spec: PodSpec, path: String) -> [String] {
    var causes: [String] = []
    if spec.containers.isEmpty { causes.append("\(path).containers: Required value") }
    if let grace = spec.terminationGracePeriodSeconds, grace < 0 {
      causes.append("\(path).terminationGracePeriodSeconds: Invalid value: \(grace): must be greater than or equal to 0")
    }
    let volumes = Set((spec.volumes ?? []).map(\.name))
    for (index, container) in spec.containers.enumerated() {
      let here = "\(path).containers[\(index)]"
      if container.name.isEmpty { causes.append("\(here).name: Required value") }
      if (container.image ?? "").isEmpty { causes.append("\(here).image: Required value") }
      for (m, mount) in (container.volumeMounts ?? []).enumerated() where !volumes.contains(mount.name) {
        causes.append("\(here).volumeMounts[\(m)].name: Not found: \"\(mount.name)\"")
      }
      for (p, port) in (container.ports ?? []).enumerated() where !(1...65535).contains(port.containerPort) {
        causes.append("\(here).ports[\(p)].containerPort: Invalid value: \(port.containerPort): must be between 1 and 65535, inclusive")
      }
    }
    return causes
  }

  /// The defaults the API server fills into a pod spec, a pod's or a template's.
  static func applyDefaults(_ spec: inout PodSpec) {
    spec.restartPolicy = spec.restartPolicy ?? "Always"
    spec.terminationGracePeriodSeconds = spec.terminationGracePeriodSeconds ?? 30
    spec.dnsPolicy = spec.dnsPolicy ?? "ClusterFirst"
    spec.securityContext = spec.securityContext ?? PodSecurityContext()
    spec.schedulerName = spec.schedulerName ?? "default-scheduler"
    spec.containers = spec.containers.map { container in
      var container = container
      let image = container.image ?? ""
      let pinned = image.contains("@") || (ContainerImage.repository(of: image) != image && !image.hasSuffix(":latest"))
      container.imagePullPolicy = container.imagePullPolicy ?? (pinned ? "IfNotPresent" : "Always")
      container.resources = container.resources ?? ResourceRequirements()
      container.terminationMessagePath = container.terminationMessagePath ?? "/dev/termination-log"
      container.terminationMessagePolicy = container.terminationMessagePolicy ?? "File"
      container.ports = container.ports?.map { port in
        var port = port
        port.protocol = port.protocol ?? "TCP"
        return port
      }
      if var probe = container.readinessProbe {
        probe.timeoutSeconds = probe.timeoutSeconds ?? 1
        probe.periodSeconds = probe.periodSeconds ?? 10
        probe.successThreshold = probe.successThreshold ?? 1
        probe.failureThreshold = probe.failureThreshold ?? 3
        if probe.httpGet?.scheme == nil { probe.httpGet?.scheme = "HTTP" }
        container.readinessProbe = probe
      }
      return container
    }
    spec.volumes = spec.volumes?.map { volume in
      var volume = volume
      if volume.configMap?.defaultMode == nil { volume.configMap?.defaultMode = 420 }
      if volume.secret?.defaultMode == nil { volume.secret?.defaultMode = 420 }
      if volume.downwardAPI?.defaultMode == nil { volume.downwardAPI?.defaultMode = 420 }
      if volume.projected?.defaultMode == nil { volume.projected?.defaultMode = 420 }
      return volume
    }
  }

  /// The defaults a pod gets that its template does not: service links, its priority, requests copied from
  /// limits, and the tolerations the admission plugins add (`DefaultTolerationSeconds`, and
  /// `PodTolerationRestriction` for a pod that requests resources).
  static func applyPodDefaults(_ spec: inout PodSpec) {
    spec.enableServiceLinks = spec.enableServiceLinks ?? true
    spec.priority = spec.priority ?? 0
    spec.preemptionPolicy = spec.preemptionPolicy ?? "PreemptLowerPriority"
    for index in spec.containers.indices {
      guard let resources = spec.containers[index].resources, let limits = resources.limits else { continue }
      spec.containers[index].resources?.requests = limits.merging(resources.requests ?? [:]) { $1 }
    }
    var tolerations = spec.tolerations ?? []
    func tolerate(_ key: String, _ effect: String, for seconds: Int?) {
      guard !tolerations.contains(where: { $0.key == key && ($0.effect == nil || $0.effect == effect) }) else { return }
      tolerations.append(Toleration(key: key, operator: "Exists", value: nil, effect: effect, tolerationSeconds: seconds))
    }
    tolerate("node.kubernetes.io/not-ready", "NoExecute", for: 300)
    tolerate("node.kubernetes.io/unreachable", "NoExecute", for: 300)
    if qosClass(of: spec) != "BestEffort" { tolerate("node.kubernetes.io/memory-pressure", "NoSchedule", for: nil) }
    spec.tolerations = tolerations
  }

  /// The pod's quality of service: `BestEffort` when no container asks for CPU or memory, `Guaranteed`
  /// when every container's limits are set and equal its requests (quantities compared as written),
  /// `Burstable` otherwise.
  static func qosClass(of spec: PodSpec) -> String {
    let containers = (spec.initContainers ?? []) + spec.containers
    let compute = ["cpu", "memory"]
    func amounts(_ values: [String: String]?) -> [String: String] {
      (values ?? [:]).filter { compute.contains($0.key) && !["0", "0m"].contains($0.value) }
    }
    let requests = containers.map { amounts($0.resources?.requests) }
    let limits = containers.map { amounts($0.resources?.limits) }
    if requests.allSatisfy(\.isEmpty) && limits.allSatisfy(\.isEmpty) { return "BestEffort" }
    let guaranteed = zip(requests, limits).allSatisfy { request, limit in
      limit.count == compute.count && compute.allSatisfy { (request[$0] ?? limit[$0]) == limit[$0] }
    }
    return guaranteed ? "Guaranteed" : "Burstable"
  }

  /// The ServiceAccount admission plugin: the pod runs as `default` unless it names an account, and every
  /// container mounts the account's token, the cluster's CA bundles and the namespace from one projected
  /// volume. The webhooks' changes make the API server run it again, so an injected sidecar mounts it too.
  mutating func mountServiceAccountToken(into pod: inout Pod) {
    let account = pod.spec.serviceAccountName ?? pod.spec.serviceAccount ?? "default"
    pod.spec.serviceAccountName = account
    pod.spec.serviceAccount = account
    let path = "/var/run/secrets/kubernetes.io/serviceaccount"
    let name: String
    if let volume = pod.spec.volumes?.first(where: { $0.name.hasPrefix("kube-api-access-") && $0.projected != nil }) {
      name = volume.name
    } else {
      var generator = SplitMix64(seed: UInt64(lastResourceVersion) &* 0x9E37_79B9_7F4A_7C15 ^ Self.fnv1a(pod.metadata.name))
      name = "kube-api-access-" + Self.randomSuffix(using: &generator)
      pod.spec.volumes = (pod.spec.volumes ?? []) + [Self.serviceAccountVolume(named: name)]
    }
    var mount = VolumeMount(name: name, mountPath: path)
    mount.readOnly = true
    for index in pod.spec.containers.indices where !(pod.spec.containers[index].volumeMounts ?? []).contains(where: { $0.mountPath == path }) {
      pod.spec.containers[index].volumeMounts = (pod.spec.containers[index].volumeMounts ?? []) + [mount]
    }
  }

  /// The projected volume of a service account's token, as OpenShift's API server makes it: with the
  /// service CA bundle beside the cluster's.
  private static func serviceAccountVolume(named name: String) -> Volume {
    typealias Source = ProjectedVolumeSource
    let sources: [Source.Projection] = [
      .init(serviceAccountToken: .init(audience: nil, expirationSeconds: 3607, path: "token")),
      .init(configMap: .init(name: "kube-root-ca.crt", items: [.init(key: "ca.crt", path: "ca.crt")], optional: nil)),
      .init(downwardAPI: .init(defaultMode: nil, items: [.init(fieldRef: FieldSelector(fieldPath: "metadata.namespace"), path: "namespace")])),
      .init(configMap: .init(name: "openshift-service-ca.crt", items: [.init(key: "service-ca.crt", path: "service-ca.crt")], optional: nil)),
    ]
    return Volume(name: name, projected: Source(defaultMode: 420, sources: sources))
  }

  /// FNV-1a of `text`'s bytes.
  static func fnv1a(_ text: String) -> UInt64 {
    text.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
  }

  /// Why `name` is not a valid name for `kind`, in the API server's words; `nil` when it is valid.
  static func nameProblem(_ name: String, for kind: ResourceKind) -> String? {
    let lowerAlnum = { (c: Character) in ("a"..."z").contains(c) || ("0"..."9").contains(c) }
    switch kind {
    case .namespace:
      let ok = name.count <= 63 && name.allSatisfy { lowerAlnum($0) || $0 == "-" }
        && name.first.map(lowerAlnum) == true && name.last.map(lowerAlnum) == true
      return ok ? nil : "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
    case .service:
      let ok = name.count <= 63 && name.allSatisfy { lowerAlnum($0) || $0 == "-" }
        && name.first.map { ("a"..."z").contains($0) } == true && name.last.map(lowerAlnum) == true
      return ok ? nil : "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
    default:
      return isDNS1123Subdomain(name) ? nil : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
    }
  }

  /// Whether `name` is a lowercase RFC 1123 subdomain, as Kubernetes validates most names and Route hosts:
  /// at most 253 characters, dot-separated labels of `a-z`, `0-9` and `-` that start and end alphanumeric.
  public static func isDNS1123Subdomain(_ name: String) -> Bool {
    let lowerAlnum = { (c: Character) in ("a"..."z").contains(c) || ("0"..."9").contains(c) }
    return name.count <= 253 && name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
      !label.isEmpty && label.allSatisfy { lowerAlnum($0) || $0 == "-" }
        && label.first.map(lowerAlnum) == true && label.last.map(lowerAlnum) == true
    }
  }

  /// A label map printed the way Go's `%#v` prints `map[string]string`.
  static func goMap(_ labels: [String: String]) -> String {
    "map[string]string{" + labels.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\"\($0.value)\"" }.joined(separator: ", ") + "}"
  }

  /// A free address in the service network 172.30.0.0/16.
  mutating func allocateClusterIP() -> String {
    while true {
      let third = rng.integer(in: 0...255)
      let fourth = rng.integer(in: 1...254)
      let ip = "172.30.\(third).\(fourth)"
      if allocatedClusterIPs.insert(ip).inserted { return ip }
    }
  }
}
