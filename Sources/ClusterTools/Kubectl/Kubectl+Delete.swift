import ClusterModel

extension Kubectl {
  /// `oc delete TYPE NAME… | TYPE/NAME… | TYPE -l SEL | TYPE --all | -f FILE`; `oc delete project NAME…`
  /// deletes namespaces through OpenShift's project API.
  mutating func delete(_ flags: Flags) throws(KubectlError) -> ToolResult {
    var victims: [APIObject] = []
    var errors: [String] = []
    var projects = false
    if name == "oc", let type = flags.positional.first, Self.projectTypes.contains(type) {
      let names = flags.positional.dropFirst()
      if names.isEmpty { throw KubectlError("error: resource(s) were provided, but no name was specified") }
      projects = true
      for project in names {
        if let namespace = cluster.store.namespace(project) {
          victims.append(.namespace(namespace))
        } else {
          errors.append("Error from server (NotFound): projects.project.openshift.io \"\(project)\" not found")
        }
      }
    } else if !flags.all("filename").isEmpty {
      for manifest in try loadManifests(flags.all("filename"), flags: flags) {
        if let object = cluster.store[manifest.object.key] {
          victims.append(object)
        } else {
          errors.append("Error from server (NotFound): error when deleting \"\(manifest.source)\": \(manifest.object.kind.qualifiedPlural) \"\(manifest.object.metadata.name)\" not found")
        }
      }
    } else {
      let targets = try targets(flags.positional)
      if targets.isEmpty {
        throw KubectlError("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'")
      }
      for target in targets {
        if target.names.isEmpty && flags.value("selector") == nil && !flags.isSet("all") {
          throw KubectlError("error: resource(s) were provided, but no name was specified")
        }
        let (found, missing) = try select(target.kind, names: target.names, flags: flags)
        victims += found
        errors += missing.map { "Error from server (NotFound): \(target.kind.qualifiedPlural) \"\($0)\" not found" }
      }
    }
    var result = ToolResult(exitCode: errors.isEmpty ? 0 : 1)
    for victim in victims {
      do {
        try cluster.delete(victim.key)
        result.stdout += "\(projects ? "project.project.openshift.io" : victim.kind.qualifiedSingular) \"\(victim.metadata.name)\" deleted\n"
      } catch {
        errors.append(KubectlError(server: error).message)
      }
    }
    if flags.value("wait") != "false" { result.waitsUntil = victims.compactMap { cluster.terminationEnd(of: $0.key) }.max() }
    if victims.isEmpty && errors.isEmpty { result.stdout = "No resources found\n" }
    result.stderr = errors.map { $0 + "\n" }.joined()
    return result
  }
}
