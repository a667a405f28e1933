import ClusterModel

/// What a command does after its output, a lab second at a time, until it ends or is stopped: `oc get
/// TYPE -w` prints a row for each change (`Watch`), `oc logs POD -f` each new line (`LogFollow`).
public protocol Following: Sendable {
  /// Remembers what the command's own output showed, so that only what comes after it prints.
  mutating func start(in cluster: Cluster)
  /// What came since the last call; empty when nothing did.
  mutating func changes(in cluster: Cluster) -> String
  /// Whether what is followed is still on its way (a pod starting): off a terminal, following goes on
  /// only while it is.
  func isPending(in cluster: Cluster) -> Bool
  /// Whether there is nothing more to follow: `logs -f` ends with its container.
  func hasEnded(in cluster: Cluster) -> Bool
}

extension ToolSession {
  /// The following a command line asks for: a watch or a followed log; nil for any other line.
  public static func following(_ line: String, workstation: Workstation) -> (any Following)? {
    Watch(line: line, workstation: workstation) ?? LogFollow(line: line, workstation: workstation)
  }
}

extension Kubectl {
  /// The program (`oc` or `kubectl`) and the flags and words of `line` when it is that program's `verb` alone:
  /// one command, no list or pipeline; nil for any other line, or flags `verb` does not take.
  static func simpleCommand(_ line: String, verb: Verb) -> (program: String, flags: Flags)? {
    guard let list = try? ShellList(splitting: line), list.isSimple, let item = list.items.first,
      let command = try? ShellCommand(parsing: item.line), let argv = command.stages.first,
      let program = argv.first, program == "oc" || program == "kubectl", let position = argv.firstIndex(of: verb.rawValue)
    else { return nil }
    var arguments = Array(argv.dropFirst())
    arguments.remove(at: position - 1)
    guard let flags = try? Flags(parsing: arguments, allowed: verb.flags) else { return nil }
    return (program, flags)
  }

  /// `program` (`oc` or `kubectl`) over `cluster` as `workstation` sees it, reading no files: what finds
  /// the objects a following follows.
  static func reading(_ cluster: Cluster, workstation: Workstation, as program: String) -> Kubectl {
    let invocation = Invocation(
      session: ToolSession(cluster: cluster, workstation: workstation), files: NoFiles(), workingDirectory: "/", stdin: nil,
      language: .en, inSubshell: false)
    return Kubectl(name: program, invocation: invocation)
  }
}

/// No files: a following reads none.
private struct NoFiles: FileSource {
  /// Nothing, wherever.
  func contents(of path: String) -> FileContents { .missing }
}
