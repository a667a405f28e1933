/// Gathers the lines bash reads as one command. A line that ends in an unquoted `\` goes on with the
/// next line (the backslash and the newline are dropped), one that ends in `|`, `&&` or `||` goes on after
/// a blank, and one that leaves a quote open goes on after a newline; once the quotes close, a line that
/// opens here-documents takes the lines after it up to their delimiters, before it goes on.
///
///     var reader = ShellLineReader()
///     reader.add("oc -n grpc get pods \\")  // false: the command goes on
///     reader.add("  -l app=grpc")           // true
///     reader.command                         // "oc -n grpc get pods   -l app=grpc"
public struct ShellLineReader: Sendable {
  /// The command line proper, which quotes may carry over several lines.
  private var line = ""
  /// The here-documents' lines, delimiters included, in the order read.
  private var bodies: [String] = []
  /// The here-documents whose bodies are being read, in order.
  private var open: [HereDocumentDelimiter] = []
  /// How many here-documents the command line has opened so far.
  private var opened = 0
  /// Whether the command line goes on after the here-documents' bodies.
  private var goesOn = false

  /// A reader before any line.
  public init() {}

  /// The command read so far: its line, then the here-documents' lines.
  public var command: String { ([line] + bodies).joined(separator: "\n") }

  /// The delimiter word of a here-document still waiting for its last line.
  public var openHereDocument: String? { open.first?.word }

  /// Adds the next line; returns whether the command is complete.
  public mutating func add(_ next: String) -> Bool {
    if let delimiter = open.first {
      bodies.append(next)
      if ShellCommand.closes(next, delimiter) { open.removeFirst() }
      return open.isEmpty && !goesOn
    }
    let read = Self.read(line + next)
    if !read.inQuote, next.reversed().prefix(while: { $0 == "\\" }).count % 2 == 1 {
      line += next.dropLast()
      goesOn = true
      return false
    }
    line += next
    if !read.inQuote {
      open += read.delimiters.dropFirst(opened)
      opened = read.delimiters.count
    }
    goesOn = read.inQuote || read.endsInOperator
    if read.inQuote { line += "\n" } else if read.endsInOperator { line += " " }
    return open.isEmpty && !goesOn
  }

  /// Ends here-documents that input ran out in, as bash does: the lines read so far are their bodies.
  ///
  /// - Returns: bash's warning for the first, or nil when none was open.
  public mutating func closeAtEndOfInput() -> String? {
    guard let first = open.first else { return nil }
    bodies += open.map(\.word)
    open = []
    return ShellError.unterminatedHereDocument(first.word).description
  }

  /// What a command line says of the lines after it: the here-documents it opens, whether it ends inside
  /// quotes, and whether it ends in a `|`, `&&` or `||` that waits for a command.
  private static func read(_ text: String) -> (delimiters: [HereDocumentDelimiter], inQuote: Bool, endsInOperator: Bool) {
    var parser = ShellParser(characters: Array(text))
    parser.allowsLists = true
    do {
      try parser.parse { _ in nil }
      return (parser.delimiters, false, false)
    } catch {
      let end = text.reversed().drop { $0 == " " || $0 == "\t" }
      let operatorEnd = (end.first == "|" || end.starts(with: "&&")) && (error == .syntax("|") || error == .unexpectedEnd)
      return (parser.delimiters, error == .unterminatedQuote, operatorEnd)
    }
  }
}
