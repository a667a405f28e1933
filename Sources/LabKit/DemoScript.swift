import Foundation
import ClusterTools

/// An instructor's scripted demo (`Labs/<lab>/demos/NAME.demo`): the commands a learner would type, one
/// per line (a here-document with its body), and `#` directives between them.
///
///     # step 1
///     # say: Two projects: one for the servers, one for the client.
///     # say.zh: 两个项目：一个放服务端，一个放客户端。
///     oc new-project grpc
///     # expect: Now using project "grpc"
///     # pause
///
/// Directives: `# say:` and `# say.zh:` (narration), `# pause` (wait for a key), `# step N` (the lab's
/// step N starts), `# speed CPS` (typing speed), `# hidden` (the next command runs without being shown),
/// `# expect: TEXT` and `# expect-exit: N` (about the previous command's output and status), `# seed N`
/// (the seed of the cluster it plays on, unless `--seed` says otherwise). Any other line that starts with
/// `#` is a comment.
public struct DemoScript: Equatable, Sendable {
  /// One thing the demo does, in order.
  public enum Item: Equatable, Sendable {
    /// A command line, shown and typed unless hidden, with what its output must show.
    case command(Command)
    /// The presenter's words, in English and, when given, Chinese.
    case say(LocalizedText)
    /// Waits for the presenter.
    case pause
    /// The lab's step with this index (from 0) starts.
    case step(Int)
    /// Typing speed from here on, in characters per second.
    case speed(Int)
  }

  /// A command and the expectations that follow it.
  public struct Command: Equatable, Sendable {
    public var line: String
    public var hidden = false
    /// Texts the command's output must contain.
    public var expected: [String] = []
    /// The exit status it must have.
    public var expectedStatus: Int32?
    /// Where the command starts in the file (1-based).
    public var lineNumber: Int
  }

  public var items: [Item] = []
  /// The seed the demo plays with unless the presenter gives another.
  public var seed: UInt64?

  /// The commands, in order.
  public var commands: [Command] {
    items.compactMap { if case .command(let command) = $0 { command } else { nil } }
  }

  /// A problem in a demo file, at a line and column (both 1-based).
  public struct Problem: Error, Equatable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var message: String

    public var description: String { "\(line):\(column): \(message)" }
  }

  /// Parses a demo file; `steps` is how many steps the lab has.
  ///
  /// - Throws: Every problem found, in file order.
  public init(parsing text: String, steps: Int) throws(DemoScriptProblems) {
    var problems: [Problem] = []
    var hidden: Int?
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var index = 0
    func lastCommand(_ number: Int, _ directive: String) -> Int? {
      guard let last = items.lastIndex(where: { if case .command = $0 { true } else { false } }),
        !items[(last + 1)...].contains(where: { if case .command = $0 { true } else { false } })
      else {
        problems.append(Problem(line: number, column: 3, message: "'\(directive)' must follow a command"))
        return nil
      }
      return last
    }
    while index < lines.count {
      let number = index + 1
      let line = lines[index]
      index += 1
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if trimmed.isEmpty { continue }
      guard trimmed.hasPrefix("#") else {
        var reader = ShellLineReader()
        var complete = reader.add(line)
        while !complete && index < lines.count {
          complete = reader.add(lines[index])
          index += 1
        }
        if !complete, let delimiter = reader.openHereDocument {
          problems.append(Problem(line: number, column: 1, message: "here-document not closed: no line '\(delimiter)'"))
        } else if !complete {
          problems.append(Problem(line: number, column: 1, message: "the command does not end: a quote, a '|' or a '\\' goes on to the end of the file"))
        }
        items.append(.command(Command(line: reader.command, hidden: hidden != nil, lineNumber: number)))
        hidden = nil
        continue
      }
      let body = trimmed.dropFirst().trimmingCharacters(in: .whitespaces)
      let (word, rest) = Self.split(body)
      switch word {
      case "say:":
        items.append(.say(LocalizedText(en: rest)))
      case "say.zh:":
        guard case .say(var text)? = items.last, text.zh == nil else {
          problems.append(Problem(line: number, column: 3, message: "'say.zh:' must follow a 'say:' line"))
          continue
        }
        text.zh = rest
        items[items.count - 1] = .say(text)
      case "pause":
        items.append(.pause)
      case "hidden":
        hidden = number
      case "step":
        guard let step = Int(rest), (1...max(steps, 1)).contains(step) else {
          problems.append(Problem(line: number, column: 8, message: "'step' needs a step number from 1 to \(steps), not '\(rest)'"))
          continue
        }
        items.append(.step(step - 1))
      case "seed":
        guard let seed = UInt64(rest) else {
          problems.append(Problem(line: number, column: 8, message: "'seed' needs a whole number from 0, not '\(rest)'"))
          continue
        }
        self.seed = seed
      case "speed":
        guard let speed = Int(rest), speed > 0 else {
          problems.append(Problem(line: number, column: 9, message: "'speed' needs characters per second (a positive whole number), not '\(rest)'"))
          continue
        }
        items.append(.speed(speed))
      case "expect:":
        guard let last = lastCommand(number, "expect:"), case .command(var command) = items[last] else { continue }
        command.expected.append(rest)
        items[last] = .command(command)
      case "expect-exit:":
        guard let status = Int32(rest) else {
          problems.append(Problem(line: number, column: 16, message: "'expect-exit:' needs an exit status, not '\(rest)'"))
          continue
        }
        guard let last = lastCommand(number, "expect-exit:"), case .command(var command) = items[last] else { continue }
        command.expectedStatus = status
        items[last] = .command(command)
      default:
        if word.hasSuffix(":") || ["pause", "hidden", "step", "speed", "seed"].contains(where: { word.hasPrefix($0) }) {
          problems.append(Problem(line: number, column: 3, message: "unknown directive '\(word)'"))
        }
      }
    }
    if let hidden {
      problems.append(Problem(line: hidden, column: 3, message: "'hidden' is not followed by a command"))
    }
    if !problems.isEmpty { throw DemoScriptProblems(problems: problems, commands: commands) }
  }

  /// The first word of a directive and the rest of the line.
  private static func split(_ body: String) -> (String, String) {
    guard let space = body.firstIndex(of: " ") else { return (body, "") }
    return (String(body[..<space]), body[space...].trimmingCharacters(in: .whitespaces))
  }

  /// A demo made from a workspace's journal: its seed, and its commands in order (what they read from
  /// files is not kept), each under the step it served. The journal does not keep when the learner moved
  /// on, so it is replayed on a fresh cluster of its seed: once a step's checks pass, the next command that
  /// changes the cluster starts the next step, up to the step the session is on.
  public static func text(from state: SessionState, lab: Lab) -> String {
    var lines = ["# A demo made from a workspace's journal (\(lab.id)).", "# seed \(state.seed)", "# step 1"]
    var replayed = SessionState(lab: lab.id, seed: state.seed, language: state.language, started: state.started)
    var session = LabSession(lab: lab, state: replayed)
    let last = lab.stepIndex(clamping: state.step)
    var step = 0
    var passed = false
    for index in state.journal.indices {
      let entry = state.journal[index]
      if entry.followedUntil == nil {
        if passed, entry.readOnly != true, step < last {
          step += 1
          passed = false
          lines.append("# step \(step + 1)")
        }
        lines.append(entry.line)
      }
      replayed.journal.append(entryAt: index, of: state.journal)
      guard session.catchUp(to: replayed) else { break }
      if !passed { passed = session.check(step: step).allSatisfy(\.passed) }
    }
    return lines.joined(separator: "\n") + "\n"
  }
}

/// The problems of a demo file that does not parse.
public struct DemoScriptProblems: Error, Equatable, Sendable {
  public var problems: [DemoScript.Problem]
  /// The commands read all the same, so that a lint checks them too.
  public var commands: [DemoScript.Command]
}
