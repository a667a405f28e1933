/// The shapes of names the API server and Istio validate, read byte by byte: every such name is ASCII, and a
/// byte of a character outside ASCII is never a letter, a digit or punctuation.
enum ASCIIName {
  /// Whether `bytes` begin and end with a byte `isEnd` accepts and hold nothing but bytes `isEnd` or
  /// `isInner` accepts: `[end]([inner]*[end])?`. Empty bytes are no name.
  static func matches(
    _ bytes: some BidirectionalCollection<UInt8>, ends isEnd: (UInt8) -> Bool, inner isInner: (UInt8) -> Bool
  ) -> Bool {
    guard let first = bytes.first, let last = bytes.last, isEnd(first), isEnd(last) else { return false }
    return bytes.allSatisfy { isEnd($0) || isInner($0) }
  }

  /// `(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`, of any length: a label value, or the name part of a label
  /// key, as Kubernetes and Istio check them.
  static func isQualifiedName(_ text: String) -> Bool {
    matches(text.utf8, ends: isAlphanumeric) { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") }
  }

  /// Whether `byte` is `a`–`z`.
  static func isLowerLetter(_ byte: UInt8) -> Bool {
    (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
  }

  /// Whether `byte` is `a`–`z` or `0`–`9`.
  static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
    isLowerLetter(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
  }

  /// Whether `byte` is `a`–`z`, `A`–`Z` or `0`–`9`.
  static func isAlphanumeric(_ byte: UInt8) -> Bool {
    isLowerAlphanumeric(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
  }
}
