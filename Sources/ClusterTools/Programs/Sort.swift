/// `sort` as GNU coreutils 9.1 runs it at the end of a pipe in the C locale (byte order): `-n -r -u -f -b -s`,
/// `-k POS1[,POS2]` keys and `-t SEP`. Lines whose keys tie are ordered by the whole line, as GNU's last-resort
/// comparison does, unless `-s` or `-u` is given. Errors exit 2, as GNU sort's do.
enum Sort {
  private static let specs: [FilterOptions.Spec] = [
    .init("b", short: "b", long: "ignore-leading-blanks"), .init("f", short: "f", long: "ignore-case"),
    .init("n", short: "n", long: "numeric-sort"), .init("r", short: "r", long: "reverse"),
    .init("s", short: "s", long: "stable"), .init("u", short: "u", long: "unique"),
    .init("t", short: "t", long: "field-separator", takesValue: true), .init("k", short: "k", long: "key", takesValue: true),
  ]

  /// Runs sort with `arguments` over the piped `input`.
  static func run(_ arguments: [String], input: FilterInput) -> ToolResult {
    let options = FilterOptions(arguments, specs: specs)
    var global = SortKey()
    var keys: [SortKey] = []
    var separator: UInt8?
    var stable = false
    var unique = false
    for option in options.occurrences {
      let value = option.value ?? ""
      switch option.key {
      case "b":
        global.skipStartBlanks = true
        global.skipEndBlanks = true
      case "f": global.foldCase = true
      case "n": global.numeric = true
      case "r": global.reverse = true
      case "s": stable = true
      case "u": unique = true
      case "t":
        let bytes = Array(value.utf8)
        guard !bytes.isEmpty else { return failure("empty tab") }
        guard bytes.count == 1 else { return failure("multi-character tab \(value.gnuQuoted)") }
        guard separator == nil || separator == bytes[0] else { return failure("incompatible tabs") }
        separator = bytes[0]
      default:
        do {
          keys.append(try SortKey(parsing: value))
        } catch {
          return failure(error.message)
        }
      }
    }
    if let failure = options.failure {
      return ToolResult(stderr: "sort: \(failure.message)\nTry 'sort --help' for more information.\n", exitCode: 2)
    }
    var input = input
    var lines: [String] = []
    for name in options.operands.isEmpty ? ["-"] : options.operands {
      guard let text = input.read(name) else { return failure("cannot read: \(name): No such file or directory") }
      lines += TextLines(text).lines
    }
    keys = keys.map { $0.hasOptions ? $0 : inherit($0, global) }
    if keys.isEmpty && (global.numeric || global.foldCase || global.skipStartBlanks) { keys = [global] }
    let sorter = Sorter(keys: keys, separator: separator, reverse: global.reverse, lastResort: !stable && !unique)
    return ToolResult(stdout: TextLines.joined(sorter.sort(lines, unique: unique)))
  }

  private static func failure(_ message: String) -> ToolResult {
    ToolResult(stderr: "sort: \(message)\n", exitCode: 2)
  }

  /// `key` with the global ordering options, as a key without options of its own takes them.
  private static func inherit(_ key: SortKey, _ global: SortKey) -> SortKey {
    var key = key
    key.numeric = global.numeric
    key.reverse = global.reverse
    key.foldCase = global.foldCase
    key.skipStartBlanks = global.skipStartBlanks
    key.skipEndBlanks = global.skipEndBlanks
    return key
  }
}

/// Orders lines by keys, then by the whole line.
private struct Sorter {
  let keys: [SortKey]
  let separator: UInt8?
  let reverse: Bool
  let lastResort: Bool

  /// The lines in order; with `unique`, only the first of each run that compares equal.
  func sort(_ lines: [String], unique: Bool) -> [String] {
    let bytes = lines.map { Array($0.utf8) }
    let order = bytes.indices.sorted { a, b in
      let order = compare(bytes[a], bytes[b])
      return order != 0 ? order < 0 : a < b
    }
    var sorted: [String] = []
    var previous: Int?
    for index in order {
      if unique, let previous, compare(bytes[previous], bytes[index]) == 0 { continue }
      sorted.append(lines[index])
      previous = index
    }
    return sorted
  }

  /// GNU's compare: the keys in turn, then (unless stable or unique) the whole lines' bytes.
  private func compare(_ a: [UInt8], _ b: [UInt8]) -> Int {
    for key in keys {
      let order = key.compare(key.extract(a, separator: separator), key.extract(b, separator: separator))
      if order != 0 { return order }
    }
    guard lastResort || keys.isEmpty else { return 0 }
    let order = SortKey.byteOrder(a, b)
    return reverse ? -order : order
  }
}
