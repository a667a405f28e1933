import ClusterModel

extension Kubectl {
  /// The kind a resource name on the command line means: plural, singular, short or group-qualified.
  ///
  /// A group may be shortened to its leading parts (`ingresses.config`); the cluster's ingress
  /// configuration answers only to a group-qualified name, since plain `ingresses` are networking ones.
  static func kind(named text: String) -> ResourceKind? {
    kindsByName[text.lowercased()]
  }

  /// Every name a kind answers to; a name two kinds answer to means the one declared first.
  private static let kindsByName: [String: ResourceKind] = {
    var kinds: [String: ResourceKind] = [:]
    for kind in ResourceKind.allCases {
      let parts = kind.group.split(separator: ".").map(String.init)
      let groups = parts.indices.map { parts[...$0].joined(separator: ".") }
      var names = [kind.plural, kind.singular].flatMap { name in groups.map { "\(name).\($0)" } }
      if kind != .ingressConfig { names += [kind.plural, kind.singular] + kind.shortNames }
      for name in names where kinds[name] == nil { kinds[name] = kind }
    }
    return kinds
  }()

  /// Resolves the resource arguments of `get`, `describe`, `delete`, `label` …:
  /// `TYPE[,TYPE…] [NAME…]` or `TYPE/NAME …`.
  ///
  /// - Returns: Kinds in the order given, each with the names asked for (empty: all).
  func targets(_ positional: [String]) throws(KubectlError) -> [(kind: ResourceKind, names: [String])] {
    guard let first = positional.first else { return [] }
    if first.contains("/") {
      var result: [(kind: ResourceKind, names: [String])] = []
      for argument in positional {
        let parts = argument.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2 else {
          throw KubectlError("error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. '\(name) get resource/<resource_name>' instead of '\(name) get resource resource/<resource_name>'")
        }
        guard let kind = Self.kind(named: parts[0]) else { throw unknownType(parts[0]) }
        if let index = result.firstIndex(where: { $0.kind == kind }) {
          result[index].names.append(parts[1])
        } else {
          result.append((kind, [parts[1]]))
        }
      }
      return result
    }
    var kinds: [ResourceKind] = []
    for word in first.split(separator: ",") {
      if word == "all" {
        kinds += [.pod, .service, .deployment, .replicaSet]
        continue
      }
      guard let kind = Self.kind(named: String(word)) else { throw unknownType(String(word)) }
      kinds.append(kind)
    }
    let names = Array(positional.dropFirst())
    if kinds.count > 1 && !names.isEmpty {
      throw KubectlError("error: you may only specify a single resource type")
    }
    return kinds.map { ($0, names) }
  }

  /// The error for a resource type the lab's cluster does not have: the server's own for a name no real
  /// cluster serves, and for one an OpenShift cluster with the mesh serves (`nodes`, `statefulsets`), that
  /// the lab leaves it out, with the types it has.
  private func unknownType(_ typed: String) -> KubectlError {
    guard Self.unmodelledTypes.contains(typed.lowercased()) else {
      return KubectlError("error: the server doesn't have a resource type \"\(typed)\"")
    }
    let modelled = ResourceKind.allCases.map { $0 == .ingressConfig ? $0.qualifiedPlural : $0.plural }
    return KubectlError(
      ToolResult.notModelledMessage("resource type \"\(typed)\"", in: name, "it has \(modelled.joined(separator: ", "))"))
  }

  /// The plural, singular and short names of the resource types an OpenShift 4.12 cluster with Service Mesh
  /// 2 serves and the lab does not model (as `oc api-resources` lists them).
  private static let unmodelledTypes: Set<String> = [
    "nodes", "node", "no", "persistentvolumeclaims", "persistentvolumeclaim", "pvc", "persistentvolumes", "persistentvolume",
    "pv", "replicationcontrollers", "replicationcontroller", "rc", "limitranges", "limitrange", "limits", "resourcequotas",
    "resourcequota", "quota", "podtemplates", "podtemplate", "componentstatuses", "componentstatus", "cs",
    "statefulsets", "statefulset", "sts", "daemonsets", "daemonset", "ds", "controllerrevisions", "controllerrevision",
    "jobs", "job", "cronjobs", "cronjob", "cj", "horizontalpodautoscalers", "horizontalpodautoscaler", "hpa",
    "ingresses", "ingress", "ing", "ingressclasses", "ingressclass", "networkpolicies", "networkpolicy", "netpol",
    "poddisruptionbudgets", "poddisruptionbudget", "pdb", "roles", "role", "rolebindings", "rolebinding", "clusterroles",
    "clusterrole", "clusterrolebindings", "clusterrolebinding", "storageclasses", "storageclass", "sc",
    "customresourcedefinitions", "customresourcedefinition", "crd", "crds", "leases", "lease", "endpointslices",
    "endpointslice", "priorityclasses", "priorityclass", "pc", "buildconfigs", "buildconfig", "bc", "builds", "build",
    "deploymentconfigs", "deploymentconfig", "dc", "imagestreams", "imagestream", "is", "imagestreamtags",
    "imagestreamtag", "istag", "templates", "template", "users", "user", "groups", "group", "clusteroperators",
    "clusteroperator", "co", "clusterversions", "clusterversion", "machinesets", "machineset", "machines", "machine",
    "securitycontextconstraints", "scc", "serviceentries", "serviceentry", "se", "sidecars", "sidecar", "envoyfilters",
    "envoyfilter", "workloadentries", "workloadentry", "we", "workloadgroups", "workloadgroup", "wg",
    "authorizationpolicies", "authorizationpolicy", "requestauthentications", "requestauthentication", "ra",
    "telemetries", "telemetry", "servicemeshmembers", "servicemeshmember", "smm",
  ]

  /// The objects of `kind` that a selector, `--all` or names pick, in the command's namespace.
  func select(_ kind: ResourceKind, names: [String], flags: Flags, allNamespaces: Bool = false) throws(KubectlError)
    -> (found: [APIObject], missing: [String])
  {
    let namespace = allNamespaces ? nil : namespace(flags)
    if names.isEmpty {
      var objects = cluster.store.list(kind, namespace: namespace)
      if let text = flags.value("selector") {
        let selector: LabelSelector
        do { selector = try LabelSelector(parsing: text) } catch { throw KubectlError(server: error) }
        objects = objects.filter { selector.matches($0.metadata.labelSet) }
      }
      return (objects, [])
    }
    var found: [APIObject] = []
    var missing: [String] = []
    for name in names {
      if let object = cluster.store[ObjectKey(kind: kind, namespace: namespace ?? "", name: name)] {
        found.append(object)
      } else {
        missing.append(name)
      }
    }
    return (found, missing)
  }

  /// `deployment.apps/name`, as kubectl names an object in messages.
  static func reference(_ object: APIObject) -> String {
    "\(object.kind.qualifiedSingular)/\(object.metadata.name)"
  }
}
