import ClusterModel

/// `head` and `tail` as GNU coreutils 9.1 run them at the end of a pipe: `-n N` (`-nN`, `-N`, `--lines=N`) lines
/// or `-c N` bytes, `head -n -N` for all but the last N, `tail -n +N` from line N, with `==> NAME <==` headers for
/// several operands.
struct HeadTail {
  let name: String
  /// Whether this is `tail`, which counts from the end.
  let fromEnd: Bool

  /// How much to print.
  private struct Amount {
    var bytes = false
    var count = 10
    /// `tail -n +N`: from the Nth line on.
    var fromStart = false
    /// `head -n -N`: all but the last N lines.
    var allBut = false
  }

  /// Why a count is refused, in GNU's words.
  private struct Complaint: Error {
    let message: String
  }

  private var specs: [FilterOptions.Spec] {
    [
      .init("n", short: "n", long: "lines", takesValue: true), .init("c", short: "c", long: "bytes", takesValue: true),
      .init("q", short: "q", long: "quiet"), .init("q", long: "silent"), .init("v", short: "v", long: "verbose"),
    ] + (fromEnd ? [.init("f", short: "f"), .init("f", short: "F")] : []) + FilterOptions.Spec.digits
  }

  /// Runs the program with `arguments` over the piped `input`.
  func run(_ arguments: [String], input: FilterInput) -> ToolResult {
    var arguments = arguments
    var amount = Amount()
    var headers: Bool?
    if fromEnd, let obsolete = Self.obsoleteTail(arguments) {
      amount = obsolete
      arguments.removeFirst()
    } else if !fromEnd, let first = arguments.first, first.hasPrefix("-"),
      first.dropFirst().first?.isASCIIDigit == true
    {
      let digits = first.dropFirst().prefix(while: \.isASCIIDigit)
      amount.count = Int(clamping: LeadingInteger(digits)?.magnitude ?? 0)
      for letter in first.dropFirst(1 + digits.count) {
        switch letter {
        case "c": amount.bytes = true
        case "l": amount.bytes = false
        case "q": headers = false
        case "v": headers = true
        default: return usageFailure("invalid trailing option -- \(letter)")
        }
      }
      arguments.removeFirst()
    }
    let options = FilterOptions(arguments, specs: specs)
    for option in options.occurrences {
      switch option.key {
      case "n", "c":
        switch count(option.value ?? "", bytes: option.key == "c") {
        case .success(let parsed): amount = parsed
        case .failure(let complaint): return ToolResult(stderr: "\(name): \(complaint.message)\n", exitCode: 1)
        }
      case "q": headers = false
      case "v": headers = true
      case "f": continue
      default:
        let digit = option.letter.map(String.init) ?? ""
        return fromEnd
          ? ToolResult(stderr: "tail: option used in invalid context -- \(digit)\n", exitCode: 1)
          : usageFailure("invalid trailing option -- \(digit)")
      }
    }
    if let failure = options.failure { return usageFailure(failure.message) }
    return output(options.operands.isEmpty ? ["-"] : options.operands, input: input, amount: amount, headers: headers)
  }

  private func usageFailure(_ message: String) -> ToolResult {
    ToolResult(stderr: "\(name): \(message)\nTry '\(name) --help' for more information.\n", exitCode: 1)
  }

  /// The amount `-n VALUE` or `-c VALUE` asks for, or GNU's complaint about VALUE.
  private func count(_ value: String, bytes: Bool) -> Result<Amount, Complaint> {
    var amount = Amount(bytes: bytes)
    var number = Substring(value)
    if fromEnd, number.hasPrefix("+") {
      amount.fromStart = true
    } else if number.hasPrefix("-") {
      number = number.dropFirst()
      amount.allBut = !fromEnd
    }
    let complaint = "invalid number of \(bytes ? "bytes" : "lines"): \(String(number).gnuQuoted)"
    switch LeadingInteger.count(number) {
    case .value(let count):
      amount.count = Int(clamping: count)
      return .success(amount)
    case .invalid: return .failure(Complaint(message: complaint))
    case .tooLarge: return .failure(Complaint(message: complaint + ": Value too large for defined data type"))
    }
  }

  /// tail's obsolete `-N`, `+N` (and `-Nc`, `+Nf`…) as its only option, before at most one file.
  private static func obsoleteTail(_ arguments: [String]) -> Amount? {
    guard let first = arguments.first,
      arguments.count == 1 || (arguments.count == 2 && !(arguments[1].hasPrefix("-") && arguments[1].count > 1))
        || ((2...3).contains(arguments.count) && arguments[1] == "--")
    else { return nil }
    var rest = first.dropFirst()
    var amount = Amount()
    switch first.first {
    case "+": amount.fromStart = true
    case "-": guard let next = rest.first, next != "c" || rest.count > 1 else { return nil }
    default: return nil
    }
    let digits = rest.prefix(while: \.isASCIIDigit)
    rest = rest.dropFirst(digits.count)
    var unit = 1
    switch rest.first {
    case "b":
      unit = 512
      amount.bytes = true
      rest = rest.dropFirst()
    case "c":
      amount.bytes = true
      rest = rest.dropFirst()
    case "l": rest = rest.dropFirst()
    default: break
    }
    if rest.first == "f" { rest = rest.dropFirst() }
    guard rest.isEmpty else { return nil }
    let count = digits.isEmpty ? 10 : Int(clamping: LeadingInteger(digits)?.magnitude ?? 0)
    amount.count = count.multipliedReportingOverflow(by: unit).overflow ? .max : count * unit
    return amount
  }

  /// The output for each operand (`-` is the piped input; any other file is missing).
  private func output(_ names: [String], input: FilterInput, amount: Amount, headers: Bool?) -> ToolResult {
    var input = input
    var result = ToolResult()
    var printed = false
    for file in names {
      guard let text = input.read(file) else {
        result.stderr += "\(name): cannot open '\(file)' for reading: No such file or directory\n"
        result.exitCode = 1
        continue
      }
      if headers ?? (names.count > 1) {
        result.stdout += (printed ? "\n" : "") + "==> \(file == "-" ? "standard input" : file) <==\n"
      }
      printed = true
      result.stdout += select(text, amount)
    }
    return result
  }

  /// The part of `text` that `amount` selects.
  private func select(_ text: String, _ amount: Amount) -> String {
    if amount.bytes {
      let bytes = Array(text.utf8)
      let chosen: ArraySlice<UInt8> =
        fromEnd
        ? (amount.fromStart ? bytes.dropFirst(max(amount.count, 1) - 1) : bytes.suffix(amount.count))
        : (amount.allBut ? bytes.dropLast(amount.count) : bytes.prefix(amount.count))
      return String(decoding: chosen, as: UTF8.self)
    }
    let lines = TextLines(text)
    let total = lines.lines.count
    let range =
      fromEnd
      ? (amount.fromStart ? min(total, max(amount.count, 1) - 1)..<total : max(0, total - amount.count)..<total)
      : (amount.allBut ? 0..<max(0, total - amount.count) : 0..<min(total, amount.count))
    return lines.text(range)
  }
}
