/// `uniq` as GNU coreutils 9.1 runs it at the end of a pipe: adjacent equal lines collapse to one; `-c` prefixes
/// each with its count (`%7d `), `-d` keeps only repeated lines, `-u` only unrepeated ones, `-i` ignores case.
enum Uniq {
  private static let specs: [FilterOptions.Spec] = [
    .init("c", short: "c", long: "count"), .init("d", short: "d", long: "repeated"),
    .init("u", short: "u", long: "unique"), .init("i", short: "i", long: "ignore-case"),
  ]

  /// Runs uniq with `arguments` over the piped `input`.
  static func run(_ arguments: [String], input: FilterInput) -> ToolResult {
    let options = FilterOptions(arguments, specs: specs)
    if let failure = options.failure { return usageFailure(failure.message) }
    let flags = Set(options.occurrences.map(\.key))
    let operands = options.operands
    if operands.count > 2 { return usageFailure("extra operand \(operands[2].gnuQuoted)") }
    var input = input
    guard let text = input.read(operands.first ?? "-") else {
      return ToolResult(stderr: "uniq: \(operands[0]): No such file or directory\n", exitCode: 1)
    }
    if operands.count == 2, operands[1] != "-" {
      return ToolResult(stderr: "uniq: \(operands[1]): Read-only file system\n", exitCode: 1)
    }
    let same: (String, String) -> Bool =
      flags.contains("i") ? { $0.utf8.map(lower).elementsEqual($1.utf8.map(lower)) } : { $0.utf8.elementsEqual($1.utf8) }
    var output = ""
    var groups: [(line: String, count: Int)] = []
    for line in TextLines(text).lines {
      if let last = groups.last, same(last.line, line) {
        groups[groups.count - 1].count += 1
      } else {
        groups.append((line, 1))
      }
    }
    for (line, count) in groups {
      if flags.contains("d") && count == 1 || flags.contains("u") && count > 1 { continue }
      output += (flags.contains("c") ? String(count).leftPadded(to: 7) + " " : "") + line + "\n"
    }
    return ToolResult(stdout: output)
  }

  private static func usageFailure(_ message: String) -> ToolResult {
    ToolResult(stderr: "uniq: \(message)\nTry 'uniq --help' for more information.\n", exitCode: 1)
  }

  private static func lower(_ byte: UInt8) -> UInt8 {
    (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
  }
}
