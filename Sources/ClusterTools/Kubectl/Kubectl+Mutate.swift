import ClusterModel

extension Kubectl {
  /// `oc scale deploy/NAME --replicas=N` (or `deployment NAME`).
  mutating func scale(_ flags: Flags) throws(KubectlError) -> ToolResult {
    guard let replicas = flags.integer("replicas") else {
      throw KubectlError("error: required flag(s) \"replicas\" not set")
    }
    guard replicas >= 0 else {
      throw KubectlError("error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0")
    }
    guard Int32(exactly: replicas) != nil else {
      throw KubectlError(
        "Error from server (BadRequest): Scale in version \"v1\" cannot be handled as a Scale: \(Self.int32Error(String(replicas), field: "ScaleSpec.spec.replicas"))")
    }
    var output = ""
    let (objects, missing) = try resolveContinuing(flags)
    for object in objects {
      switch object {
      case .deployment(var deployment):
        deployment.spec.replicas = replicas
        try write(.deployment(deployment))
      case .replicaSet(var set):
        set.spec.replicas = replicas
        try write(.replicaSet(set))
      default:
        throw KubectlError("error: no scaler has been implemented for {\"\(object.kind.group)\" \"\(object.kind.rawValue)\"}")
      }
      output += "\(Self.reference(object)) scaled\n"
    }
    return ToolResult(stdout: output, stderr: missing.map { $0 + "\n" }.joined(), exitCode: missing.isEmpty ? 0 : 1)
  }

  /// `oc rollout restart|status|history TYPE[/NAME]…`; `restart` and `history` with a type and no name act
  /// on every object of the type in the namespace, or those `-l` selects.
  mutating func rollout(_ flags: Flags) throws(KubectlError) -> ToolResult {
    guard let action = flags.positional.first else {
      throw KubectlError("error: Required resource not specified.")
    }
    guard ["restart", "status", "history"].contains(action) else {
      throw KubectlError("error: unknown command \"\(flags.positional.joined(separator: " "))\"\nSee '\(name) rollout -h' for help and examples")
    }
    let rest = Array(flags.positional.dropFirst())
    var objects: [APIObject] = []
    let kinds = try targets(rest)
    if action == "restart" || action == "history", !kinds.isEmpty, kinds.allSatisfy(\.names.isEmpty) {
      for target in kinds { objects += try select(target.kind, names: [], flags: flags).found }
      if objects.isEmpty, action == "restart" { throw KubectlError("error: no objects passed to restart") }
    } else {
      objects = try resolveNamed(flags, positional: rest)
    }
    var output = ""
    var failure = ""
    for object in objects {
      guard case .deployment(var deployment) = object else {
        if action == "status" {
          throw KubectlError("error: no status viewer has been implemented for \(object.kind.qualifiedKind)")
        }
        throw KubectlError("error: \(object.kind.plural) \"\(object.metadata.name)\" restarting is not supported")
      }
      switch action {
      case "restart":
        var meta = deployment.spec.template.metadata ?? ObjectMeta()
        meta.annotations = (meta.annotations ?? [:]).merging(["kubectl.kubernetes.io/restartedAt": cluster.now.rfc3339]) { _, b in b }
        deployment.spec.template.metadata = meta
        try write(.deployment(deployment))
        output += "\(Self.reference(object)) restarted\n"
      case "status":
        let (progress, rolledOut) = waitForRollout(deployment.metadata.name, in: namespace(flags))
        output += progress
        if !rolledOut { failure += "error: deployment \"\(deployment.metadata.name)\" exceeded its progress deadline\n" }
      default:
        output += "\(Self.reference(object)) \n\(history(of: deployment))\n"
      }
    }
    return ToolResult(stdout: output, stderr: failure, exitCode: failure.isEmpty ? 0 : 1)
  }

  /// The revisions of a Deployment's ReplicaSets with their `kubernetes.io/change-cause`, as kubectl's
  /// history viewer tabulates them.
  private func history(of deployment: Deployment) -> String {
    var causes: [Int: String] = [:]
    for set in cluster.ownedReplicaSets(of: deployment) {
      guard let revision = Int(set.metadata.annotation(Cluster.revisionAnnotation) ?? "") else { continue }
      let cause = set.metadata.annotation("kubernetes.io/change-cause") ?? ""
      causes[revision] = cause.isEmpty ? "<none>" : cause
    }
    guard !causes.isEmpty else { return "No rollout history found.\n" }
    let rows = ["REVISION\tCHANGE-CAUSE"] + causes.keys.sorted().map { "\($0)\t\(causes[$0] ?? "")" }
    return TabWriter(minWidth: 0, padding: 2).format(rows)
  }

  /// Prints rollout progress as time passes, until the Deployment has rolled out or its progress deadline
  /// passes; says whether it rolled out.
  private mutating func waitForRollout(_ deploymentName: String, in namespace: String) -> (progress: String, rolledOut: Bool) {
    var output = ""
    var last = ""
    let deadline = cluster.now + .seconds(600)
    while cluster.now < deadline {
      let key = ObjectKey(kind: .deployment, namespace: namespace, name: deploymentName)
      guard case .deployment(let deployment) = cluster.store[key] else { break }
      let desired = deployment.spec.replicas ?? 1
      let status = deployment.status
      let updated = status?.updatedReplicas ?? 0
      let total = status?.replicas ?? 0
      let available = status?.availableReplicas ?? 0
      let line: String
      if updated < desired {
        line = "Waiting for deployment \"\(deploymentName)\" rollout to finish: \(updated) out of \(desired) new replicas have been updated..."
      } else if total > updated {
        line = "Waiting for deployment \"\(deploymentName)\" rollout to finish: \(total - updated) old replicas are pending termination..."
      } else if available < updated {
        line = "Waiting for deployment \"\(deploymentName)\" rollout to finish: \(available) of \(updated) updated replicas are available..."
      } else {
        return (output + "deployment \"\(deploymentName)\" successfully rolled out\n", true)
      }
      if line != last { output += line + "\n" }
      last = line
      cluster.advance(by: .seconds(1))
    }
    return (output, false)
  }

  /// `oc label|annotate TYPE NAME k=v k2- [--overwrite]`.
  mutating func label(_ flags: Flags, annotate: Bool) throws(KubectlError) -> ToolResult {
    let changes = flags.positional.filter { $0.contains("=") || $0.hasSuffix("-") }
    let resources = flags.positional.filter { !($0.contains("=") || $0.hasSuffix("-")) }
    if changes.isEmpty {
      throw KubectlError("error: at least one \(annotate ? "annotation" : "label") update is required")
    }
    var output = ""
    let (objects, missing) = try resolveContinuing(flags, positional: resources)
    for object in objects {
      var object = object
      var map = (annotate ? object.metadata.annotations : object.metadata.labels) ?? [:]
      var changed = false
      for change in changes {
        if change.hasSuffix("-") && !change.contains("=") {
          changed = map.removeValue(forKey: String(change.dropLast())) != nil || changed
          continue
        }
        let key = String(change.prefix { $0 != "=" })
        let value = String(change.drop { $0 != "=" }.dropFirst())
        if let old = map[key], old != value, !flags.isSet("overwrite") {
          throw KubectlError(annotate
            ? "error: --overwrite is false but found the following declared annotation(s): '\(key)' already has a value (\(old))"
            : "error: '\(key)' already has a value (\(old)), and --overwrite is false")
        }
        changed = changed || map[key] != value
        map[key] = value
      }
      if annotate { object.metadata.annotations = map } else { object.metadata.labels = map }
      if changed { try write(object) }
      output += "\(Self.reference(object)) \(changed ? (annotate ? "annotated" : "labeled") : (annotate ? "annotated" : "not labeled"))\n"
    }
    return ToolResult(stdout: output, stderr: missing.map { $0 + "\n" }.joined(), exitCode: missing.isEmpty ? 0 : 1)
  }

  /// The objects named by `TYPE NAME…` or `TYPE/NAME…`; every name must exist.
  func resolveNamed(_ flags: Flags, positional: [String]? = nil) throws(KubectlError) -> [APIObject] {
    let (objects, missing) = try resolveContinuing(flags, positional: positional)
    if let first = missing.first { throw KubectlError(first) }
    return objects
  }

  /// The objects named by `TYPE NAME…` or `TYPE/NAME…` that exist, and the API server's error for each that
  /// does not: `scale` and `label` act on those found and report the rest after, as kubectl's
  /// `ContinueOnError` visitor does.
  func resolveContinuing(_ flags: Flags, positional: [String]? = nil) throws(KubectlError) -> (objects: [APIObject], missing: [String]) {
    let targets = try targets(positional ?? flags.positional)
    if targets.isEmpty { throw KubectlError("error: you must provide one or more resources by argument or filename") }
    var objects: [APIObject] = []
    var errors: [String] = []
    for target in targets {
      if target.names.isEmpty && flags.value("selector") == nil && !flags.isSet("all") {
        throw KubectlError("error: resource(s) were provided, but no name was specified")
      }
      let (found, missing) = try select(target.kind, names: target.names, flags: flags)
      errors += missing.map { "Error from server (NotFound): \(target.kind.qualifiedPlural) \"\($0)\" not found" }
      objects += found
    }
    return (objects, errors)
  }

  /// Stores a changed object through the API (validation and controllers included).
  mutating func write(_ object: APIObject) throws(KubectlError) {
    do { try cluster.update(object) } catch { throw KubectlError(server: error) }
  }
}
