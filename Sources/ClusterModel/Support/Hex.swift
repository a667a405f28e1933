/// Lower-case hexadecimal as Kubernetes, Envoy and Jaeger print identifiers.
enum Hex {
  /// The digit for the low four bits of `value`, as an ASCII byte.
  private static func digit(_ value: UInt64) -> UInt8 {
    let nibble = UInt8(truncatingIfNeeded: value & 0xf)
    return nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") - 10 + nibble
  }

  /// `value` as 16 hexadecimal digits, zero-padded.
  static func digits(_ value: UInt64) -> String {
    String(unsafeUninitializedCapacity: 16) { buffer in
      for index in 0..<16 { buffer[index] = digit(value >> (60 - 4 * UInt64(index))) }
      return 16
    }
  }

  /// A UUID in `8-4-4-4-12` form from 128 random bits, with `version` (0 to 15) as its 13th digit and the
  /// RFC 4122 variant (`8`, `9`, `a` or `b`, from the top bits of `low`) as its 17th.
  static func uuid(high: UInt64, low: UInt64, version: UInt8) -> String {
    String(unsafeUninitializedCapacity: 36) { buffer in
      var count = 0
      for index in 0..<32 {
        if index == 8 || index == 12 || index == 16 || index == 20 {
          buffer[count] = UInt8(ascii: "-")
          count += 1
        }
        let word = index < 16 ? high : low
        let nibble = word >> (60 - 4 * UInt64(index % 16))
        buffer[count] = index == 12 ? digit(UInt64(version)) : index == 16 ? digit(8 + low >> 62) : digit(nibble)
        count += 1
      }
      return count
    }
  }
}
