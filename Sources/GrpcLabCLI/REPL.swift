import ArgumentParser
import ClusterTools
import LabKit

/// The interactive loop: one line at a time, learner commands to the cluster, verbs to the command tree.
///
/// The shell holds the workspace lock only while a command runs. Before each command it reloads the
/// session when another terminal saved a newer revision, so every terminal adds to one journal.
struct REPL {
  var context: CommandContext
  /// The revision of the save this shell's session matches.
  var revision: Int
  /// How many journal entries the workspace's snapshot covers, as far as the shell knows.
  var snapshotEntries: Int?
  /// Lines read but not yet run: what followed a complete command in one input (a multi-line entry
  /// recalled from history, or pasted text).
  private var pending: [String] = []

  /// A shell on `saved`, with `context` for its environment and workspace.
  init(context: CommandContext, saved: Workspace.Saved) {
    self.context = context
    self.context.session = saved.session
    revision = saved.revision
    snapshotEntries = saved.snapshotEntries
  }

  /// The shell's session as the workspace saved it.
  var saved: Workspace.Saved {
    get { Workspace.Saved(session: context.session, revision: revision, snapshotEntries: snapshotEntries) }
    set {
      context.session = newValue.session
      revision = newValue.revision
      snapshotEntries = newValue.snapshotEntries
    }
  }

  /// The shell's own commands, which need no session and no lock.
  static let builtins: Set<String> = ["help", "clear", "exit", "quit"]

  /// The prompt: lab and step, `grpc-lb [1/5] ❯ `; in colour on a terminal (escapes between `\u{1}`
  /// marks, which the line editor does not count as columns).
  var prompt: String {
    let session = context.session
    let step = "[\(session.state.step + 1)/\(session.lab.steps.count)]"
    guard context.environment.colour else { return "\(session.lab.id) \(step) ❯ " }
    func paint(_ text: String, _ code: String) -> String { "\u{1}\u{1B}[\(code)m\u{1}\(text)\u{1}\u{1B}[0m\u{1}" }
    return "\(paint(session.lab.id, "36")) \(paint(step, "2")) \(paint("❯", "32")) "
  }

  /// Runs commands until input ends or `exit`; returns the status `exit N` gives, else the last command's,
  /// as bash does.
  mutating func loop() -> Int32 {
    let session = context.session
    let language = session.state.language
    context.print("\(session.lab.title.text(language))\n\(TextLayout.reflow(Message.greeting.text(language), width: context.width))\n\n")
    while let line = readCommand() {
      let list = try? ShellList(splitting: line)
      if list?.items.isEmpty == true { continue }
      let words = list?.firstWords ?? []
      switch words.first {
      case "exit", "quit":
        if let status = exitStatus(line) { return status }
      default:
        do {
          try run(line, words: words)
        } catch {
          context.environment.writeError("grpclab: \(error.text(context.session.state.language))\n")
        }
      }
    }
    return context.lastStatus
  }

  /// The status `exit [N]` ends the shell with: N (its words expanded, modulo 256), else the last command's;
  /// 2 when N is no number, as bash says. nil when it has more than one word, which bash refuses and
  /// goes on.
  private mutating func exitStatus(_ line: String) -> Int32? {
    let workstation = context.session.tools.workstation
    let expanded = try? ShellCommand(parsing: line) { expansion in
      switch expansion {
      case .variable(let name): workstation.variables[name] ?? ""
      case .status: String(context.lastStatus)
      case .command: nil
      }
    }
    let words = Array(expanded?.stages.first?.dropFirst() ?? [])
    guard let number = words.first else { return context.lastStatus }
    guard let status = Int(String(number.drop { $0 == " " || $0 == "\t" })) else {
      context.environment.writeError("grpclab: exit: \(number): numeric argument required\n")
      return 2
    }
    guard words.count == 1 else {
      context.environment.writeError("grpclab: exit: too many arguments\n")
      context.lastStatus = 1
      return nil
    }
    return Int32(truncatingIfNeeded: status & 0xFF)
  }

  /// Reads one command as bash reads it (`ShellLineReader`): with the lines a trailing `\\`, `|`, `&&` or
  /// `||` carries on to, and the body of a here-document it opens; nil at end of input. The whole command
  /// becomes one history entry.
  mutating func readCommand() -> String? {
    while true {
      context.environment.offerCompletions(Completer(session: context.session, workspace: context.workspace.path, files: context.environment.files))
      guard let first = nextLine(prompt) else { return nil }
      if first == GrpcLabEnvironment.interrupt { continue }
      var reader = ShellLineReader()
      var complete = reader.add(first)
      var abandoned = false
      while !complete {
        guard let next = nextLine("> ") else {
          if let warning = reader.closeAtEndOfInput() { context.environment.writeError("grpclab: \(warning)\n") }
          break
        }
        if next == GrpcLabEnvironment.interrupt {
          abandoned = true
          pending = []
          break
        }
        complete = reader.add(next)
      }
      if abandoned { continue }
      let line = reader.command
      if !line.allSatisfy(\.isWhitespace) { context.environment.remember(line) }
      return line
    }
  }

  /// The next line of input: one left from an input of several lines, else one read at `prompt`.
  private mutating func nextLine(_ prompt: String) -> String? {
    if pending.isEmpty {
      guard let input = context.environment.readLine(prompt) else { return nil }
      pending = input.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }
    return pending.removeFirst()
  }

  /// Runs one command line: a builtin at once; anything else under the workspace lock, on the session
  /// as the last save left it.
  mutating func run(_ line: String, words: [String]) throws(GrpcLabError) {
    let list = try? ShellList(splitting: line)
    let simple = list?.isSimple ?? false
    if simple, let first = words.first, Self.builtins.contains(first) {
      builtin(first, words)
      return
    }
    if simple, words.first == "reset", let reset = try? GrpcLab.parseAsRoot(words) as? GrpcLab.Reset {
      try self.reset(reset)
      return
    }
    let environment = context.environment
    let workspace = context.workspace
    let holder = environment.lockHolder + ": " + (line.split(separator: "\n").first.map(String.init) ?? "")
    try workspace.locked(holder: holder, waiting: environment.reportWaiting) { () throws(GrpcLabError) in
      saved = try workspace.refresh(saved, environment)
      let before = context.session.state
      try handle(line, words: words, list: list)
      if context.session.state != before { saved = try workspace.save(saved) }
    }
    try workspace.follow(line, until: context.waitsUntil, from: &saved, environment: environment)
    context.waitsUntil = nil
  }

  /// `reset [--step N]` on the shell's workspace, which takes the lock itself; the shell goes on with the
  /// session it leaves, in the same language.
  private mutating func reset(_ reset: GrpcLab.Reset) throws(GrpcLabError) {
    var environment = context.environment
    environment.defaultWorkspace = context.workspace.path
    environment.workingDirectory = context.workspace.path
    environment.preferredLanguage = context.session.state.language
    let workspace = context.workspace
    guard (try reset.execute(environment)) == 0 else { return }
    saved = try workspace.locked(holder: environment.lockHolder, waiting: environment.reportWaiting) {
      () throws(GrpcLabError) -> Workspace.Saved in
      try workspace.load(
        seed: nil, randomSeed: environment.randomSeed, language: environment.preferredLanguage, started: environment.wallClock())
    }
  }

  /// The shell's own commands: `help [VERB]` and `clear`.
  private func builtin(_ name: String, _ words: [String]) {
    switch name {
    case "clear":
      context.print("\u{1B}[H\u{1B}[2J\u{1B}[3J")
    default:
      let language = context.session.state.language
      context.print((words.count == 1 ? GrpcLab.shellHelp(language) : GrpcLab.help(for: words, language: language)) + "\n")
    }
  }

  /// Runs one line on the session: a learner program, a variable assignment, a verb, or a verb's help. A
  /// line the shell cannot parse, a pipeline and a list go to the lab shell, which runs them or says why.
  mutating func handle(_ line: String, words: [String], list: ShellList?) throws(GrpcLabError) {
    let simple = list?.isSimple ?? false
    let ownWords = Set(Self.builtins).union(GrpcLab.configuration.subcommands.map { $0._commandName }).subtracting(ToolSession.programs)
    if !simple, let verb = list?.stages.compactMap(\.first).first(where: ownWords.contains) {
      context.environment.writeError(Message.verbAlone(verb).text(context.session.state.language) + "\n")
      context.lastStatus = 2
      return
    }
    guard let first = words.first, !ToolSession.programs.contains(first), simple else {
      let before = context.session
      context.lastStatus = context.execute(line, workingDirectory: context.workspace.path, endingWithNewline: true)
      context.announceCompletion(since: before)
      return
    }
    context.lastStatus = 1
    guard let verb = GrpcLab.verb(named: first) else {
      let language = context.session.state.language
      let known = ToolSession.programs.union(Self.builtins).union(GrpcLab.configuration.subcommands.map { $0._commandName })
      context.environment.writeError(
        Message.commandNotFound(first, suggestion: Suggestion.closest(to: first, among: known.sorted())).text(language) + "\n")
      context.lastStatus = 127
      return
    }
    if words.contains("--help") || words.contains("-h") {
      context.print(GrpcLab.help(for: words, language: context.session.state.language) + "\n")
      context.lastStatus = 0
      return
    }
    // A verb the shell does not run is said to be so before its arguments are read; `reset`, which the shell
    // runs itself once it parses, gets its parse error.
    guard GrpcLab.runsInShell(verb) else {
      context.environment.writeError(Message.notInShell(first).text(context.session.state.language) + "\n")
      context.lastStatus = 2
      return
    }
    do {
      let command = try GrpcLab.parseAsRoot(words)
      if let fileCommand = command as? any WorkspaceFileCommand {
        var environment = context.environment
        environment.workingDirectory = context.workspace.path
        environment.preferredLanguage = context.session.state.language
        do {
          context.lastStatus = try fileCommand.execute(environment)
        } catch {
          environment.writeError("grpclab: \(error.text(environment.preferredLanguage))\n")
        }
        return
      }
      guard let labCommand = command as? any LabCommand else { return }
      context.lastStatus = try labCommand.run(&context)
    } catch let error as GrpcLabError {
      throw error
    } catch {
      context.lastStatus = GrpcLab.report(error, context.environment)
    }
  }
}
