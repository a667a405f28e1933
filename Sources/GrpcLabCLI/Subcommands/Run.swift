import ArgumentParser
import ClusterModel
import ClusterTools
import LabKit

extension GrpcLab {
  /// `grpclab run -- oc …`: one learner command, with the real tool's output and exit status.
  struct Run: LabCommand {
    static let configuration = CommandConfiguration(
      commandName: "run",
      abstract: "Run one learner command (oc, kubectl) against the workspace's cluster.")

    @OptionGroup var options: WorkspaceOptions

    @Argument(parsing: .captureForPassthrough, help: "The command, after '--'.")
    var command: [String] = []

    /// Runs the command under the workspace lock; a watch (`oc get pods -w`) then follows the cluster,
    /// taking the lock for each of its steps.
    func execute(_ environment: GrpcLabEnvironment) throws(GrpcLabError) -> Int32 {
      let workspace = options.resolved(environment)
      var waitsUntil: SimTime?
      var (status, saved) = try workspace.withSaved(environment) { context throws(GrpcLabError) in
        defer { waitsUntil = context.waitsUntil }
        return try run(&context)
      }
      if status == 0 {
        try workspace.follow(typed, until: waitsUntil, from: &saved, environment: environment)
      }
      return status
    }

    func run(_ context: inout CommandContext) throws(GrpcLabError) -> Int32 {
      guard !words.isEmpty else {
        context.environment.writeError(Message.missingCommand.text(context.session.state.language) + "\n")
        return 2
      }
      return context.execute(line(context.environment), workingDirectory: context.environment.workingDirectory)
    }

    /// `grpclab run` arguments split into run's own options and the learner's command (from `--`, or from
    /// the first word that is not an option), so that ArgumentParser, whose passthrough capture takes
    /// quadratic time, never sees the command; nil for other verbs.
    static func split(_ arguments: [String]) -> (options: [String], command: [String]?) {
      guard arguments.first == "run" else { return (arguments, nil) }
      var index = 1
      while index < arguments.count {
        let word = arguments[index]
        if word == "--" || !word.hasPrefix("-") { return (Array(arguments[..<index]), Array(arguments[index...])) }
        index += word == "--workspace" ? 2 : 1
      }
      return (arguments, nil)
    }

    /// The words after `--`.
    private var words: [String] { command.first == "--" ? Array(command.dropFirst()) : command }

    /// The command as a shell line.
    private var typed: String { words.map(Self.quoted).joined(separator: " ") }

    /// The command as a shell line, with standard input as a here-document when it reads a file from it.
    private func line(_ environment: GrpcLabEnvironment) -> String {
      var line = typed
      if Self.readsStandardInput(words), let input = environment.standardInput() {
        var delimiter = "GRPCLAB_STDIN"
        while input.contains(delimiter) { delimiter += "_" }
        line += " <<'\(delimiter)'\n\(input)\(input.hasSuffix("\n") || input.isEmpty ? "" : "\n")\(delimiter)"
      }
      return line
    }

    /// Whether the command takes a file from standard input: `-f -`, `--filename -` or `--filename=-`.
    static func readsStandardInput(_ words: [String]) -> Bool {
      zip(words, words.dropFirst()).contains { ["-f", "--filename"].contains($0.0) && $0.1 == "-" }
        || words.contains("--filename=-") || words.contains("-f-")
    }

    /// The word as a shell would need it written.
    static func quoted(_ word: String) -> String {
      let safe = word.allSatisfy { $0.isLetter || $0.isNumber || "-_./:=,@%+".contains($0) }
      return safe && !word.isEmpty ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
  }
}

extension CommandContext {
  /// Runs a learner command line, with `$?` standing for `lastStatus`, prints its output, and returns its
  /// exit status.
  ///
  /// - Parameters:
  ///   - endingWithNewline: Ends output that lacks a final newline with one, as a shell prompt needs.
  ///   - waiting: Follows the cluster at once for as long as the command waits (`solve`); otherwise the
  ///     caller does, a lab second at a time, from `waitsUntil`.
  mutating func execute(_ line: String, workingDirectory: String, endingWithNewline: Bool = false, waiting: Bool = false)
    -> Int32
  {
    let time = environment.wallClock()
    let result = waiting
      ? session.executeWaiting(line, files: environment.files, workingDirectory: workingDirectory, at: time, lastStatus: lastStatus)
      : session.execute(line, files: environment.files, workingDirectory: workingDirectory, at: time, lastStatus: lastStatus)
    waitsUntil = waiting ? nil : result.waitsUntil
    commandEnded = session.cluster.now
    let pieces = endingWithNewline ? result.shown : result.written.map { (String($0.text), $0.isError) }
    for (text, isError) in pieces {
      if isError { environment.writeError(text) } else { environment.write(text) }
    }
    return result.exitCode
  }
}
