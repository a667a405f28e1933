import ClusterModel

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
    let digits = rest.prefix(while: \.isASCIIDigit)
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

  /// A count with GNU's size suffixes, as head and tail read `-n` and `-c` (`2k` is 2048, `3MB` is 3000000).
  enum Count: Equatable {
    case value(UInt64)
    case invalid
    case tooLarge
  }

  /// Reads `text` as xstrtoumax does with the suffixes `bkKmMGTPEZYRQ` (each optionally followed by `B` for
  /// powers of 1000 or `iB` for powers of 1024).
  static func count(_ text: Substring) -> Count {
    let powers: [Character: Int] = ["k": 1, "K": 1, "m": 2, "M": 2, "G": 3, "T": 4, "P": 5, "E": 6, "Z": 7, "Y": 8, "R": 9, "Q": 10]
    var value: UInt64
    var overflow: Bool
    var suffix: Substring
    if let number = LeadingInteger(text) {
      guard !number.negative else { return .invalid }
      (value, overflow, suffix) = (number.magnitude, number.overflow, number.rest)
    } else if let first = text.first, first == "b" || powers[first] != nil {
      (value, overflow, suffix) = (1, false, text)
    } else {
      return .invalid
    }
    if let unit = suffix.first {
      var factor: UInt64 = 512
      var length = 1
      if let power = powers[unit] {
        var base: UInt64 = 1024
        if suffix.dropFirst().hasPrefix("iB") {
          length = 3
        } else if suffix.dropFirst().first == "B" {
          base = 1000
          length = 2
        }
        factor = 1
        for _ in 0..<power {
          let (product, productOverflow) = factor.multipliedReportingOverflow(by: base)
          factor = productOverflow ? .max : product
          overflow = overflow || productOverflow
        }
      } else if unit != "b" {
        return .invalid
      }
      guard suffix.count == length else { return .invalid }
      let (product, productOverflow) = value.multipliedReportingOverflow(by: factor)
      value = productOverflow ? .max : product
      overflow = overflow || productOverflow
    }
    return overflow ? .tooLarge : .value(value)
  }
}
