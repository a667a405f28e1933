/// The text filters a learner pipes tool output through: `grep`, `head`, `tail` and `wc -l`.
enum TextFilters {
  /// Runs `argv` over `input`; `nil` when `argv[0]` is not a filter.
  static func run(_ argv: [String], input: String) -> ToolResult? {
    guard let name = argv.first else { return nil }
    let lines = input.split(separator: "\n", omittingEmptySubsequences: false).dropLast(input.hasSuffix("\n") ? 1 : 0).map(String.init)
    let arguments = Array(argv.dropFirst())
    let stdin = FilterInput(input)
    switch name {
    case "grep": return Grep.run(arguments, input: stdin)
    case "head", "tail": return headTail(name, arguments, lines)
    case "wc": return wc(arguments, input, lines)
    default: return nil
    }
  }

  private static func headTail(_ name: String, _ arguments: [String], _ lines: [String]) -> ToolResult {
    var count = 10
    var rest = arguments[...]
    while let argument = rest.first {
      rest = rest.dropFirst()
      let value: String?
      if argument == "-n" {
        value = rest.first
        rest = rest.dropFirst()
      } else if argument.hasPrefix("-n") {
        value = String(argument.dropFirst(2))
      } else if argument.hasPrefix("-"), Int(argument.dropFirst()) != nil {
        value = String(argument.dropFirst())
      } else {
        return ToolResult(stderr: "\(name): cannot open '\(argument)' for reading: No such file or directory\n", exitCode: 1)
      }
      guard let value, let number = Int(value), number >= 0 else {
        return ToolResult(stderr: "\(name): invalid number of lines: ‘\(value ?? "")’\n", exitCode: 1)
      }
      count = number
    }
    let selected = name == "head" ? Array(lines.prefix(count)) : Array(lines.suffix(count))
    return ToolResult(stdout: selected.map { $0 + "\n" }.joined())
  }

  private static func wc(_ arguments: [String], _ input: String, _ lines: [String]) -> ToolResult {
    let newlines = input.filter { $0 == "\n" }.count
    switch arguments {
    case ["-l"]: return ToolResult(stdout: "\(newlines)\n")
    case ["-c"]: return ToolResult(stdout: "\(input.utf8.count)\n")
    case ["-w"]: return ToolResult(stdout: "\(input.split { $0 == " " || $0 == "\n" || $0 == "\t" }.count)\n")
    case []:
      let words = input.split { $0 == " " || $0 == "\n" || $0 == "\t" }.count
      return ToolResult(stdout: "\(String(newlines).leftPadded(7)) \(String(words).leftPadded(7)) \(String(input.utf8.count).leftPadded(7))\n")
    default:
      return ToolResult(stderr: "wc: invalid option -- '\(arguments[0].dropFirst())'\nTry 'wc --help' for more information.\n", exitCode: 1)
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

  init(_ text: String) {
    var lines: [String] = []
    var start = text.startIndex
    for index in text.utf8.indices where text.utf8[index] == UInt8(ascii: "\n") {
      lines.append(String(text[start..<index]))
      start = text.utf8.index(after: index)
    }
    if start < text.endIndex { lines.append(String(text[start...])) }
    self.lines = lines
  }
}

extension String {
  /// Right-aligns the string in `width` columns.
  func leftPadded(_ width: Int) -> String {
    count >= width ? self : String(repeating: " ", count: width - count) + self
  }
}
