/// Gathers the lines bash reads as one command. A line that ends in an unquoted `\` goes on with the
/// next line (the backslash and the newline are dropped), and so does one that ends in `|`, `&&` or `||`;
/// a line that opens a here-document takes the lines after it up to its delimiter.
///
///     var reader = ShellLineReader()
///     reader.add("oc -n grpc get pods \\")  // false: the command goes on
///     reader.add("  -l app=grpc")           // true
///     reader.command                         // "oc -n grpc get pods   -l app=grpc"
public struct ShellLineReader: Sendable {
  /// The command read so far.
  public private(set) var command = ""
  /// The delimiter of the here-document being read, once its first line is complete.
  private var delimiter: (word: String, stripTabs: Bool, quoted: Bool)?

  public init() {}

  /// The delimiter word of a here-document still waiting for its last line.
  public var openHereDocument: String? { delimiter?.word }

  /// Adds the next line; returns whether the command is complete.
  public mutating func add(_ line: String) -> Bool {
    if let delimiter {
      command += "\n" + line
      guard ShellCommand.closes(line, delimiter) else { return false }
      self.delimiter = nil
      return true
    }
    if line.reversed().prefix(while: { $0 == "\\" }).count % 2 == 1 {
      command += line.dropLast()
      return false
    }
    command += line
    if Self.endsInOperator(command) {
      command += " "
      return false
    }
    var parser = ShellParser(characters: Array(command))
    parser.allowsLists = true
    guard (try? parser.parse { _ in nil }) != nil, let opened = parser.delimiter else { return true }
    delimiter = opened
    return false
  }

  /// Ends a here-document that input ran out in, as bash does: the lines read so far are its body.
  ///
  /// - Returns: bash's warning, or nil when no here-document was open.
  public mutating func closeAtEndOfInput() -> String? {
    guard let delimiter else { return nil }
    command += "\n" + delimiter.word
    self.delimiter = nil
    return ShellError.unterminatedHereDocument(delimiter.word).description
  }

  /// Whether `text` ends in a `|`, `&&` or `||` that waits for a command on the next line.
  private static func endsInOperator(_ text: String) -> Bool {
    let end = text.reversed().drop { $0 == " " || $0 == "\t" }
    guard end.first == "|" || end.starts(with: "&&") else { return false }
    do {
      _ = try ShellList(splitting: text)
      return false
    } catch {
      return error == .syntax("|") || error == .unexpectedEnd
    }
  }
}
