/// The integer at the start of an option value, read the way C's `strtoimax` reads one: leading white space, an
/// optional sign, then decimal digits; a value too large for 64 bits saturates and is flagged.
struct LeadingInteger {
  let negative: Bool
  /// The digits' value, `UInt64.max` when they overflow.
  let magnitude: UInt64
  let overflow: Bool
  /// What follows the digits.
  let rest: Substring

  /// `nil` when no digits follow the white space and sign.
  init?(_ text: Substring) {
    var rest = text.drop { " \t\n\u{0B}\u{0C}\r".contains($0) }
    negative = rest.first == "-"
    if rest.first == "-" || rest.first == "+" { rest = rest.dropFirst() }
    let digits = rest.prefix { $0.isASCII && $0.isNumber }
    guard !digits.isEmpty else { return nil }
    var magnitude: UInt64 = 0
    var overflow = false
    for digit in digits.utf8 {
      let (times, timesOverflow) = magnitude.multipliedReportingOverflow(by: 10)
      let (sum, sumOverflow) = times.addingReportingOverflow(UInt64(digit - UInt8(ascii: "0")))
      overflow = overflow || timesOverflow || sumOverflow
      magnitude = overflow ? .max : sum
    }
    self.magnitude = magnitude
    self.overflow = overflow
    self.rest = rest.dropFirst(digits.count)
  }

  /// The whole of `text` as a signed number (`strtoimax` with nothing after the digits), clamped to `Int`.
  static func whole(_ text: String) -> Int? {
    guard let number = LeadingInteger(Substring(text)), number.rest.isEmpty else { return nil }
    let clamped = Int(clamping: number.magnitude)
    return number.negative ? (number.magnitude > UInt64(Int.max) ? Int.min : -clamped) : clamped
  }

}
