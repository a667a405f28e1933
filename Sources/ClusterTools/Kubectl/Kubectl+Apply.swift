import ClusterModel

extension Kubectl {
  /// `oc apply -f …` and `oc create -f …`: create or update every object, report each, go on after failures.
  /// With `-o FORMAT` each object is printed instead: as the server stored it, or as it would be sent
  /// (`--dry-run=client`, which sends nothing, so the server's checks do not run).
  mutating func apply(_ flags: Flags, create: Bool) throws(KubectlError) -> ToolResult {
    if create, let kind = flags.positional.first {
      throw KubectlError("error: unknown command \"\(kind)\" for \"\(name) create\"")
    }
    var printer: Printer?
    if let format = flags.value("output") { printer = try createPrinter(format) }
    let dryRun = flags.value("dry-run") ?? "none"
    guard ["none", "client", "server"].contains(dryRun) else {
      throw KubectlError("error: Invalid dry-run value (\(dryRun)). Must be \"none\", \"server\", or \"client\".")
    }
    var (manifests, errors) = try loadManifestsContinuing(flags.all("filename"), flags: flags)
    let suffix = dryRun == "client" ? " (dry run)" : dryRun == "server" ? " (server dry run)" : ""
    let original = cluster
    var result = ToolResult()
    var printed = 0
    for manifest in manifests {
      var object = manifest.object
      let existing = cluster.store[object.key]
      if !create {
        let applied = Self.lastApplied(object) + "\n"
        object.metadata.annotations = (object.metadata.annotations ?? [:]).merging([Self.lastAppliedKey: applied]) { _, new in new }
        if let existing { object = Self.threeWayMerge(object, onto: existing) }
      }
      do throws(ClusterError) {
        let verb: String
        var stored: APIObject
        if dryRun == "client" {
          // A client dry run sends nothing: no admission, no validation, only the object as it would go.
          stored = object
          verb = create || existing == nil ? "created" : "configured"
        } else if let existing {
          if create { throw ClusterError.alreadyExists(object.kind, name: object.metadata.name) }
          stored = try cluster.update(object)
          verb = stored.metadata.resourceVersion == existing.metadata.resourceVersion ? "unchanged" : "configured"
          if dryRun == "server" { stored.metadata.resourceVersion = existing.metadata.resourceVersion }
        } else {
          stored = try cluster.create(object)
          if dryRun == "server" { stored.metadata.resourceVersion = nil }
          verb = "created"
        }
        guard let printer else {
          result.stdout += "\(Self.reference(object)) \(verb)\(suffix)\n"
          continue
        }
        let shown = dryRun == "client" ? object : stored.served(like: object)
        if case .yaml = printer, printed > 0 { result.stdout += "---\n" }
        result = result.appending(output(ObjectEncoding.value([shown], asList: false), as: printer, reference: Self.reference(shown)) {
          ObjectEncoding.json([shown], asList: false)
        })
        printed += 1
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

  static let lastAppliedKey = "kubectl.kubernetes.io/last-applied-configuration"

  /// The manifests applied lately, with their compact JSON, and the JSON values read from such texts: a
  /// sweep over seeds applies the same manifests in every replay, and encoding or parsing one costs far
  /// more than comparing it. The live objects they merge onto differ from seed to seed and are not kept.
  /// Manifests are told apart by `APIObject`'s equality, which takes canonically equivalent strings as the
  /// same, as the API server's model does everywhere else (an `apply` of either is `unchanged`).
  private static let recentManifests = RecentComparedResults<APIObject, String>(capacity: 32)
  /// The values, by the UTF-8 bytes of the text they were read from.
  private static let recentValues = RecentResults<UTF8Key, JSONValue?>(capacity: 32)

  /// `manifest`'s compact JSON with sorted keys, as `last-applied-configuration` keeps it.
  static func lastApplied(_ manifest: APIObject) -> String {
    recentManifests.result(for: manifest) { ObjectEncoding.compactJSON(manifest) }
  }

  /// The JSON value of a manifest's compact JSON; nil when it does not parse.
  private static func manifestValue(_ text: String?) -> JSONValue? {
    guard let text else { return nil }
    return recentValues.result(for: UTF8Key(text)) { JSONValue(json: text) }
  }

  /// `apply`'s three-way merge: the live object, with what the manifest sets, without what the previous
  /// apply (its `last-applied-configuration`) set and this one does not, and with what others set kept (a
  /// controller's fields, `rollout restart`'s `restartedAt`, what admission added). A built-in kind's lists
  /// of named things merge item by item, as a strategic merge patch merges them (containers and volumes by
  /// name, mounts by path, ports by number); other lists, and every list of a custom resource, are replaced
  /// whole, as a JSON merge patch replaces them.
  static func threeWayMerge(_ desired: APIObject, onto live: APIObject) -> APIObject {
    let strategic = !desired.kind.isCustomResourceKind
    func merge(_ live: JSONValue?, previous: JSONValue?, desired: JSONValue, field: String) -> JSONValue {
      if strategic, case .array(let wanted) = desired, case .array(let current)? = live,
        let key = mergeKey(of: field, items: wanted + current)
      {
        return .array(mergeList(current, previous: previous, desired: wanted, key: key))
      }
      guard case .object(let wanted) = desired, case .object(var merged)? = live else { return desired }
      let before: [String: JSONValue] = if case .object(let fields)? = previous { fields } else { [:] }
      for key in before.keys where wanted[key] == nil { merged[key] = nil }
      for (key, field) in wanted { merged[key] = merge(merged[key], previous: before[key], desired: field, field: key) }
      return .object(merged)
    }
    /// Live items updated by the manifest's of the same key, those the previous apply set and this one
    /// does not removed, the manifest's new ones after them.
    func mergeList(_ live: [JSONValue], previous: JSONValue?, desired: [JSONValue], key: String) -> [JSONValue] {
      func keyOf(_ item: JSONValue) -> JSONValue? { if case .object(let fields) = item { fields[key] } else { nil } }
      let before: [JSONValue] = if case .array(let items)? = previous { items } else { [] }
      let wantedKeys = desired.compactMap(keyOf)
      let removed = before.compactMap(keyOf).filter { !wantedKeys.contains($0) }
      var merged: [JSONValue] = []
      for item in live {
        guard let itemKey = keyOf(item) else {
          merged.append(item)
          continue
        }
        if removed.contains(itemKey) { continue }
        if let wanted = desired.first(where: { keyOf($0) == itemKey }) {
          merged.append(merge(item, previous: before.first { keyOf($0) == itemKey }, desired: wanted, field: ""))
        } else {
          merged.append(item)
        }
      }
      let liveKeys = live.compactMap(keyOf)
      merged += desired.filter { keyOf($0).map { !liveKeys.contains($0) } ?? true }
      return merged
    }
    guard let wanted = manifestValue(lastApplied(desired)), let current = try? JSONValue(encoding: live.encodable) else {
      return desired
    }
    let merged = merge(current, previous: manifestValue(live.metadata.annotation(lastAppliedKey)), desired: wanted, field: "")
    return (try? decode(desired.kind, from: merged)) ?? desired
  }

  /// The field a strategic merge patch merges the items of a list by, for the lists of named things in
  /// the built-in kinds; nil for a list it replaces whole.
  private static func mergeKey(of field: String, items: [JSONValue]) -> String? {
    switch field {
    case "containers", "initContainers", "volumes", "env", "imagePullSecrets": "name"
    case "volumeMounts": "mountPath"
    case "ports":
      items.contains { if case .object(let fields) = $0 { fields["containerPort"] != nil } else { false } } ? "containerPort" : "port"
    default: nil
    }
  }

}
