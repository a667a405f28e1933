import ClusterModel

extension Kubectl {
  /// `oc describe TYPE [NAME_PREFIX…]`: kubectl's describers for pods, deployments and services, oc's for
  /// routes, the generic describer's whole object for custom resources; a metadata summary for other
  /// kinds. A name that matches no object describes every object it begins, as kubectl does (`oc describe
  /// pod grpc-v1`).
  mutating func describe(_ flags: Flags) throws(KubectlError) -> ToolResult {
    let targets = try targets(flags.positional)
    if targets.isEmpty { throw KubectlError("error: You must specify the type of resource to describe. Use \"\(name) api-resources\" for a complete list of supported resources.") }
    var blocks: [String] = []
    var errors: [String] = []
    let allNamespaces = flags.isSet("all-namespaces")
    for target in targets {
      let (found, missing) = try select(target.kind, names: target.names, flags: flags, allNamespaces: allNamespaces)
      blocks += found.map(describe)
      for prefix in missing {
        let begun = cluster.store.list(target.kind, namespace: allNamespaces ? nil : namespace(flags)).filter {
          $0.metadata.name.hasPrefix(prefix)
        }
        if begun.isEmpty {
          errors.append("Error from server (NotFound): \(target.kind.qualifiedPlural) \"\(prefix)\" not found")
        } else {
          blocks += begun.map(describe)
        }
      }
    }
    if blocks.isEmpty && errors.isEmpty {
      return ToolResult(stderr: "No resources found in \(namespace(flags)) namespace.\n")
    }
    return ToolResult(
      stdout: blocks.joined(separator: "\n\n"), stderr: errors.map { $0 + "\n" }.joined(), exitCode: errors.isEmpty ? 0 : 1)
  }

  private func describe(_ object: APIObject) -> String {
    var lines: [String] = ["Name:\t\(object.metadata.name)"]
    if Self.genericallyDescribed.contains(object.kind) {
      lines.append("Namespace:\t\(object.metadata.namespace ?? "")")
      lines += metadataLines(object.metadata)
      lines += GenericDescription.lines(of: ObjectEncoding.value([object], asList: false))
      lines += eventLines(about: object)
      return TabWriter(minWidth: 0, padding: 2).format(lines)
    }
    if let namespace = object.metadata.namespace { lines.append("Namespace:\t\(namespace)") }
    switch object {
    case .pod(let pod): lines += podLines(pod)
    case .deployment(let deployment): lines += deploymentLines(deployment)
    case .service(let service): lines += serviceLines(service)
    case .route(let route): lines += routeLines(route)
    case .serviceAccount(let account):
      lines += metadataLines(object.metadata)
      lines += Self.multi("Image pull secrets:", (account.imagePullSecrets ?? []).compactMap(\.name))
      lines += Self.multi("Mountable secrets:", (account.secrets ?? []).compactMap(\.name))
      lines.append("Tokens:\t<none>")
      lines += eventLines(about: object)
    default:
      lines += metadataLines(object.metadata)
      lines += eventLines(about: object)
    }
    return TabWriter(minWidth: 0, padding: 2).format(lines)
  }

  /// The kinds kubectl has no describer for, which its generic describer prints whole.
  private static let genericallyDescribed: Set<ResourceKind> = [
    .serviceMeshControlPlane, .serviceMeshMemberRoll, .virtualService, .destinationRule, .gateway, .peerAuthentication,
    .ingressConfig,
  ]

  private func metadataLines(_ meta: ObjectMeta) -> [String] {
    let labels = (meta.labels ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
    let annotations = (meta.annotations ?? [:]).filter { $0.key != "kubectl.kubernetes.io/last-applied-configuration" }
      .sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
    return Self.multi("Labels:", labels) + Self.multi("Annotations:", annotations)
  }

  /// The `Events:` section: the object's events by last occurrence, or `<none>`.
  private func eventLines(about object: APIObject) -> [String] {
    let events = cluster.events(about: object.metadata.uid, in: object.metadata.namespace ?? "")
      .sorted { ($0.lastTimestamp.time, $0.metadata.name) < ($1.lastTimestamp.time, $1.metadata.name) }
    guard !events.isEmpty else { return ["Events:\t<none>"] }
    let rows = events.map { event -> String in
      let first = HumanDuration.format(cluster.now - event.firstTimestamp.time)
      let age = event.count > 1
        ? "\(HumanDuration.format(cluster.now - event.lastTimestamp.time)) (x\(event.count) over \(first))" : first
      return "  \(event.type)\t\(event.reason)\t\(age)\t\(event.source.component)\t\(event.message)"
    }
    return ["Events:", "  Type\tReason\tAge\tFrom\tMessage", "  ----\t------\t----\t----\t-------"] + rows
  }

  private static func multi(_ label: String, _ values: [String], indent: String = "") -> [String] {
    guard let first = values.first else { return ["\(indent)\(label)\t<none>"] }
    return ["\(indent)\(label)\t\(first)"] + values.dropFirst().map { "\t\($0)" }
  }

  /// `oc describe route` after the name and namespace: openshift/oc's route describer.
  private func routeLines(_ route: Route) -> [String] {
    func ago(_ time: Timestamp?) -> String { time.map { HumanDuration.words(cluster.now - $0.time) + " ago" } ?? "<unknown>" }
    let labels = (route.metadata.labels ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
    let annotations = (route.metadata.annotations ?? [:]).filter { $0.key != "kubectl.kubernetes.io/last-applied-configuration" }
      .sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
    var lines = ["Created:\t\(ago(route.metadata.creationTimestamp))"]
    lines += Self.multi("Labels:", labels) + Self.multi("Annotations:", annotations)
    lines.append("Requested Host:\t\(route.spec.host ?? "")")
    for ingress in route.status?.ingress ?? [] {
      let admitted = ingress.conditions?.first { $0.type == "Admitted" }
      lines.append("\t   exposed on router \(ingress.routerName ?? "") (host \(ingress.routerCanonicalHostname ?? "")) \(ago(admitted?.lastTransitionTime))")
    }
    lines += [
      "Path:\t\(route.spec.path ?? "<none>")", "TLS Termination:\t\(route.spec.tls?.termination ?? "<none>")",
      "Insecure Policy:\t\(route.spec.tls?.insecureEdgeTerminationPolicy ?? "<none>")",
      "Endpoint Port:\t\(route.spec.port.map { "\($0.targetPort)" } ?? "<all endpoint ports>")", "",
    ]
    let namespace = route.metadata.namespace ?? ""
    let addresses = (cluster.store.endpoints(route.spec.to.name, in: namespace)?.subsets ?? []).flatMap { subset in
      (subset.addresses ?? []).flatMap { address in
        (subset.ports ?? []).filter { port in route.spec.port.map { "\($0.targetPort)" == port.name || "\($0.targetPort)" == "\(port.port)" } ?? true }
          .map { "\(address.ip):\($0.port)" }
      }
    }
    lines += [
      "Service:\t\(route.spec.to.name)", "Weight:\t\(route.spec.to.weight ?? 100) (100%)",
      "Endpoints:\t\(addresses.isEmpty ? "<none>" : addresses.joined(separator: ", "))",
    ]
    return lines
  }

  private static func rfc1123(_ time: SimTime) -> String {
    time.httpDate.replacingGMT()
  }

  private func podLines(_ pod: Pod) -> [String] {
    var lines = pod.spec.priority.map { ["Priority:\t\($0)"] } ?? []
    lines += [
      "Service Account:\t\(pod.spec.serviceAccountName ?? "default")",
      "Node:\t\(pod.spec.nodeName.map { "\($0)/\(pod.status?.hostIP ?? "")" } ?? "<none>")",
      "Start Time:\t\(pod.status?.startTime.map { Self.rfc1123($0.time) } ?? "<none>")",
    ]
    lines += metadataLines(pod.metadata)
    lines.append("Status:\t\(pod.metadata.deletionTimestamp == nil ? pod.status?.phase ?? "Pending" : "Terminating")")
    let ip = pod.status?.podIP ?? ""
    lines.append("IP:\t\(ip)")
    lines += ["IPs:", "  IP:\t\(ip)"]
    if let owner = pod.metadata.ownerReferences?.first(where: { $0.controller == true }) {
      lines.append("Controlled By:\t\(owner.kind)/\(owner.name)")
    }
    lines.append("Containers:")
    for container in pod.spec.containers {
      let status = pod.status?.containerStatuses?.first { $0.name == container.name }
      lines.append("  \(container.name):")
      lines.append("    Container ID:\t\(status?.containerID ?? "")")
      lines.append("    Image:\t\(container.image ?? "")")
      lines.append("    Image ID:\t\(status?.imageID ?? "")")
      lines += ports(container)
      lines += Self.listed("Command:", container.command) + Self.listed("Args:", container.args)
      if let running = status?.state.running {
        lines += ["    State:\tRunning", "      Started:\t\(running.startedAt.map { Self.rfc1123($0.time) } ?? "")"]
      } else if let waiting = status?.state.waiting {
        lines += ["    State:\tWaiting", "      Reason:\t\(waiting.reason ?? "")"]
      }
      lines.append("    Ready:\t\(status?.ready == true ? "True" : "False")")
      lines.append("    Restart Count:\t\(status?.restartCount ?? 0)")
      lines += Self.quantities("Limits:", container.resources?.limits) + Self.quantities("Requests:", container.resources?.requests)
      if let probe = container.readinessProbe { lines.append("    Readiness:\t\(Self.probe(probe))") }
      lines += environment(container, pod: pod)
      lines += mounts(container, pod: pod)
    }
    lines += ["Conditions:", "  Type\tStatus"]
    for condition in pod.status?.conditions ?? [] { lines.append("  \(condition.type) \t\(condition.status) ") }
    lines += volumes(pod.spec, indent: "")
    lines += ["QoS Class:\t\(pod.status?.qosClass ?? "BestEffort")", "Node-Selectors:\t<none>"]
    let tolerations = (pod.spec.tolerations ?? []).sorted { ($0.key ?? "") < ($1.key ?? "") }.map(Self.toleration)
    lines += tolerations.isEmpty ? ["Tolerations:\t<none>"] : ["Tolerations:\t" + tolerations[0]] + tolerations.dropFirst().map { "\t" + $0 }
    return lines + eventLines(about: .pod(pod))
  }

  /// `Command:` or `Args:` and each word on a line of its own.
  private static func listed(_ title: String, _ words: [String]?) -> [String] {
    guard let words, !words.isEmpty else { return [] }
    return ["    \(title)"] + words.flatMap { $0.split(separator: "\n", omittingEmptySubsequences: false).map { "      \($0)" } }
  }

  /// `Limits:` or `Requests:` and each resource's quantity, by resource name.
  private static func quantities(_ title: String, _ amounts: [String: String]?) -> [String] {
    guard let amounts, !amounts.isEmpty else { return [] }
    return ["    \(title)"] + amounts.sorted { $0.key < $1.key }.map { "      \($0.key):\t\($0.value)" }
  }

  /// A probe as kubectl summarises it: `http-get http://:15021/healthz/ready delay=1s timeout=3s …`.
  private static func probe(_ probe: Probe) -> String {
    let action = probe.httpGet.map { "http-get \(($0.scheme ?? "HTTP").lowercased())://:\($0.port)\($0.path ?? "")" } ?? "unknown"
    func seconds(_ value: Int) -> String { GoFormat.duration(.seconds(Int64(min(max(value, Int(Int32.min)), Int(Int32.max))))) }
    return "\(action) delay=\(seconds(probe.initialDelaySeconds ?? 0)) timeout=\(seconds(probe.timeoutSeconds ?? 1))"
      + " period=\(seconds(probe.periodSeconds ?? 10)) #success=\(probe.successThreshold ?? 1) #failure=\(probe.failureThreshold ?? 3)"
  }

  /// A toleration as `key=value:Effect op=Exists for Ns`.
  private static func toleration(_ toleration: Toleration) -> String {
    var text = (toleration.key ?? "") + (toleration.value.map { $0.isEmpty ? "" : "=\($0)" } ?? "")
    if let effect = toleration.effect, !effect.isEmpty { text += ":\(effect)" }
    if toleration.operator == "Exists" && (toleration.value ?? "").isEmpty {
      text += text.isEmpty ? "op=Exists" : " op=Exists"
    }
    if let seconds = toleration.tolerationSeconds { text += " for \(seconds)s" }
    return text
  }

  private func ports(_ container: Container, indent: String = "    ") -> [String] {
    let ports = (container.ports ?? []).map { "\($0.containerPort)/\($0.protocol ?? "TCP")" }
    if ports.count > 1 {
      return ["\(indent)Ports:\t\(ports.joined(separator: ", "))", "\(indent)Host Ports:\t\(ports.map { _ in "0/TCP" }.joined(separator: ", "))"]
    }
    return ["\(indent)Port:\t\(ports.first ?? "<none>")", "\(indent)Host Port:\t\(ports.isEmpty ? "<none>" : "0/TCP")"]
  }

  /// `Environment:`: literal values line by line; a pod field with its value where kubectl can read it
  /// (`metadata.name` and the like) and its path; a resource with the container's figure.
  private func environment(_ container: Container, pod: Pod?, indent: String = "    ") -> [String] {
    guard let env = container.env, !env.isEmpty else { return ["\(indent)Environment:\t<none>"] }
    return ["\(indent)Environment:"] + env.flatMap { variable -> [String] in
      if let field = variable.valueFrom?.fieldRef {
        let value = pod.flatMap { Self.fieldValue(field.fieldPath, of: $0) } ?? ""
        return ["\(indent)  \(variable.name):\t\(value) (\(field.apiVersion ?? "v1"):\(field.fieldPath))"]
      }
      if let resource = variable.valueFrom?.resourceFieldRef {
        let section = resource.resource.hasPrefix("limits.") ? container.resources?.limits : container.resources?.requests
        let name = String(resource.resource.drop { $0 != "." }.dropFirst())
        let value = section?[name].flatMap(QuantityText.wholeUnits).map(String.init) ?? "node allocatable"
        return ["\(indent)  \(variable.name):\t\(value) (\(resource.resource))"]
      }
      return (variable.value ?? "").split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { index, line in
        index == 0 ? "\(indent)  \(variable.name):\t\(line)" : "\(indent)  \t\(line)"
      }
    }
  }

  /// The fields of a pod kubectl's field-path helper reads; others it leaves empty.
  private static func fieldValue(_ path: String, of pod: Pod) -> String? {
    switch path {
    case "metadata.name": pod.metadata.name
    case "metadata.namespace": pod.metadata.namespace
    case "metadata.uid": pod.metadata.uid
    default: nil
    }
  }

  private func mounts(_ container: Container, pod: Pod?, indent: String = "    ") -> [String] {
    let mounts = (container.volumeMounts ?? []).map { "\(indent)  \($0.mountPath) from \($0.name) (\($0.readOnly == true ? "ro" : "rw"))" }
    return mounts.isEmpty ? ["\(indent)Mounts:\t<none>"] : ["\(indent)Mounts:"] + mounts
  }

  private func volumes(_ spec: PodSpec, indent: String) -> [String] {
    guard let volumes = spec.volumes, !volumes.isEmpty else { return ["\(indent)Volumes:\t<none>"] }
    var lines = ["\(indent)Volumes:"]
    let name = indent.isEmpty ? "  " : " "
    for volume in volumes {
      lines.append("\(indent)\(name)\(volume.name):")
      if let source = volume.projected {
        lines.append("\(indent)    Type:\tProjected (a volume that contains injected data from multiple sources)")
        for projection in source.sources ?? [] {
          if let token = projection.serviceAccountToken {
            lines.append("\(indent)    TokenExpirationSeconds:\t\(token.expirationSeconds ?? 3600)")
          } else if let configMap = projection.configMap {
            lines += ["\(indent)    ConfigMapName:\t\(configMap.name)", "\(indent)    ConfigMapOptional:\t\(configMap.optional.map { "\($0)" } ?? "<nil>")"]
          } else if projection.downwardAPI != nil {
            lines.append("\(indent)    DownwardAPI:\ttrue")
          }
        }
      } else if let source = volume.downwardAPI {
        lines += ["\(indent)    Type:\tDownwardAPI (a volume populated by information about the pod)", "\(indent)    Items:"]
        lines += (source.items ?? []).map { "\(indent)      \($0.fieldRef?.fieldPath ?? "") -> \($0.path)" }
      } else if let source = volume.configMap {
        lines += ["\(indent)    Type:\tConfigMap (a volume populated by a ConfigMap)", "\(indent)    Name:\t\(source.name)", "\(indent)    Optional:\t\(source.optional ?? false)"]
      } else if let source = volume.secret {
        lines += ["\(indent)    Type:\tSecret (a volume populated by a Secret)", "\(indent)    SecretName:\t\(source.secretName)", "\(indent)    Optional:\t\(source.optional ?? false)"]
      } else {
        lines += [
          "\(indent)    Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)", "\(indent)    Medium:\t\(volume.emptyDir?.medium ?? "")",
          "\(indent)    SizeLimit:\t<unset>",
        ]
      }
    }
    return lines
  }

  private func deploymentLines(_ deployment: Deployment) -> [String] {
    var lines = ["CreationTimestamp:\t\(deployment.metadata.creationTimestamp.map { Self.rfc1123($0.time) } ?? "")"]
    lines += metadataLines(deployment.metadata)
    let status = deployment.status
    let desired = deployment.spec.replicas ?? 1
    lines += [
      "Selector:\t\(Columns.selector(deployment.spec.selector))",
      "Replicas:\t\(desired) desired | \(status?.updatedReplicas ?? 0) updated | \(status?.replicas ?? 0) total | \(status?.availableReplicas ?? 0) available | \(status?.unavailableReplicas ?? 0) unavailable",
      "StrategyType:\t\(deployment.spec.strategy?.type ?? "RollingUpdate")",
      "MinReadySeconds:\t0",
      "RollingUpdateStrategy:\t\(deployment.spec.strategy?.rollingUpdate?.maxUnavailable?.description ?? "25%") max unavailable, \(deployment.spec.strategy?.rollingUpdate?.maxSurge?.description ?? "25%") max surge",
      "Pod Template:",
    ]
    let template = deployment.spec.template
    let labels = (template.metadata?.labels ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
    lines += Self.multi("Labels:", labels, indent: "  ")
    let annotations = (template.metadata?.annotations ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
    if !annotations.isEmpty { lines += Self.multi("Annotations:", annotations, indent: "  ") }
    lines.append("  Containers:")
    for container in template.spec.containers {
      lines.append("   \(container.name):")
      lines.append("    Image:\t\(container.image ?? "")")
      lines += ports(container)
      lines += environment(container, pod: nil)
      lines += mounts(container, pod: nil)
    }
    lines += volumes(template.spec, indent: "  ")
    lines += ["  Node-Selectors:\t<none>", "  Tolerations:\t<none>", "Conditions:", "  Type\tStatus\tReason", "  ----\t------\t------"]
    for condition in status?.conditions ?? [] { lines.append("  \(condition.type) \t\(condition.status)\t\(condition.reason ?? "")") }
    let sets = cluster.ownedReplicaSets(of: deployment)
    let current = sets.first { ($0.spec.replicas ?? 0) > 0 && $0.hasTemplate(of: deployment) }
    let old = sets.filter { $0.metadata.name != current?.metadata.name && ($0.status?.replicas ?? 0) > 0 }
    lines.append("OldReplicaSets:\t\(old.isEmpty ? "<none>" : old.map { "\($0.metadata.name) (\($0.status?.replicas ?? 0)/\($0.spec.replicas ?? 0) replicas created)" }.joined(separator: ", "))")
    lines.append("NewReplicaSet:\t\(current.map { "\($0.metadata.name) (\($0.status?.replicas ?? 0)/\($0.spec.replicas ?? 0) replicas created)" } ?? "<none>")")
    lines += eventLines(about: .deployment(deployment))
    return lines
  }

  private func serviceLines(_ service: Service) -> [String] {
    var lines = metadataLines(service.metadata)
    let ip = service.spec.clusterIP ?? "<none>"
    lines += [
      "Selector:\t\(Columns.labels(service.spec.selector))",
      "Type:\t\(service.spec.type ?? "ClusterIP")",
      "IP Family Policy:\t\(service.spec.ipFamilyPolicy ?? "SingleStack")",
      "IP Families:\t\((service.spec.ipFamilies ?? ["IPv4"]).joined(separator: ","))",
      "IP:\t\(ip)",
      "IPs:\t\(ip)",
    ]
    let endpoints = cluster.store.endpoints(service.metadata.name, in: service.metadata.namespace ?? "")
    for port in service.spec.ports ?? [] {
      lines.append("Port:\t\(port.name ?? "<unset>")\t\(port.port)/\(port.protocol ?? "TCP")")
      lines.append("TargetPort:\t\(port.targetPort?.description ?? String(port.port))/\(port.protocol ?? "TCP")")
      var addresses: [String] = []
      for subset in endpoints?.subsets ?? [] {
        guard let target = subset.ports?.first(where: { $0.name == port.name }) else { continue }
        addresses += (subset.addresses ?? []).map { "\($0.ip):\(target.port)" }
      }
      lines.append("Endpoints:\t\(Columns.abbreviated(addresses))")
    }
    lines += ["Session Affinity:\t\(service.spec.sessionAffinity ?? "None")", "Internal Traffic Policy:\t\(service.spec.internalTrafficPolicy ?? "Cluster")"]
    lines += eventLines(about: .service(service))
    return lines
  }
}

extension String {
  /// `… GMT` → `… +0000`, the RFC 1123Z form kubectl describe prints.
  fileprivate func replacingGMT() -> String {
    hasSuffix(" GMT") ? String(dropLast(4)) + " +0000" : self
  }
}
