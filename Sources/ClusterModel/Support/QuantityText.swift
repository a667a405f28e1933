import Foundation

/// Resource quantities as the API server reads and writes them (`resource.Quantity`): a number with a
/// binary (`Ki`…`Ei`), decimal (`n`…`E`) or exponent (`e3`) suffix, kept in the canonical form of its suffix's
/// family: `1024Mi` is `1Gi`, `1000m` is `1`, `0.5` is `500m`, `1.5Gi` is `1536Mi`.
public enum QuantityText {
  /// The API server's words for text that is not a quantity.
  static let pattern = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"

  private static let binary: [(suffix: String, power: Int)] = [("Ki", 1), ("Mi", 2), ("Gi", 3), ("Ti", 4), ("Pi", 5), ("Ei", 6)]
  private static let decimal: [(suffix: String, exponent: Int)] = [
    ("n", -9), ("u", -6), ("m", -3), ("", 0), ("k", 3), ("M", 6), ("G", 9), ("T", 12), ("P", 15), ("E", 18),
  ]

  /// The amount `text` stands for in whole units, rounded up (`500m` is 1, `1Ki` is 1024), as a divisor of 1
  /// gives it; nil when it is no quantity, or one too large to compute here.
  public static func wholeUnits(_ text: String) -> Int? {
    guard let (value, _, negative) = try? parse(text), let value else { return nil }
    return Int(exactly: NSDecimalNumber(decimal: negative ? -value : value).doubleValue.rounded(.up))
  }

  /// The families of suffixes, each with its canonical form.
  private enum Family { case binary, decimal, exponent }

  /// The magnitude `text` stands for (nil when too large to compute here), its suffix's family, and its sign.
  private static func parse(_ text: String) throws(QuantityError) -> (magnitude: Decimal?, family: Family, negative: Bool) {
    let number = text.prefix { "+-0123456789.".contains($0) }
    let suffix = String(text.dropFirst(number.count))
    let digits = number.drop { $0 == "+" || $0 == "-" }
    guard !digits.isEmpty, digits.allSatisfy({ "0123456789.".contains($0) }), digits.filter({ $0 == "." }).count <= 1,
      number.count - digits.count <= 1, let magnitude = Decimal(string: String(digits))
    else { throw QuantityError(message: pattern) }
    let negative = number.first == "-"
    let family: Family
    var value = magnitude
    if let unit = binary.first(where: { $0.suffix == suffix }) {
      family = .binary
      value *= pow(Decimal(1024), unit.power)
    } else if let unit = decimal.first(where: { $0.suffix == suffix }) {
      family = .decimal
      value *= pow(Decimal(10), unit.exponent)
    } else if let first = suffix.first, first == "e" || first == "E", let exponent = Int(suffix.dropFirst()) {
      guard abs(exponent) <= 60 else { return (nil, .exponent, negative) }
      family = .exponent
      value *= exponent >= 0 ? pow(Decimal(10), exponent) : 1 / pow(Decimal(10), -exponent)
    } else {
      throw QuantityError(message: "unable to parse quantity's suffix")
    }
    guard value.isFinite, value < pow(Decimal(10), 30) else { return (nil, family, negative) }
    return (value, family, negative)
  }

  /// The canonical form of `text`; the text itself when it is a quantity too large to compute here.
  ///
  /// - Throws: The API server's message when `text` is not a quantity.
  static func canonical(_ text: String) throws(QuantityError) -> String {
    let (magnitude, family, negative) = try parse(text)
    guard let value = magnitude else { return text }
    let sign = negative && value != 0 ? "-" : ""
    if family == .binary, value >= 1024, isWhole(value) {
      var power = 0
      var mantissa = value
      while power < binary.count, isWhole(mantissa / 1024) {
        mantissa /= 1024
        power += 1
      }
      return sign + String(describing: mantissa) + (power == 0 ? "" : binary[power - 1].suffix)
    }
    // Decimal forms count whole nanos, rounded up, in the largest power of 1000 that keeps them whole.
    var nanos = value * pow(Decimal(10), 9)
    var rounded = Decimal()
    NSDecimalRound(&rounded, &nanos, 0, .up)
    var exponent = -9
    var mantissa = rounded
    while exponent < 18, mantissa != 0, isWhole(mantissa / 1000) {
      mantissa /= 1000
      exponent += 3
    }
    if mantissa == 0 { exponent = 0 }
    let whole = sign + String(describing: mantissa)
    if family == .exponent { return exponent == 0 ? whole : "\(whole)e\(exponent)" }
    return whole + (decimal.first { $0.exponent == exponent }?.suffix ?? "")
  }

  private static func isWhole(_ value: Decimal) -> Bool {
    var value = value
    var rounded = Decimal()
    NSDecimalRound(&rounded, &value, 0, .plain)
    return rounded == value
  }
}

/// Why text is not a quantity, in the API server's words.
struct QuantityError: Error, Equatable {
  var message: String
}
