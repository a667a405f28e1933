/// A command line as a POSIX shell splits it: variable assignments, a pipeline of argument vectors and an
/// optional here-document.
///
///     let command = try ShellCommand(parsing: "oc -n grpc get pods | grep -c Running")
///     command.stages  // [["oc", "-n", "grpc", "get", "pods"], ["grep", "-c", "Running"]]
public struct ShellCommand: Equatable, Sendable {
  /// The argument vectors of the pipeline, left to right, without their leading assignments.
  public var stages: [[String]]
  /// The `NAME=value` words before the program of a line that is no pipeline. A line of assignments alone
  /// sets shell variables; before a program they reach only its environment.
  public var assignments: [ShellAssignment]
  /// Whether the line is a pipeline of several commands, each of which bash runs in a subshell.
  public var isPipeline: Bool
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
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let first = lines.isEmpty ? "" : lines.removeFirst()
    var parser = Parser(characters: Array(first))
    try parser.parse(expand)
    stages = parser.stages.filter { !$0.isEmpty }
    isPipeline = parser.stages.count > 1
    assignments = isPipeline ? [] : parser.assignments
    guard let delimiter = parser.delimiter else {
      hereDocument = nil
      return
    }
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
    let text = body.map { $0 + "\n" }.joined()
    if delimiter.quoted {
      hereDocument = text
    } else {
      var reader = Parser(characters: Array(text))
      hereDocument = try reader.expandHereDocument(expand)
    }
  }

  /// The delimiter word when `line` opens a here-document (`<<EOF`, `<<'EOF'`, `<<-EOF`), so a reader knows
  /// to collect body lines until a line equal to it.
  public static func hereDocumentDelimiter(in line: String) -> String? {
    guard let range = line.range(of: "<<") else { return nil }
    let rest = line[range.upperBound...].drop { $0 == "-" || $0 == " " }
    let word = rest.prefix { !metacharacters.contains($0) }.filter { $0 != "'" && $0 != "\"" && $0 != "\\" }
    return word.isEmpty ? nil : word
  }

  /// The characters that end a word in bash.
  static let metacharacters: Set<Character> = [" ", "\t", "|", ";", "&", "<", ">", "(", ")"]

  /// Whether `name` can name a shell variable: a letter or `_`, then letters, digits or `_`.
  public static func isName<S: Collection<Character>>(_ name: S) -> Bool {
    guard let first = name.first, first.isASCII, first.isLetter || first == "_" else { return false }
    return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
  }
}

/// A line of pipelines joined by `;`, `&&` and `||`, split as typed: each pipeline is parsed and expanded
/// only when its turn comes, as bash does.
///
///     try ShellList(splitting: "oc apply -f a.yaml && oc get pods").items.map(\.line)
///     // ["oc apply -f a.yaml ", " oc get pods"]
public struct ShellList: Equatable, Sendable {
  /// What joins a pipeline to the one before it.
  public enum Connector: Equatable, Sendable {
    /// `;`, or nothing before the first: it runs.
    case always
    /// `&&`: it runs when the one before succeeded.
    case ifSucceeded
    /// `||`: it runs when the one before failed.
    case ifFailed
  }

  /// One pipeline's text (with the here-document's lines when it opens one) and its connector.
  public struct Item: Equatable, Sendable {
    public var line: String
    public var connector: Connector
  }

  /// The pipelines, left to right; none for a blank line or a comment.
  public var items: [Item]

  /// Splits a command line (with its here-document's lines, if any).
  ///
  /// - Throws: `ShellError` for a line that does not parse, as a whole and before anything runs.
  public init(splitting text: String) throws(ShellError) {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let first = lines.isEmpty ? "" : lines.removeFirst()
    var parser = Parser(characters: Array(first))
    parser.allowsLists = true
    try parser.parse { _ in nil }
    let characters = Array(first)
    var items: [Item] = []
    var start = 0
    var connector = Connector.always
    for (number, separator) in (parser.separators + [(characters.count, 0, .always)]).enumerated() {
      var line = String(characters[start..<separator.offset])
      if number == parser.hereDocumentPipeline { line += lines.map { "\n" + $0 }.joined() }
      if try !ShellCommand(parsing: line).isBlank { items.append(Item(line: line, connector: connector)) }
      connector = separator.connector
      start = separator.offset + separator.length
    }
    if let delimiter = parser.delimiter, !lines.contains(where: { (delimiter.stripTabs ? String($0.drop { $0 == "\t" }) : $0) == delimiter.word }) {
      throw .unterminatedHereDocument(delimiter.word)
    }
    self.items = items
  }
}

extension ShellList {
  /// Every pipeline's stages, as typed: what a lab's lint checks the programs of.
  public var stages: [[String]] {
    items.flatMap { (try? ShellCommand(parsing: $0.line))?.stages ?? [] }
  }

  /// The words of the first program of `line`, as typed; empty when it has none or does not parse. They
  /// say whether the line is a verb of grpclab's own.
  public static func firstWords(of line: String) -> [String] {
    (try? ShellList(splitting: line))?.items.first.flatMap { try? ShellCommand(parsing: $0.line) }?.stages.first ?? []
  }

  /// Whether the list is one command, no pipeline: a line grpclab's own verbs can be.
  public var isSimple: Bool {
    items.count == 1 && (try? ShellCommand(parsing: items[0].line))?.isPipeline == false
  }
}

extension ShellCommand {
  /// Whether the line runs nothing and assigns nothing: blank, or a comment.
  var isBlank: Bool { stages.isEmpty && assignments.isEmpty }
}

/// `NAME=value` before a command.
public struct ShellAssignment: Equatable, Sendable {
  /// The variable's name.
  public var name: String
  /// The value, after expansion.
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

/// One line split into words, left to right, as bash splits it before and after expanding.
private struct Parser {
  let characters: [Character]
  var index = 0
  var stages: [[String]] = [[]]
  var assignments: [ShellAssignment] = []
  var delimiter: (word: String, stripTabs: Bool, quoted: Bool)?
  /// The field being read; quotes begin a field that may stay empty.
  var word = ""
  var inWord = false
  /// Whether a token (a word as typed, before expansion) has begun.
  var tokenStarted = false
  /// The variable's name when the token being read is an assignment.
  var assigning: String?
  /// Whether expansions in the token being read split into words: not in an `export NAME=value` argument.
  var splits = true
  /// Whether the current stage has had a token, and one that is not an assignment.
  var stageBegun = false
  var commandStarted = false
  /// Whether `;`, `&&` and `||` may join pipelines, which are then only found, not read.
  var allowsLists = false
  /// Where pipelines end in a list: the separator's offset, length and what it joins.
  var separators: [(offset: Int, length: Int, connector: ShellList.Connector)] = []
  /// The number of the pipeline that opens the here-document, in a list.
  var hereDocumentPipeline: Int?

  init(characters: [Character]) {
    self.characters = characters
  }

  mutating func parse(_ expand: (ShellExpansion) throws(ShellError) -> String?) throws(ShellError) {
    while index < characters.count {
      let c = characters[index]
      if !tokenStarted && !" \t|#;&".contains(c) && startsAssignment() { continue }
      switch c {
      case " ", "\t":
        endToken()
      case "#" where !tokenStarted:
        index = characters.count
        continue
      case "|" where index + 1 < characters.count && characters[index + 1] == "|":
        try separate("||", connector: .ifFailed)
      case "&" where index + 1 < characters.count && characters[index + 1] == "&":
        try separate("&&", connector: .ifSucceeded)
      case ";":
        try separate(";", connector: .always)
      case "|":
        endToken()
        if !stageBegun { throw .syntax("|") }
        stages.append([])
        stageBegun = false
        commandStarted = false
      case "&":
        throw .unsupported("&")
      case "'":
        tokenStarted = true
        inWord = true
        guard let end = characters[(index + 1)...].firstIndex(of: "'") else { throw .unterminatedQuote }
        word += String(characters[(index + 1)..<end])
        index = end
      case "\"":
        tokenStarted = true
        inWord = true
        index += 1
        while index < characters.count && characters[index] != "\"" {
          let d = characters[index]
          if d == "\\", index + 1 < characters.count, "\"\\$`".contains(characters[index + 1]) {
            index += 1
            word.append(characters[index])
          } else if d == "`" {
            throw .unsupported("`")
          } else if d == "$", try substitute(quoted: true, expand) {
          } else {
            word.append(d)
          }
          index += 1
        }
        if index >= characters.count { throw .unterminatedQuote }
      case "\\":
        tokenStarted = true
        inWord = true
        if index + 1 < characters.count {
          index += 1
          word.append(characters[index])
        }
      case "$":
        tokenStarted = true
        if try !substitute(quoted: false, expand) {
          inWord = true
          word.append(c)
        }
      case "<" where index + 1 < characters.count && characters[index + 1] == "<":
        endToken()
        if delimiter != nil { throw .unsupported("<<") }
        hereDocumentPipeline = separators.count
        try readHereDocumentDelimiter()
        continue
      case "`", "(", ")":
        throw .unsupported(String(c))
      default:
        tokenStarted = true
        inWord = true
        word.append(c)
      }
      index += 1
    }
    endToken()
    if stages.count > 1 && !stageBegun { throw .syntax("|") }
    if let last = separators.last, last.connector != .always, !stageBegun { throw .unexpectedEnd }
  }

  /// Ends a pipeline at `;`, `&&` or `||` in a list; elsewhere the operator is refused.
  mutating func separate(_ token: String, connector: ShellList.Connector) throws(ShellError) {
    guard allowsLists else { throw .unsupported(token) }
    endToken()
    if !stageBegun { throw .syntax(token) }
    separators.append((index, token.count, connector))
    index += token.count - 1
    stages = [[]]
    assignments = []
    stageBegun = false
    commandStarted = false
  }

  /// Ends a field of the current token: a word of the stage, unless it is empty and unquoted.
  mutating func emitField() {
    if inWord { stages[stages.count - 1].append(word) }
    word = ""
    inWord = false
  }

  /// Ends the token as typed: an assignment, or the last field of a word.
  mutating func endToken() {
    if let name = assigning {
      assignments.append(ShellAssignment(name: name, value: word))
      word = ""
      inWord = false
    } else {
      emitField()
      if tokenStarted { commandStarted = true }
    }
    if tokenStarted { stageBegun = true }
    tokenStarted = false
    assigning = nil
    splits = true
  }

  /// At the start of a token: whether it is `NAME=` before the stage's command, which it then reads past.
  /// After `export`, such a token stays an argument whose expansions do not split.
  mutating func startsAssignment() -> Bool {
    var end = index
    while end < characters.count, characters[end].isASCII, characters[end].isLetter || characters[end].isNumber || characters[end] == "_" {
      end += 1
    }
    guard end < characters.count, characters[end] == "=", ShellCommand.isName(characters[index..<end]) else { return false }
    if !commandStarted {
      assigning = String(characters[index..<end])
      tokenStarted = true
      inWord = true
      index = end + 1
      return true
    }
    if stages[stages.count - 1].first == "export" { splits = false }
    return false
  }

  /// Reads `$NAME`, `${NAME}` or `$(command)` at `index` and adds its value to the token, leaving `index`
  /// on its last character. Returns false when the `$` begins none of them and stands for itself.
  mutating func substitute(quoted: Bool, _ expand: (ShellExpansion) throws(ShellError) -> String?) throws(ShellError) -> Bool {
    let start = index
    guard index + 1 < characters.count else { return false }
    let expansion: ShellExpansion
    switch characters[index + 1] {
    case "{":
      guard let close = characters[(index + 2)...].firstIndex(of: "}") else { throw .unmatched("}") }
      let inside = characters[(index + 2)..<close]
      let typed = String(characters[start...close])
      guard ShellCommand.isName(inside) else {
        let name = inside.drop { $0 == "#" || $0 == "!" }.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        let operators = ":-=+?#%/^,"
        let rest = inside.drop { $0 == "#" || $0 == "!" }.dropFirst(name.count)
        if ShellCommand.isName(name), rest.isEmpty || operators.contains(rest.first ?? " ") { throw .unsupportedExpansion(typed) }
        throw .badSubstitution(typed)
      }
      expansion = .variable(String(inside))
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
    var value: String?
    if assigning != nil, case .variable(let name) = expansion, let earlier = assignments.last(where: { $0.name == name }) {
      value = earlier.value
    } else {
      value = try expand(expansion)
    }
    guard let value else {
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
        emitField()
      } else {
        word.append(c)
        inWord = true
      }
    }
    return true
  }

  /// The here-document's body with `$NAME`, `${NAME}` and `$(command)` expanded, and `\` escaping `$`,
  /// `` ` ``, `\` and the end of a line.
  mutating func expandHereDocument(_ expand: (ShellExpansion) throws(ShellError) -> String?) throws(ShellError) -> String {
    assigning = nil
    splits = false
    while index < characters.count {
      let c = characters[index]
      if c == "\\", index + 1 < characters.count, "$`\\\n".contains(characters[index + 1]) {
        index += 1
        if characters[index] != "\n" { word.append(characters[index]) }
      } else if c == "$", try substitute(quoted: true, expand) {
      } else {
        word.append(c)
      }
      index += 1
    }
    return word
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

  /// Reads `<<WORD`, `<<-WORD` or `<<'WORD'` at `index`; a delimiter with quotes leaves the body as typed.
  mutating func readHereDocumentDelimiter() throws(ShellError) {
    index += 2
    var stripTabs = false
    if index < characters.count && characters[index] == "-" {
      stripTabs = true
      index += 1
    }
    while index < characters.count && characters[index] == " " { index += 1 }
    var raw = ""
    while index < characters.count && !ShellCommand.metacharacters.contains(characters[index]) {
      raw.append(characters[index])
      index += 1
    }
    let word = raw.filter { $0 != "'" && $0 != "\"" && $0 != "\\" }
    if word.isEmpty { throw .syntax("newline") }
    delimiter = (word, stripTabs, word.count != raw.count)
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
  /// A parameter expansion bash has that the lab shell does not (`${A:-x}`, `${#A}`), as typed.
  case unsupportedExpansion(String)
  /// What the lab shell does not run: `&`, backticks, subshell parentheses, a second here-document, or `;`,
  /// `&&` and `||` inside one pipeline.
  case unsupported(String)
  /// The line ends after `&&` or `||`.
  case unexpectedEnd
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
    case .unsupportedExpansion(let text): "\(text): the lab shell expands only $NAME, ${NAME} and $(command)"
    case .unsupported(let token):
      switch token {
      case "&": "`&' is not supported by the lab shell: commands run in the foreground"
      case "`": "backquotes are not supported by the lab shell; use $(command)"
      case "(", ")": "`\(token)' is not supported by the lab shell outside quotes and $(command)"
      case "<<": "only one here-document per line is supported by the lab shell"
      default: "`\(token)' is not supported by the lab shell inside one pipeline"
      }
    case .unexpectedEnd: "syntax error: unexpected end of file"
    case .nestedTooDeeply(let depth): "command substitutions nested more than \(depth) deep"
    case .syntax(let token): "syntax error near unexpected token `\(token)'"
    case .unterminatedHereDocument(let word): "warning: here-document delimited by end-of-file (wanted `\(word)')"
    }
  }
}
