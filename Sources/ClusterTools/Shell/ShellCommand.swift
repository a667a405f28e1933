import ClusterModel

/// A command line as a POSIX shell splits it: variable assignments, a pipeline of argument vectors and an
/// optional here-document.
///
///     let command = try ShellCommand(parsing: "oc -n grpc get pods | grep -c Running")
///     command.stages  // [["oc", "-n", "grpc", "get", "pods"], ["grep", "-c", "Running"]]
public struct ShellCommand: Equatable, Sendable {
  /// The argument vectors of the pipeline, left to right, without their leading assignments; empty for a
  /// stage of redirections alone (`> /dev/null`), which bash makes and runs nothing for.
  public var stages: [[String]]
  /// The redirections of each stage, in the order typed.
  public var redirections: [[ShellRedirection]]
  /// The `NAME=value` words before the program of a line that is no pipeline. A line of assignments alone
  /// sets shell variables; before a program they reach only its environment.
  var assignments: [ShellAssignment]
  /// Whether the line is a pipeline of several commands, each of which bash runs in a subshell.
  var isPipeline: Bool
  /// The here-document fed to the first stage's standard input, if any.
  public var hereDocument: String?

  /// Parses one command line, leaving `$NAME`, `${NAME}` and `$(command)` as typed.
  ///
  /// - Throws: `ShellError` for a line that does not parse.
  public init(parsing text: String) throws(ShellError) {
    try self.init(parsing: text) { _ in nil }
  }

  /// Parses one command line; when it opens a here-document, the following lines of `text` are its body.
  ///
  /// Outside single quotes, `expand` gives the value of each `$NAME`, `${NAME}` and `$(command)`, or nil to
  /// keep it as typed. As in bash, a value outside double quotes splits into words at blanks, except in an
  /// assignment, where the assignments before it on the line are already in force; the body of a
  /// here-document whose delimiter is not quoted is expanded too.
  ///
  /// - Throws: `ShellError` for unbalanced quotes, parentheses or braces, an expansion that is not
  ///   `$NAME`, `${NAME}` or `$(command)`, a control operator (`&`, or `;`, `&&` and `||`, at which
  ///   `ShellList` splits a line), an empty pipeline stage, an unterminated here-document, or what `expand`
  ///   throws.
  public init(parsing text: String, expanding expand: (ShellExpansion) throws(ShellError) -> String?) throws(ShellError) {
    guard text.utf8.contains(UInt8(ascii: "$")) else {
      self = try Self.recent.result(for: UTF8Key(text)) { () throws(ShellError) in try ShellCommand(reading: text) { _ in nil } }
      return
    }
    try self.init(reading: text, expanding: expand)
  }

  /// The lines without a `$`, which expand nothing, parsed lately: a sweep over seeds replays the same
  /// journal in every seed.
  private static let recent = RecentResults<UTF8Key, ShellCommand>(capacity: 256)

  /// Parses `text` as `init(parsing:expanding:)` does, without looking it up.
  private init(reading text: String, expanding expand: (ShellExpansion) throws(ShellError) -> String?) throws(ShellError) {
    let (first, lines) = Self.split(text)
    var parser = ShellParser(characters: Array(first))
    try parser.parse(expand)
    let kept = parser.stages.indices.filter { !parser.stages[$0].isEmpty || !parser.redirections[$0].isEmpty }
    stages = kept.map { parser.stages[$0] }
    redirections = kept.map { parser.redirections[$0] }
    isPipeline = parser.stages.count > 1
    assignments = isPipeline ? [] : parser.assignments
    guard let delimiter = parser.delimiter else {
      hereDocument = nil
      return
    }
    var body: [String] = []
    var closed = false
    for line in lines {
      if Self.closes(line, delimiter) {
        closed = true
        break
      }
      body.append(delimiter.stripTabs ? String(line.drop { $0 == "\t" }) : line)
    }
    if !closed { throw .unterminatedHereDocument(delimiter.word) }
    let text = body.map { $0 + "\n" }.joined()
    if delimiter.quoted {
      hereDocument = text
    } else {
      var reader = ShellParser(characters: Array(text))
      hereDocument = try reader.expandHereDocument(expand)
    }
  }

  /// The characters that end a word in bash.
  static let metacharacters: Set<Character> = [" ", "\t", "|", ";", "&", "<", ">", "(", ")"]

  /// Whether `name` can name a shell variable: a letter or `_`, then letters, digits or `_`.
  static func isName<S: Collection<Character>>(_ name: S) -> Bool {
    guard let first = name.first?.asciiValue, isLetter(first) || first == UInt8(ascii: "_") else { return false }
    return name.allSatisfy(isNameCharacter)
  }

  /// Whether `character` may stand in a variable's name after its first character: an ASCII letter or
  /// digit, or `_`.
  static func isNameCharacter(_ character: Character) -> Bool {
    guard let byte = character.asciiValue else { return false }
    return isLetter(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
  }

  /// Whether `byte` is an ASCII letter.
  private static func isLetter(_ byte: UInt8) -> Bool {
    (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
  }

  /// A command's text as its line, which quotes may carry over several lines, and the lines after it (a
  /// here-document's body): the line ends at the first newline outside quotes, a comment's included. A
  /// backslash-newline outside single quotes joins two lines, and goes, as in bash.
  static func split(_ text: String) -> (line: String, rest: [String]) {
    var line = ""
    var quote: Character?
    var comment = false
    var index = text.startIndex
    while index < text.endIndex {
      let c = text[index]
      let next = text.index(after: index)
      if c == "\n" && (comment || quote == nil) {
        return (line, text[next...].split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
      }
      if c == "\\", quote != "'", !comment, next < text.endIndex {
        if text[next] != "\n" { line.append(contentsOf: text[index...next]) }
        index = text.index(after: next)
        continue
      }
      if let open = quote, !comment {
        if c == open { quote = nil }
      } else if !comment && (c == "'" || c == "\"") {
        quote = c
      } else if !comment && c == "#" && (line.last.map(metacharacters.contains) ?? true) {
        comment = true
      }
      line.append(c)
      index = next
    }
    return (line, [])
  }

  /// Whether `line` ends a here-document opened with `delimiter`.
  static func closes(_ line: String, _ delimiter: HereDocumentDelimiter) -> Bool {
    (delimiter.stripTabs ? String(line.drop { $0 == "\t" }) : line) == delimiter.word
  }
}

extension ShellCommand {
  /// Whether the line runs nothing and assigns nothing: blank, or a comment.
  var isBlank: Bool { stages.isEmpty && assignments.isEmpty }
}

/// A redirection of one program's streams, after expansion.
public enum ShellRedirection: Equatable, Sendable {
  /// `N>path` or `N>>path`: stream `N` (standard output unless given) to a file.
  case write(Int, path: String)
  /// `N>&M`: stream `N` to wherever stream `M` goes at that point.
  case duplicate(Int, to: Int)
  /// `N<path`: stream `N` (standard input unless given) from a file.
  case read(Int, path: String)
}

/// What a redirection operator does with its target word.
enum RedirectionOperation: Equatable, Sendable {
  /// `<`.
  case read
  /// `>`, `>>` and `>|`.
  case write
  /// `&>` and `&>>`: standard output and standard error to the file.
  case writeBoth
  /// `>&` and `<&`: the stream goes where the numbered one goes; `>&word` with a word that is no number
  /// is `&>word`.
  case duplicate

  /// The redirections the operator makes of `stream` with `target`.
  func redirections(of stream: Int, target: String) -> [ShellRedirection] {
    switch self {
    case .read: [.read(stream, path: target)]
    case .write: [.write(stream, path: target)]
    case .writeBoth: [.write(1, path: target), .duplicate(2, to: 1)]
    case .duplicate:
      if let number = Int(target), target.allSatisfy(\.isASCII) { [.duplicate(stream, to: number)] }
      else if stream == 1 { [.write(1, path: target), .duplicate(2, to: 1)] }
      else { [.write(stream, path: target)] }
    }
  }
}

/// How a here-document ends: `<<WORD`, `<<-WORD` or `<<'WORD'`.
struct HereDocumentDelimiter: Equatable, Sendable {
  /// The line that ends it, quotes removed.
  var word: String
  /// `<<-`: leading tabs are stripped from its lines and its last line.
  var stripTabs: Bool
  /// The word was quoted: the body stays as typed, unexpanded.
  var quoted: Bool
}

/// `NAME=value` before a command.
struct ShellAssignment: Equatable, Sendable {
  /// The variable's name.
  var name: String
  /// The value, after expansion.
  var value: String
}

/// What a `$` outside single quotes asks the shell for.
public enum ShellExpansion: Equatable, Sendable {
  /// `$NAME` or `${NAME}`.
  case variable(String)
  /// `$(command)`: the command line's output.
  case command(String)
  /// `$?` or `${?}`: the exit status of the last pipeline.
  case status
}
