import ArgumentParser
import ClusterTools
import LabKit

extension GrpcLab {
  /// `grpclab start`: the REPL. Learner commands go to the cluster; grpclab verbs work without the prefix.
  struct Start: LabCommand {
    static let configuration = CommandConfiguration(abstract: "Open the lab's interactive shell (the default).")

    @OptionGroup var options: WorkspaceOptions

    @Option(name: .customLong("seed"), help: "The seed of a new workspace's cluster (random when omitted).")
    var seedOption: UInt64?

    @Option(help: "The language of lab texts: en or zh.")
    var lang: Language?

    var seed: UInt64? { seedOption }

    func run(_ context: inout CommandContext) throws(GrpcLabError) -> Int32 {
      if let lang { context.session.setLanguage(lang) }
      var repl = REPL(context: context)
      try repl.loop()
      context = repl.context
      return 0
    }
  }
}

extension Language: ExpressibleByArgument {}
