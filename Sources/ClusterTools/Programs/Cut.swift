import ClusterModel

/// `cut` as GNU coreutils 9.1 runs it at the end of a pipe: `-f LIST` with `-d DELIM` (TAB by default; a line
/// without the delimiter is printed whole unless `-s`), or `-b`/`-c LIST` (bytes, as GNU's `-c` counts them),
/// `--output-delimiter` and `--complement`.
enum Cut {
  private static let specs: [FilterOptions.Spec] = [
    .init("b", short: "b", long: "bytes", takesValue: true), .init("c", short: "c", long: "characters", takesValue: true),
    .init("f", short: "f", long: "fields", takesValue: true), .init("d", short: "d", long: "delimiter", takesValue: true),
    .init("s", short: "s", long: "only-delimited"), .init("n", short: "n"),
    .init("output-delimiter", long: "output-delimiter", takesValue: true), .init("complement", long: "complement"),
  ]

  /// Runs cut with `arguments` over the piped `input`.
  static func run(_ arguments: [String], input: FilterInput) -> ToolResult {
    let options = FilterOptions(arguments, specs: specs)
    var list: String?
    var byteMode = false
    var delimiter: UInt8?
    var outputDelimiter: String?
    var onlyDelimited = false
    var complement = false
    for option in options.occurrences {
      let value = option.value ?? ""
      switch option.key {
      case "b", "c", "f":
        guard list == nil else { return failure("only one list may be specified") }
        byteMode = byteMode || option.key != "f"
        list = value
      case "d":
        guard value.utf8.count <= 1 else { return failure("the delimiter must be a single character") }
        delimiter = value.utf8.first ?? 0
      case "output-delimiter": outputDelimiter = value.isEmpty ? "\0" : value
      case "s": onlyDelimited = true
      case "complement": complement = true
      default: continue
      }
    }
    if let problem = options.failure { return failure(problem.message) }
    guard let list else { return failure("you must specify a list of bytes, characters, or fields") }
    if byteMode, delimiter != nil { return failure("an input delimiter may be specified only when operating on fields") }
    if byteMode, onlyDelimited {
      return failure("suppressing non-delimited lines makes sense\n\tonly when operating on fields")
    }
    var ranges: CutRanges
    do {
      ranges = try CutRanges(parsing: list, positions: byteMode)
    } catch {
      return failure(error.message)
    }
    if complement { ranges = ranges.complement }
    let separator = delimiter ?? UInt8(ascii: "\t")
    var input = input
    var result = ToolResult()
    for name in options.operands.isEmpty ? ["-"] : options.operands {
      guard let text = input.read(name) else {
        result.stderr += "cut: \(name): No such file or directory\n"
        result.exitCode = 1
        continue
      }
      for line in TextLines(text).lines {
        let bytes = Array(line.utf8)
        if byteMode {
          result.stdout += ranges.bytes(of: bytes, outputDelimiter: outputDelimiter) + "\n"
        } else if bytes.contains(separator) {
          let output = outputDelimiter ?? String(decoding: [separator], as: UTF8.self)
          result.stdout += ranges.fields(of: bytes, separator: separator, outputDelimiter: output) + "\n"
        } else if !onlyDelimited {
          result.stdout += line + "\n"
        }
      }
    }
    return result
  }

  private static func failure(_ message: String) -> ToolResult {
    ToolResult(stderr: "cut: \(message)\nTry 'cut --help' for more information.\n", exitCode: 1)
  }
}

/// The sorted, merged 1-based ranges of a cut LIST such as `1,3`, `2-`, `-3` or `1-2`.
struct CutRanges {
  /// Why a list is refused, in GNU's words.
  struct Failure: Error {
    let message: String
  }

  private(set) var ranges: [ClosedRange<UInt64>]

  private init(ranges: [ClosedRange<UInt64>]) {
    self.ranges = ranges
  }

  /// Parses LIST as GNU's set_fields does; `positions` words the errors for `-b` and `-c`.
  init(parsing list: String, positions: Bool) throws(Failure) {
    let numberedFromOne = positions ? "byte/character positions are numbered from 1" : "fields are numbered from 1"
    var pairs: [ClosedRange<UInt64>] = []
    var initial: UInt64 = 1
    var value: UInt64 = 0
    var startGiven = false
    var endGiven = false
    var dash = false
    var digitsStart: String.Index?
    var index = list.startIndex
    while true {
      let character = index < list.endIndex ? list[index] : nil
      if character == "-" {
        digitsStart = nil
        guard !dash else { throw Failure(message: positions ? "invalid byte or character range" : "invalid field range") }
        dash = true
        guard !startGiven || value != 0 else { throw Failure(message: numberedFromOne) }
        initial = startGiven ? value : 1
        value = 0
      } else if character == nil || character == "," || character == " " || character == "\t" {
        digitsStart = nil
        if dash {
          dash = false
          guard startGiven || endGiven else { throw Failure(message: "invalid range with no endpoint: -") }
          if !endGiven {
            pairs.append(initial...UInt64.max)
          } else {
            guard value >= initial else { throw Failure(message: "invalid decreasing range") }
            pairs.append(initial...value)
          }
        } else {
          guard value != 0 else { throw Failure(message: numberedFromOne) }
          pairs.append(value...value)
        }
        value = 0
        guard character != nil else { break }
        startGiven = false
        endGiven = false
      } else if let character, character.isASCII, let digit = character.wholeNumberValue {
        let start = digitsStart ?? index
        digitsStart = start
        if dash { endGiven = true } else { startGiven = true }
        let (times, timesOverflow) = value.multipliedReportingOverflow(by: 10)
        let (sum, sumOverflow) = times.addingReportingOverflow(UInt64(digit))
        guard !timesOverflow, !sumOverflow, sum != .max else {
          let number = String(list[start...].prefix(while: \.isASCIIDigit)).gnuQuoted
          throw Failure(message: positions ? "byte/character offset \(number) is too large" : "field number \(number) is too large")
        }
        value = sum
      } else {
        let rest = String(list[index...]).gnuQuoted
        throw Failure(message: positions ? "invalid byte/character position \(rest)" : "invalid field value \(rest)")
      }
      index = list.index(after: index)
    }
    pairs.sort { $0.lowerBound < $1.lowerBound }
    var merged: [ClosedRange<UInt64>] = []
    for pair in pairs {
      if let last = merged.last, pair.lowerBound <= last.upperBound {
        merged[merged.count - 1] = last.lowerBound...max(last.upperBound, pair.upperBound)
      } else {
        merged.append(pair)
      }
    }
    ranges = merged
  }

  /// Every position the ranges leave out.
  var complement: CutRanges {
    var gaps: [ClosedRange<UInt64>] = []
    var next: UInt64 = 1
    for range in ranges {
      if range.lowerBound > next { gaps.append(next...(range.lowerBound - 1)) }
      if range.upperBound == .max { return CutRanges(ranges: gaps) }
      next = range.upperBound + 1
    }
    gaps.append(next...UInt64.max)
    return CutRanges(ranges: gaps)
  }

  /// The selected bytes of `line`, with `outputDelimiter` (if given) between separate ranges.
  func bytes(of line: [UInt8], outputDelimiter: String?) -> String {
    var output: [UInt8] = []
    var printed = false
    for range in ranges where range.lowerBound <= UInt64(line.count) {
      if printed, let outputDelimiter { output += outputDelimiter.utf8 }
      let upper = min(range.upperBound, UInt64(line.count))
      output += line[Int(range.lowerBound - 1)..<Int(upper)]
      printed = true
    }
    return String(decoding: output, as: UTF8.self)
  }

  /// The selected fields of `line` (which holds `separator`), joined by `outputDelimiter`.
  func fields(of line: [UInt8], separator: UInt8, outputDelimiter: String) -> String {
    let fields = line.split(separator: separator, omittingEmptySubsequences: false)
    let chosen = fields.indices.filter { index in ranges.contains { $0.contains(UInt64(index + 1)) } }
    return chosen.map { String(decoding: fields[$0], as: UTF8.self) }.joined(separator: outputDelimiter)
  }
}
