/// A command line as a POSIX shell splits it: a pipeline of argument vectors and an optional here-document.
///
///     let command = try ShellCommand(parsing: "oc -n grpc get pods | grep -c Running")
///     command.stages  // [["oc", "-n", "grpc", "get", "pods"], ["grep", "-c", "Running"]]
public struct ShellCommand: Equatable, Sendable {
  /// The argument vectors of the pipeline, left to right.
  public var stages: [[String]]
  /// The here-document fed to the first stage's standard input, if any.
  public var hereDocument: String?

  /// Parses one command line; when it opens a here-document, the following lines of `text` are its body.
  ///
  /// - Throws: `ShellError` for unbalanced quotes, an empty pipeline stage or an unterminated here-document.
  public init(parsing text: String) throws(ShellError) {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let first = lines.isEmpty ? "" : lines.removeFirst()
    var delimiter: (word: String, stripTabs: Bool)?
    var stages: [[String]] = [[]]
    var word = ""
    var inWord = false
    let characters = Array(first)
    var index = 0
    func flush() {
      if inWord { stages[stages.count - 1].append(word) }
      word = ""
      inWord = false
    }
    while index < characters.count {
      let c = characters[index]
      switch c {
      case " ", "\t":
        flush()
      case "#" where !inWord:
        index = characters.count
        continue
      case "|":
        flush()
        if stages[stages.count - 1].isEmpty { throw .syntax("|") }
        stages.append([])
      case "'":
        inWord = true
        guard let end = characters[(index + 1)...].firstIndex(of: "'") else { throw .unterminatedQuote }
        word += String(characters[(index + 1)..<end])
        index = end
      case "\"":
        inWord = true
        index += 1
        while index < characters.count && characters[index] != "\"" {
          if characters[index] == "\\", index + 1 < characters.count, "\"\\$`".contains(characters[index + 1]) {
            index += 1
          }
          word.append(characters[index])
          index += 1
        }
        if index >= characters.count { throw .unterminatedQuote }
      case "\\":
        inWord = true
        if index + 1 < characters.count {
          index += 1
          word.append(characters[index])
        }
      case "<" where index + 1 < characters.count && characters[index + 1] == "<":
        flush()
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
        continue
      default:
        inWord = true
        word.append(c)
      }
      index += 1
    }
    flush()
    if stages.count > 1 && stages[stages.count - 1].isEmpty { throw .syntax("|") }
    self.stages = stages.filter { !$0.isEmpty }
    if let delimiter {
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
}

/// A command line the shell could not parse.
public enum ShellError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A quote that is never closed.
  case unterminatedQuote
  /// A token in the wrong place, such as a leading `|`.
  case syntax(String)
  /// A here-document whose delimiter line never came.
  case unterminatedHereDocument(String)

  public var description: String {
    switch self {
    case .unterminatedQuote: "unexpected EOF while looking for matching quote"
    case .syntax(let token): "syntax error near unexpected token `\(token)'"
    case .unterminatedHereDocument(let word): "warning: here-document delimited by end-of-file (wanted `\(word)')"
    }
  }
}
