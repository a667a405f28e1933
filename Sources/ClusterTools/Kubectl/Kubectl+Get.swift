import ClusterModel

extension Kubectl {
  /// `oc get TYPE[,TYPE…] [NAME…] [-n NS|-A] [-l SEL] [-o FORMAT] [--show-labels] [--no-headers]`.
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
    let printer = try printer(flags.value("output") ?? "")
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
    let asList = !named || objects.count > 1
    switch printer {
    case .yaml:
      if !objects.isEmpty || !named { result.stdout = ObjectEncoding.yaml(objects, asList: asList) }
    case .json:
      if !objects.isEmpty || !named { result.stdout = ObjectEncoding.json(objects, asList: asList) }
    case .name:
      result.stdout = objects.map { Self.reference($0) + "\n" }.joined()
    case .jsonPath, .goTemplate:
      let printed = printer.templateOutput(for: ObjectEncoding.value(objects, asList: asList))
      guard printed.exitCode == 0 else { return printed }
      result.stdout = printed.stdout
    case .customColumns(let columns):
      let rows = objects.map { ObjectEncoding.value([$0], asList: false) }
      if !rows.isEmpty || !named { result.stdout = columns.render(rows, headers: !flags.isSet("no-headers")) }
    case .table(let wide):
      let prefix = groups.count > 1
      var tables: [String] = []
      for group in groups where !group.objects.isEmpty {
        tables.append(table(group.kind, group.objects, wide: wide, prefixed: prefix, flags: flags))
      }
      result.stdout = tables.joined(separator: "\n")
    }
    if objects.isEmpty && errors.isEmpty, case .table = printer {
      let namespace = namespace(flags)
      let scoped = !allNamespaces && targets.contains { $0.kind.isNamespaced }
      result.stderr = scoped ? "No resources found in \(namespace) namespace.\n" : "No resources found\n"
    }
    result.stderr += errors.map { $0 + "\n" }.joined()
    return result
  }

  /// A table of one kind, with `NAMESPACE` for `-A` and `LABELS` for `--show-labels`.
  func table(_ kind: ResourceKind, _ objects: [APIObject], wide: Bool, prefixed: Bool, flags: Flags) -> String {
    let allNamespaces = flags.isSet("all-namespaces") && kind.isNamespaced
    let showLabels = flags.isSet("show-labels")
    var header = Columns.header(kind, wide: wide)
    if allNamespaces { header.insert("NAMESPACE", at: 0) }
    if showLabels { header.append("LABELS") }
    var lines = flags.isSet("no-headers") ? [] : [header.joined(separator: "\t")]
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
