import ClusterModel

extension Kubectl {
  /// `oc get TYPE[,TYPE…] [NAME…] [-n NS|-A] [-l SEL] [-o wide|name|yaml|json|jsonpath=TEMPLATE] [--show-labels]`.
  mutating func get(_ flags: Flags) throws(KubectlError) -> ToolResult {
    if !flags.all("filename").isEmpty {
      return try getFromFiles(flags)
    }
    if let type = flags.positional.first, Self.projectTypes.contains(type) {
      return try getProjects(flags)
    }
    let targets = try targets(flags.positional)
    if targets.isEmpty {
      throw KubectlError(
        "You must specify the type of resource to get. Use \"\(name) api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"\(name) explain <resource>\" for a detailed description of that resource (e.g. \(name) explain pods).\nSee '\(name) get -h' for help and examples")
    }
    let format = flags.value("output") ?? ""
    let jsonPath: JSONPath?
    if let template = Self.template(of: format) {
      do { jsonPath = try JSONPath(template) } catch {
        throw KubectlError("error: error parsing jsonpath \(template), \(error.message)")
      }
    } else {
      jsonPath = nil
    }
    let output = jsonPath == nil ? format : "jsonpath"
    guard ["", "wide", "name", "yaml", "json", "jsonpath"].contains(output) else {
      throw KubectlError("error: unable to match a printer suitable for the output format \"\(output)\", allowed formats are: json,jsonpath,name,wide,yaml")
    }
    let allNamespaces = flags.isSet("all-namespaces")
    var groups: [(kind: ResourceKind, objects: [APIObject])] = []
    var errors: [String] = []
    for target in targets {
      let (found, missing) = try select(target.kind, names: target.names, flags: flags, allNamespaces: allNamespaces)
      groups.append((target.kind, found))
      errors += missing.map { "Error from server (NotFound): \(target.kind.qualifiedPlural) \"\($0)\" not found" }
    }
    let objects = groups.flatMap(\.objects)
    var result = ToolResult(exitCode: errors.isEmpty ? 0 : 1)
    let named = targets.contains { !$0.names.isEmpty }
    switch output {
    case "yaml":
      if !objects.isEmpty { result.stdout = ObjectEncoding.yaml(objects, asList: !named || objects.count > 1) }
    case "json":
      if !objects.isEmpty || !named { result.stdout = ObjectEncoding.json(objects, asList: !named || objects.count > 1) }
    case "name":
      result.stdout = objects.map { Self.reference($0) + "\n" }.joined()
    case "jsonpath":
      let document = ObjectEncoding.json(objects, asList: !named || objects.count > 1)
      result.stdout = jsonPath?.render(json: document) ?? ""
    default:
      let prefix = groups.count > 1
      var tables: [String] = []
      for group in groups where !group.objects.isEmpty {
        tables.append(table(group.kind, group.objects, wide: output == "wide", prefixed: prefix, flags: flags))
      }
      result.stdout = tables.joined(separator: "\n")
    }
    if objects.isEmpty && errors.isEmpty && output != "json" {
      let namespace = namespace(flags)
      let scoped = !allNamespaces && targets.contains { $0.kind.isNamespaced }
      result.stderr = scoped ? "No resources found in \(namespace) namespace.\n" : "No resources found\n"
    }
    result.stderr += errors.map { $0 + "\n" }.joined()
    return result
  }

  /// The template of `-o jsonpath=TEMPLATE` (also `jsonpath-as-json` is not taken); nil for other formats.
  static func template(of format: String) -> String? {
    guard format.hasPrefix("jsonpath=") else { return nil }
    return String(format.dropFirst("jsonpath=".count))
  }

  /// A table of one kind, with `NAMESPACE` for `-A` and `LABELS` for `--show-labels`.
  func table(_ kind: ResourceKind, _ objects: [APIObject], wide: Bool, prefixed: Bool, flags: Flags) -> String {
    let allNamespaces = flags.isSet("all-namespaces") && kind.isNamespaced
    let showLabels = flags.isSet("show-labels")
    var header = Columns.header(kind, wide: wide)
    if allNamespaces { header.insert("NAMESPACE", at: 0) }
    if showLabels { header.append("LABELS") }
    var lines = [header.joined(separator: "\t")]
    for object in objects {
      var cells = Columns.row(object, now: cluster.now, wide: wide)
      if prefixed && kind != .event { cells[0] = "\(object.kind.qualifiedSingular)/\(cells[0])" }
      if allNamespaces { cells.insert(object.metadata.namespace ?? "", at: 0) }
      if showLabels { cells.append(Columns.labels(object.metadata.labels)) }
      lines.append(cells.joined(separator: "\t"))
    }
    return TabWriter(minWidth: 6, padding: 3).format(lines)
  }

  /// `oc get -f FILE`: the objects a manifest names.
  private mutating func getFromFiles(_ flags: Flags) throws(KubectlError) -> ToolResult {
    let manifests = try loadManifests(flags.all("filename"), flags: flags)
    var objects: [APIObject] = []
    var errors: [String] = []
    for manifest in manifests {
      if let object = cluster.store[manifest.object.key] {
        objects.append(object)
      } else {
        errors.append("Error from server (NotFound): \(manifest.object.kind.qualifiedPlural) \"\(manifest.object.metadata.name)\" not found")
      }
    }
    var result = ToolResult(exitCode: errors.isEmpty ? 0 : 1)
    let kinds = objects.map(\.kind).reduce(into: [ResourceKind]()) { if !$0.contains($1) { $0.append($1) } }
    result.stdout = kinds.map { kind in
      table(kind, objects.filter { $0.kind == kind }, wide: flags.value("output") == "wide", prefixed: kinds.count > 1, flags: flags)
    }.joined(separator: "\n")
    result.stderr = errors.map { $0 + "\n" }.joined()
    return result
  }
}
