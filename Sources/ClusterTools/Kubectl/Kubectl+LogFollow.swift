import ClusterModel

/// `oc logs POD|TYPE/NAME -f` after the log so far: each line the container writes next, until the
/// container stops or its pod goes, as kubectl streams a followed log.
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
  /// The pod and container followed, once the command found them.
  private var source: Source?
  /// How many lines the container had written when they were last printed.
  private var printed = 0

  /// The following a command line asks for: `oc|kubectl logs POD|TYPE/NAME -f` (or `--follow`) alone;
  /// nil for any other line.
  public init?(line: String, workstation: Workstation) {
    guard let list = try? ShellList(splitting: line), list.isSimple, let item = list.items.first,
      let command = try? ShellCommand(parsing: item.line), let argv = command.stages.first,
      let program = argv.first, program == "oc" || program == "kubectl", let verb = argv.firstIndex(of: "logs")
    else { return nil }
    var arguments = Array(argv.dropFirst())
    arguments.remove(at: verb - 1)
    guard let flags = try? Flags(parsing: arguments, allowed: Kubectl.Verb.logs.flags), flags.isSet("follow"),
      flags.value("selector") == nil, flags.positional.count == 1
    else { return nil }
    self.program = program
    self.flags = flags
    self.workstation = workstation
  }

  /// Finds the pod and container the command printed the log of, and how many lines it printed.
  public mutating func start(in cluster: Cluster) {
    let kubectl = Kubectl.reading(cluster, workstation: workstation, as: program)
    guard let target = flags.positional.first, let (pod, _) = try? kubectl.resolvePod(target, flags: flags, forLogs: true),
      let (container, _) = try? kubectl.container(of: pod, flags: flags), let uid = pod.metadata.uid
    else { return }
    source = Source(podUID: uid, namespace: pod.metadata.namespace ?? "", name: pod.metadata.name, container: container)
    printed = cluster.telemetry.logLength(podUID: uid, container: container)
  }

  /// The lines the container wrote since the last call, as `logs` prints them.
  public mutating func changes(in cluster: Cluster) -> String {
    guard let source else { return "" }
    let written = cluster.telemetry.logLength(podUID: source.podUID, container: source.container)
    let lines = cluster.telemetry.log(podUID: source.podUID, container: source.container).suffix(max(written - printed, 0))
    printed = written
    return Kubectl.logText(lines, timestamps: flags.isSet("timestamps"))
  }

  /// Whether the followed container has yet to start.
  public func isPending(in cluster: Cluster) -> Bool {
    guard let status = containerStatus(in: cluster) else { return false }
    return status.state.running == nil && status.state.terminated == nil
  }

  /// Whether the container stopped, or its pod is gone (or was never found).
  public func hasEnded(in cluster: Cluster) -> Bool {
    guard let status = containerStatus(in: cluster) else { return true }
    return status.state.terminated != nil
  }

  /// The followed container's status, while its pod is there.
  private func containerStatus(in cluster: Cluster) -> ContainerStatus? {
    guard let source, let pod = cluster.store.pod(PodRef(namespace: source.namespace, name: source.name)),
      pod.metadata.uid == source.podUID
    else { return nil }
    return pod.status?.containerStatuses?.first { $0.name == source.container }
  }

  /// A container of a pod, as the command found it: a new pod of the same name is another.
  private struct Source: Equatable, Sendable {
    var podUID: String
    var namespace: String
    var name: String
    var container: String
  }
}
