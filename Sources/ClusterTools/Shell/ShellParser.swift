import ClusterModel

/// One line split into words, left to right, as bash splits it before and after expanding.
struct ShellParser {
  /// The line, as typed.
  let characters: [Character]
  /// Where the parser is in `characters`.
  var index = 0
  /// The argument vectors of the current pipeline's stages.
  var stages: [[String]] = [[]]
  /// Each stage's redirections, in the order typed.
  var redirections: [[ShellRedirection]] = [[]]
  /// The redirection whose target word is being read: the stream it is for, and what it does with its
  /// target.
  var redirecting: (stream: Int, operation: RedirectionOperation)?
  /// The `NAME=value` words before the current stage's program.
  var assignments: [ShellAssignment] = []
  /// The here-document the line opens, if any.
  var delimiter: HereDocumentDelimiter? { delimiters.first }
  /// Every here-document the line opens, in order: the lab shell runs a line with one at most, but a
  /// reader takes all their bodies before it says so.
  var delimiters: [HereDocumentDelimiter] = []
  /// The field being read; quotes begin a field that may stay empty.
  var word = ""
  var inWord = false
  /// Whether a token (a word as typed, before expansion) has begun.
  var tokenStarted = false
  /// The variable's name when the token being read is an assignment.
  var assigning: String?
  /// Whether expansions in the token being read split into words: not in an `export NAME=value` argument.
  var splits = true
  /// Whether the current stage has had any token.
  var stageBegun = false
  /// Whether the current stage has had a token that is not an assignment.
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
      if !tokenStarted && redirecting == nil && !" \t|#;&<>".contains(c) && startsAssignment() { continue }
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
      case "&" where index + 1 < characters.count && characters[index + 1] == ">":
        try readRedirection()
        continue
      case ";" where index + 1 < characters.count && characters[index + 1] == ";":
        throw .syntax(";;")
      case ";":
        try separate(";", connector: .always)
      case "|":
        endToken()
        if !stageBegun || redirecting != nil { throw .syntax("|") }
        stages.append([])
        redirections.append([])
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
        if delimiters.isEmpty { hereDocumentPipeline = separators.count }
        try readHereDocumentDelimiter()
        continue
      case "<", ">":
        try readRedirection()
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
    if redirecting != nil { throw .syntax("newline") }
    if stages.count > 1 && !stageBegun { throw .syntax("|") }
    if let last = separators.last, last.connector != .always, !stageBegun { throw .unexpectedEnd }
    if delimiters.count > 1 { throw .unsupported("<<") }
  }

  /// Ends a pipeline at `;`, `&&` or `||` in a list; elsewhere the operator is refused.
  mutating func separate(_ token: String, connector: ShellList.Connector) throws(ShellError) {
    guard allowsLists else { throw .unsupported(token) }
    endToken()
    if !stageBegun || redirecting != nil { throw .syntax(token) }
    separators.append((index, token.count, connector))
    index += token.count - 1
    stages = [[]]
    redirections = [[]]
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

  /// Ends the token as typed: a redirection's target, an assignment, or the last field of a word.
  mutating func endToken() {
    if let redirection = redirecting, tokenStarted {
      redirections[redirections.count - 1] += redirection.operation.redirections(of: redirection.stream, target: word)
      redirecting = nil
      word = ""
      inWord = false
    } else if let name = assigning {
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
    if redirecting == nil { splits = true }
  }

  /// At the start of a token: whether it is `NAME=` before the stage's command, which it then reads past.
  /// After `export`, such a token stays an argument whose expansions do not split.
  mutating func startsAssignment() -> Bool {
    var end = index
    while end < characters.count, ShellCommand.isNameCharacter(characters[end]) { end += 1 }
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

  /// Reads `$NAME`, `${NAME}`, `$?`, `${?}` or `$(command)` at `index` and adds its value to the token,
  /// leaving `index` on its last character. Returns false when the `$` begins none of them and stands for itself.
  mutating func substitute(quoted: Bool, _ expand: (ShellExpansion) throws(ShellError) -> String?) throws(ShellError) -> Bool {
    let start = index
    guard index + 1 < characters.count else { return false }
    let expansion: ShellExpansion
    switch characters[index + 1] {
    case "?":
      expansion = .status
      index += 1
    case "{" where characters[(index + 2)...].starts(with: "?}"):
      expansion = .status
      index += 3
    case "{":
      guard let close = characters[(index + 2)...].firstIndex(of: "}") else { throw .unmatched("}") }
      let inside = characters[(index + 2)..<close]
      let typed = String(characters[start...close])
      guard ShellCommand.isName(inside) else {
        let name = inside.drop { $0 == "#" || $0 == "!" }.prefix(while: ShellCommand.isNameCharacter)
        let operators = ":-=+?#%/^,"
        let rest = inside.drop { $0 == "#" || $0 == "!" }.dropFirst(name.count)
        if ShellCommand.isName(name), rest.isEmpty || operators.contains(rest.first ?? " ") { throw .unsupportedExpansion(typed) }
        throw .badSubstitution(typed)
      }
      expansion = .variable(String(inside))
      index = close
    case "(" where characters[(index + 2)...].first == "(":
      throw .unsupported("$((")
    case "(":
      let close = try closingParenthesis(after: index + 2)
      expansion = .command(String(characters[(index + 2)..<close]))
      index = close
    case let next where next.isASCII && (next.isLetter || next == "_"):
      var end = index + 2
      while end < characters.count, ShellCommand.isNameCharacter(characters[end]) { end += 1 }
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

  /// Reads a redirection operator at `index` (`<`, `>`, `>>`, `>|`, `>&`, `<&`, `&>`, `&>>`), with the
  /// stream number typed right before it (`2>`), leaving `index` on what follows; its target is the next
  /// word, which does not split.
  mutating func readRedirection() throws(ShellError) {
    if redirecting != nil { throw .syntax(String(characters[index])) }
    var stream: Int?
    let both = characters[index] == "&"
    let digits = index - word.count
    if !both, tokenStarted, assigning == nil, !word.isEmpty, word.allSatisfy(\.isASCIIDigit), digits >= 0,
      String(characters[digits..<index]) == word, digits == 0 || ShellCommand.metacharacters.contains(characters[digits - 1])
    {
      stream = Int(word)
      word = ""
      inWord = false
      tokenStarted = false
    } else {
      endToken()
    }
    if both { index += 1 }
    let input = characters[index] == "<"
    index += 1
    var operation: RedirectionOperation = input ? .read : .write
    if both {
      operation = .writeBoth
      if index < characters.count && characters[index] == ">" { index += 1 }
    } else if index < characters.count && characters[index] == "&" {
      operation = .duplicate
      index += 1
    } else if !input && index < characters.count && (characters[index] == ">" || characters[index] == "|") {
      index += 1
    }
    redirecting = (stream ?? (input ? 0 : 1), operation)
    stageBegun = true
    splits = false
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

  /// Reads `<<WORD`, `<<-WORD` or `<<'WORD'` at `index`, a word that quotes may hold blanks in; a
  /// delimiter with quotes leaves the body as typed.
  mutating func readHereDocumentDelimiter() throws(ShellError) {
    index += 2
    var stripTabs = false
    if index < characters.count && characters[index] == "-" {
      stripTabs = true
      index += 1
    }
    while index < characters.count && characters[index] == " " { index += 1 }
    var raw = ""
    var quote: Character?
    while index < characters.count {
      let c = characters[index]
      if let open = quote {
        if c == open { quote = nil }
      } else if c == "'" || c == "\"" {
        quote = c
      } else if c == "\\", index + 1 < characters.count {
        raw.append(c)
        index += 1
      } else if ShellCommand.metacharacters.contains(c) {
        break
      }
      raw.append(characters[index])
      index += 1
    }
    if quote != nil { throw .unterminatedQuote }
    let word = raw.filter { $0 != "'" && $0 != "\"" && $0 != "\\" }
    if word.isEmpty { throw .syntax("newline") }
    delimiters.append(HereDocumentDelimiter(word: word, stripTabs: stripTabs, quoted: word.count != raw.count))
  }
}
