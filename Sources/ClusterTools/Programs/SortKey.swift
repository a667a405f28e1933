/// One `sort -k POS1[,POS2]` key (or the whole line, under global options such as `-n`), located and compared as
/// GNU sort does in the C locale.
struct SortKey {
  /// The 0-based field the key starts in; `nil` for the start of the line.
  var startField: Int?
  /// The 0-based character in that field where the key starts.
  var startCharacter = 0
  /// The 0-based field the key ends in; `nil` for the end of the line.
  var endField: Int?
  /// The character in that field where the key ends, 0 for the end of the field.
  var endCharacter = 0
  var numeric = false
  var reverse = false
  var foldCase = false
  var skipStartBlanks = false
  var skipEndBlanks = false

  /// Whether the key has ordering options of its own; a key without any takes the global ones.
  var hasOptions: Bool {
    numeric || reverse || foldCase || skipStartBlanks || skipEndBlanks
  }

  /// Why a key or option is refused, in GNU's words.
  struct Failure: Error {
    let message: String
  }

  /// Parses `-k` SPEC, e.g. `2`, `2,2n`, `1.3,1.5`, `3nr`.
  init(parsing spec: String) throws(Failure) {
    func count(_ text: Substring, _ what: String) throws(Failure) -> (Int, Substring) {
      guard let number = LeadingInteger(text), !number.negative else {
        throw Failure(message: "\(what): invalid count at start of \(String(text).gnuQuoted)")
      }
      return (Int(clamping: number.magnitude), number.rest)
    }
    func invalid(_ what: String) -> Failure {
      Failure(message: "\(what): invalid field specification \(spec.gnuQuoted)")
    }
    var (field, rest) = try count(Substring(spec), "invalid number at field start")
    guard field > 0 else { throw invalid("field number is zero") }
    if rest.first == "." {
      var character: Int
      (character, rest) = try count(rest.dropFirst(), "invalid number after '.'")
      guard character > 0 else { throw invalid("character offset is zero") }
      startCharacter = character - 1
    }
    startField = field == 1 && startCharacter == 0 ? nil : field - 1
    rest = readOptions(rest, start: true)
    if rest.first == "," {
      (field, rest) = try count(rest.dropFirst(), "invalid number after ','")
      guard field > 0 else { throw invalid("field number is zero") }
      endField = field - 1
      if rest.first == "." { (endCharacter, rest) = try count(rest.dropFirst(), "invalid number after '.'") }
      rest = readOptions(rest, start: false)
    }
    guard rest.isEmpty else { throw invalid("stray character in field spec") }
  }

  /// The whole line, compared under the global options.
  init() {}

  /// Reads the option letters after a position; what is left.
  private mutating func readOptions(_ text: Substring, start: Bool) -> Substring {
    var rest = text
    while let letter = rest.first {
      switch letter {
      case "b":
        if start { skipStartBlanks = true } else { skipEndBlanks = true }
      case "f": foldCase = true
      case "n": numeric = true
      case "r": reverse = true
      default: return rest
      }
      rest = rest.dropFirst()
    }
    return rest
  }

  /// The bytes of `line` the key covers; fields are separated by `separator`, or else begin at each run of blanks.
  func extract(_ line: [UInt8], separator: UInt8?) -> ArraySlice<UInt8> {
    let end = endField.map { limit(line, field: $0, separator: separator) } ?? line.count
    var start = 0
    if let startField {
      start = skip(line, fields: startField, separator: separator)
      if skipStartBlanks { start = skipBlanks(line, from: start, to: line.count) }
      start += min(line.count - start, startCharacter)
    } else if skipStartBlanks {
      start = skipBlanks(line, from: 0, to: end)
    }
    return line[start..<max(start, end)]
  }

  /// Compares two keys' bytes under this key's options.
  func compare(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Int {
    var order: Int
    if numeric {
      order = Self.numericOrder(a, b)
    } else if foldCase {
      order = Self.byteOrder(a.map(Self.upper), b.map(Self.upper))
    } else {
      order = Self.byteOrder(a, b)
    }
    if reverse { order = -order }
    return order
  }

  /// Where the key ends: GNU's limfield.
  private func limit(_ line: [UInt8], field: Int, separator: UInt8?) -> Int {
    var position = 0
    var fields = endCharacter == 0 ? field + 1 : field
    while position < line.count && fields > 0 {
      fields -= 1
      if let separator {
        while position < line.count && line[position] != separator { position += 1 }
        if position < line.count && (fields > 0 || endCharacter != 0) { position += 1 }
      } else {
        position = skipBlanks(line, from: position, to: line.count)
        while position < line.count && !Self.isBlank(line[position]) { position += 1 }
      }
    }
    if endCharacter != 0 {
      if skipEndBlanks { position = skipBlanks(line, from: position, to: line.count) }
      position += min(line.count - position, endCharacter)
    }
    return position
  }

  /// Where field `fields` (0-based) begins: GNU's begfield before its character offset.
  private func skip(_ line: [UInt8], fields: Int, separator: UInt8?) -> Int {
    var position = 0
    var fields = fields
    while position < line.count && fields > 0 {
      fields -= 1
      if let separator {
        while position < line.count && line[position] != separator { position += 1 }
        if position < line.count { position += 1 }
      } else {
        position = skipBlanks(line, from: position, to: line.count)
        while position < line.count && !Self.isBlank(line[position]) { position += 1 }
      }
    }
    return position
  }

  private func skipBlanks(_ line: [UInt8], from start: Int, to end: Int) -> Int {
    var position = start
    while position < end && Self.isBlank(line[position]) { position += 1 }
    return position
  }

  private static func isBlank(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
  }

  private static func upper(_ byte: UInt8) -> UInt8 {
    (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) ? byte - 32 : byte
  }

  /// Byte order, a prefix before what extends it.
  static func byteOrder(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Int {
    a.lexicographicallyPrecedes(b) ? -1 : b.lexicographicallyPrecedes(a) ? 1 : 0
  }

  /// GNU `-n` order: leading blanks, an optional `-`, digits and a fraction after `.`; anything else counts as 0.
  static func numericOrder(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Int {
    let x = Number(a)
    let y = Number(b)
    if x.negative != y.negative { return x.negative ? -1 : 1 }
    let magnitude =
      x.integer.count != y.integer.count
      ? (x.integer.count < y.integer.count ? -1 : 1)
      : byteOrder(x.integer, y.integer) != 0 ? byteOrder(x.integer, y.integer) : byteOrder(x.fraction, y.fraction)
    return x.negative ? -magnitude : magnitude
  }

  /// A number's sign and digits, without leading or trailing zeros.
  private struct Number {
    var negative = false
    var integer: ArraySlice<UInt8> = []
    var fraction: ArraySlice<UInt8> = []

    init(_ text: ArraySlice<UInt8>) {
      var rest = text.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
      if rest.first == UInt8(ascii: "-") {
        negative = true
        rest = rest.dropFirst()
      }
      let isDigit = { (byte: UInt8) in (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
      let digits = rest.prefix(while: isDigit)
      integer = digits.drop { $0 == UInt8(ascii: "0") }
      rest = rest.dropFirst(digits.count)
      if rest.first == UInt8(ascii: ".") {
        var decimals = rest.dropFirst().prefix(while: isDigit)
        while decimals.last == UInt8(ascii: "0") { decimals = decimals.dropLast() }
        fraction = decimals
      }
      if integer.isEmpty && fraction.isEmpty { negative = false }
    }
  }
}
