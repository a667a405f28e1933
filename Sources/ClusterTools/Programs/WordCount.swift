/// `wc` as GNU coreutils 9.1 runs it at the end of a pipe: lines, words, characters, bytes and the longest line,
/// in that column order. A single count of a single input is printed bare; otherwise each count is right-aligned in
/// 7 columns, the width GNU gives counts of a pipe.
enum WordCount {
  private static let specs: [FilterOptions.Spec] = [
    .init("c", short: "c", long: "bytes"), .init("m", short: "m", long: "chars"), .init("l", short: "l", long: "lines"),
    .init("w", short: "w", long: "words"), .init("L", short: "L", long: "max-line-length"),
  ]

  /// The counts of one input, in column order.
  private struct Counts {
    var lines = 0
    var words = 0
    var characters = 0
    var bytes = 0
    var longestLine = 0

    init() {}

    init(_ text: String) {
      bytes = text.utf8.count
      var inWord = false
      var column = 0
      for scalar in text.unicodeScalars {
        characters += 1
        switch scalar {
        case "\n", "\r", "\u{0C}":
          if scalar == "\n" { lines += 1 }
          longestLine = max(longestLine, column)
          column = 0
          inWord = false
        case "\t":
          column += 8 - column % 8
          inWord = false
        case "\u{0B}":
          inWord = false
        default:
          let width = Self.width(scalar)
          column += width
          if scalar.properties.isWhitespace && width > 0 {
            inWord = false
          } else if width > 0 {
            if !inWord { words += 1 }
            inWord = true
          }
        }
      }
      longestLine = max(longestLine, column)
    }

    /// The columns `scalar` takes on a terminal: 0 for control characters, combining marks and line or paragraph
    /// separators (which neither start nor end a word), 2 for East Asian wide characters, else 1.
    private static func width(_ scalar: Unicode.Scalar) -> Int {
      let wide: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x2E80...0x303E, 0x3041...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F,
        0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD,
      ]
      switch scalar.properties.generalCategory {
      case .control, .nonspacingMark, .enclosingMark, .format, .lineSeparator, .paragraphSeparator: return 0
      default: return wide.contains { $0.contains(scalar.value) } ? 2 : 1
      }
    }

    static func + (a: Counts, b: Counts) -> Counts {
      var sum = Counts()
      sum.lines = a.lines + b.lines
      sum.words = a.words + b.words
      sum.characters = a.characters + b.characters
      sum.bytes = a.bytes + b.bytes
      sum.longestLine = max(a.longestLine, b.longestLine)
      return sum
    }

    /// The counts `columns` (option letters) ask for, in GNU's order.
    func values(_ columns: Set<String>) -> [Int] {
      [("l", lines), ("w", words), ("m", characters), ("c", bytes), ("L", longestLine)]
        .filter { columns.contains($0.0) }.map(\.1)
    }
  }

  /// Runs wc with `arguments` over the piped `input`.
  static func run(_ arguments: [String], input: FilterInput) -> ToolResult {
    let options = FilterOptions(arguments, specs: specs)
    if let failure = options.failure {
      return ToolResult(stderr: "wc: \(failure.message)\nTry 'wc --help' for more information.\n", exitCode: 1)
    }
    var columns = Set(options.occurrences.map(\.key))
    if columns.isEmpty { columns = ["l", "w", "c"] }
    let names = options.operands
    var input = input
    var result = ToolResult()
    var rows: [(Counts, String?)] = []
    var total = Counts()
    for name in names.isEmpty ? ["-"] : names {
      guard let text = input.read(name) else {
        result.stderr += "wc: \(name): No such file or directory\n"
        result.exitCode = 1
        continue
      }
      let counts = Counts(text)
      total = total + counts
      rows.append((counts, names.isEmpty ? nil : name))
    }
    if names.count > 1 { rows.append((total, "total")) }
    let single = max(names.count, 1) == 1 && columns.count == 1
    let width = single || !(names.isEmpty || names.contains("-")) ? 1 : 7
    for (counts, name) in rows {
      let cells = counts.values(columns).map { String($0).leftPadded(to: width) }
      result.stdout += (cells + (name.map { [$0] } ?? [])).joined(separator: " ") + "\n"
    }
    return result
  }
}
