/// A stream of JSON values read as Go's `encoding/json` Decoder reads grpcurl's `-d`: one value after
/// another, with Go's own words for the first syntax error (`invalid character '}' looking for beginning
/// of object key string`) and `unexpected EOF` for a value the input ends inside.
struct GoJSONStream {
  /// The values' texts, in order.
  private(set) var values: [String] = []
  /// The first error, in Go's words; nil when the whole input is values and white space.
  private(set) var error: String?

  init(_ text: String) {
    var scanner = Scanner(bytes: Array(text.utf8))
    while true {
      scanner.skipSpace()
      guard !scanner.atEnd else { return }
      let start = scanner.position
      do {
        try scanner.value()
        values.append(String(decoding: scanner.bytes[start..<scanner.position], as: UTF8.self))
      } catch {
        self.error = error.message
        return
      }
    }
  }

  private struct Failure: Error {
    var message: String
  }

  private struct Scanner {
    let bytes: [UInt8]
    var position = 0

    var atEnd: Bool { position >= bytes.count }

    mutating func skipSpace() {
      while !atEnd, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
    }

    /// The next byte, past white space when asked; `unexpected EOF` at the end.
    mutating func next(skippingSpace: Bool = true) throws(Failure) -> UInt8 {
      if skippingSpace { skipSpace() }
      guard !atEnd else { throw Failure(message: "unexpected EOF") }
      return bytes[position]
    }

    func invalid(_ byte: UInt8, _ context: String) -> Failure {
      Failure(message: "invalid character \(Self.quote(byte)) \(context)")
    }

    /// A byte as Go's `quoteChar` shows it: `'x'`, `'\''`, `'"'`, `'\n'`.
    static func quote(_ byte: UInt8) -> String {
      switch byte {
      case UInt8(ascii: "'"): return "'\\''"
      case UInt8(ascii: "\""): return "'\"'"
      case UInt8(ascii: "\n"): return "'\\n'"
      case UInt8(ascii: "\r"): return "'\\r'"
      case UInt8(ascii: "\t"): return "'\\t'"
      case 0x20..<0x7F: return "'\(Character(UnicodeScalar(byte)))'"
      default: return "'\\x" + (byte < 16 ? "0" : "") + String(byte, radix: 16) + "'"
      }
    }

    mutating func value() throws(Failure) {
      let byte = try next()
      switch byte {
      case UInt8(ascii: "{"): try object()
      case UInt8(ascii: "["): try array()
      case UInt8(ascii: "\""): try string()
      case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
      case UInt8(ascii: "t"): try literal("true")
      case UInt8(ascii: "f"): try literal("false")
      case UInt8(ascii: "n"): try literal("null")
      default: throw invalid(byte, "looking for beginning of value")
      }
    }

    mutating func object() throws(Failure) {
      position += 1
      if try next() == UInt8(ascii: "}") {
        position += 1
        return
      }
      while true {
        let key = try next()
        guard key == UInt8(ascii: "\"") else { throw invalid(key, "looking for beginning of object key string") }
        try string()
        let colon = try next()
        guard colon == UInt8(ascii: ":") else { throw invalid(colon, "after object key") }
        position += 1
        try value()
        let separator = try next()
        position += 1
        if separator == UInt8(ascii: "}") { return }
        guard separator == UInt8(ascii: ",") else { throw invalid(separator, "after object key:value pair") }
      }
    }

    mutating func array() throws(Failure) {
      position += 1
      if try next() == UInt8(ascii: "]") {
        position += 1
        return
      }
      while true {
        try value()
        let separator = try next()
        position += 1
        if separator == UInt8(ascii: "]") { return }
        guard separator == UInt8(ascii: ",") else { throw invalid(separator, "after array element") }
      }
    }

    mutating func string() throws(Failure) {
      position += 1
      while true {
        let byte = try next(skippingSpace: false)
        position += 1
        switch byte {
        case UInt8(ascii: "\""):
          return
        case UInt8(ascii: "\\"):
          let escape = try next(skippingSpace: false)
          position += 1
          if escape == UInt8(ascii: "u") {
            for _ in 0..<4 {
              let digit = try next(skippingSpace: false)
              guard Self.isHex(digit) else { throw invalid(digit, "in \\u hexadecimal character escape") }
              position += 1
            }
          } else if !Array("\"\\/bfnrt".utf8).contains(escape) {
            throw invalid(escape, "in string escape code")
          }
        case 0..<0x20:
          throw invalid(byte, "in string literal")
        default:
          break
        }
      }
    }

    mutating func number() throws(Failure) {
      if bytes[position] == UInt8(ascii: "-") {
        position += 1
        let first = try next(skippingSpace: false)
        guard Self.isDigit(first) else { throw invalid(first, "in numeric literal") }
      }
      if bytes[position] == UInt8(ascii: "0") {
        position += 1
      } else {
        while !atEnd, Self.isDigit(bytes[position]) { position += 1 }
      }
      if !atEnd, bytes[position] == UInt8(ascii: ".") {
        position += 1
        let digit = try next(skippingSpace: false)
        guard Self.isDigit(digit) else { throw invalid(digit, "after decimal point in numeric literal") }
        while !atEnd, Self.isDigit(bytes[position]) { position += 1 }
      }
      if !atEnd, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
        position += 1
        if !atEnd, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") { position += 1 }
        let digit = try next(skippingSpace: false)
        guard Self.isDigit(digit) else { throw invalid(digit, "in exponent of numeric literal") }
        while !atEnd, Self.isDigit(bytes[position]) { position += 1 }
      }
    }

    mutating func literal(_ word: String) throws(Failure) {
      let expected = Array(word.utf8)
      position += 1
      for (index, wanted) in expected.enumerated().dropFirst() {
        let byte = try next(skippingSpace: false)
        guard byte == wanted else {
          throw invalid(byte, "in literal \(word) (expecting \(Self.quote(expected[index])))")
        }
        position += 1
      }
    }

    static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

    static func isHex(_ byte: UInt8) -> Bool {
      isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
    }
  }
}
