extension String {
  /// This text as Go's `%q` (`strconv.Quote`) writes it: `"` and `\` escaped, `\a`, `\b`, `\f`, `\n`, `\r`,
  /// `\t` and `\v`, other ASCII controls as `\xNN`, and what Go does not print as `\uNNNN` or `\UNNNNNNNN`.
  public var goQuoted: String {
    var quoted = "\""
    func hex(_ value: UInt32, width: Int) -> String { String(value, radix: 16).leftPadded(to: width, with: "0") }
    for scalar in unicodeScalars {
      switch scalar {
      case "\"": quoted += "\\\""
      case "\\": quoted += "\\\\"
      case "\u{07}": quoted += "\\a"
      case "\u{08}": quoted += "\\b"
      case "\u{0C}": quoted += "\\f"
      case "\n": quoted += "\\n"
      case "\r": quoted += "\\r"
      case "\t": quoted += "\\t"
      case "\u{0B}": quoted += "\\v"
      case _ where scalar.value < 0x20 || scalar.value == 0x7f: quoted += "\\x" + hex(scalar.value, width: 2)
      case _ where !scalar.isGoPrintable:
        quoted += scalar.value < 0x10000 ? "\\u" + hex(scalar.value, width: 4) : "\\U" + hex(scalar.value, width: 8)
      default: quoted.unicodeScalars.append(scalar)
      }
    }
    return quoted + "\""
  }
}

extension Unicode.Scalar {
  /// Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space.
  fileprivate var isGoPrintable: Bool {
    if self == " " { return true }
    return switch properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .nonspacingMark, .spacingMark,
      .enclosingMark, .decimalNumber, .letterNumber, .otherNumber, .connectorPunctuation, .dashPunctuation, .openPunctuation,
      .closePunctuation, .initialPunctuation, .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol,
      .modifierSymbol, .otherSymbol:
      true
    default: false
    }
  }
}
