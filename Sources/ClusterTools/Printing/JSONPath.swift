import ClusterModel
import Foundation

/// kubectl's `-o jsonpath=TEMPLATE` (and `jsonpath-as-json`), for the common subset: fields (`.a.b`, `['a.b']`), indexes,
/// slices and wildcards (`[0]`, `[0:2]`, `[::2]`, `[*]`, `.*`), recursive descent (`..image`), filters
/// (`[?(@.x=="y")]`, `[?(@.port>8000)]`), `{range …}…{end}` and string literals (`{"\n"}`).
///
/// Text outside braces is printed as it is. A field that is missing prints nothing, as kubectl's default
/// `--allow-missing-template-keys=true` does; several results of one expression are separated by spaces;
/// objects and lists print as compact JSON with sorted keys. Where client-go walks a map in no particular
/// order (a wildcard, a recursive descent), its keys are taken in sorted order.
struct JSONPath {
  /// A template that does not parse, or stops on a document, in kubectl's words.
  struct Failure: Error {
    var message: String

    /// client-go's refusal of `index` in a list of `length` elements.
    static func outOfBounds(_ index: Int, length: Int) -> Failure {
      Failure(message: "array index out of bounds: index \(index), length \(length)")
    }
  }

  private enum Part {
    case text(String)
    case expression([Step])
    case range([Step], [Part])
  }

  private enum Step {
    case field(String)
    case index(Int)
    /// `[start:end:step]`, each part optional.
    case slice(start: Int?, end: Int?, step: Int?)
    case wildcard
    /// `..`: the value and everything inside it, in document order.
    case recursive
    /// `[?(@.path)]` (it exists), or `[?(@.path OP value)]`, the value quoted or not.
    case filter(path: [Step], comparison: (operator: String, value: String, quoted: Bool)?)
    case current
    case literal(String)
  }

  private let parts: [Part]
  /// The template as given.
  let source: String

  /// Parses `template`.
  ///
  /// - Throws: `Failure` for an unclosed brace, a `range` without `end` or an expression that does not parse.
  init(_ template: String) throws(Failure) {
    source = template
    var tokens: [(isExpression: Bool, text: String)] = []
    var rest = Substring(template)
    while let open = rest.firstIndex(of: "{") {
      if open > rest.startIndex { tokens.append((false, String(rest[..<open]))) }
      guard let close = Self.closingBrace(in: rest[open...]) else {
        throw Failure(message: "unclosed action")
      }
      tokens.append((true, String(rest[rest.index(after: open)..<close])))
      rest = rest[rest.index(after: close)...]
    }
    if !rest.isEmpty { tokens.append((false, String(rest))) }
    var index = 0
    parts = try Self.parts(tokens, &index, depth: 0)
  }

  /// What the template prints for `document` (an object, or a `List` of them); with `asJSON`, what
  /// `-o jsonpath-as-json` prints: the results of each piece of the template (text included) as a JSON
  /// list, indented by four spaces.
  ///
  /// - Throws: An index past the end of its list, found before anything prints, as client-go evaluates the
  ///   whole template first.
  func render(_ document: JSONValue, asJSON: Bool = false) throws(Failure) -> String {
    var output = ""
    try Self.render(parts, root: document, current: document, asJSON: asJSON, into: &output)
    return output
  }

  /// What kubectl says when the template stopped on `document`.
  func error(_ failure: Failure, _ document: JSONValue) -> String {
    "error: error executing jsonpath \(source.goQuoted): Error executing template: \(failure.message). "
      + "Printing more information for debugging the template:\n\ttemplate was:\n\t\t\(source)\n"
      + "\tobject given to jsonpath engine was:\n\t\t\(document.goSyntax)\n\n\n"
  }

  /// The values the template's expressions reach in `value`, in order: what a custom column shows; none for
  /// an expression with an index past the end of its list.
  func values(in value: JSONValue) -> [JSONValue] {
    parts.flatMap { part -> [JSONValue] in
      guard case .expression(let steps) = part else { return [] }
      return (try? Self.evaluate(steps, root: value, current: value)) ?? []
    }
  }

  private static func closingBrace(in text: Substring) -> String.Index? {
    var quoted = false
    var index = text.index(after: text.startIndex)
    while index < text.endIndex {
      let character = text[index]
      if character == "\"" { quoted.toggle() }
      if character == "\\" && quoted { index = text.index(after: index) }
      if character == "}" && !quoted { return index }
      if index < text.endIndex { index = text.index(after: index) }
    }
    return nil
  }

  /// How deep `range` may nest.
  private static let maxDepth = 1000

  private static func parts(_ tokens: [(isExpression: Bool, text: String)], _ index: inout Int, depth: Int) throws(Failure) -> [Part] {
    let inRange = depth > 0
    var parts: [Part] = []
    while index < tokens.count {
      let token = tokens[index]
      index += 1
      guard token.isExpression else {
        parts.append(.text(token.text))
        continue
      }
      let body = token.text.trimmingCharacters(in: .whitespaces)
      if body == "end" {
        guard inRange else { throw Failure(message: "unexpected {end}") }
        return parts
      }
      if body.hasPrefix("range ") {
        let path = try steps(String(body.dropFirst("range ".count)))
        guard depth < maxDepth else { throw Failure(message: "range nested more than \(maxDepth) deep") }
        let inner = try Self.parts(tokens, &index, depth: depth + 1)
        parts.append(.range(path, inner))
        continue
      }
      parts.append(.expression(try steps(body)))
    }
    if inRange { throw Failure(message: "range without end") }
    return parts
  }

  /// The steps of one expression: `.a.b[*]`, `@.a`, `"text"`.
  private static func steps(_ expression: String) throws(Failure) -> [Step] {
    let text = expression.trimmingCharacters(in: .whitespaces)
    if text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 {
      return [.literal(unescape(String(text.dropFirst().dropLast())))]
    }
    var steps: [Step] = []
    var characters = Array(text)
    if characters.first == "$" || characters.first == "@" {
      if characters.first == "@" { steps.append(.current) }
      characters.removeFirst()
    }
    var position = 0
    while position < characters.count {
      switch characters[position] {
      case "." where position + 1 < characters.count && characters[position + 1] == ".":
        steps.append(.recursive)
        position += 1
      case ".":
        position += 1
        var name = ""
        while position < characters.count, characters[position] != ".", characters[position] != "[" {
          if characters[position] == "\\", position + 1 < characters.count { position += 1 }
          name.append(characters[position])
          position += 1
        }
        if name == "*" {
          steps.append(.wildcard)
        } else if !name.isEmpty {
          steps.append(.field(name))
        }
      case "[":
        guard let close = characters[position...].firstIndex(of: "]") else {
          throw Failure(message: "unterminated array")
        }
        var inner = String(characters[(position + 1)..<close])
        if inner.hasPrefix("?(") {
          var end = close
          while end < characters.count, !(characters[end] == "]" && characters[end - 1] == ")") { end += 1 }
          guard end < characters.count else { throw Failure(message: "unterminated filter") }
          inner = String(characters[(position + 3)..<(end - 1)])
          steps.append(try filter(inner))
          position = end + 1
          continue
        }
        if inner == "*" {
          steps.append(.wildcard)
        } else if inner.count >= 2, inner.first == "'" || inner.first == "\"", inner.last == inner.first {
          steps.append(.field(String(inner.dropFirst().dropLast())))
        } else if let number = Int(inner), !inner.hasPrefix("+") {
          steps.append(.index(number))
        } else if inner.contains(":") {
          steps.append(try slice(inner))
        } else {
          throw Failure(message: "invalid array index \(inner)")
        }
        position = close + 1
      default:
        throw Failure(message: "unrecognized character in action: \(characters[position])")
      }
    }
    return steps
  }

  /// The comparisons a filter may make, longest first so that `<=` is not read as `<`.
  private static let comparisons = ["==", "!=", "<=", ">=", "<", ">"]

  /// `@.a.b` (exists), or `@.a.b OP value` with one of `comparisons`.
  private static func filter(_ text: String) throws(Failure) -> Step {
    let found = comparisons.compactMap { name in text.range(of: name).map { (name, $0) } }.min { $0.1.lowerBound < $1.1.lowerBound }
    guard let (name, range) = found else { return .filter(path: try steps(text), comparison: nil) }
    let path = try steps(String(text[..<range.lowerBound]))
    var value = text[range.upperBound...].trimmingCharacters(in: .whitespaces)
    let quoted = value.count >= 2 && (value.first == "\"" || value.first == "'") && value.last == value.first
    if quoted { value = String(value.dropFirst().dropLast()) }
    return .filter(path: path, comparison: (name, value, quoted))
  }

  /// Whether `found` compares to `wanted` as `name` says, as client-go compares a field with a literal: a
  /// number with an unquoted decimal number, text with quoted text. An unquoted word (`true`) compares with
  /// the field as printed.
  ///
  /// - Throws: client-go's error for a number compared with text, or text with a number.
  private static func holds(_ found: JSONValue, _ name: String, _ wanted: String, quoted: Bool) throws(Failure) -> Bool {
    func compare<Value: Comparable>(_ left: Value, _ right: Value) -> Bool {
      switch name {
      case "==": left == right
      case "!=": left != right
      case "<": left < right
      case "<=": left <= right
      case ">": left > right
      default: left >= right
      }
    }
    let unsigned = wanted.hasPrefix("-") ? wanted.dropFirst() : wanted[...]
    let decimal = !quoted && unsigned.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).allSatisfy {
      !$0.isEmpty && isDigits($0)
    }
    switch found {
    case .integer, .number:
      if quoted { throw Failure(message: "incompatible types for comparison") }
      guard decimal, let left = Double(format(found)), let right = Double(wanted) else { return compare(format(found), wanted) }
      return compare(left, right)
    case .string(let text):
      if decimal { throw Failure(message: "incompatible types for comparison") }
      return compare(text, wanted)
    default:
      return compare(format(found), wanted)
    }
  }

  /// Whether `text` holds ASCII digits alone (or nothing).
  private static func isDigits(_ text: Substring) -> Bool {
    text.allSatisfy(\.isASCIIDigit)
  }

  /// `value` and everything inside it, each before what it holds; an object's fields in key order.
  private static func descendants(of value: JSONValue) -> [JSONValue] {
    switch value {
    case .object(let object): [value] + object.keys.sorted().flatMap { object[$0].map(descendants(of:)) ?? [] }
    case .array(let array): [value] + array.flatMap(descendants(of:))
    default: [value]
    }
  }

  private static func unescape(_ text: String) -> String {
    text.replacingOccurrences(of: "\\n", with: "\n").replacingOccurrences(of: "\\t", with: "\t")
      .replacingOccurrences(of: "\\\"", with: "\"")
  }

  private static func render(
    _ parts: [Part], root: JSONValue, current: JSONValue, asJSON: Bool, into output: inout String
  ) throws(Failure) {
    func print(_ results: [JSONValue]) {
      output += asJSON ? JSONValue.array(results).goJSON(indent: "    ") + "\n" : results.map(format).joined(separator: " ")
    }
    for part in parts {
      switch part {
      case .text(let text):
        print([.string(text)])
      case .expression(let steps):
        if case .literal(let text)? = steps.first {
          print([.string(text)])
          continue
        }
        print(try evaluate(steps, root: root, current: current))
      case .range(let steps, let body):
        for element in try evaluate(steps, root: root, current: current) {
          try render(body, root: root, current: element, asJSON: asJSON, into: &output)
        }
      }
    }
  }

  /// The values `steps` reach from `root` (or from `current` when they start with `@`, as inside a range).
  ///
  /// - Throws: An index past either end of its list, as client-go's jsonpath refuses it.
  private static func evaluate(_ steps: [Step], root: JSONValue, current: JSONValue) throws(Failure) -> [JSONValue] {
    var values = [current]
    for step in steps {
      var next: [JSONValue] = []
      values: for value in values {
        switch (step, value) {
        case (.current, _), (.literal, _):
          next.append(value)
        case (.field(let name), .object(let object)):
          if let field = object[name] { next.append(field) }
        case (.index(let number), .array(let array)):
          let position = number < 0 ? array.count + number : number
          guard array.indices.contains(position) else {
            throw .outOfBounds(position, length: array.count)
          }
          next.append(array[position])
        case (.slice(let start, let end, let stride), .array(let array)):
          guard let taken = try slice(array, start: start, end: end, step: stride) else { break values }
          next += taken
        case (.wildcard, .array(let array)):
          next += array
        case (.wildcard, .object(let object)):
          next += object.keys.sorted().compactMap { object[$0] }
        case (.recursive, _):
          next += descendants(of: value)
        case (.filter(let path, let comparison), .array(let array)):
          for element in array {
            let found = try evaluate(path, root: root, current: element)
            var matches = comparison == nil && !found.isEmpty
            if let comparison {
              for value in found where try holds(value, comparison.operator, comparison.value, quoted: comparison.quoted) {
                matches = true
                break
              }
            }
            if matches { next.append(element) }
          }
        default:
          break
        }
      }
      values = next
    }
    return values
  }

  /// `start:end:step` as client-go's parser reads it: up to three parts, each empty or `-?[0-9]*`.
  private static func slice(_ inner: String) throws(Failure) -> Step {
    let parts = inner.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count <= 3, parts.allSatisfy({ isDigits($0.dropFirst($0.first == "-" ? 1 : 0)) }) else {
      throw Failure(message: "invalid array index \(inner)")
    }
    var numbers: [Int?] = []
    for part in parts {
      guard !part.isEmpty else {
        numbers.append(nil)
        continue
      }
      guard let number = Int(part) else { throw Failure(message: "array index \(part) is not a number") }
      numbers.append(number)
    }
    return .slice(start: numbers[0], end: numbers[1], step: parts.count == 3 ? numbers[2] : nil)
  }

  /// The elements `[start:end:step]` takes from `array`, as client-go's `evalArray` takes them: negative
  /// bounds count from the end, and a bound past the end is refused; nil for an empty range, which ends the
  /// whole step there, as it does in client-go.
  private static func slice(_ array: [JSONValue], start: Int?, end: Int?, step: Int?) throws(Failure) -> [JSONValue]? {
    let count = array.count
    let first = start.map { $0 < 0 ? $0 + count : $0 } ?? 0
    let last = end.map { $0 < 0 ? $0 + count : $0 } ?? count
    guard first != last else { return nil }
    guard (0..<count).contains(first) else { throw .outOfBounds(first, length: count) }
    guard (0...count).contains(last) else { throw .outOfBounds(last - 1, length: count) }
    guard first <= last else { throw Failure(message: "starting index \(first) is greater than ending index \(last)") }
    let stride = step ?? 1
    guard stride > 0 else { throw Failure(message: "step must be > 0") }
    return Swift.stride(from: first, to: last, by: stride).map { array[$0] }
  }

  /// One value as kubectl prints it: objects and lists as Go's compact JSON, anything else as Go's `%v`.
  private static func format(_ value: JSONValue) -> String {
    switch value {
    case .array, .object: value.goJSON()
    default: value.goDescription
    }
  }
}
