/// Go's `strconv` parsing of flag values, as cobra's int and bool flags call it.
enum GoNumbers {
  /// Why a text is not a number of its kind, in `strconv`'s words.
  enum Problem: String, Error {
    case invalidSyntax = "invalid syntax"
    case outOfRange = "value out of range"
  }

  /// `strconv.ParseInt(text, 0, 64)`: a sign, then a decimal number, or one with a `0x`, `0o`, `0b` or
  /// leading `0` (octal) prefix, with `_` between digits.
  static func integer(_ text: String) throws(Problem) -> Int {
    var rest = Substring(text)
    let negative = rest.first == "-"
    if rest.first == "-" || rest.first == "+" { rest = rest.dropFirst() }
    var base = 10
    var prefixed = false
    let lower = rest.lowercased()
    if lower.hasPrefix("0x") || lower.hasPrefix("0o") || lower.hasPrefix("0b") {
      base = lower.hasPrefix("0x") ? 16 : lower.hasPrefix("0o") ? 8 : 2
      rest = rest.dropFirst(2)
      prefixed = true
    } else if rest.count > 1, rest.first == "0" {
      base = 8
      rest = rest.dropFirst()
      prefixed = true
    }
    var magnitude: UInt64 = 0
    var overflow = false
    var digits = 0
    var previousUnderscore = !prefixed
    for character in rest {
      if character == "_" {
        guard !previousUnderscore else { throw .invalidSyntax }
        previousUnderscore = true
        continue
      }
      guard let digit = character.hexDigitValue, digit < base else { throw .invalidSyntax }
      previousUnderscore = false
      digits += 1
      let (times, timesOverflow) = magnitude.multipliedReportingOverflow(by: UInt64(base))
      let (sum, sumOverflow) = times.addingReportingOverflow(UInt64(digit))
      overflow = overflow || timesOverflow || sumOverflow
      magnitude = sum
    }
    guard digits > 0, !previousUnderscore else { throw .invalidSyntax }
    let limit = negative ? UInt64(Int64.max) + 1 : UInt64(Int64.max)
    guard !overflow, magnitude <= limit else { throw .outOfRange }
    return negative ? Int(truncatingIfNeeded: 0 &- magnitude) : Int(magnitude)
  }

  /// `strconv.ParseBool`: `1`, `t`, `T`, `TRUE`, `true`, `True`, and their `0`, `f`… opposites.
  static func bool(_ text: String) throws(Problem) -> Bool {
    switch text {
    case "1", "t", "T", "TRUE", "true", "True": true
    case "0", "f", "F", "FALSE", "false", "False": false
    default: throw .invalidSyntax
    }
  }
}
