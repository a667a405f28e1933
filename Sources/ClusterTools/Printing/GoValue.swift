/// A JSON document as Go prints the `interface{}` values kubectl decodes it into.
extension JSONValue {
  /// `json.Marshal`, or `json.MarshalIndent(value, "", indent)`: keys sorted, and `<`, `>`, `&`, U+2028,
  /// U+2029 and control characters escaped as Go 1.22 and later escape them.
  func goJSON(indent: String? = nil) -> String {
    var text = ""
    write(into: &text, indent: indent, depth: 0)
    return text
  }

  /// `fmt`'s `%#v`: Go syntax, `map[string]interface {}{"key":value, …}` with sorted keys,
  /// `[]interface {}{a, b}`, quoted strings, `interface {}(nil)`.
  var goSyntax: String {
    switch self {
    case .string(let text): text.goQuoted
    case .null: "interface {}(nil)"
    case .integer, .number, .bool: goDescription
    case .array(let items): "[]interface {}{" + items.map(\.goSyntax).joined(separator: ", ") + "}"
    case .object(let fields):
      "map[string]interface {}{" + fields.keys.sorted().map { "\($0.goQuoted):\(fields[$0]?.goSyntax ?? "")" }.joined(separator: ", ") + "}"
    }
  }

  /// `fmt`'s `%v`: strings as they are, `map[key:value …]` with sorted keys, `[a b]`, `<nil>`.
  var goDescription: String {
    switch self {
    case .string(let text): text
    case .integer(let number): String(number)
    case .number(let number): GoFormat.g(number)
    case .bool(let flag): flag ? "true" : "false"
    case .null: "<nil>"
    case .array(let items): "[" + items.map(\.goDescription).joined(separator: " ") + "]"
    case .object(let fields): "map[" + fields.keys.sorted().map { "\($0):\(fields[$0]?.goDescription ?? "")" }.joined(separator: " ") + "]"
    }
  }

  private func write(into text: inout String, indent: String?, depth: Int) {
    func newline(_ level: Int) {
      guard let indent else { return }
      text += "\n" + String(repeating: indent, count: level)
    }
    switch self {
    case .string(let value): Self.quote(value, into: &text)
    case .integer(let number): text += String(number)
    case .number(let number): text += GoFormat.json(number)
    case .bool(let flag): text += flag ? "true" : "false"
    case .null: text += "null"
    case .array(let items):
      guard !items.isEmpty else { return text += "[]" }
      text += "["
      for (index, item) in items.enumerated() {
        if index > 0 { text += "," }
        newline(depth + 1)
        item.write(into: &text, indent: indent, depth: depth + 1)
      }
      newline(depth)
      text += "]"
    case .object(let fields):
      guard !fields.isEmpty else { return text += "{}" }
      text += "{"
      for (index, key) in fields.keys.sorted().enumerated() {
        if index > 0 { text += "," }
        newline(depth + 1)
        Self.quote(key, into: &text)
        text += indent == nil ? ":" : ": "
        fields[key]?.write(into: &text, indent: indent, depth: depth + 1)
      }
      newline(depth)
      text += "}"
    }
  }

  /// A Go JSON string literal.
  private static func quote(_ value: String, into text: inout String) {
    text += "\""
    func escape(_ scalar: Unicode.Scalar) {
      let digits = String(scalar.value, radix: 16)
      text += "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
    }
    for scalar in value.unicodeScalars {
      switch scalar {
      case "\"": text += "\\\""
      case "\\": text += "\\\\"
      case "\n": text += "\\n"
      case "\r": text += "\\r"
      case "\t": text += "\\t"
      case "\u{8}": text += "\\b"
      case "\u{C}": text += "\\f"
      case "<", ">", "&", "\u{2028}", "\u{2029}": escape(scalar)
      case _ where scalar.value < 0x20: escape(scalar)
      default: text.unicodeScalars.append(scalar)
      }
    }
    text += "\""
  }
}
