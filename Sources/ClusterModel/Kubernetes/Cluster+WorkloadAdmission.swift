extension Cluster {
  /// A pod's admission: its spec validated; on creation the ServiceAccount plugin, the mesh's injector and
  /// the plugins again after it, then the pod-only defaults; the spec's defaults on every write.
  mutating func admit(_ pod: inout Pod, creating: Bool) throws(ClusterError) {
    let causes = Self.validate(pod.spec, path: "spec")
    if !causes.isEmpty { throw .invalid(.pod, name: pod.metadata.name, causes: causes) }
    if creating {
      mountServiceAccountToken(into: &pod)
      injectSidecar(into: &pod)
      mountServiceAccountToken(into: &pod)
      Self.applyPodDefaults(&pod.spec)
    }
    Self.applyDefaults(&pod.spec)
  }

  /// A Deployment's admission: replicas, selector and template validated, then its defaults.
  static func admit(_ deployment: inout Deployment) throws(ClusterError) {
    var causes: [String] = []
    if let replicas = deployment.spec.replicas, replicas < 0 {
      causes.append("spec.replicas: Invalid value: \(replicas): must be greater than or equal to 0")
    }
    if deployment.spec.selector.isEmpty {
      causes.append("spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment")
    } else if let problem = Self.selectorProblem(deployment.spec.selector, deployment.spec.template) {
      causes.append(problem)
    }
    causes += Self.validate(deployment.spec.template.spec, path: "spec.template.spec")
    if !causes.isEmpty { throw .invalid(.deployment, name: deployment.metadata.name, causes: causes) }
    deployment.spec.replicas = deployment.spec.replicas ?? 1
    deployment.spec.revisionHistoryLimit = deployment.spec.revisionHistoryLimit ?? 10
    deployment.spec.progressDeadlineSeconds = deployment.spec.progressDeadlineSeconds ?? 600
    deployment.spec.strategy = deployment.spec.strategy
      ?? Deployment.Strategy(
        type: "RollingUpdate", rollingUpdate: .init(maxUnavailable: .string("25%"), maxSurge: .string("25%")))
    Self.applyDefaults(&deployment.spec.template.spec)
  }

  /// A ReplicaSet's admission: the selector must match the template, which gets its defaults.
  static func admit(_ replicaSet: inout ReplicaSet) throws(ClusterError) {
    if let problem = Self.selectorProblem(replicaSet.spec.selector, replicaSet.spec.template) {
      throw .invalid(.replicaSet, name: replicaSet.metadata.name, causes: [problem])
    }
    Self.applyDefaults(&replicaSet.spec.template.spec)
  }

  /// The API server's complaint when `selector` does not select the labels of `template`; nil when it does.
  private static func selectorProblem(_ selector: LabelSelector, _ template: PodTemplateSpec) -> String? {
    let labels = template.metadata?.labels ?? [:]
    guard !selector.matches(labels) else { return nil }
    return "spec.template.metadata.labels: Invalid value: \(goMap(labels)): `selector` does not match template `labels`"
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
      let pinned = image.utf8.contains(UInt8(ascii: "@")) || (ContainerImage.repository(of: image) != image && !image.hasSuffix(":latest"))
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
    spec.containers = spec.containers.map { container in
      guard var resources = container.resources, let limits = resources.limits else { return container }
      var container = container
      resources.requests = limits.merging(resources.requests ?? [:]) { $1 }
      container.resources = resources
      return container
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
  /// container, init containers first, mounts the account's token, the cluster's CA bundles and the namespace from one projected
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
    func mounted(_ containers: [Container]) -> [Container] {
      containers.map { container in
        guard !(container.volumeMounts ?? []).contains(where: { $0.mountPath == path }) else { return container }
        var container = container
        container.volumeMounts = (container.volumeMounts ?? []) + [mount]
        return container
      }
    }
    pod.spec.initContainers = pod.spec.initContainers.map(mounted)
    pod.spec.containers = mounted(pod.spec.containers)
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
}
