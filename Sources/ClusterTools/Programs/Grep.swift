/// `grep` as GNU grep 3.8 runs at the end of a pipe: exit 0 when a line is selected, 1 when none is, 2 on an error.
struct Grep {
  private static let specs: [FilterOptions.Spec] = [
    .init("i", short: "i", long: "ignore-case"), .init("i", short: "y"), .init("no-ignore-case", long: "no-ignore-case"),
    .init("v", short: "v", long: "invert-match"), .init("c", short: "c", long: "count"),
    .init("n", short: "n", long: "line-number"), .init("b", short: "b", long: "byte-offset"),
    .init("o", short: "o", long: "only-matching"), .init("E", short: "E", long: "extended-regexp"),
    .init("F", short: "F", long: "fixed-strings"), .init("G", short: "G", long: "basic-regexp"),
    .init("w", short: "w", long: "word-regexp"), .init("x", short: "x", long: "line-regexp"),
    .init("q", short: "q", long: "quiet"), .init("q", long: "silent"), .init("s", short: "s", long: "no-messages"),
    .init("h", short: "h", long: "no-filename"), .init("H", short: "H", long: "with-filename"),
    .init("e", short: "e", long: "regexp", takesValue: true), .init("m", short: "m", long: "max-count", takesValue: true),
    .init("A", short: "A", long: "after-context", takesValue: true),
    .init("B", short: "B", long: "before-context", takesValue: true),
    .init("C", short: "C", long: "context", takesValue: true),
    .init("group-separator", long: "group-separator", takesValue: true),
    .init("no-group-separator", long: "no-group-separator"),
  ] + FilterOptions.Spec.digits

  private static let usage = "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n"

  private var syntax: GrepPattern.Syntax?
  private var ignoreCase = false
  private var invert = false
  private var countOnly = false
  private var lineNumbers = false
  private var byteOffsets = false
  private var onlyMatching = false
  private var wordRegexp = false
  private var lineRegexp = false
  private var quiet = false
  private var noMessages = false
  private var withFilename: Bool?
  private var maxCount: Int?
  private var after: Int?
  private var before: Int?
  private var context: Int?
  /// What separates context groups that do not touch; `nil` for nothing.
  private var groupSeparator: String? = "--"
  private var patterns: [String]?

  /// Runs grep with `arguments` over the piped `input`.
  static func run(_ arguments: [String], input: FilterInput) -> ToolResult {
    let options = FilterOptions(arguments, specs: specs)
    var grep = Grep()
    var digits = ""
    var previous: FilterOptions.Occurrence?
    for option in options.occurrences {
      defer { previous = option }
      if option.key == "digit", let letter = option.letter {
        let continues = previous?.key == "digit" && previous?.argument == option.argument
        digits = continues ? digits + String(letter) : String(letter)
        grep.context = LeadingInteger.whole(digits) ?? .max
        continue
      }
      if let message = grep.apply(option) { return failure(message) }
    }
    if let failure = options.failure { return ToolResult(stderr: "grep: \(failure.message)\n" + usage, exitCode: 2) }
    var operands = options.operands[...]
    if grep.patterns == nil {
      guard let pattern = operands.popFirst() else { return ToolResult(stderr: usage, exitCode: 2) }
      grep.patterns = lines(of: pattern)
    }
    if grep.maxCount == 0 { return ToolResult(exitCode: 1) }
    let matcher: GrepMatcher
    do {
      matcher = try GrepMatcher(
        grep.patterns ?? [], syntax: grep.syntax ?? .basic, ignoreCase: grep.ignoreCase, wordRegexp: grep.wordRegexp,
        lineRegexp: grep.lineRegexp)
    } catch {
      return ToolResult(stderr: error.messages.map { "grep: \($0)\n" }.joined(), exitCode: 2)
    }
    var input = input
    return grep.search(operands.isEmpty ? ["-"] : Array(operands), input: &input, matcher: matcher)
  }

  private static func failure(_ message: String) -> ToolResult {
    ToolResult(stderr: "grep: \(message)\n", exitCode: 2)
  }

  /// The patterns in one `-e` value or pattern operand, one per line.
  private static func lines(of pattern: String) -> [String] {
    pattern.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
  }

  /// The options that turn a setting on.
  private static var switches: [String: WritableKeyPath<Grep, Bool>] {
    [
      "i": \.ignoreCase, "v": \.invert, "c": \.countOnly, "n": \.lineNumbers, "b": \.byteOffsets, "o": \.onlyMatching,
      "w": \.wordRegexp, "x": \.lineRegexp, "q": \.quiet, "s": \.noMessages,
    ]
  }

  /// Applies one option; the error message when its value is wrong.
  private mutating func apply(_ option: FilterOptions.Occurrence) -> String? {
    if let setting = Self.switches[option.key] {
      self[keyPath: setting] = true
      return nil
    }
    let value = option.value ?? ""
    switch option.key {
    case "no-ignore-case": ignoreCase = false
    case "h": withFilename = false
    case "H": withFilename = true
    case "E", "F", "G":
      let chosen: GrepPattern.Syntax = option.key == "E" ? .extended : option.key == "F" ? .fixed : .basic
      if let syntax, syntax != chosen { return "conflicting matchers specified" }
      syntax = chosen
    case "e": patterns = (patterns ?? []) + Self.lines(of: value)
    case "group-separator": groupSeparator = value
    case "no-group-separator": groupSeparator = nil
    case "m":
      guard let number = LeadingInteger.whole(value) else { return "invalid max count" }
      maxCount = number < 0 ? nil : number
    default:
      guard let number = LeadingInteger.whole(value), number >= 0 else {
        return "\(value): invalid context length argument"
      }
      switch option.key {
      case "A": after = number
      case "B": before = number
      default: context = number
      }
    }
    return nil
  }

  /// Searches each operand (`-` is the piped input; any other file is missing).
  private func search(_ names: [String], input: inout FilterInput, matcher: GrepMatcher) -> ToolResult {
    var result = ToolResult(stderr: matcher.warnings.map { "grep: warning: \($0)\n" }.joined())
    var selected = false
    var failed = false
    let showNames = withFilename ?? (names.count > 1)
    for name in names {
      guard let text = input.read(name) else {
        if !noMessages { result.stderr += "grep: \(name): No such file or directory\n" }
        failed = true
        continue
      }
      let (output, count) = scan(TextLines(text).lines, matcher: matcher, label: showNames ? "(standard input)" : nil)
      selected = selected || count > 0
      if quiet && selected { return ToolResult(stderr: result.stderr) }
      result.stdout += output
    }
    result.exitCode = failed ? 2 : selected ? 0 : 1
    return result
  }

  /// The output for one input and how many lines it selected.
  private func scan(_ lines: [String], matcher: GrepMatcher, label: String?) -> (String, Int) {
    let after = after ?? context
    let before = before ?? context
    let separates = after != nil || before != nil
    let printing = !countOnly && !quiet
    var output = ""
    var selected = 0
    var lastPrinted: Int?
    var trailing = 0
    var offsets: [Int] = []
    if byteOffsets {
      offsets.reserveCapacity(lines.count)
      var offset = 0
      for line in lines {
        offsets.append(offset)
        offset += line.utf8.count + 1
      }
    }

    func prefix(_ index: Int, _ separator: Character, column: Int = 0) -> String {
      (label.map { $0 + String(separator) } ?? "") + (lineNumbers ? "\(index + 1)\(separator)" : "")
        + (byteOffsets ? "\(offsets[index] + column)\(separator)" : "")
    }

    func emit(_ index: Int, separator: Character) {
      lastPrinted = index
      guard !onlyMatching else { return }
      output += prefix(index, separator) + lines[index] + "\n"
    }

    for (index, line) in lines.enumerated() {
      if let maxCount, selected == maxCount {
        guard printing, trailing > 0 else { break }
        emit(index, separator: "-")
        trailing -= 1
        continue
      }
      guard matcher.matches(line) != invert else {
        if printing, trailing > 0 {
          emit(index, separator: "-")
          trailing -= 1
        }
        continue
      }
      selected += 1
      if quiet { break }
      guard printing else { continue }
      let first = max(0, index - (before ?? 0), (lastPrinted ?? -1) + 1)
      if separates, let groupSeparator, let lastPrinted, first > lastPrinted + 1 { output += groupSeparator + "\n" }
      for context in first..<index { emit(context, separator: "-") }
      emit(index, separator: ":")
      if onlyMatching && !invert {
        for range in matcher.matchRanges(in: line) {
          let column = line.utf8.distance(from: line.startIndex, to: range.lowerBound)
          output += prefix(index, ":", column: column) + line[range] + "\n"
        }
      }
      trailing = after ?? 0
    }
    if countOnly && !quiet { output = (label.map { $0 + ":" } ?? "") + "\(selected)\n" }
    return (output, selected)
  }
}
