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

  /// kubectl's `rollout` subcommands, in name order; the lab models `history`, `restart` and `status`.
  static let rolloutCommands = ["history", "pause", "restart", "resume", "status", "undo"]

  /// Runs `oc ARGS…`.
  mutating func run(_ arguments: [String]) -> ToolResult {
    var index = 0
    while index < arguments.count && arguments[index].hasPrefix("-") {
      index += ["-n", "--namespace"].contains(arguments[index]) ? 2 : 1
    }
    guard index < arguments.count else {
      return ToolResult(stdout: usage())
    }
    let verbIndex = index
    guard let verb = Verb(rawValue: arguments[verbIndex]), name == "oc" || !verb.ocOnly else {
      return ToolResult(stderr: unknownCommand(arguments[verbIndex]), exitCode: 1)
    }
    var rest = arguments
    rest.remove(at: verbIndex)
    let flags: Flags
    do {
      flags = try Flags(parsing: rest, allowed: verb.flags)
    } catch {
      let command = verb == .rollout ? rest.first(where: Self.rolloutCommands.contains).map { "rollout \($0)" } ?? "rollout" : verb.rawValue
      let outputs: Set<String> = verb == .rollout && command != "rollout status" ? ["-o", "--output"] : []
      if let flag = error.unknownFlag, verb.unmodelledFlags.union(outputs).contains(flag) {
        let modelled = Flags.table.filter { verb.flags.contains($0.long) || $0.long == "namespace" }.map { flag in
          flag.short.map { "-\($0)" } ?? "--\(flag.long)"
        }
        return .notModelled("\(command) \(flag)", in: name, "its \(verb.rawValue) has \(modelled.joined(separator: ", "))")
      }
      return failure("Error: \(error.message)\nSee '\(name) \(command) --help' for usage.")
    }
    do {
      return try perform(verb, flags)
    } catch {
      return failure(error.message)
    }
  }

  /// The error for a first word that is none of the program's commands, as cobra words it: with the
  /// commands within two edits of it or starting with it, in the order the program adds them. kubectl
  /// prints the error alone; oc's cobra adds its usage hint. A real command the lab does not model says so.
  func unknownCommand(_ typed: String) -> String {
    let commands = name == "oc" ? Self.ocCommands : Self.kubectlCommands
    if commands.contains(typed) {
      let modelled = Verb.allCases.filter { name == "oc" || !$0.ocOnly }.map(\.rawValue)
      return ToolResult.notModelled(typed, in: name, "it has \(modelled.joined(separator: ", "))").stderr
    }
    let lowered = typed.lowercased()
    let suggestions = commands.filter { lowered.editDistance(to: $0, countingSwaps: false) <= 2 || $0.hasPrefix(lowered) }
    var message = "Error: unknown command \"\(typed)\" for \"\(name)\""
    if !suggestions.isEmpty { message += "\n\nDid you mean this?\n" + suggestions.map { "\t\($0)\n" }.joined() }
    return message + "\n" + (name == "oc" ? "Run 'oc --help' for usage.\n" : "")
  }

  /// kubectl 1.32's commands, in the order it adds them.
  private static let kubectlCommands = [
    "create", "expose", "run", "set", "explain", "get", "edit", "delete", "rollout", "scale", "autoscale", "certificate",
    "cluster-info", "top", "cordon", "uncordon", "drain", "taint", "describe", "logs", "attach", "exec", "port-forward",
    "proxy", "cp", "auth", "debug", "events", "diff", "apply", "patch", "replace", "wait", "kustomize", "label", "annotate",
    "completion", "config", "plugin", "version", "api-versions", "api-resources", "options",
  ]

  /// oc's commands, in the order openshift/oc adds them (`pkg/cli/cli.go`).
  private static let ocCommands = [
    "login", "new-project", "new-app", "status", "project", "projects", "explain", "rollout", "rollback", "new-build",
    "start-build", "cancel-build", "import-image", "tag", "create", "apply", "get", "describe", "edit", "set", "label",
    "annotate", "expose", "delete", "scale", "autoscale", "secrets", "serviceaccounts", "logs", "rsh", "rsync",
    "port-forward", "debug", "exec", "proxy", "attach", "run", "cp", "wait", "events", "adm", "replace", "patch", "process",
    "extract", "observe", "policy", "auth", "image", "registry", "idle", "api-versions", "api-resources", "cluster-info",
    "diff", "kustomize", "logout", "config", "whoami", "completion", "plugin", "version", "options",
  ]

  /// A one-line failure on standard error, exit status 1.
  func failure(_ message: String) -> ToolResult {
    ToolResult(stderr: message + "\n", exitCode: 1)
  }

  /// The namespace a command acts in: `-n`, else the current project.
  func namespace(_ flags: Flags) -> String {
    flags.value("namespace") ?? workstation.currentProject
  }

  private func usage() -> String {
    let commands = Verb.allCases.filter { name == "oc" || !$0.ocOnly }.map(\.rawValue).sorted()
    return "\(name) controls the modelled cluster.\n\nAvailable Commands:\n"
      + commands.map { "  \($0)\n" }.joined() + "\nUsage:\n  \(name) [flags] [options]\n"
  }

  /// The subcommands: `oc` has them all, `kubectl` all but OpenShift's project commands.
  enum Verb: String, CaseIterable, Sendable {
    case get, describe, apply, create, delete, logs, exec, scale, rollout, label, annotate
    case newProject = "new-project", project, projects, whoami

    /// The long names of the flags it accepts.
    var flags: Set<String> {
      switch self {
      case .get: ["namespace", "all-namespaces", "selector", "output", "show-labels", "filename", "watch", "no-headers"]
      case .describe: ["namespace", "all-namespaces", "selector"]
      case .apply: ["namespace", "filename", "dry-run", "recursive", "output"]
      case .create: ["namespace", "filename", "dry-run", "from-file", "from-literal", "cert", "key", "type", "output"]
      case .delete: ["namespace", "selector", "all", "filename", "grace-period", "force", "wait"]
      case .logs: ["namespace", "container", "tail", "timestamps", "follow", "previous", "selector", "prefix", "max-log-requests"]
      case .exec: ["namespace", "container", "stdin", "tty"]
      case .scale: ["namespace", "replicas"]
      case .rollout: ["namespace", "selector"]
      case .label, .annotate: ["namespace", "overwrite", "selector", "all"]
      case .newProject: ["display-name", "description", "skip-config-write"]
      case .project, .projects: ["short"]
      case .whoami: []
      }
    }

    /// Whether only `oc` has it.
    var ocOnly: Bool { [.newProject, .project, .projects, .whoami].contains(self) }

    /// Flags kubectl 1.32 has for it that the lab does not model, as a learner may type them: said to be
    /// outside the lab rather than unknown (and `-o` for the rollout subcommands but `status`).
    var unmodelledFlags: Set<String> {
      switch self {
      case .get:
        ["--sort-by", "--field-selector", "--show-kind", "--show-managed-fields", "--ignore-not-found", "-L", "--label-columns",
         "--chunk-size", "--watch-only", "--output-watch-events", "--raw", "--server-print", "--template", "-k", "--kustomize",
         "--subresource", "--allow-missing-template-keys"]
      case .describe: ["--show-events", "--chunk-size", "-f", "--filename", "-k", "--kustomize", "-R", "--recursive"]
      case .apply:
        ["-k", "--kustomize", "--server-side", "--force-conflicts", "--field-manager", "--prune", "--overwrite", "--validate",
         "--wait", "--timeout", "--force", "--grace-period", "-l", "--selector", "--all", "--show-managed-fields", "--template"]
      case .create: ["-k", "--kustomize", "--edit", "--save-config", "--validate", "--raw", "-l", "--selector", "--field-manager"]
      case .delete:
        ["--ignore-not-found", "--now", "--timeout", "--cascade", "--field-selector", "-k", "--kustomize", "-A", "--all-namespaces",
         "--raw", "-i", "--interactive", "-o", "--output", "-R", "--recursive"]
      case .logs:
        ["--since", "--since-time", "--limit-bytes", "--all-containers", "--ignore-errors", "--pod-running-timeout",
         "--insecure-skip-tls-verify-backend", "--all-pods"]
      case .exec: ["-q", "--quiet", "--pod-running-timeout", "-f", "--filename"]
      case .scale: ["--current-replicas", "--resource-version", "--timeout", "--all", "-l", "--selector", "-f", "--filename", "-o", "--output"]
      case .rollout: ["--timeout", "-w", "--watch", "--revision", "-f", "--filename", "-k", "--kustomize"]
      case .label, .annotate:
        ["--list", "--resource-version", "--local", "--dry-run", "-f", "--filename", "--field-selector", "-o", "--output", "-A",
         "--all-namespaces", "-k", "--kustomize"]
      case .newProject, .project, .projects, .whoami: []
      }
    }
  }

  /// Runs one subcommand with its parsed flags.
  private mutating func perform(_ verb: Verb, _ flags: Flags) throws(KubectlError) -> ToolResult {
    switch verb {
    case .get: return try get(flags)
    case .describe: return try describe(flags)
    case .apply: return try apply(flags, create: false)
    case .create: return flags.positional.first == "secret" ? try createSecret(flags) : try apply(flags, create: true)
    case .delete: return try delete(flags)
    case .logs: return try logs(flags)
    case .exec: return try exec(flags)
    case .scale: return try scale(flags)
    case .rollout: return try rollout(flags)
    case .label: return try label(flags, annotate: false)
    case .annotate: return try label(flags, annotate: true)
    case .newProject: return try newProject(flags)
    case .project: return try project(flags)
    case .projects: return try projects(flags)
    case .whoami: return ToolResult(stdout: Cluster.user + "\n")
    }
  }
}

/// A failure of an `oc` command, with the exact text it prints.
struct KubectlError: Error {
  var message: String

  init(_ message: String) {
    self.message = message
  }

  /// A flag the command does not have (`--sort-by`, `-k`), in cobra's words unless `message` says otherwise.
  init(unknownFlag flag: String, message: String? = nil) {
    self.message = message ?? "unknown flag: \(flag)"
    unknownFlag = flag
  }

  /// The flag, as typed, when the error is one the command does not have.
  var unknownFlag: String?

  /// `Error from server (Reason): message`, as kubectl prints API errors.
  init(server error: ClusterError) {
    if case .invalid = error {
      message = "The \(error)"
    } else {
      message = "\(error.serverPrefix): \(error)"
    }
  }
}
