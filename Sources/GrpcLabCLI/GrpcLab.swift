import ArgumentParser
import ClusterModel
import ClusterTools
import LabKit

/// The `grpclab` command tree: the same grammar on the command line and in the REPL.
public struct GrpcLab: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "grpclab",
    abstract: "A lab runner for gRPC load balancing in Kubernetes with and without Istio.",
    version: GrpcLab.version,
    subcommands: [
      Start.self, Run.self, Check.self, Sweep.self, Step.self, Next.self, Prev.self, Goto.self, Hint.self, Solution.self, Solve.self,
      Why.self, Undo.self, List.self, Lang.self, Status.self, Reset.self, Certs.self, Demo.self, Lint.self, Bench.self, Dev.self,
    ],
    defaultSubcommand: Start.self)

  /// The version `grpclab --version` prints.
  public static let version = "0.11.0"

  public init() {}

  /// Parses `arguments` and runs the command against `environment`.
  ///
  /// - Returns: The process exit status.
  public static func main(_ arguments: [String], environment: GrpcLabEnvironment) -> Int32 {
    let named = arguments.first == "help" ? arguments.dropFirst().first : arguments.first
    if let word = named, !word.hasPrefix("-"), word != "help", verb(named: word) == nil {
      environment.writeError(notAVerb(word, arguments: Array(arguments.drop { $0 == "help" })) + "\n")
      return 2
    }
    if arguments.prefix(while: { $0 != "--" }).contains(where: { $0 == "--help" || $0 == "-h" }) {
      environment.write(help(for: arguments, language: environment.preferredLanguage) + "\n")
      return 0
    }
    let (options, passthrough) = Run.split(Demo.spellingAutoSeconds(arguments))
    var command: any ParsableCommand
    do {
      command = try parseAsRoot(options)
    } catch {
      return report(error, environment)
    }
    if var run = command as? Run, let passthrough {
      run.command = passthrough
      command = run
    }
    guard let executable = command as? any Executable else {
      environment.write(help(for: arguments, language: environment.preferredLanguage) + "\n")
      return 0
    }
    do {
      return try executable.execute(environment)
    } catch {
      environment.writeError("grpclab: \(error.text(environment.preferredLanguage))\n")
      if case .usage = error { return 2 }
      return 1
    }
  }

  /// Prints an argument-parsing error (or help) the way ArgumentParser does, and returns the exit status:
  /// 0 for help, 2 for a usage error (as shells and `check` promise), 1 otherwise.
  static func report(_ error: any Error, _ environment: GrpcLabEnvironment) -> Int32 {
    let message = fullMessage(for: error)
    let code = exitCode(for: error)
    if code == .success {
      environment.write(message + "\n")
      return 0
    }
    environment.writeError(message + "\n")
    return code == .validationFailure ? 2 : code.rawValue
  }
}

/// Options every workspace command shares.
struct WorkspaceOptions: ParsableArguments {
  @Option(help: "The workspace folder (default: $GRPCLAB_WORKSPACE or ~/grpclab).")
  var workspace: String?

  func resolved(_ environment: GrpcLabEnvironment) -> Workspace {
    let path = workspace.map(environment.absolute) ?? environment.defaultWorkspace
    return Workspace(path: path, files: environment.files, stopwatch: environment.stopwatch)
  }
}

/// A subcommand that runs against the environment.
protocol Executable: ParsableCommand {
  func execute(_ environment: GrpcLabEnvironment) throws(GrpcLabError) -> Int32
}

/// A command that needs no lab session; inside the lab shell it runs with the workspace as its working
/// directory.
protocol WorkspaceFileCommand: Executable {}

extension Executable {
  /// Unused: `GrpcLab.main` calls `execute(_:)` with the environment instead.
  func run() throws {}
}

/// A subcommand that acts on a workspace's session.
protocol LabCommand: Executable {
  var options: WorkspaceOptions { get }
  /// Runs on `context.session`; returns the exit status.
  func run(_ context: inout CommandContext) throws(GrpcLabError) -> Int32
}

extension LabCommand {
  /// Loads the workspace under its lock, runs, and saves.
  func execute(_ environment: GrpcLabEnvironment) throws(GrpcLabError) -> Int32 {
    try options.resolved(environment).withSession(environment) { context throws(GrpcLabError) in try run(&context) }
  }
}

extension Workspace {
  /// Loads the session under the workspace's lock (creating it when new), runs `body` on it, and saves it
  /// when its state changed.
  func withSession(
    _ environment: GrpcLabEnvironment, _ body: (inout CommandContext) throws(GrpcLabError) -> Int32
  ) throws(GrpcLabError) -> Int32 {
    try withSaved(environment, body).status
  }

  /// `withSession`, returning the session as saved too.
  ///
  /// - Parameter seed: The seed of the workspace's cluster when it is new (random when nil).
  func withSaved(
    _ environment: GrpcLabEnvironment, seed: UInt64? = nil, lab: String? = nil,
    _ body: (inout CommandContext) throws(GrpcLabError) -> Int32
  ) throws(GrpcLabError) -> (status: Int32, saved: Saved) {
    try locked(holder: environment.lockHolder, waiting: environment.reportWaiting) { () throws(GrpcLabError) -> (Int32, Saved) in
      var saved = try load(
        seed: seed, lab: lab, randomSeed: environment.randomSeed, language: environment.preferredLanguage,
        started: environment.wallClock())
      var context = CommandContext(environment: environment, workspace: self, session: saved.session)
      let status = try body(&context)
      if context.session.state != saved.session.state {
        saved.session = context.session
        saved = try save(saved)
      }
      return (status, saved)
    }
  }
}

/// What a command runs with: the environment, the workspace and its loaded session.
struct CommandContext {
  let environment: GrpcLabEnvironment
  let workspace: Workspace
  var session: LabSession
  /// The lab time the last learner command waits for after its output, which the caller follows.
  var waitsUntil: SimTime?
  /// The exit status of the last line the shell ran.
  var lastStatus: Int32 = 0
  /// The lab time when the last learner command had run, before anything it waits for.
  var commandEnded: SimTime?
  /// Whether completing a step is announced at once (a demo may keep the answer for later).
  var announcesCompletion = true

  func print(_ text: String) { environment.write(text) }

  /// The width lab texts are laid out at: the terminal's, read now so that it follows resizes.
  var width: Int { environment.columns() ?? TextLayout.defaultWidth }

  /// When the step's checks did not pass in `before` (the session before a command), records it completed
  /// if they pass now and says so at once.
  mutating func announceCompletion(since before: LabSession) {
    if session.becameComplete(since: before) { announceCompletion() }
  }

  /// Says that the current step is complete, where completions are announced.
  mutating func announceCompletion() {
    guard announcesCompletion else { return }
    let language = session.state.language
    let title = session.currentStep.title.text(language)
    print(Message.stepComplete(number: session.state.step + 1, title: title).text(language) + "\n")
  }
}
