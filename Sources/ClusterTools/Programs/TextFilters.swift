/// The text filters a learner pipes tool output through: `grep`, `head`, `tail` and `wc -l`.
enum TextFilters {
  /// Runs `argv` over `input`; `nil` when `argv[0]` is not a filter.
  static func run(_ argv: [String], input: String) -> ToolResult? {
    guard let name = argv.first else { return nil }
    let lines = input.split(separator: "\n", omittingEmptySubsequences: false).dropLast(input.hasSuffix("\n") ? 1 : 0).map(String.init)
    let arguments = Array(argv.dropFirst())
    switch name {
    case "grep": return grep(arguments, lines)
    case "head", "tail": return headTail(name, arguments, lines)
    case "wc": return wc(arguments, input, lines)
    default: return nil
    }
  }

  private static func grep(_ arguments: [String], _ lines: [String]) -> ToolResult {
    var ignoreCase = false
    var invert = false
    var count = false
    var patterns: [String] = []
    var rest = arguments[...]
    while let argument = rest.first, argument.hasPrefix("-"), argument.count > 1 {
      rest = rest.dropFirst()
      if argument == "-e", let pattern = rest.first {
        patterns.append(pattern)
        rest = rest.dropFirst()
        continue
      }
      for flag in argument.dropFirst() {
        switch flag {
        case "i": ignoreCase = true
        case "v": invert = true
        case "c": count = true
        case "E", "F", "w": break
        default:
          return ToolResult(stderr: "grep: invalid option -- '\(flag)'\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n", exitCode: 2)
        }
      }
    }
    if patterns.isEmpty {
      guard let pattern = rest.first else {
        return ToolResult(stderr: "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n", exitCode: 2)
      }
      patterns.append(pattern)
    }
    let alternatives = patterns.flatMap { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
    let matched = lines.filter { line in
      let hit = alternatives.contains { pattern in
        ignoreCase ? line.lowercased().contains(pattern.lowercased()) : line.contains(pattern)
      }
      return hit != invert
    }
    let output = count ? "\(matched.count)\n" : matched.map { $0 + "\n" }.joined()
    return ToolResult(stdout: output, exitCode: matched.isEmpty ? 1 : 0)
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

extension String {
  /// Right-aligns the string in `width` columns.
  func leftPadded(_ width: Int) -> String {
    count >= width ? self : String(repeating: " ", count: width - count) + self
  }
}
