import ArgumentParser
import LabKit

extension GrpcLab {
  /// `grpclab sweep N`: `check --seeds N` under its own name.
  struct Sweep: LabCommand {
    static let configuration = CommandConfiguration(
      commandName: "sweep",
      abstract: "Replay your journal under N seeds, yours first, and report how often each check of the step passed.")

    @OptionGroup var options: WorkspaceOptions

    @Argument(help: "How many seeds to replay your journal under.")
    var seeds: Int

    func execute(_ environment: GrpcLabEnvironment) throws(GrpcLabError) -> Int32 {
      try Check.checkRange(of: seeds, option: "<seeds>")
      return try Check.sweep(seeds: seeds, step: nil, options: options, environment)
    }

    func run(_ context: inout CommandContext) throws(GrpcLabError) -> Int32 {
      try Check.checkRange(of: seeds, option: "<seeds>")
      return Check.sweep(context.session.state, lab: context.session.lab, step: nil, seeds: seeds, context.environment)
    }
  }
}
