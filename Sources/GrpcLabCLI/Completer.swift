import ClusterModel
import ClusterTools
import LabKit

/// What Tab completes in the lab shell: the candidates for the word before the cursor, by its position in
/// the command, from a snapshot of the session taken before the line is read.
///
///     completer.candidates(for: "lang ")  // ["en", "zh"]
public struct Completer: Sendable {
  /// The session as the shell last saw it.
  let session: LabSession
  /// The workspace, which relative paths resolve against.
  let workspace: String
  let files: any WorkspaceFiles

  /// The programs a stage after `|` may start with.
  static let filters = ["cut", "grep", "head", "sort", "tail", "uniq", "wc"]

  /// The flags a verb takes inside the shell (`--workspace` is the shell's own).
  static let verbFlags: [String: [String]] = [
    "check": ["--json"], "next": ["--force"], "reset": ["--step"], "certs": ["--out", "--host", "--client"],
    "bench": ["--calls", "--pods", "--mode"], "dev": ["check"],
  ]

  /// The whole words that may replace the last word of `line`, sorted; the line editor inserts what they
  /// share, or lists them.
  public func candidates(for line: String) -> [String] {
    let pipeline = line.components(separatedBy: "&&").last?.components(separatedBy: "||").last?
      .split(separator: ";", omittingEmptySubsequences: false).last.map(String.init) ?? line
    let stages = pipeline.split(separator: "|", omittingEmptySubsequences: false)
    let stage = stages.last ?? ""
    var words = stage.split(whereSeparator: \.isWhitespace).map(String.init)
    let current = stage.last.map { !$0.isWhitespace } ?? false ? words.removeLast() : ""
    let afterPipe = stages.count > 1
    let all: [String]
    if words.isEmpty {
      all = afterPipe ? Self.filters : Array(ToolSession.programs) + REPL.builtins + GrpcLab.configuration.subcommands.map { $0._commandName }
    } else {
      all = arguments(after: words, current: current)
    }
    return Set(all.filter { $0.hasPrefix(current) }).sorted()
  }

  /// The candidates for the word after `words`, which start with a program or a verb.
  private func arguments(after words: [String], current: String) -> [String] {
    let tools = ToolCompletion(session: session.tools, files: files, workingDirectory: workspace)
    if let candidates = tools.candidates(after: words, current: current) { return candidates }
    let steps = session.lab.steps.indices.map { String($0 + 1) } + session.lab.steps.map(\.id)
    switch (words[0], words.count, words.last) {
    case ("lang", 1, _): return Language.allCases.map(\.rawValue)
    case ("goto", 1, _), ("reset", _, "--step"): return steps
    case ("help", 1, _): return GrpcLab.configuration.subcommands.map { $0._commandName }
    case ("lint", 1, _), ("certs", _, "--out"): return tools.paths(current)
    case ("bench", _, "--mode"): return ["plain", "mesh", "both"]
    default: return Self.verbFlags[words[0]] ?? []
    }
  }
}
