import ArgumentParser
import LabKit

extension GrpcLab {
  /// `grpclab step`: prints the current step.
  struct Step: LabCommand {
    static let configuration = CommandConfiguration(commandName: "step", abstract: "Show the current step.")

    @OptionGroup var options: WorkspaceOptions

    func run(_ context: inout CommandContext) throws(GrpcLabError) -> Int32 {
      context.print(Self.text(of: context.session, width: context.width))
      return 0
    }

    /// `[2/4] Title`, a blank line, and the step's text in the session's language, laid out at `width`.
    static func text(of session: LabSession, width: Int) -> String {
      let step = session.currentStep
      let language = session.state.language
      return "[\(session.state.step + 1)/\(session.lab.steps.count)] \(step.title.text(language))\n\n"
        + TextLayout.reflow(step.text.text(language), width: width)
    }
  }

  /// `grpclab hint`: the next hint of the current step.
  struct Hint: LabCommand {
    static let configuration = CommandConfiguration(commandName: "hint", abstract: "Show the next hint for the current step.")

    @OptionGroup var options: WorkspaceOptions

    func run(_ context: inout CommandContext) throws(GrpcLabError) -> Int32 {
      guard let hint = context.session.nextHint() else {
        context.print(Message.noHints.text(context.session.state.language) + "\n")
        return 0
      }
      let text = Message.hint(number: hint.number, total: hint.total, text: hint.text).text(context.session.state.language)
      context.print(TextLayout.reflow(text, width: context.width) + "\n")
      return 0
    }
  }

  /// `grpclab status`: the lab, step, progress and seed.
  struct Status: LabCommand {
    static let configuration = CommandConfiguration(
      commandName: "status", abstract: "Show the lab, the current step, progress and the seed.")

    @OptionGroup var options: WorkspaceOptions

    func run(_ context: inout CommandContext) throws(GrpcLabError) -> Int32 {
      let session = context.session
      let state = session.state
      let language = state.language
      let labels = Message.statusLabels.text(language).split(separator: "|").map { String($0) + (language == .zh ? "：" : ":") }
      let width = labels.map(TextLayout.columns).max() ?? 0
      let values = [
        "\(session.lab.id) — \(session.lab.title.text(language))",
        "\(state.step + 1)/\(session.lab.steps.count) \(session.currentStep.id)",
        state.completed.isEmpty ? Message.none.text(language) : state.completed.joined(separator: ", "),
        String(state.seed), String(state.journal.count), context.workspace.path,
      ]
      context.print(zip(labels, values).map { label, value in
        label + String(repeating: " ", count: width + 2 - TextLayout.columns(label)) + value + "\n"
      }.joined() + "\n")
      return 0
    }
  }

  /// `grpclab reset`: forgets the session (cluster and progress); the learner's files stay.
  struct Reset: Executable {
    static let configuration = CommandConfiguration(commandName: "reset", abstract: "Start the lab again from a fresh cluster.")

    @OptionGroup var options: WorkspaceOptions

    @Option(help: "Start again at this step (number or id), with the earlier steps' solutions run.")
    var step: String?

    @Option(help: "Start again on this seed instead of the session's.")
    var seed: UInt64?

    func execute(_ environment: GrpcLabEnvironment) throws(GrpcLabError) -> Int32 {
      let workspace = options.resolved(environment)
      try workspace.repair()
      @discardableResult
      func forget() throws(GrpcLabError) -> Bool {
        try workspace.locked(holder: environment.lockHolder, waiting: environment.reportWaiting) { () throws(GrpcLabError) in
          try workspace.reset(seed: seed, started: environment.wallClock())
        }
      }
      guard let step else {
        // A save that could not be kept is gone: a new session on the seed asked for takes its place.
        let kept = try forget()
        if !kept, let seed { _ = try workspace.withSaved(environment, seed: seed) { _ in 0 } }
        environment.write(Message.resetDone(workspace.path).text(environment.preferredLanguage) + "\n")
        return 0
      }
      func land() throws(GrpcLabError) -> Int32 {
        try workspace.withSaved(environment, seed: seed) { context in Goto.land(on: step, in: &context) }.status
      }
      if seed != nil { try forget() }
      do {
        return try land()
      } catch .damagedSave, .damagedField, .unreplayable {
        try forget()
        return try land()
      }
    }
  }
}
