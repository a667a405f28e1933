import ClusterModel

/// `oc logs POD|TYPE/NAME -f` (or `-l SELECTOR -f`) after the log so far: each line the containers write
/// next, until they stop or their pods go, as kubectl streams followed logs. With a selector, the pods
/// are those it matched when it started, and `--prefix` names each line's pod and container.
///
///     var follow = LogFollow(line: "oc -n grpc logs deploy/grpc-v1 -f", workstation: workstation)
///     follow?.start(in: cluster)
///     // a call reaches the pod
///     follow?.changes(in: cluster)  // the greeter's "Received request from …" line
public struct LogFollow: Following, Equatable {
  /// `oc` or `kubectl`, as typed.
  let program: String
  /// The command's flags and positional words, `logs` aside.
  let flags: Flags
  let workstation: Workstation
  /// The pods' containers followed, once the command found them.
  private var sources: [Source] = []

  /// The following a command line asks for: `oc|kubectl logs POD|TYPE/NAME -f` (or `--follow`, or `-l
  /// SELECTOR` in place of the pod) alone; nil for any other line.
  public init?(line: String, workstation: Workstation) {
    guard let (program, flags) = Kubectl.simpleCommand(line, verb: .logs), flags.isSet("follow"),
      flags.value("selector") == nil ? flags.positional.count == 1 : flags.positional.isEmpty
    else { return nil }
    self.program = program
    self.flags = flags
    self.workstation = workstation
  }

  /// Finds the pods and containers the command printed the logs of, and how many lines each had.
  public mutating func start(in cluster: Cluster) {
    let kubectl = Kubectl.reading(cluster, workstation: workstation, as: program)
    let pods: [Pod]
    if let text = flags.value("selector") {
      guard let selector = try? LabelSelector(parsing: text) else { return }
      pods = cluster.store.pods(in: kubectl.namespace(flags)) { selector.matches($0.metadata.labelSet) }
      // kubectl follows none when there are more than it may follow at once.
      guard pods.count <= Kubectl.maxLogRequests(flags) else { return }
    } else {
      guard let target = flags.positional.first, let (pod, _) = try? kubectl.resolvePod(target, flags: flags, forLogs: true) else { return }
      pods = [pod]
    }
    sources = pods.compactMap { pod in
      guard let (container, _) = try? kubectl.container(of: pod, flags: flags), let uid = pod.metadata.uid else { return nil }
      return Source(
        podUID: uid, namespace: pod.metadata.namespace ?? "", name: pod.metadata.name, container: container,
        printed: cluster.telemetry.logLength(podUID: uid, container: container))
    }
  }

  /// The lines the containers wrote since the last call, as `logs` prints them, in the order they wrote them.
  public mutating func changes(in cluster: Cluster) -> String {
    var lines: [(line: LogLine, prefix: String)] = []
    for index in sources.indices {
      let source = sources[index]
      let written = cluster.telemetry.logLength(podUID: source.podUID, container: source.container)
      let prefix = Kubectl.logPrefix(pod: source.name, container: source.container, flags: flags)
      lines += cluster.telemetry.log(podUID: source.podUID, container: source.container).suffix(max(written - source.printed, 0))
        .map { ($0, prefix) }
      sources[index].printed = written
    }
    let ordered = lines.enumerated().sorted { ($0.element.line.time, $0.offset) < ($1.element.line.time, $1.offset) }
    return ordered.map { $0.element.prefix + Kubectl.logText($0.element.line, timestamps: flags.isSet("timestamps")) }.joined()
  }

  /// Whether a followed container has yet to start.
  public func isPending(in cluster: Cluster) -> Bool {
    sources.contains { source in
      guard let status = containerStatus(of: source, in: cluster) else { return false }
      return status.state.running == nil && status.state.terminated == nil
    }
  }

  /// Whether every followed container stopped, or its pod is gone (or none was ever found).
  public func hasEnded(in cluster: Cluster) -> Bool {
    sources.allSatisfy { source in containerStatus(of: source, in: cluster).map { $0.state.terminated != nil } ?? true }
  }

  /// A followed container's status, while its pod is there.
  private func containerStatus(of source: Source, in cluster: Cluster) -> ContainerStatus? {
    guard let pod = cluster.store.pod(PodRef(namespace: source.namespace, name: source.name)), pod.metadata.uid == source.podUID
    else { return nil }
    return pod.status?.containerStatuses?.first { $0.name == source.container }
  }

  /// A container of a pod, as the command found it (a new pod of the same name is another), and how many
  /// lines of its log were printed.
  private struct Source: Equatable, Sendable {
    var podUID: String
    var namespace: String
    var name: String
    var container: String
    var printed: Int
  }
}
