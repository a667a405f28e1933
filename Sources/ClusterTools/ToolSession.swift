import ClusterModel
import Foundation

/// What a command printed and how it exited.
public struct ToolResult: Equatable, Sendable {
  /// Standard output. Changing it, or `stderr`, makes the result one program's output again: all of
  /// `stdout` before all of `stderr`.
  public var stdout: String { didSet { order = [] } }
  /// Standard error.
  public var stderr: String { didSet { order = [] } }
  /// The exit status.
  public var exitCode: Int32
  /// The lab time the command waits for after its output (`oc delete` until its pods are gone); the caller
  /// follows the cluster until then.
  public var waitsUntil: SimTime?
  /// The order the two streams were written in, as stretches of so many bytes of one stream or the other,
  /// which together hold both; empty when all of `stdout` came before all of `stderr`, as one program's
  /// output is taken to.
  private var order: [Stretch] = []

  /// So many bytes (of UTF-8) of standard output, or of standard error.
  private struct Stretch: Equatable, Sendable {
    var isError: Bool
    var count: Int
  }

  public init(stdout: String = "", stderr: String = "", exitCode: Int32 = 0, waitsUntil: SimTime? = nil) {
    self.stdout = stdout
    self.stderr = stderr
    self.exitCode = exitCode
    self.waitsUntil = waitsUntil
  }

  /// The lab's refusal of a real command, flag or option of `program` that it does not model: what was
  /// `typed` (after the program's name), then what the lab's `program` has instead (`offer`).
  static func notModelled(_ typed: String, in program: String, _ offer: String) -> ToolResult {
    ToolResult(stderr: notModelledMessage("'\(program) \(typed)'", in: program, offer) + "\n", exitCode: 1)
  }

  /// The line `notModelled` prints, without its newline, for any `subject` (`'oc adm'`, `resource type "nodes"`).
  static func notModelledMessage(_ subject: String, in program: String, _ offer: String) -> String {
    "grpclab: \(subject) is not part of the lab's \(program); \(offer)"
  }

  /// The output in the order it was written: each piece of text, and whether it went to standard error.
  public var written: [(text: Substring, isError: Bool)] {
    var rest = (out: stdout[...], error: stderr[...])
    func take(_ count: Int, of text: inout Substring) -> Substring {
      let end = text.utf8.index(text.startIndex, offsetBy: count, limitedBy: text.endIndex) ?? text.endIndex
      defer { text = text[end...] }
      return text[..<end]
    }
    return stretches.map { stretch in
      (stretch.isError ? take(stretch.count, of: &rest.error) : take(stretch.count, of: &rest.out), stretch.isError)
    }.filter { !$0.text.isEmpty }
  }

  /// `written` as a shell shows it before its next prompt: the last piece of output ends with a newline.
  public var shown: [(text: String, isError: Bool)] {
    let written = written
    let lastOutput = written.lastIndex { !$0.isError }
    return written.enumerated().map { index, piece in
      (String(piece.text) + (index == lastOutput && !piece.text.hasSuffix("\n") ? "\n" : ""), piece.isError)
    }
  }

  /// Adds what `later` wrote after what this result wrote, each in its own order; stretches of one stream
  /// next to each other become one, so that results that wrote the same in the same order are equal.
  mutating func append(outputOf later: ToolResult) {
    var combined: [Stretch] = []
    for stretch in stretches + later.stretches where stretch.count > 0 {
      if combined.last?.isError == stretch.isError { combined[combined.count - 1].count += stretch.count } else { combined.append(stretch) }
    }
    stdout += later.stdout
    stderr += later.stderr
    if combined.drop(while: { !$0.isError }).contains(where: { !$0.isError }) { order = combined }
  }

  /// `order`, or its default: all of standard output, then all of standard error.
  private var stretches: [Stretch] {
    order.isEmpty ? [Stretch(isError: false, count: stdout.utf8.count), Stretch(isError: true, count: stderr.utf8.count)] : order
  }
}

/// A file or directory as a tool sees it.
public enum FileContents: Equatable, Sendable, Codable {
  case file(String)
  /// A directory, with the names of the files in it.
  case directory([String])
  case missing
  /// Something that is there but cannot be read as a file or a directory, with the system's reason
  /// (`Permission denied`, `Too many levels of symbolic links`, `not a regular file`).
  case unreadable(String)
}

/// Reads the learner's files for `oc apply -f` and `grpcurl -proto`; paths are absolute.
public protocol FileSource {
  /// The file or directory at `path`.
  func contents(of path: String) -> FileContents
}

/// The learner's side of the cluster: what a kubeconfig holds, and the shell's variables.
public struct Workstation: Equatable, Sendable, Codable {
  /// The project (namespace) commands use when none is given.
  public var currentProject: String
  /// The shell's variables by name, as `NAME=value` and `export` set them.
  public var variables: [String: String]
  /// The names `export` marks, set or not.
  public var exported: Set<String>

  public init(currentProject: String = "default", variables: [String: String] = [:], exported: Set<String> = []) {
    self.currentProject = currentProject
    self.variables = variables
    self.exported = exported
  }

  private enum CodingKeys: String, CodingKey {
    case currentProject, variables, exported
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    currentProject = try container.decode(String.self, forKey: .currentProject)
    variables = try container.decode([String: String].self, forKey: .variables)
    exported = Set(try container.decode([String].self, forKey: .exported))
  }

  /// Encodes the exported names in order, so that the same workstation always makes the same bytes.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(currentProject, forKey: .currentProject)
    try container.encode(variables, forKey: .variables)
    try container.encode(exported.sorted(), forKey: .exported)
  }
}

/// The learner's cluster and workstation, and the tools that act on them.
///
/// `run(_:files:workingDirectory:)` executes one command line the way bash with `oc`, `kubectl`, `grpcurl`, `ghz`,
/// `cat`, `ls`, `grep`, `head`, `tail`, `wc`, `sort`, `uniq` and `cut` on its path, and its own `echo`,
/// `export`, `unset`, `true` and `false`, would; nothing reaches the host shell.
public struct ToolSession: Equatable, Sendable {
  /// The programs a command line may start with (and pipe into).
  public static let programs: Set<String> = [
    "oc", "kubectl", "grpcurl", "ghz", "istioctl", "kiali", "jaeger", "cat", "ls", "grep", "head", "tail", "wc", "sort", "uniq", "cut",
    "echo", "export", "unset", "true", "false",
  ]
  /// The programs that read only the workspace, the shell's variables and their input: a command made of
  /// them leaves the cluster and its clock alone.
  public static let workstationPrograms: Set<String> = [
    "cat", "ls", "grep", "head", "tail", "wc", "sort", "uniq", "cut", "echo", "true", "false",
  ]

  /// Whether every program of `line` is a workstation program, and the line neither sets a variable nor
  /// runs a command substitution.
  public static func isLocal(_ line: String) -> Bool {
    guard let list = try? ShellList(splitting: line) else { return false }
    return list.items.allSatisfy { item in
      var substitutes = false
      let parsed = try? ShellCommand(parsing: item.line) { expansion in
        if case .command = expansion { substitutes = true }
        return nil
      }
      guard let command = parsed, !substitutes, command.assignments.isEmpty || command.stages.contains(where: { !$0.isEmpty })
      else { return false }
      return command.stages.allSatisfy { $0.first.map(workstationPrograms.contains) ?? true }
    }
  }

  /// How deep command substitutions may nest.
  static let substitutionDepth = 16

  public var cluster: Cluster
  public var workstation: Workstation

  public init(cluster: Cluster, workstation: Workstation = Workstation()) {
    self.cluster = cluster
    self.workstation = workstation
  }

  /// Runs a command line (with its here-document lines, if any), after the shell's expansions: `$NAME`,
  /// `${NAME}`, `$?` and `$(command)`, whose command is a lab command line too.
  ///
  /// - Parameters:
  ///   - line: The text the learner typed.
  ///   - files: Where `-f` paths are read from.
  ///   - workingDirectory: What relative paths resolve against.
  ///   - language: The language of the views grpclab draws itself (the Kiali graph's heading).
  ///   - lastStatus: The exit status of the shell's last line, which `$?` stands for until a pipeline of
  ///     this line has run.
  /// - Returns: The output, and every file the command read (for a replayable journal). A line that runs
  ///   nothing (blank, a comment) exits with `lastStatus`.
  public mutating func run(
    _ line: String, files: any FileSource, workingDirectory: String, language: Language = .en, lastStatus: Int32 = 0
  ) -> (ToolResult, [String: FileContents]) {
    var reads: [String: FileContents] = [:]
    let result = run(
      line, files: files, workingDirectory: workingDirectory, language: language, depth: 0, status: lastStatus, reads: &reads)
    return (result, reads)
  }

  /// Runs a command line `depth` command substitutions deep, `status` being what `$?` stands for at
  /// first, adding what it read to `reads`: its pipelines in turn, as `;`, `&&` and `||` join them, once the
  /// whole line has parsed. A pipeline that waits (`oc delete`) has waited before the next one runs; the
  /// last one's wait is the line's.
  private mutating func run(
    _ line: String, files: any FileSource, workingDirectory: String, language: Language, depth: Int, status: Int32,
    reads: inout [String: FileContents]
  ) -> ToolResult {
    let list: ShellList
    do {
      list = try ShellList(splitting: line)
    } catch {
      return ToolResult(stderr: "grpclab: \(error)\n", exitCode: 2)
    }
    var result = ToolResult(exitCode: status)
    for item in list.items {
      switch item.connector {
      case .ifSucceeded where result.exitCode != 0, .ifFailed where result.exitCode == 0: continue
      default: break
      }
      if let end = result.waitsUntil, cluster.now < end { cluster.advance(to: end) }
      let ran = runPipeline(
        item.line, files: files, workingDirectory: workingDirectory, language: language, depth: depth, status: result.exitCode,
        reads: &reads)
      result.append(outputOf: ran)
      result.exitCode = ran.exitCode
      result.waitsUntil = ran.waitsUntil
    }
    return result
  }

  /// Runs one pipeline of a line, expanding its words; `$?` stands for `status`, then for the status of the
  /// last command substitution, as bash's does.
  private mutating func runPipeline(
    _ line: String, files: any FileSource, workingDirectory: String, language: Language, depth: Int, status: Int32,
    reads: inout [String: FileContents]
  ) -> ToolResult {
    var substituted = ToolResult()
    var status = status
    let command: ShellCommand
    do {
      command = try ShellCommand(parsing: line) { expansion throws(ShellError) in
        switch expansion {
        case .variable(let name):
          return workstation.variables[name] ?? ""
        case .status:
          return String(status)
        case .command(let inner):
          guard depth < Self.substitutionDepth else { throw .nestedTooDeeply(Self.substitutionDepth) }
          let shell = (workstation.variables, workstation.exported)
          let result = run(
            inner, files: files, workingDirectory: workingDirectory, language: language, depth: depth + 1, status: status,
            reads: &reads)
          (workstation.variables, workstation.exported) = shell
          substituted.stderr += result.stderr
          substituted.exitCode = result.exitCode
          status = result.exitCode
          substituted.waitsUntil = [substituted.waitsUntil, result.waitsUntil].compactMap { $0 }.max()
          var output = result.stdout
          while output.last == "\n" { output.removeLast() }
          return output
        }
      }
    } catch {
      return ToolResult(stderr: substituted.stderr + "grpclab: \(error)\n", exitCode: 2)
    }
    if command.stages.allSatisfy(\.isEmpty) {
      // Assignments alone set shell variables; redirections beside them are made, and run nothing.
      for redirections in command.redirections {
        do throws(ShellError) {
          _ = try Redirected.resolve(redirections, input: nil, files: files, workingDirectory: workingDirectory, reads: &reads)
        } catch {
          return ToolResult(stderr: substituted.stderr + "grpclab: \(error)\n", exitCode: 1)
        }
      }
      for assignment in command.assignments { workstation.variables[assignment.name] = assignment.value }
      return substituted
    }
    var input = command.hereDocument
    var result = ToolResult(stderr: substituted.stderr, waitsUntil: substituted.waitsUntil)
    for (index, argv) in command.stages.enumerated() {
      var stage: ToolResult
      do throws(ShellError) {
        let redirected = try Redirected.resolve(
          command.redirections[index], input: input, files: files, workingDirectory: workingDirectory, reads: &reads)
        input = redirected.input
        if index > 0, let filtered = TextFilters.run(argv, input: input ?? "") {
          stage = filtered
        } else {
          var invocation = Invocation(
            session: self, files: files, workingDirectory: workingDirectory, stdin: input, language: language,
            inSubshell: command.isPipeline)
          stage = invocation.dispatch(argv)
          self = invocation.session
          reads.merge(invocation.filesRead) { a, _ in a }
        }
        redirected.route(&stage)
      } catch {
        stage = ToolResult(stderr: "grpclab: \(error)\n", exitCode: 1)
      }
      var earlier = ToolResult(stderr: result.stderr)
      earlier.append(outputOf: stage)
      earlier.exitCode = stage.exitCode
      earlier.waitsUntil = stage.waitsUntil ?? result.waitsUntil
      result = earlier
      input = stage.stdout
    }
    return result
  }
}

/// One program's run: the session it acts on, its inputs and what it read.
struct Invocation {
  var session: ToolSession
  let files: any FileSource
  let workingDirectory: String
  let stdin: String?
  let language: Language
  /// Whether the program runs in a pipeline, where bash runs each command in a subshell: the shell's
  /// builtins leave its variables alone there.
  let inSubshell: Bool
  var filesRead: [String: FileContents] = [:]

  var cluster: Cluster {
    get { session.cluster }
    set { session.cluster = newValue }
  }

  /// Runs one program.
  mutating func dispatch(_ argv: [String]) -> ToolResult {
    guard let program = argv.first else { return ToolResult() }
    switch program {
    case "oc", "kubectl":
      var kubectl = Kubectl(name: program, invocation: self)
      let result = kubectl.run(Array(argv.dropFirst()))
      self = kubectl.invocation
      return result
    case "grpcurl":
      var grpcurl = Grpcurl(invocation: self)
      let result = grpcurl.run(Array(argv.dropFirst()))
      self = grpcurl.invocation
      return result
    case "ghz":
      var ghz = Ghz(invocation: self)
      let result = ghz.run(Array(argv.dropFirst()))
      self = ghz.invocation
      return result
    case "jaeger":
      return Jaeger(cluster: cluster).run(Array(argv.dropFirst()))
    case "kiali":
      return Kiali(cluster: cluster, workstation: session.workstation, language: language).run(Array(argv.dropFirst()))
    case "istioctl":
      return Istioctl(cluster: cluster, workstation: session.workstation).run(Array(argv.dropFirst()))
    case "echo":
      return Self.echo(Array(argv.dropFirst()))
    case "true":
      return ToolResult()
    case "false":
      return ToolResult(exitCode: 1)
    case "export":
      return export(Array(argv.dropFirst()))
    case "unset":
      return unset(Array(argv.dropFirst()))
    case "cat", "ls":
      var readers = FileReaders(invocation: self)
      let result = program == "cat" ? readers.cat(Array(argv.dropFirst())) : readers.ls(Array(argv.dropFirst()))
      self = readers.invocation
      return result
    default:
      if let filtered = TextFilters.run(argv, input: stdin ?? "") { return filtered }
      return ToolResult(stderr: "grpclab: \(program): command not found\n", exitCode: 127)
    }
  }

  /// Reads `path` relative to the working directory, recording what was read.
  mutating func read(_ path: String) -> (absolute: String, contents: FileContents) {
    let absolute = path.hasPrefix("/") ? path : Self.join(workingDirectory, path)
    let contents = files.contents(of: absolute)
    filesRead[absolute] = contents
    return (absolute, contents)
  }

  /// `path` made absolute against `workingDirectory` when it lies inside it: what `cat`, `ls` and `<` may
  /// read. nil outside it.
  static func insideWorkspace(_ path: String, workingDirectory: String) -> String? {
    let absolute = path.hasPrefix("/") ? join("/", path) : join(workingDirectory, path)
    let root = join("/", workingDirectory)
    guard absolute == root || absolute.hasPrefix(root == "/" ? "/" : root + "/") else { return nil }
    return absolute
  }

  /// `path` resolved against `directory`, as the kernel reads a path: split at every `/` byte, each `.`
  /// dropped, each `..` going up a directory but never above the root.
  static func join(_ directory: String, _ path: String) -> String {
    let slash = UInt8(ascii: "/")
    var parts = directory.utf8.split(separator: slash).map { String(decoding: $0, as: UTF8.self) }
    for part in path.utf8.split(separator: slash) {
      switch part.count {
      case 1 where part.first == UInt8(ascii: "."): continue
      case 2 where part.allSatisfy({ $0 == UInt8(ascii: ".") }): if !parts.isEmpty { parts.removeLast() }
      default: parts.append(String(decoding: part, as: UTF8.self))
      }
    }
    return "/" + parts.joined(separator: "/")
  }
}

extension ToolSession {
  /// The session in the compact form a snapshot keeps: the workstation as one line of JSON, then the
  /// cluster's archive (`Cluster.archived()`).
  public func archived() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    return try encoder.encode(workstation) + [UInt8(ascii: "\n")] + cluster.archived()
  }

  /// The session `archived()` made `bytes` of.
  ///
  /// - Throws: An error when the bytes are not an archive this build made.
  public init(archived bytes: Data) throws {
    guard let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) else { throw ArchiveError() }
    self.init(
      cluster: try Cluster(archived: bytes[(newline + 1)...]),
      workstation: try JSONDecoder().decode(Workstation.self, from: bytes[..<newline]))
  }

  /// Bytes that are not a session's archive.
  struct ArchiveError: Error {}
}
