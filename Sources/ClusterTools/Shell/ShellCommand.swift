/// A command line as a POSIX shell splits it: variable assignments, a pipeline of argument vectors and an
/// optional here-document.
///
///     let command = try ShellCommand(parsing: "oc -n grpc get pods | grep -c Running")
///     command.stages  // [["oc", "-n", "grpc", "get", "pods"], ["grep", "-c", "Running"]]
public struct ShellCommand: Equatable, Sendable {
  /// The argument vectors of the pipeline, left to right, without their leading assignments.
  public var stages: [[String]]
  /// The `NAME=value` words before the first program. A line of assignments alone sets shell variables;
  /// before a program they reach only its environment.
  public var assignments: [ShellAssignment]
  /// The here-document fed to the first stage's standard input, if any.
  public var hereDocument: String?

  /// Parses one command line, leaving `$NAME`, `${NAME}` and `$(command)` as typed.
  ///
  /// - Throws: `ShellError` for unbalanced quotes, an empty pipeline stage or an unterminated here-document.
  public init(parsing text: String) throws(ShellError) {
    try self.init(parsing: text) { _ in nil }
  }

  /// Parses one command line; when it opens a here-document, the following lines of `text` are its body.
  ///
  /// Outside single quotes, `expand` gives the value of each `$NAME`, `${NAME}` and `$(command)`, or nil to
  /// keep it as typed. As in bash, a value outside double quotes splits into words at blanks, except in an
  /// assignment; the here-document's body is kept as typed.
  ///
  /// - Throws: `ShellError` for unbalanced quotes or parentheses, an empty pipeline stage, an unterminated
  ///   here-document, or what `expand` throws.
  public init(parsing text: String, expanding expand: (ShellExpansion) throws(ShellError) -> String?) throws(ShellError) {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let first = lines.isEmpty ? "" : lines.removeFirst()
    var parser = Parser(characters: Array(first))
    try parser.parse(expand)
    stages = parser.stages.filter { !$0.isEmpty }
    assignments = parser.assignments
    if let delimiter = parser.delimiter {
      var body: [String] = []
      var closed = false
      for line in lines {
        let candidate = delimiter.stripTabs ? String(line.drop { $0 == "\t" }) : line
        if candidate == delimiter.word {
          closed = true
          break
        }
        body.append(candidate)
      }
      if !closed { throw .unterminatedHereDocument(delimiter.word) }
      hereDocument = body.map { $0 + "\n" }.joined()
    } else {
      hereDocument = nil
    }
  }

  /// The delimiter word when `line` opens a here-document (`<<EOF`, `<<'EOF'`, `<<-EOF`), so a reader knows
  /// to collect body lines until a line equal to it.
  public static func hereDocumentDelimiter(in line: String) -> String? {
    guard let range = line.range(of: "<<") else { return nil }
    let rest = line[range.upperBound...].drop { $0 == "-" || $0 == " " }
    let word = rest.prefix { !" \t|".contains($0) }.filter { $0 != "'" && $0 != "\"" }
    return word.isEmpty ? nil : word
  }

  /// Whether `name` can name a shell variable: a letter or `_`, then letters, digits or `_`.
  public static func isName<S: Collection<Character>>(_ name: S) -> Bool {
    guard let first = name.first, first.isASCII, first.isLetter || first == "_" else { return false }
    return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
  }
}

/// `NAME=value` before a command.
public struct ShellAssignment: Equatable, Sendable {
  public var name: String
  public var value: String

  public init(name: String, value: String) {
    self.name = name
    self.value = value
  }
}

/// What a `$` outside single quotes asks the shell for.
public enum ShellExpansion: Equatable, Sendable {
  /// `$NAME` or `${NAME}`.
  case variable(String)
  /// `$(command)`: the command line's output.
  case command(String)
}

/// One line split into words, left to right.
private struct Parser {
  let characters: [Character]
  var index = 0
  var stages: [[String]] = [[]]
  var assignments: [ShellAssignment] = []
  var delimiter: (word: String, stripTabs: Bool)?
  /// The word being read; quotes begin a word that may stay empty.
  var word = ""
  var inWord = false
  /// The variable's name when the word being read is an assignment.
  var assigning: String?
  /// Whether expansions in the word being read split into words: not in an `export NAME=value` argument.
  var splits = true
  /// Whether the current stage has a word or an assignment yet.
  var stageBegun = false

  init(characters: [Character]) {
    self.characters = characters
  }

  mutating func parse(_ expand: (ShellExpansion) throws(ShellError) -> String?) throws(ShellError) {
    while index < characters.count {
      let c = characters[index]
      if !inWord && !" \t|#".contains(c) && startsAssignment() { continue }
      switch c {
      case " ", "\t":
        flush()
      case "#" where !inWord:
        index = characters.count
        continue
      case "|":
        flush()
        if !stageBegun { throw .syntax("|") }
        stages.append([])
        stageBegun = false
      case "'":
        inWord = true
        guard let end = characters[(index + 1)...].firstIndex(of: "'") else { throw .unterminatedQuote }
        word += String(characters[(index + 1)..<end])
        index = end
      case "\"":
        inWord = true
        index += 1
        while index < characters.count && characters[index] != "\"" {
          let d = characters[index]
          if d == "\\", index + 1 < characters.count, "\"\\$`".contains(characters[index + 1]) {
            index += 1
            word.append(characters[index])
          } else if d == "$", try substitute(quoted: true, expand) {
          } else {
            word.append(d)
          }
          index += 1
        }
        if index >= characters.count { throw .unterminatedQuote }
      case "\\":
        inWord = true
        if index + 1 < characters.count {
          index += 1
          word.append(characters[index])
        }
      case "$":
        if try !substitute(quoted: false, expand) {
          inWord = true
          word.append(c)
        }
      case "<" where index + 1 < characters.count && characters[index + 1] == "<":
        flush()
        try readHereDocumentDelimiter()
        continue
      default:
        inWord = true
        word.append(c)
      }
      index += 1
    }
    flush()
    if stages.count > 1 && !stageBegun { throw .syntax("|") }
  }

  /// Ends the word being read: a stage's argument, or an assignment.
  mutating func flush() {
    if let name = assigning {
      if stages.count == 1 { assignments.append(ShellAssignment(name: name, value: word)) }
      stageBegun = true
    } else if inWord {
      stages[stages.count - 1].append(word)
      stageBegun = true
    }
    word = ""
    inWord = false
    assigning = nil
    splits = true
  }

  /// At the start of a word: whether it is `NAME=` before a stage's program, which it then reads past. After
  /// `export`, such a word stays an argument whose expansions do not split.
  mutating func startsAssignment() -> Bool {
    var end = index
    while end < characters.count, characters[end].isASCII, characters[end].isLetter || characters[end].isNumber || characters[end] == "_" {
      end += 1
    }
    guard end < characters.count, characters[end] == "=", ShellCommand.isName(characters[index..<end]) else { return false }
    let stage = stages[stages.count - 1]
    if stage.isEmpty {
      assigning = String(characters[index..<end])
      inWord = true
      index = end + 1
      return true
    }
    if stage.first == "export" { splits = false }
    return false
  }

  /// Reads `$NAME`, `${NAME}` or `$(command)` at `index` and adds its value to the word, leaving `index` on
  /// its last character. Returns false when the `$` begins none of them and stands for itself.
  mutating func substitute(quoted: Bool, _ expand: (ShellExpansion) throws(ShellError) -> String?) throws(ShellError) -> Bool {
    let start = index
    guard index + 1 < characters.count else { return false }
    let expansion: ShellExpansion
    switch characters[index + 1] {
    case "{":
      guard let close = characters[(index + 2)...].firstIndex(of: "}") else { throw .unmatched("}") }
      let name = String(characters[(index + 2)..<close])
      guard ShellCommand.isName(name) else { throw .badSubstitution(String(characters[start...close])) }
      expansion = .variable(name)
      index = close
    case "(":
      let close = try closingParenthesis(after: index + 2)
      expansion = .command(String(characters[(index + 2)..<close]))
      index = close
    case let next where next.isASCII && (next.isLetter || next == "_"):
      var end = index + 2
      while end < characters.count, characters[end].isASCII, characters[end].isLetter || characters[end].isNumber || characters[end] == "_" {
        end += 1
      }
      expansion = .variable(String(characters[(index + 1)..<end]))
      index = end - 1
    default:
      return false
    }
    guard let value = try expand(expansion) else {
      word += String(characters[start...index])
      inWord = true
      return true
    }
    if quoted || !splits || assigning != nil {
      word += value
      inWord = true
      return true
    }
    for c in value {
      if c == " " || c == "\t" || c == "\n" {
        flush()
      } else {
        word.append(c)
        inWord = true
      }
    }
    return true
  }

  /// The index of the `)` that closes a `$(` whose text starts at `start`, past quotes and nested parentheses.
  func closingParenthesis(after start: Int) throws(ShellError) -> Int {
    var depth = 1
    var i = start
    while i < characters.count {
      switch characters[i] {
      case "\\":
        i += 1
      case "'":
        guard let end = characters[(i + 1)...].firstIndex(of: "'") else { throw .unterminatedQuote }
        i = end
      case "\"":
        i += 1
        while i < characters.count && characters[i] != "\"" {
          if characters[i] == "\\" { i += 1 }
          i += 1
        }
        if i >= characters.count { throw .unterminatedQuote }
      case "(":
        depth += 1
      case ")":
        depth -= 1
        if depth == 0 { return i }
      default:
        break
      }
      i += 1
    }
    throw .unmatched(")")
  }

  /// Reads `<<WORD`, `<<-WORD` or `<<'WORD'` at `index`.
  mutating func readHereDocumentDelimiter() throws(ShellError) {
    index += 2
    var stripTabs = false
    if index < characters.count && characters[index] == "-" {
      stripTabs = true
      index += 1
    }
    while index < characters.count && characters[index] == " " { index += 1 }
    var raw = ""
    while index < characters.count && !" \t|".contains(characters[index]) {
      raw.append(characters[index])
      index += 1
    }
    let word = raw.filter { $0 != "'" && $0 != "\"" }
    if word.isEmpty { throw .syntax("newline") }
    delimiter = (word, stripTabs)
  }
}

/// A command line the shell could not parse.
public enum ShellError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A quote that is never closed.
  case unterminatedQuote
  /// A `$(` or `${` that is never closed, with the character it waits for.
  case unmatched(Character)
  /// A `${…}` that does not name a variable, as typed.
  case badSubstitution(String)
  /// Command substitutions inside one another deeper than the shell follows.
  case nestedTooDeeply(Int)
  /// A token in the wrong place, such as a leading `|`.
  case syntax(String)
  /// A here-document whose delimiter line never came.
  case unterminatedHereDocument(String)

  public var description: String {
    switch self {
    case .unterminatedQuote: "unexpected EOF while looking for matching quote"
    case .unmatched(let character): "unexpected EOF while looking for matching `\(character)'"
    case .badSubstitution(let text): "\(text): bad substitution"
    case .nestedTooDeeply(let depth): "command substitutions nested more than \(depth) deep"
    case .syntax(let token): "syntax error near unexpected token `\(token)'"
    case .unterminatedHereDocument(let word): "warning: here-document delimited by end-of-file (wanted `\(word)')"
    }
  }
}
