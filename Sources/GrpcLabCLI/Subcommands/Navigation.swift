import ArgumentParser
import ClusterTools
import Foundation
import LabKit

extension GrpcLab {
  /// `grpclab next`: moves on to the next step.
  struct Next: LabCommand {
    static let configuration = CommandConfiguration(
      commandName: "next",
      abstract: "Move on to the next step (once the current step's checks pass, or with --force).")

    @OptionGroup var options: WorkspaceOptions

    @Flag(help: "Move on even though the current step's checks do not pass.")
    var force = false

    /// Moves on when the step is complete (its checks pass now or passed before), when forced, or after a
    /// yes on a terminal; otherwise lists the unmet checks and exits 1.
    func run(_ context: inout CommandContext) throws(GrpcLabError) -> Int32 {
      let results = context.session.checkCurrentStep()
      let session = context.session
      let language = session.state.language
      let complete = results.allSatisfy(\.passed) || session.state.completed.contains(session.currentStep.id)
      let last = session.state.step + 1 >= session.lab.steps.count
      if !force && !complete && !last {
        context.print(
          Message.unmetChecks(step: session.state.step + 1).text(language) + "\n"
            + Check.render(results.filter { !$0.passed }, colour: context.environment.colour))
        let answer = context.environment.interactive ? context.environment.readLine(Message.moveAnyway.text(language)) : nil
        guard let answer, ["y", "yes", "是"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased()) else {
          context.print(Message.useForce.text(language) + "\n")
          return 1
        }
      }
      return GrpcLab.move(by: 1, in: &context, atEnd: .lastStep)
    }
  }

  /// `grpclab prev`: goes back to the previous step, keeping the cluster.
  struct Prev: LabCommand {
    static let configuration = CommandConfiguration(commandName: "prev", abstract: "Go back to the previous step.")

    @OptionGroup var options: WorkspaceOptions

    func run(_ context: inout CommandContext) throws(GrpcLabError) -> Int32 {
      GrpcLab.move(by: -1, in: &context, atEnd: .firstStep)
    }
  }

  /// Moves `offset` steps, keeping the cluster, and prints the step; past either end, says `atEnd`.
  fileprivate static func move(by offset: Int, in context: inout CommandContext, atEnd: Message) -> Int32 {
    let index = context.session.state.step + offset
    guard context.session.lab.steps.indices.contains(index) else {
      context.print(atEnd.text(context.session.state.language) + "\n")
      return 0
    }
    context.session.move(to: index)
    context.print(Step.text(of: context.session, width: context.width))
    return 0
  }

  /// `grpclab goto N|ID`: starts a step from the state it expects, replaying the solutions before it.
  struct Goto: LabCommand {
    static let configuration = CommandConfiguration(
      commandName: "goto",
      abstract: "Start a step from the state it expects (a fresh cluster with the earlier steps solved).")

    @OptionGroup var options: WorkspaceOptions

    @Argument(help: "The step's number or id.")
    var step: String

    /// Lands without rebuilding the workspace's cluster, which a landing replaces; a new workspace is
    /// made first.
    func execute(_ environment: GrpcLabEnvironment) throws(GrpcLabError) -> Int32 {
      let workspace = options.resolved(environment)
      let landed = try workspace.withSavedState(environment) { lab, state throws(GrpcLabError) -> (Int32, LabSession?) in
        guard let index = LabSession.stepIndex(step, of: lab) else {
          environment.writeError(Self.noSuchStep(step, of: lab, language: state.language) + "\n")
          return (2, nil)
        }
        let session = LabSession.landing(
          lab: lab, state: state, on: index, files: LabCatalog.fileSource(of: lab), workingDirectory: workspace.path,
          at: environment.wallClock())
        environment.write(Self.landedText(session, width: environment.columns() ?? TextLayout.defaultWidth))
        return (0, session)
      }
      if let landed { return landed }
      return try workspace.withSession(environment) { context throws(GrpcLabError) in try run(&context) }
    }

    func run(_ context: inout CommandContext) throws(GrpcLabError) -> Int32 {
      Self.land(on: step, in: &context)
    }

    /// Lands on the step `reference` names, from a fresh cluster that ran the lab's own solutions of the
    /// steps before it (with the lab's files as shipped, not the learner's edits); prints the step.
    static func land(on reference: String, in context: inout CommandContext) -> Int32 {
      let session = context.session
      guard let index = session.stepIndex(reference) else {
        context.environment.writeError(noSuchStep(reference, of: session.lab, language: session.state.language) + "\n")
        return 2
      }
      context.session.land(on: index, files: LabCatalog.fileSource(of: session.lab), workingDirectory: context.workspace.path,
        at: context.environment.wallClock())
      context.print(landedText(context.session, width: context.width))
      return 0
    }

    /// The error for a step reference that names no step of `lab`.
    static func noSuchStep(_ reference: String, of lab: Lab, language: Language) -> String {
      Message.noSuchStep(reference, lab: lab.id, steps: lab.steps.count, ids: lab.steps.map(\.id)).text(language)
    }

    /// What a landing prints: that it landed, then the step.
    private static func landedText(_ session: LabSession, width: Int) -> String {
      Message.landed(step: session.state.step + 1).text(session.state.language) + "\n\n" + Step.text(of: session, width: width)
    }
  }
}
