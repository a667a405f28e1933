import ClusterModel

extension Kubectl {
  /// `oc apply -f …` and `oc create -f …`: create or update every object, report each, go on after failures.
  mutating func apply(_ flags: Flags, create: Bool) throws(KubectlError) -> ToolResult {
    if create, let kind = flags.positional.first {
      throw KubectlError("error: unknown command \"\(kind)\" for \"\(name) create\"")
    }
    let dryRun = flags.value("dry-run") ?? "none"
    guard ["none", "client", "server"].contains(dryRun) else {
      throw KubectlError("error: Invalid dry-run value (\(dryRun)). Must be \"none\", \"server\", or \"client\".")
    }
    var (manifests, errors) = try loadManifestsContinuing(flags.all("filename"), flags: flags)
    let suffix = dryRun == "client" ? " (dry run)" : dryRun == "server" ? " (server dry run)" : ""
    let original = cluster
    var result = ToolResult()
    for manifest in manifests {
      var object = manifest.object
      let existing = cluster.store[object.key]
      if !create {
        let applied = ObjectEncoding.compactJSON(object) + "\n"
        object.metadata.annotations = Self.merged(
          object.metadata.annotations, existing: existing?.metadata.annotations,
          previous: existing.flatMap(Self.lastApplied)?.annotations, applied: applied)
        object.metadata.labels = Self.merged(
          object.metadata.labels, existing: existing?.metadata.labels, previous: existing.flatMap(Self.lastApplied)?.labels)
      }
      do throws(ClusterError) {
        let verb: String
        if let existing {
          if create { throw ClusterError.alreadyExists(object.kind, name: object.metadata.name) }
          let stored = try cluster.update(object)
          verb = stored.metadata.resourceVersion == existing.metadata.resourceVersion ? "unchanged" : "configured"
        } else {
          try cluster.create(object)
          verb = "created"
        }
        result.stdout += "\(Self.reference(object)) \(verb)\(suffix)\n"
      } catch {
        let action = existing == nil || create ? "creating" : "applying patch"
        errors.append(ManifestError(server: error, action: action, source: manifest.source))
      }
    }
    if !errors.isEmpty {
      result.exitCode = 1
      result.stderr += ManifestError.report(errors)
    }
    if dryRun != "none" { cluster = original }
    return result
  }

  /// The labels and annotations of the previous `last-applied-configuration`.
  private static func lastApplied(_ object: APIObject) -> (labels: [String: String]?, annotations: [String: String]?)? {
    guard let json = object.metadata.annotation("kubectl.kubernetes.io/last-applied-configuration"),
      let decoded = decode(json, source: "last-applied").objects.first
    else { return nil }
    return (decoded.metadata.labels, decoded.metadata.annotations)
  }

  /// A three-way merge of a metadata map: keep what others set, drop what the previous apply set and this one
  /// does not, take this apply's values.
  private static func merged(
    _ desired: [String: String]?, existing: [String: String]?, previous: [String: String]?, applied: String? = nil
  ) -> [String: String]? {
    var result = existing ?? [:]
    for key in (previous ?? [:]).keys where desired?[key] == nil { result[key] = nil }
    for (key, value) in desired ?? [:] { result[key] = value }
    if let applied { result["kubectl.kubernetes.io/last-applied-configuration"] = applied }
    return result.isEmpty ? nil : result
  }
}
