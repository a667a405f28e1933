import ClusterModel

/// The columns `kubectl get` prints for each kind (kubernetes `pkg/printers/internalversion/printers.go`).
enum Columns {
  /// Header cells, default then `-o wide` extras.
  static func header(_ kind: ResourceKind, wide: Bool) -> [String] {
    switch kind {
    case .pod: ["NAME", "READY", "STATUS", "RESTARTS", "AGE"] + (wide ? ["IP", "NODE", "NOMINATED NODE", "READINESS GATES"] : [])
    case .service: ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"] + (wide ? ["SELECTOR"] : [])
    case .deployment: ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"] + (wide ? ["CONTAINERS", "IMAGES", "SELECTOR"] : [])
    case .replicaSet: ["NAME", "DESIRED", "CURRENT", "READY", "AGE"] + (wide ? ["CONTAINERS", "IMAGES", "SELECTOR"] : [])
    case .endpoints: ["NAME", "ENDPOINTS", "AGE"]
    case .configMap: ["NAME", "DATA", "AGE"]
    case .secret: ["NAME", "TYPE", "DATA", "AGE"]
    case .serviceAccount: ["NAME", "SECRETS", "AGE"]
    case .namespace: ["NAME", "STATUS", "AGE"]
    case .route: ["NAME", "HOST/PORT", "PATH", "SERVICES", "PORT", "TERMINATION", "WILDCARD"]
    case .ingressConfig: ["NAME", "AGE"]
    case .event:
      ["LAST SEEN", "TYPE", "REASON", "OBJECT"] + (wide ? ["SUBOBJECT", "SOURCE"] : []) + ["MESSAGE"]
        + (wide ? ["FIRST SEEN", "COUNT", "NAME"] : [])
    case .serviceMeshControlPlane: ["NAME", "READY", "STATUS", "PROFILES", "VERSION", "AGE"] + (wide ? ["IMAGE REGISTRY"] : [])
    case .serviceMeshMemberRoll: ["NAME", "READY", "STATUS", "AGE"] + (wide ? ["MEMBERS"] : [])
    case .virtualService: ["NAME", "GATEWAYS", "HOSTS", "AGE"]
    case .destinationRule: ["NAME", "HOST", "AGE"]
    case .gateway: ["NAME", "AGE"]
    case .peerAuthentication: ["NAME", "MODE", "AGE"]
    }
  }

  /// The cells of one object's row, the name cell first.
  static func row(_ object: APIObject, now: SimTime, wide: Bool) -> [String] {
    let age = object.metadata.creationTimestamp.map { HumanDuration.format(now - $0.time) } ?? "<unknown>"
    switch object {
    case .pod(let pod):
      let (ready, total) = pod.readyCount
      let base = [pod.metadata.name, "\(ready)/\(total)", pod.displayStatus, String(pod.restarts), age]
      return base + (wide ? [pod.status?.podIP ?? "<none>", pod.spec.nodeName ?? "<none>", "<none>", "<none>"] : [])
    case .service(let service):
      let ports = (service.spec.ports ?? []).map { "\($0.port)/\($0.protocol ?? "TCP")" }.joined(separator: ",")
      let base = [
        service.metadata.name, service.spec.type ?? "ClusterIP", service.spec.clusterIP ?? "<none>", "<none>",
        ports.isEmpty ? "<none>" : ports, age,
      ]
      return base + (wide ? [labels(service.spec.selector)] : [])
    case .deployment(let deployment):
      let desired = deployment.spec.replicas ?? 1
      let status = deployment.status
      let base = [
        deployment.metadata.name, "\(status?.readyReplicas ?? 0)/\(desired)", String(status?.updatedReplicas ?? 0),
        String(status?.availableReplicas ?? 0), age,
      ]
      return base + (wide ? containers(deployment.spec.template) + [selector(deployment.spec.selector)] : [])
    case .replicaSet(let set):
      let base = [
        set.metadata.name, String(set.spec.replicas ?? 1), String(set.status?.replicas ?? 0),
        String(set.status?.readyReplicas ?? 0), age,
      ]
      return base + (wide ? containers(set.spec.template) + [selector(set.spec.selector)] : [])
    case .endpoints(let endpoints):
      return [endpoints.metadata.name, Self.endpoints(endpoints), age]
    case .configMap(let map):
      return [map.metadata.name, String(map.data?.count ?? 0), age]
    case .serviceAccount(let account):
      return [account.metadata.name, String(account.secrets?.count ?? 0), age]
    case .secret(let secret):
      return [secret.metadata.name, secret.type ?? "Opaque", String(secret.data?.count ?? 0), age]
    case .namespace(let namespace):
      return [namespace.metadata.name, namespace.status?.phase ?? "Active", age]
    case .route(let route):
      let termination = route.spec.tls.map { tls in
        tls.termination + (tls.insecureEdgeTerminationPolicy.map { "/\($0)" } ?? "")
      } ?? ""
      return [
        route.metadata.name, route.spec.host ?? "", route.spec.path ?? "", route.spec.to.name,
        route.spec.port.map { $0.targetPort.description } ?? "<all>", termination, route.spec.wildcardPolicy ?? "None",
      ]
    case .ingressConfig(let config):
      return [config.metadata.name, age]
    case .event(let event):
      let last = HumanDuration.format(now - event.lastTimestamp.time)
      let object = "\(event.involvedObject.kind.lowercased())/\(event.involvedObject.name)"
      let source = [event.source.component, event.source.host].compactMap { $0 }.joined(separator: ", ")
      return [last, event.type, event.reason, object]
        + (wide ? [event.involvedObject.fieldPath ?? "", source] : []) + [event.message]
        + (wide ? [HumanDuration.format(now - event.firstTimestamp.time), String(event.count), event.metadata.name] : [])
    case .serviceMeshControlPlane(let plane):
      let components = plane.status?.readiness?.components ?? [:]
      let ready = components["ready"]?.count ?? 0
      let total = components.values.reduce(0) { $0 + $1.count }
      let base = [
        plane.metadata.name, "\(ready)/\(total)", ready == total ? "ComponentsReady" : "PausingInstall",
        jsonArray(plane.status?.appliedProfiles), plane.status?.chartVersion ?? "", age,
      ]
      return base + (wide ? ["registry.redhat.io/openshift-service-mesh"] : [])
    case .serviceMeshMemberRoll(let roll):
      let members = roll.status?.members ?? []
      let configured = roll.status?.configuredMembers ?? []
      let base = [
        roll.metadata.name, "\(configured.count)/\(members.count)",
        configured.count == members.count ? "Configured" : "PartiallyReconciled", age,
      ]
      return base + (wide ? [jsonArray(roll.status?.members)] : [])
    case .virtualService(let service):
      return [service.metadata.name, jsonArray(service.spec.gateways), jsonArray(service.spec.hosts), age]
    case .destinationRule(let rule):
      return [rule.metadata.name, rule.spec.host ?? "", age]
    case .gateway(let gateway):
      return [gateway.metadata.name, age]
    case .peerAuthentication(let policy):
      return [policy.metadata.name, policy.spec.mtls?.mode ?? "", age]
    }
  }

  /// `ip:port` pairs, at most three, then ` + N more...`; `<none>` when there are none.
  static func endpoints(_ endpoints: Endpoints) -> String {
    var all: [String] = []
    for subset in endpoints.subsets ?? [] {
      for address in subset.addresses ?? [] {
        for port in subset.ports ?? [] { all.append("\(address.ip):\(port.port)") }
      }
    }
    return abbreviated(all)
  }

  /// At most three items joined by commas, then ` + N more...`; `<none>` when empty.
  static func abbreviated(_ items: [String]) -> String {
    if items.isEmpty { return "<none>" }
    let shown = items.prefix(3).joined(separator: ",")
    return items.count > 3 ? "\(shown) + \(items.count - 3) more..." : shown
  }

  /// A string list as a CRD printer column shows it: `["a","b"]`, or an empty cell when unset.
  static func jsonArray(_ values: [String]?) -> String {
    guard let values else { return "" }
    return "[" + values.map { "\"\($0)\"" }.joined(separator: ",") + "]"
  }

  /// `k=v,k2=v2` with keys sorted, or `<none>`.
  static func labels(_ labels: [String: String]?) -> String {
    guard let labels, !labels.isEmpty else { return "<none>" }
    return labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
  }

  /// A label selector in its string form.
  static func selector(_ selector: LabelSelector) -> String {
    var terms = (selector.matchLabels ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
    for requirement in selector.matchExpressions ?? [] {
      let values = (requirement.values ?? []).joined(separator: ",")
      switch requirement.operator {
      case .in: terms.append("\(requirement.key) in (\(values))")
      case .notIn: terms.append("\(requirement.key) notin (\(values))")
      case .exists: terms.append(requirement.key)
      case .doesNotExist: terms.append("!\(requirement.key)")
      case .equals: terms.append("\(requirement.key)=\(values)")
      case .notEquals: terms.append("\(requirement.key)!=\(values)")
      }
    }
    return terms.isEmpty ? "<none>" : terms.joined(separator: ",")
  }

  private static func containers(_ template: PodTemplateSpec) -> [String] {
    [template.spec.containers.map(\.name).joined(separator: ","), template.spec.containers.map { $0.image ?? "" }.joined(separator: ",")]
  }
}
