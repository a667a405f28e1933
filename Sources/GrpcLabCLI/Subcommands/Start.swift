import ArgumentParser
import ClusterModel
import ClusterTools
import LabKit

extension GrpcLab {
  /// `grpclab start`: the REPL. Learner commands go to the cluster; grpclab verbs work without the prefix.
  struct Start: Executable {
    static let configuration = CommandConfiguration(
      commandName: "start", abstract: "Open the lab's interactive shell (the default).")

    @OptionGroup var options: WorkspaceOptions

    @Option(help: "The seed of a new workspace's cluster (random when omitted).")
    var seed: UInt64?

    @Option(help: "The lab a new workspace opens (see 'grpclab list --labs'; default: grpc-lb).")
    var lab: String?

    @Option(help: "The language of lab texts: en or zh.")
    var lang: Language?

    @Option(help: "Record the session as asciicast v2 to this file.")
    var cast: String?

    /// Loads the session (setting the language when asked) under the lock, then runs the shell, which
    /// takes the lock again for each command.
    func execute(_ environment: GrpcLabEnvironment) throws(GrpcLabError) -> Int32 {
      guard let cast else { return try shell(environment) }
      try environment.checkRecording(to: cast)
      let started = environment.wallClock()?.seconds ?? Cluster.labStartTime.seconds
      let recording = SessionRecording(
        Asciicast(width: environment.columns() ?? 100, height: 30, timestamp: started, title: "grpclab start"),
        stopwatch: environment.stopwatch)
      return try environment.keepingRecording(at: cast, text: { recording.text }) { () throws(GrpcLabError) in
        try shell(recording.recording(environment))
      }
    }

    private func shell(_ environment: GrpcLabEnvironment) throws(GrpcLabError) -> Int32 {
      let workspace = options.resolved(environment)
      let (_, saved) = try workspace.withSaved(environment, seed: seed, lab: lab) { context throws(GrpcLabError) in
        if let lang { context.session.setLanguage(lang) }
        return 0
      }
      var repl = REPL(context: CommandContext(environment: environment, workspace: workspace, session: saved.session), saved: saved)
      return repl.loop()
    }
  }
}

extension Language: ExpressibleByArgument {}
