import ClusterModel

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

  /// One pipeline and what joins it to the one before.
  public struct Item: Equatable, Sendable {
    /// The pipeline as typed, with the here-document's lines when it opens one.
    public var line: String
    public var connector: Connector
  }

  /// The pipelines, left to right; none for a blank line or a comment.
  public var items: [Item]
  /// Each item's pipeline as typed, before expansion.
  private var typed: [ShellCommand]

  /// Splits a command line (with its here-document's lines, if any).
  ///
  /// - Throws: `ShellError` for a line that does not parse, as a whole and before anything runs.
  public init(splitting text: String) throws(ShellError) {
    self = try Self.recent.result(for: UTF8Key(text)) { () throws(ShellError) in try ShellList(parsing: text, depth: 0) }
  }

  /// The lines split lately, by their UTF-8 bytes (strings that are only canonically equivalent split into
  /// different words): a sweep over seeds replays the same journal in every seed, and splitting a line
  /// costs far more than looking it up.
  private static let recent = RecentResults<UTF8Key, ShellList>(capacity: 256)

  /// The words bash reads as the start or a part of a compound command where a command begins; the lab
  /// shell runs none, so a line that holds one runs nothing.
  static let reservedWords: Set<String> = [
    "if", "then", "else", "elif", "fi", "for", "select", "while", "until", "do", "done", "case", "esac", "function", "{", "}",
    "[[", "]]",
  ]

  /// Splits `text`, `depth` command substitutions deep, as `init(splitting:)` does without looking it up. As
  /// bash does, it parses the text of each `$(command)` too, so that a line with a substitution that cannot
  /// parse runs nothing.
  private init(parsing text: String, depth: Int) throws(ShellError) {
    let (first, lines) = ShellCommand.split(text)
    var parser = ShellParser(characters: Array(first))
    parser.allowsLists = true
    try parser.parse { expansion throws(ShellError) in
      if case .command(let inner) = expansion {
        guard depth < ToolSession.substitutionDepth else { throw .nestedTooDeeply(ToolSession.substitutionDepth) }
        _ = try ShellList(parsing: inner, depth: depth + 1)
      }
      return nil
    }
    let characters = parser.characters
    var items: [Item] = []
    var typed: [ShellCommand] = []
    var start = 0
    var connector = Connector.always
    for (number, separator) in (parser.separators + [(characters.count, 0, .always)]).enumerated() {
      var line = String(characters[start..<separator.offset])
      if number == parser.hereDocumentPipeline { line += lines.map { "\n" + $0 }.joined() }
      let command = try ShellCommand(parsing: line)
      if let word = command.stages.compactMap(\.first).first(where: Self.reservedWords.contains) { throw .unsupported(word) }
      if !command.isBlank {
        items.append(Item(line: line, connector: connector))
        typed.append(command)
      }
      connector = separator.connector
      start = separator.offset + separator.length
    }
    if let delimiter = parser.delimiter, !lines.contains(where: { ShellCommand.closes($0, delimiter) }) {
      throw .unterminatedHereDocument(delimiter.word)
    }
    self.items = items
    self.typed = typed
  }
}

extension ShellList {
  /// Every pipeline's stages, as typed: what a lab's lint checks the programs of.
  public var stages: [[String]] {
    typed.flatMap(\.stages)
  }

  /// The words of the first program, as typed; empty when it has none. They say whether the line is a
  /// verb of grpclab's own.
  public var firstWords: [String] {
    typed.first?.stages.first ?? []
  }

  /// The words of the first program of `line`, as typed; empty when it has none or does not parse.
  public static func firstWords(of line: String) -> [String] {
    (try? ShellList(splitting: line))?.firstWords ?? []
  }

  /// Whether the list is one command, no pipeline, without redirections: a line grpclab's own verbs can be.
  public var isSimple: Bool {
    typed.count == 1 && !typed[0].isPipeline && typed[0].redirections.allSatisfy(\.isEmpty)
  }
}
