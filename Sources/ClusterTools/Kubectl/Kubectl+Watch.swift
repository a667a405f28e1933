import ClusterModel

/// `oc get TYPE … -w` after its listing: a row each time a listed object changes, as kubectl prints watch
/// events. kubectl flushes its tab writer after each event, so a row is aligned on its own, not under
/// the header.
///
///     var watch = Watch(line: "oc -n grpc get pods -w", workstation: workstation)
///     watch?.start(in: cluster)
///     cluster.advance(by: .seconds(1))
///     watch?.changes(in: cluster)  // "grpc-v1-85b84b5c44-xnh9w   0/1   ContainerCreating   0     1s\n"
public struct Watch: Following, Equatable {
  /// `oc` or `kubectl`, as typed.
  let program: String
  /// The command's flags and positional words, `get` aside.
  let flags: Flags
  let workstation: Workstation
  /// The kind watched.
  let kind: ResourceKind
  /// Whether the rows are `-o wide` ones.
  let wide: Bool
  /// The last row printed of each object, without its age, by namespace and name.
  var seen: [String: [String]] = [:]
  /// The rows of objects that were there, as last seen, for the line their deletion prints.
  var last: [String: APIObject] = [:]

  /// The watch a command line asks for: `oc|kubectl get TYPE … -w` (or `--watch`) alone, with one type
  /// and a table output; nil for any other line.
  public init?(line: String, workstation: Workstation) {
    guard let (program, flags) = Kubectl.simpleCommand(line, verb: .get), flags.isSet("watch"),
      ["", "wide"].contains(flags.value("output") ?? ""), flags.all("filename").isEmpty,
      let type = flags.positional.first, let kind = Kubectl.kind(named: String(type.split(separator: "/").first ?? ""))
    else { return nil }
    self.program = program
    self.flags = flags
    self.workstation = workstation
    self.kind = kind
    wide = flags.value("output") == "wide"
  }

  /// Remembers what the listing showed, so that only changes print.
  public mutating func start(in cluster: Cluster) {
    _ = changes(in: cluster)
  }

  /// A row for every watched object that changed since the last call (its age aside), appeared, or was
  /// deleted (a pod as kubectl's deletion event shows it: terminating, its containers stopped); empty when
  /// nothing did.
  public mutating func changes(in cluster: Cluster) -> String {
    let objects = selected(in: cluster)
    let header = Columns.header(kind, wide: wide)
    let age = header.firstIndex(of: "AGE")
    func key(_ object: APIObject) -> String { "\(object.metadata.namespace ?? "")/\(object.metadata.name)" }
    func withoutAge(_ cells: [String]) -> [String] { cells.enumerated().filter { $0.offset != age }.map(\.element) }
    var rows: [[String]] = []
    for object in objects {
      let cells = Columns.row(object, now: cluster.now, wide: wide)
      if seen[key(object)] != withoutAge(cells) { rows.append(cells) }
      seen[key(object)] = withoutAge(cells)
      last[key(object)] = object
    }
    let present = Set(objects.map(key))
    for (name, object) in last.sorted(by: { $0.key < $1.key }) where !present.contains(name) {
      var final = object
      if case .pod(var pod) = object, var status = pod.status {
        pod.metadata.deletionTimestamp = pod.metadata.deletionTimestamp ?? Timestamp(cluster.now)
        status.containerStatuses = status.containerStatuses?.map { container in
          var stopped = container
          stopped.ready = false
          return stopped
        }
        pod.status = status
        final = .pod(pod)
      }
      rows.append(Columns.row(final, now: cluster.now, wide: wide))
      seen[name] = nil
      last[name] = nil
    }
    return rows.map { TabWriter(minWidth: 6, padding: 3).format([$0.joined(separator: "\t")]) }.joined()
  }

  /// Never: a watch goes on until it is stopped.
  public func hasEnded(in cluster: Cluster) -> Bool { false }

  /// Whether a watched pod is still on its way: pending, creating, starting, not yet ready, or terminating.
  /// Other kinds are never pending.
  public func isPending(in cluster: Cluster) -> Bool {
    selected(in: cluster).contains { object in
      guard case .pod(let pod) = object else { return false }
      let settled = ["Running", "Completed", "Error", "CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "CreateContainerConfigError"]
      return !settled.contains(pod.displayStatus) || (pod.displayStatus == "Running" && !pod.isReady)
    }
  }

  /// The objects the command lists now, selected as `oc get` selects them.
  private func selected(in cluster: Cluster) -> [APIObject] {
    let kubectl = Kubectl.reading(cluster, workstation: workstation, as: program)
    guard let targets = try? kubectl.targets(flags.positional), let target = targets.first else { return [] }
    return (try? kubectl.select(target.kind, names: target.names, flags: flags, allNamespaces: flags.isSet("all-namespaces")))?.found ?? []
  }
}
