import ArgumentParser
import ClusterModel
import ClusterTools
import Foundation
import LabKit
import Synchronization

extension GrpcLab {
  /// `grpclab demo`: plays a scripted demo in the lab shell, typing each command, narrating and pausing;
  /// records it as asciicast v2 when asked.
  struct Demo: Executable {
    static let configuration = CommandConfiguration(
      commandName: "demo",
      abstract: "Play a scripted demo: typed commands, narration and pauses, paced by the presenter.",
      discussion: """
        Each command is typed, then runs when the presenter presses Enter (q quits). A demo runs in a \
        fresh workspace of its own, whose path it prints, unless --workspace is given; a second terminal \
        can run 'grpclab check --workspace DIR' beside it.
        """)

    @Argument(help: "The demo: a name from --list, or a .demo file.")
    var demo: String?

    @Option(help: "The workspace to play in (default: a fresh one).")
    var workspace: String?

    @Option(help: "The lab whose demos to play or list (default: grpc-lb).")
    var lab: String?

    @Option(help: ArgumentHelp(
      "The seed of a new workspace's cluster (the same seed, the same recording; default: the demo's '# seed', else 7).",
      valueName: "demo-seed"))
    var seed: UInt64?

    /// The seed of a demo that names none.
    static let defaultSeed: UInt64 = 7

    @Option(help: "The language of narration and lab texts: en or zh.")
    var lang: Language?

    @Option(help: "Typing speed in characters per second.")
    var speed: Int?

    @Flag(help: "Show each command at once instead of typing it.")
    var noTyping = false

    @Flag(help: "Run unattended: no waiting for keys (each pause lasts --pauses seconds).")
    var auto = false

    @Option(help: ArgumentHelp("How long each pause lasts with --auto (also: --auto SECONDS).", valueName: "seconds"))
    var pauses: Double = 1

    @Option(help: "Record the demo as asciicast v2 to this file.")
    var cast: String?

    @Option(help: "The terminal width of the recording and of lab texts.")
    var width: Int?

    @Flag(help: "Do not announce a step's completion (keep the answer for the class).")
    var noBanner = false

    @Flag(help: "List the lab's demos.")
    var list = false

    @Option(help: ArgumentHelp("Print a demo made from this workspace's journal.", valueName: "dir"))
    var fromWorkspace: String?

    /// The typing speed when neither the script nor --speed sets one.
    static let defaultSpeed = 25

    /// The arguments with `demo … --auto SECONDS` spelled `--auto --pauses SECONDS`, so that `--auto`
    /// takes a value or none.
    static func spellingAutoSeconds(_ arguments: [String]) -> [String] {
      guard arguments.first == "demo", let auto = arguments.firstIndex(of: "--auto"), auto + 1 < arguments.count,
        Double(arguments[auto + 1]) != nil
      else { return arguments }
      var spelled = arguments
      spelled.insert("--pauses", at: auto + 1)
      return spelled
    }

    /// The longest pause `--pauses` may ask for, in seconds.
    static let longestPause = 3_600.0

    func execute(_ environment: GrpcLabEnvironment) throws(GrpcLabError) -> Int32 {
      if let speed, speed < 1 {
        throw .usage("demo: --speed needs characters per second, a whole number from 1, not \(speed)")
      }
      guard pauses.isFinite, (0...Self.longestPause).contains(pauses) else {
        throw .usage("demo: --pauses needs seconds from 0 to \(Int(Self.longestPause)), not \(pauses)")
      }
      if let width, width < TextLayout.narrowest {
        throw .usage("demo: --width needs at least \(TextLayout.narrowest) columns, not \(width)")
      }
      if let fromWorkspace, !list {
        if self.lab != nil { throw .usage("demo: --from-workspace reads the workspace's own lab; drop --lab") }
        let folder = Workspace(path: environment.absolute(fromWorkspace), files: environment.files)
        let saved = try folder.locked(holder: environment.lockHolder, waiting: environment.reportWaiting) {
          () throws(GrpcLabError) -> SessionState in try folder.savedState()
        }
        let lab: Lab
        do { lab = try LabCatalog.lab(saved.lab) } catch { throw .lab(error) }
        environment.write(DemoScript.text(from: saved, lab: lab))
        return 0
      }
      let lab: Lab
      do { lab = try LabCatalog.lab(self.lab ?? LabCatalog.defaultLab) } catch { throw .lab(error) }
      if list { return listDemos(lab, environment) }
      guard let demo else { throw .usage("demo: name a demo (see 'grpclab demo --list') or a .demo file") }
      let (source, text) = try scriptText(demo, lab: lab, environment)
      let script: DemoScript
      do {
        script = try DemoScript(parsing: text, steps: lab.steps.count)
      } catch {
        environment.writeError(error.problems.map { "\(source):\($0)\n" }.joined())
        return 1
      }
      if let cast { try environment.checkRecording(to: cast) }
      var player = try DemoPlayer(options: self, lab: lab, script: script, environment: environment)
      return try player.play()
    }

    private func listDemos(_ lab: Lab, _ environment: GrpcLabEnvironment) -> Int32 {
      let demos = LabCatalog.demos(of: lab)
      let width = demos.map(\.name.count).max() ?? 0
      for demo in demos {
        guard let script = try? DemoScript(parsing: demo.script, steps: lab.steps.count) else { continue }
        let characters = script.commands.filter { !$0.hidden }.reduce(0) { $0 + $1.line.count }
        let seconds = characters / (speed ?? Self.defaultSpeed)
        let title = demo.script.split(separator: "\n").first.map { $0.drop { $0 == "#" || $0 == " " } } ?? ""
        environment.write(
          demo.name.padding(toLength: width + 2, withPad: " ", startingAt: 0)
            + "\(script.commands.count) commands, about \(seconds / 60)m\(seconds % 60)s of typing  \(title)\n")
      }
      return 0
    }

    /// The script's name for messages and its text: a lab demo by name, else a file.
    private func scriptText(_ demo: String, lab: Lab, _ environment: GrpcLabEnvironment) throws(GrpcLabError) -> (String, String) {
      if let shipped = LabCatalog.demos(of: lab).first(where: { $0.name == demo }) {
        return ("\(lab.id)/demos/\(demo).demo", shipped.script)
      }
      let path = environment.absolute(demo)
      switch environment.files.contents(of: path) {
      case .file(let text): return (demo, text)
      case .missing:
        let names = LabCatalog.demos(of: lab).map(\.name)
        throw .usage("demo: no demo '\(demo)': not one of the lab's (\(names.joined(separator: ", "))) and no such file")
      case .directory: throw .io(path, "Is a directory")
      case .unreadable(let reason): throw .io(path, reason)
      }
    }
  }
}

/// Plays a demo script in a lab shell: the shell's prompt, typed commands, narration set apart, pauses
/// for the presenter, expectations checked; mirrors everything into an asciicast when asked.
struct DemoPlayer {
  let options: GrpcLab.Demo
  let lab: Lab
  let script: DemoScript
  let environment: GrpcLabEnvironment
  /// The terminal the demo shows on (the shell's own output goes there through `recorder` too).
  let screen: @Sendable (String) -> Void
  var repl: REPL
  let recorder: DemoRecorder
  let language: Language
  var speed: Int
  var jitter: SplitMix64

  /// What the demo printed, and its recording, shared with the shell's output closures.
  final class DemoRecorder: Sendable {
    struct State {
      var cast: Asciicast?
      var seconds = 0.0
      var captured = ""
      var shown = true
    }

    let state: Mutex<State>

    init(cast: Asciicast?) { state = Mutex(State(cast: cast)) }

    /// Output from the shell: kept for expectations, and shown and recorded unless the command is hidden.
    func add(_ text: String, to write: @Sendable (String) -> Void) {
      let shown = state.withLock { state in
        state.captured += text
        if state.shown { state.cast?.output(text, at: state.seconds) }
        return state.shown
      }
      if shown { write(text) }
    }
  }

  init(options: GrpcLab.Demo, lab: Lab, script: DemoScript, environment outer: GrpcLabEnvironment) throws(GrpcLabError) {
    self.options = options
    self.lab = lab
    self.script = script
    let width = options.width ?? outer.columns() ?? 100
    let cast = options.cast.map { _ in
      Asciicast(
        width: width, height: 30, timestamp: Cluster.labStartTime.seconds,
        title: "\(lab.title.en) — \(options.demo ?? "")")
    }
    let recorder = DemoRecorder(cast: cast)
    self.recorder = recorder
    screen = outer.write
    var environment = outer
    environment.write = { text in recorder.add(text, to: outer.write) }
    environment.writeError = { text in recorder.add(text, to: outer.writeError) }
    environment.columns = { width }
    environment.interactive = false
    // A seed the presenter or the script names must be the workspace's; a new workspace, or one `reset`
    // in the demo, plays it, else the default seed, so that a demo replays the same.
    let named = options.seed ?? script.seed
    let seed = named ?? GrpcLab.Demo.defaultSeed
    environment.randomSeed = { seed }
    if options.workspace == nil { environment.wallClock = { nil } }
    self.environment = environment
    let path: String
    if let given = options.workspace {
      path = outer.absolute(given)
    } else {
      path = NSTemporaryDirectory() + "grpclab-demo-\(outer.randomSeed())"
      outer.writeError("grpclab: the demo plays in \(path); 'grpclab check --workspace \(path)' follows it\n")
    }
    let workspace = Workspace(path: path, files: outer.files, stopwatch: outer.stopwatch)
    let (_, saved) = try workspace.withSaved(environment, seed: named, lab: lab.id) { context throws(GrpcLabError) in
      if let lang = options.lang { context.session.setLanguage(lang) }
      return 0
    }
    language = saved.session.state.language
    var context = CommandContext(environment: environment, workspace: workspace, session: saved.session)
    context.announcesCompletion = !options.noBanner
    repl = REPL(context: context, saved: saved)
    speed = options.speed ?? GrpcLab.Demo.defaultSpeed
    jitter = SplitMix64(seed: seed)
  }

  /// Plays the script, and writes its recording when one was asked for; returns 0 when it ran to the end
  /// with every expectation holding, 1 when one did not or the recording could not be written, and 130
  /// when the presenter quit.
  mutating func play() throws(GrpcLabError) -> Int32 {
    guard let cast = options.cast else { return try playItems() }
    let recorder = recorder
    return try environment.keepingRecording(at: cast, text: { recorder.state.withLock { $0.cast?.text } }) {
      () throws(GrpcLabError) in try playItems()
    }
  }

  /// Plays the script's items in turn, as `play` says.
  private mutating func playItems() throws(GrpcLabError) -> Int32 {
    for item in script.items {
      switch item {
      case .say(let text):
        let words = TextLayout.reflow(text.text(language), width: max((environment.columns() ?? 100) - 4, TextLayout.narrowest))
        let marked = words.split(separator: "\n", omittingEmptySubsequences: false).map { "  » " + $0 }.joined(separator: "\n")
        show("\n" + (environment.colour ? "\u{1B}[2m\(marked)\u{1B}[0m" : marked) + "\n\n")
      case .pause:
        guard wait() else { return 130 }
      case .step(let index):
        try moveTo(step: index)
      case .speed(let value):
        if options.speed == nil { speed = value }
      case .command(let command):
        guard try run(command) else { return 130 }
        if let failure = check(command) {
          environment.writeError("grpclab: demo line \(command.lineNumber): \(failure)\n")
          return 1
        }
      }
    }
    return 0
  }

  /// Shows `text` as the demo's own output (recorded too), after `delay` seconds.
  private func show(_ text: String, after delay: Double = 0) {
    recorder.state.withLock { $0.seconds += delay }
    recorder.add(text, to: screen)
  }

  /// Waits for the presenter; false when they quit. Unattended, waits `--pauses` seconds.
  private func wait() -> Bool {
    if options.auto {
      recorder.state.withLock { $0.seconds += options.pauses }
      return environment.pause(Int(options.pauses * 1_000))
    }
    let started = environment.stopwatch()
    defer {
      let waited = Double(environment.stopwatch() &- started) / 1e9
      recorder.state.withLock { $0.seconds += max(waited, 0.5) }
    }
    while let key = environment.readKey() {
      if key == "q" || key == "\u{3}" || key == "\u{4}" { return false }
      if key == "\n" || key == "\r" || key == " " { return true }
    }
    return false
  }

  /// Types and runs one command; false when the presenter quit instead of running it.
  private mutating func run(_ command: DemoScript.Command) throws(GrpcLabError) -> Bool {
    recorder.state.withLock {
      $0.captured = ""
      $0.shown = !command.hidden
    }
    if !command.hidden {
      show(repl.prompt.replacingOccurrences(of: "\u{1}", with: ""))
      let lines = command.line.split(separator: "\n", omittingEmptySubsequences: false)
      for (index, line) in lines.enumerated() {
        if index > 0 { show("\n> ") }
        type(String(line))
      }
      if !options.auto {
        guard wait() else {
          show("\n")
          return false
        }
      }
      show("\n", after: 0.2)
    }
    let words = ShellList.firstWords(of: command.line)
    repl.context.commandEnded = nil
    do {
      try repl.run(command.line, words: words)
    } catch {
      environment.writeError("grpclab: \(error.text(language))\n")
      repl.context.lastStatus = 1
    }
    let followed = repl.context.commandEnded.map { Double((repl.context.session.cluster.now - $0).nanoseconds) / 1e9 } ?? 0
    recorder.state.withLock {
      $0.seconds += 0.3 + min(max(followed, 0), 60)
      $0.shown = true
    }
    return true
  }

  /// Types `text` at the demo's speed, with a slight seeded jitter.
  private mutating func type(_ text: String) {
    guard !options.noTyping else { return show(text) }
    for character in text {
      let base = 1.0 / Double(speed)
      let delay = base * (0.6 + Double(jitter.next() % 800) / 1_000)
      show(String(character), after: delay)
      _ = environment.pause(Int(delay * 1_000))
    }
  }

  /// What the last command's output or status got wrong, if anything.
  private func check(_ command: DemoScript.Command) -> String? {
    let output = recorder.state.withLock { $0.captured }
    for text in command.expected where !output.contains(text) {
      return "expected '\(text)' in the output of '\(command.line.prefix(60))'"
    }
    if let status = command.expectedStatus, status != repl.context.lastStatus {
      return "expected exit status \(status) from '\(command.line.prefix(60))', got \(repl.context.lastStatus)"
    }
    return nil
  }

  /// Makes step `index` current, as `next` and `prev` do, and marks it in the recording.
  private mutating func moveTo(step index: Int) throws(GrpcLabError) {
    let workspace = repl.context.workspace
    let saved = repl.saved
    repl.saved = try workspace.locked(holder: environment.lockHolder, waiting: environment.reportWaiting) {
      () throws(GrpcLabError) -> Workspace.Saved in
      var current = try workspace.refresh(saved, environment)
      current.session.move(to: index)
      return try workspace.save(current)
    }
    let title = lab.steps[index].title.text(language)
    let label = language == .zh ? "第 \(index + 1) 步：\(title)" : "Step \(index + 1): \(title)"
    recorder.state.withLock { $0.cast?.marker(label, at: $0.seconds) }
  }
}
