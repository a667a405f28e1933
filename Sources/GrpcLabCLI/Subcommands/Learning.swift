import ArgumentParser
import ClusterTools
import Foundation
import LabKit

extension GrpcLab {
  /// `grpclab solution`: the current step's reference commands.
  struct Solution: LabCommand {
    static let configuration = CommandConfiguration(
      commandName: "solution", abstract: "Show the reference commands of the current step.")

    @OptionGroup var options: WorkspaceOptions

    func run(_ context: inout CommandContext) throws(GrpcLabError) -> Int32 {
      let step = context.session.currentStep
      let language = context.session.state.language
      for (index, line) in step.solution.enumerated() {
        context.print(line + "\n")
        if let status = step.expectedExits[index] { context.print(Message.failsOnPurpose(status).text(language) + "\n") }
      }
      return 0
    }
  }

  /// `grpclab solve`: runs the current step's reference commands, echoing each.
  struct Solve: LabCommand {
    static let configuration = CommandConfiguration(
      commandName: "solve",
      abstract: "Run the reference commands of the current step, echoing each; a command meant to fail does not count as failing.")

    @OptionGroup var options: WorkspaceOptions

    func run(_ context: inout CommandContext) throws(GrpcLabError) -> Int32 {
      var status: Int32 = 0
      let wasComplete = context.session.stepPasses()
      let step = context.session.currentStep
      context.lastStatus = 0
      for (index, line) in step.solution.enumerated() {
        context.print("$ \(line)\n")
        let exit = context.execute(line, workingDirectory: context.workspace.path, endingWithNewline: true, waiting: true)
        context.lastStatus = exit
        if exit != (step.expectedExits[index] ?? 0) { status = max(status, exit == 0 ? 1 : exit) }
      }
      if context.session.markIfComplete() && !wasComplete { context.announceCompletion() }
      return status
    }
  }

  /// `grpclab why` (or `explain`): why the step's outcome happens, told with this cluster's own figures (the
  /// account of the lab client's last call, in a step whose checks read it); when the cluster is off the
  /// step's path, what it observed and the first difference, with its fix.
  struct Why: LabCommand {
    static let configuration = CommandConfiguration(
      commandName: "why", abstract: "Explain the current step's outcome with what your cluster recorded.", aliases: ["explain"])

    @OptionGroup var options: WorkspaceOptions

    func run(_ context: inout CommandContext) throws(GrpcLabError) -> Int32 {
      let language = context.session.state.language
      let difference = Diagnosis.firstDifference(for: context.session.currentStep, in: context.session.cluster, language: language)
      if difference == nil {
        context.print(TextLayout.reflow(context.session.currentStep.explain.text(language), width: context.width) + "\n")
      }
      let cluster = context.session.cluster
      let checks = context.session.currentStep.checks
      let ingress = checks.contains { if case .workstationCalls = $0.query { true } else { false } }
      let labClient = checks.contains { $0.query.readsLabClient }
      // Without a client call, the difference says so and what to run: the account would say it first.
      let observation: String? =
        if ingress { Observation.lastWorkstationCall(in: cluster, language: language) }
        else if labClient && (difference == nil || Observation.hasClientCall(in: cluster)) {
          Observation.lastClientCall(in: cluster, language: language)
        } else { nil }
      if let observation { context.print(TextLayout.reflow(observation, width: context.width, joiningLines: false)) }
      if let difference {
        let gap = observation == nil ? "" : "\n"
        context.print(gap + TextLayout.reflow(Message.offThePath(difference).text(language), width: context.width) + "\n")
      }
      return 0
    }
  }

  /// `grpclab undo`: takes back the last command that changed the cluster.
  struct Undo: LabCommand {
    static let configuration = CommandConfiguration(
      commandName: "undo", abstract: "Take back the last command that changed the cluster.")

    @OptionGroup var options: WorkspaceOptions

    /// Undoes as `run` does; when the command to take back no longer replays, takes it back from the save.
    func execute(_ environment: GrpcLabEnvironment) throws(GrpcLabError) -> Int32 {
      do {
        return try options.resolved(environment).withSession(environment) { context throws(GrpcLabError) in try run(&context) }
      } catch .unreplayable(_, _, _, .undo) {
        let language = environment.preferredLanguage
        guard let line = try options.resolved(environment).undoWithoutReplaying(environment) else {
          environment.write(Message.nothingToUndo.text(language) + "\n")
          return 0
        }
        environment.write(Message.undid(line).text(language) + "\n")
        return 0
      }
    }

    func run(_ context: inout CommandContext) throws(GrpcLabError) -> Int32 {
      let language = context.session.state.language
      switch context.session.undo() {
      case .command(let line)?: context.print(Message.undid(line).text(language) + "\n")
      case .landing(let step)?:
        context.print(Message.undidLanding(from: step + 1, backTo: context.session.state.step + 1).text(language) + "\n")
      case nil: context.print(Message.nothingToUndo.text(language) + "\n")
      }
      return 0
    }
  }

  /// `grpclab list`: the labs and the progress in this workspace's one.
  struct List: LabCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the labs, the steps and your progress.")

    @OptionGroup var options: WorkspaceOptions

    @Flag(help: "List the labs only, without the steps of the workspace's lab.")
    var labs = false

    func run(_ context: inout CommandContext) throws(GrpcLabError) -> Int32 {
      let session = context.session
      let language = session.state.language
      var text = ""
      let width = LabCatalog.ids.map(\.count).max() ?? 0
      for id in LabCatalog.ids {
        guard let lab = try? LabCatalog.lab(id) else { continue }
        text += "\(id == session.lab.id ? "*" : " ") \(lab.id.padding(toLength: width, withPad: " ", startingAt: 0))  \(lab.title.text(language))\n"
        guard id == session.lab.id, !labs else { continue }
        let stepWidth = lab.steps.map(\.id.count).max() ?? 0
        for (index, step) in lab.steps.enumerated() {
          let mark = session.state.completed.contains(step.id) ? "✔" : index == session.state.step ? "▶" : " "
          text += "    \(mark) \(index + 1). \(step.id.padding(toLength: stepWidth, withPad: " ", startingAt: 0))  \(step.title.text(language))\n"
        }
      }
      context.print(text)
      return 0
    }
  }

  /// `grpclab lang en|zh`: the language of lab texts.
  struct Lang: LabCommand {
    static let configuration = CommandConfiguration(commandName: "lang", abstract: "Choose the language of lab texts: en or zh.")

    @OptionGroup var options: WorkspaceOptions

    @Argument(help: "en or zh.")
    var language: Language

    func run(_ context: inout CommandContext) throws(GrpcLabError) -> Int32 {
      context.session.setLanguage(language)
      context.print(Message.languageChosen.text(language) + "\n")
      return 0
    }
  }
}
