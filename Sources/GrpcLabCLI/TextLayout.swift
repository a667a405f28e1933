/// Lab texts laid out for a terminal: lines of a paragraph joined and wrapped again at its width.
///
/// Lab files wrap their texts by hand; a narrower terminal would break those lines mid-word and a wider
/// one would waste its room. Paragraphs are separated by blank lines; a line that starts a list item
/// (`- `, `* `, `1. `) or is indented starts a line of its own. Wide (CJK) characters take two columns,
/// and a line may break between two of them.
///
///     TextLayout.reflow("one two\nthree", width: 9)  // "one two\nthree"
enum TextLayout {
  /// The width texts are laid out at when output is not a terminal, and at most on a wide one.
  static let defaultWidth = 80
  static let maximumWidth = 100
  /// The fewest columns a text is laid out in, however narrow the terminal.
  static let narrowest = 20

  /// `text` re-flowed to `width` columns (at most `maximumWidth`).
  ///
  /// - Parameter joiningLines: Whether a paragraph's lines are joined before wrapping; without it, each
  ///   line is wrapped on its own.
  static func reflow(_ text: String, width: Int, joiningLines: Bool = true) -> String {
    let width = max(narrowest, min(width, maximumWidth))
    let trailingNewline = text.hasSuffix("\n")
    var output: [String] = []
    let lines = joiningLines ? logicalLines(text) : text.split(separator: "\n", omittingEmptySubsequences: false).dropLast(trailingNewline ? 1 : 0).map(String.init)
    for line in lines {
      output += line.isEmpty ? [""] : wrap(line, width: width)
    }
    return output.joined(separator: "\n") + (trailingNewline ? "\n" : "")
  }

  /// The text's lines with each paragraph's hand-wrapped lines joined.
  private static func logicalLines(_ text: String) -> [String] {
    var lines: [String] = []
    var joinable = false
    for raw in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast(text.hasSuffix("\n") ? 1 : 0) {
      let line = String(raw)
      if line.trimmingCharacters(in: .whitespaces).isEmpty {
        lines.append("")
        joinable = false
      } else if joinable, !startsItsOwnLine(line), let previous = lines.last {
        // Wide characters and Chinese punctuation join without a space; a Latin word or code beside a Chinese
        // character keeps the one it is written with.
        let tight = isWide(previous.last) && isWide(line.first) || previous.last.map(marks.contains) == true
          || line.first.map(marks.contains) == true
        let glue = tight ? "" : " "
        lines[lines.count - 1] = previous + glue + line
      } else {
        lines.append(line)
        joinable = true
      }
    }
    return lines
  }

  private static func startsItsOwnLine(_ line: String) -> Bool {
    line.hasPrefix(" ") || line.hasPrefix("- ") || line.hasPrefix("* ") || line.hasPrefix("$ ")
      || line.prefix { $0.isNumber }.count > 0 && line.drop { $0.isNumber }.hasPrefix(". ")
  }

  /// One logical line broken at spaces, or between wide characters, to fit `width`; list items and indented
  /// lines keep their indent on the lines that follow.
  private static func wrap(_ line: String, width: Int) -> [String] {
    let leading = String(line.prefix { $0 == " " })
    let marker = line.dropFirst(leading.count).hasPrefix("- ") || line.dropFirst(leading.count).hasPrefix("* ") ? "  " : ""
    let indent = leading + marker
    var lines: [String] = []
    var current = ""
    var columns = 0
    for piece in pieces(of: line) {
      let pieceColumns = self.columns(piece)
      if columns + pieceColumns > width, !current.trimmingCharacters(in: .whitespaces).isEmpty {
        lines.append(trimmingTrailingSpaces(current))
        current = indent
        columns = indent.count
        if piece == " " { continue }
      }
      current += piece
      columns += pieceColumns
    }
    lines.append(trimmingTrailingSpaces(current))
    return lines
  }

  /// The line as the units it may break between: words, single spaces, and wide characters one by one; a
  /// closing mark stays with what comes before it, and an opening one with what follows it.
  private static func pieces(of line: String) -> [String] {
    var pieces: [String] = []
    var word = ""
    var opened = ""
    func flush() {
      if !word.isEmpty { pieces.append(word) }
      word = ""
    }
    for character in line {
      if closing.contains(character) {
        if !opened.isEmpty {
          word = opened
          opened = ""
        }
        if !word.isEmpty || pieces.isEmpty { word.append(character) } else { pieces[pieces.count - 1].append(character) }
      } else if opening.contains(character) {
        flush()
        opened.append(character)
      } else if character == " " {
        flush()
        if !opened.isEmpty { pieces.append(opened) }
        opened = ""
        pieces.append(" ")
      } else if isWide(character) {
        flush()
        pieces.append(opened + String(character))
        opened = ""
      } else {
        if word.isEmpty {
          word = opened
          opened = ""
        }
        word.append(character)
      }
    }
    flush()
    if !opened.isEmpty { pieces.append(opened) }
    return pieces
  }

  /// Punctuation a line may not start with: it stays with the character before it.
  private static let closing: Set<Character> = ["，", "。", "、", "；", "：", "？", "！", "）", "」", "』", "”", "’", "》"]

  /// Punctuation a line may not end with: it stays with the character after it.
  private static let opening: Set<Character> = ["（", "「", "『", "“", "‘", "《"]

  /// Punctuation of either kind: it joins the text beside it without a space.
  private static let marks = closing.union(opening)

  private static func trimmingTrailingSpaces(_ text: String) -> String {
    String(text.reversed().drop { $0 == " " }.reversed())
  }

  /// Terminal columns: wide (CJK) characters take two.
  static func columns(_ text: String) -> Int {
    text.reduce(0) { $0 + (isWide($1) ? 2 : 1) }
  }

  /// Whether the character takes two terminal columns (CJK ideographs, kana, Hangul, full-width forms).
  static func isWide(_ character: Character?) -> Bool {
    guard let value = character?.unicodeScalars.first?.value else { return false }
    return (0x1100...0x115F).contains(value) || (0x2E80...0xA4CF).contains(value) || (0xAC00...0xD7A3).contains(value)
      || (0xF900...0xFAFF).contains(value) || (0xFE30...0xFE4F).contains(value) || (0xFF00...0xFF60).contains(value)
      || (0xFFE0...0xFFE6).contains(value)
  }
}
