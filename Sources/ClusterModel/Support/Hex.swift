/// Lower-case hexadecimal as Kubernetes, Envoy and Jaeger print identifiers.
enum Hex {
  /// The sixteen digits, as ASCII bytes.
  private static let alphabet = Array("0123456789abcdef".utf8)

  /// `value` as 16 hexadecimal digits, zero-padded.
  static func digits(_ value: UInt64) -> String {
    String(unsafeUninitializedCapacity: 16) { buffer in
      for index in 0..<16 { buffer[index] = alphabet[Int(truncatingIfNeeded: value >> (60 - 4 * UInt64(index))) & 0xf] }
      return 16
    }
  }

  /// A UUID in `8-4-4-4-12` form from 128 random bits, with `version` (0 to 15) as its 13th digit and the
  /// RFC 4122 variant (`8`, `9`, `a` or `b`, from the top bits of `low`) as its 17th.
  static func uuid(high: UInt64, low: UInt64, version: UInt8) -> String {
    let versionDigit = alphabet[Int(version & 0xf)]
    let variantDigit = alphabet[8 + Int(low >> 62)]
    return String(unsafeUninitializedCapacity: 36) { buffer in
      var count = 0
      for index in 0..<32 {
        if index == 8 || index == 12 || index == 16 || index == 20 {
          buffer[count] = UInt8(ascii: "-")
          count += 1
        }
        let word = index < 16 ? high : low
        let nibble = Int(truncatingIfNeeded: word >> (60 - 4 * UInt64(index % 16))) & 0xf
        buffer[count] = index == 12 ? versionDigit : index == 16 ? variantDigit : alphabet[nibble]
        count += 1
      }
      return count
    }
  }
}
