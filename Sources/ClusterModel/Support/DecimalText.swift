extension Double {
  /// The value with `digits` decimals, rounded half away from zero, as JavaScript's `toFixed` and Go's
  /// `%.Nf` print non-negative numbers; `trimmed` drops trailing zeros and then a bare point (`0.4`, `3`).
  ///
  ///     0.425.decimalText(digits: 2)                  // "0.43"
  ///     3.0.decimalText(digits: 3, trimmed: true)     // "3"
  public func decimalText(digits: Int, trimmed: Bool = false) -> String {
    var scale = 1
    for _ in 0..<min(max(digits, 0), 9) { scale *= 10 }
    let scaled = (self * Double(scale)).rounded()
    guard scaled.isFinite, abs(scaled) < 9e15 else { return String(self) }
    let whole = Int(scaled)
    var text = whole < 0 ? "-" : ""
    text += String(abs(whole) / scale)
    if scale > 1 { text += "." + String(abs(whole) % scale).leftPadded(to: String(scale).count - 1, with: "0") }
    guard trimmed, scale > 1 else { return text }
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text
  }
}

extension String {
  /// Right-aligns the string in `width` characters, filling with `pad`: `"7".leftPadded(to: 3, with: "0")`
  /// is `"007"`.
  public func leftPadded(to width: Int, with pad: Character = " ") -> String {
    count >= width ? self : String(repeating: pad, count: width - count) + self
  }
}

extension Character {
  /// Whether the character is one of the ASCII digits `0`…`9`, as the tools' number parsers read them
  /// (`isNumber` alone also takes `٣` or `½`).
  public var isASCIIDigit: Bool { isASCII && isNumber }
}
