/// The text filters a learner pipes tool output through: `grep`, `head`, `tail`, `wc`, `sort`, `uniq` and `cut`,
/// behaving and wording their errors as GNU grep 3.8 and coreutils 9.1 do in the C.UTF-8 locale.
///
/// They only ever read their piped input: `-` names it, and any other file operand is reported missing, so no
/// file on the host is ever read.
enum TextFilters {
  /// Runs `argv` over `input`; `nil` when `argv[0]` is not a filter.
  static func run(_ argv: [String], input: String) -> ToolResult? {
    guard let name = argv.first else { return nil }
    let arguments = Array(argv.dropFirst())
    let stdin = FilterInput(input)
    switch name {
    case "grep": return Grep.run(arguments, input: stdin)
    case "head": return HeadTail(name: name, fromEnd: false).run(arguments, input: stdin)
    case "tail": return HeadTail(name: name, fromEnd: true).run(arguments, input: stdin)
    case "wc": return WordCount.run(arguments, input: stdin)
    case "sort": return Sort.run(arguments, input: stdin)
    case "uniq": return Uniq.run(arguments, input: stdin)
    case "cut": return Cut.run(arguments, input: stdin)
    default: return nil
    }
  }
}

/// A filter's standard input, which its first `-` operand (or the lack of any operand) reads; a second `-` finds it
/// already drained, as it would be at the end of a pipe.
struct FilterInput {
  private var text: String?

  init(_ text: String) {
    self.text = text
  }

  /// The contents of the operand `name`; `nil` for a file, which does not exist here.
  mutating func read(_ name: String) -> String? {
    guard name == "-" else { return nil }
    defer { text = "" }
    return text ?? ""
  }
}

/// Text cut at its newline bytes, as line-oriented tools see it.
struct TextLines {
  /// The lines, without their newlines.
  let lines: [String]
  /// Whether the last line ended with a newline (head and tail keep a missing one missing).
  let endsWithNewline: Bool

  init(_ text: String) {
    var lines: [String] = []
    var start = text.startIndex
    for index in text.utf8.indices where text.utf8[index] == UInt8(ascii: "\n") {
      lines.append(String(text[start..<index]))
      start = text.utf8.index(after: index)
    }
    if start < text.endIndex { lines.append(String(text[start...])) }
    self.lines = lines
    endsWithNewline = start == text.endIndex
  }

  /// `lines[range]` as text, each line ending with a newline unless it is an unterminated last line.
  func text(_ range: Range<Int>) -> String {
    var text = range.map { lines[$0] + "\n" }.joined()
    if range.upperBound == lines.count, !range.isEmpty, !endsWithNewline { text.removeLast() }
    return text
  }

  /// Each of `lines` followed by a newline.
  static func joined(_ lines: some Sequence<String>) -> String {
    lines.map { $0 + "\n" }.joined()
  }
}

extension String {
  /// The string in GNU's quotes for a message (`‘x’`), with backslashes and control characters escaped.
  var gnuQuoted: String {
    let escapes: [Unicode.Scalar: String] = ["\\": "\\\\", "\u{07}": "\\a", "\u{08}": "\\b", "\u{0C}": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\u{0B}": "\\v"]
    let body = unicodeScalars.map { scalar in
      if let escape = escapes[scalar] { return escape }
      guard scalar.value < 0x20 || scalar.value == 0x7F else { return String(scalar) }
      let octal = String(scalar.value, radix: 8)
      return "\\" + String(repeating: "0", count: 3 - octal.count) + octal
    }
    return "‘" + body.joined() + "’"
  }
}
