import ClusterModel

/// The `oc` and `kubectl` command lines, one engine: `oc` adds `new-project`, `project`, `projects` and `whoami`.
struct Kubectl {
  /// `oc` or `kubectl`, as typed; used in messages.
  let name: String
  var invocation: Invocation

  var cluster: Cluster {
    get { invocation.cluster }
    set { invocation.cluster = newValue }
  }

  var workstation: Workstation {
    get { invocation.session.workstation }
    set { invocation.session.workstation = newValue }
  }

  /// Runs `oc ARGS…`.
  mutating func run(_ arguments: [String]) -> ToolResult {
    let subcommands = Self.subcommands.filter { name == "oc" || !$0.value.ocOnly }
    var index = 0
    while index < arguments.count && arguments[index].hasPrefix("-") {
      index += ["-n", "--namespace"].contains(arguments[index]) ? 2 : 1
    }
    guard index < arguments.count else {
      return ToolResult(stdout: usage())
    }
    let verbIndex = index
    let verb = arguments[verbIndex]
    guard let spec = subcommands[verb] else {
      return failure("error: unknown command \"\(verb)\" for \"\(name)\"")
    }
    var rest = arguments
    rest.remove(at: verbIndex)
    let flags: Flags
    do {
      flags = try Flags(parsing: rest, allowed: spec.flags)
    } catch {
      return failure("error: \(error.message)\nSee '\(name) \(verb) --help' for usage.")
    }
    do {
      return try perform(verb, flags)
    } catch {
      return failure(error.message)
    }
  }

  /// A one-line failure on standard error, exit status 1.
  func failure(_ message: String) -> ToolResult {
    ToolResult(stderr: message + "\n", exitCode: 1)
  }

  /// The namespace a command acts in: `-n`, else the current project.
  func namespace(_ flags: Flags) -> String {
    flags.value("namespace") ?? workstation.currentProject
  }

  private func usage() -> String {
    let commands = Self.subcommands.keys.filter { name == "oc" || Self.subcommands[$0]?.ocOnly == false }.sorted()
    return "\(name) controls the modelled cluster.\n\nAvailable Commands:\n"
      + commands.map { "  \($0)\n" }.joined() + "\nUsage:\n  \(name) [flags] [options]\n"
  }

  /// One subcommand: the flags it accepts, and whether only `oc` has it.
  struct Subcommand: Sendable {
    var flags: Set<String>
    var ocOnly = false
  }

  static let subcommands: [String: Subcommand] = [
    "get": Subcommand(flags: ["namespace", "all-namespaces", "selector", "output", "show-labels", "filename", "watch"]),
    "describe": Subcommand(flags: ["namespace", "all-namespaces", "selector"]),
    "apply": Subcommand(flags: ["namespace", "filename", "dry-run", "recursive"]),
    "create": Subcommand(flags: ["namespace", "filename", "dry-run", "from-file", "from-literal", "cert", "key", "type"]),
    "delete": Subcommand(flags: ["namespace", "selector", "all", "filename", "grace-period", "force", "wait"]),
    "logs": Subcommand(flags: ["namespace", "container", "tail", "timestamps", "follow", "previous"]),
    "exec": Subcommand(flags: ["namespace", "container", "stdin", "tty"]),
    "scale": Subcommand(flags: ["namespace", "replicas"]),
    "rollout": Subcommand(flags: ["namespace"]),
    "label": Subcommand(flags: ["namespace", "overwrite", "selector", "all"]),
    "annotate": Subcommand(flags: ["namespace", "overwrite", "selector", "all"]),
    "new-project": Subcommand(flags: ["display-name", "description", "skip-config-write"], ocOnly: true),
    "project": Subcommand(flags: ["short"], ocOnly: true),
    "projects": Subcommand(flags: ["short"], ocOnly: true),
    "whoami": Subcommand(flags: [], ocOnly: true),
  ]

  /// Runs one subcommand with its parsed flags.
  private mutating func perform(_ verb: String, _ flags: Flags) throws(KubectlError) -> ToolResult {
    switch verb {
    case "get": return try get(flags)
    case "describe": return try describe(flags)
    case "apply": return try apply(flags, create: false)
    case "create": return flags.positional.first == "secret" ? try createSecret(flags) : try apply(flags, create: true)
    case "delete": return try delete(flags)
    case "logs": return try logs(flags)
    case "exec": return try exec(flags)
    case "scale": return try scale(flags)
    case "rollout": return try rollout(flags)
    case "label": return try label(flags, annotate: false)
    case "annotate": return try label(flags, annotate: true)
    case "new-project": return try newProject(flags)
    case "project": return try project(flags)
    case "projects": return try projects(flags)
    default: return ToolResult(stdout: Cluster.user + "\n")
    }
  }
}

/// A failure of an `oc` command, with the exact text it prints.
struct KubectlError: Error {
  var message: String

  init(_ message: String) {
    self.message = message
  }

  /// `Error from server (Reason): message`, as kubectl prints API errors.
  init(server error: ClusterError) {
    if case .invalid = error {
      message = "The \(error)"
    } else {
      message = "\(error.serverPrefix): \(error)"
    }
  }
}
