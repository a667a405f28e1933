/// Lower-case hexadecimal as Kubernetes, Envoy and Jaeger print identifiers.
enum Hex {
  /// `value` as 16 hexadecimal digits, zero-padded.
  static func digits(_ value: UInt64) -> String {
    String(value, radix: 16).leftPadded(to: 16)
  }

  /// A UUID in `8-4-4-4-12` form from 128 random bits, with `version` as its 13th digit and the RFC 4122
  /// variant (`8`, `9`, `a` or `b`, from the top bits of `low`) as its 17th.
  static func uuid(high: UInt64, low: UInt64, version: Character) -> String {
    var chars = Array(digits(high) + digits(low))
    chars[12] = version
    chars[16] = Array("89ab")[Int(low >> 62)]
    return String(chars[0..<8]) + "-" + String(chars[8..<12]) + "-" + String(chars[12..<16]) + "-" + String(chars[16..<20])
      + "-" + String(chars[20..<32])
  }
}
