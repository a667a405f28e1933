import ClusterModel

/// kubectl's `-o go-template=…` (and `template`) for the common subset of Go's `text/template`: fields
/// (`.metadata.name`, `.`, `$`, `$.kind`), string and integer literals, `range` and `if` with `else`,
/// `else if` and `end`, `index`, `len` and `printf` (`%s`, `%v`, `%d`, `%q`, `%f` with flags, width and
/// precision), comments, and `{{-`/`-}}` trimming.
///
/// kubectl hands the template the object as JSON decoded into Go maps, so numbers are float64 and a
/// missing key prints `<no value>`.
struct GoTemplate {
  /// A template that does not parse or run, in Go's words (`template: output:1: unclosed action`).
  struct Failure: Error {
    var message: String
  }

  private indirect enum Node {
    case text(String)
    case action(Pipeline)
    case range(Pipeline, body: [Node], otherwise: [Node])
    case conditional(Pipeline, body: [Node], otherwise: [Node])
  }

  private enum Operand {
    /// `.a.b` (no names: `.`), with where it starts for error messages.
    case field([String], line: Int, column: Int)
    /// `$.a.b` (no names: `$`): fields of the data the template was given.
    case root([String], line: Int, column: Int)
    case string(String)
    case integer(Int)

    /// The operand as written.
    var text: String {
      switch self {
      case .field(let names, _, _): "." + names.joined(separator: ".")
      case .root(let names, _, _): "$" + names.map { "." + $0 }.joined()
      case .string(let value): value.goQuoted
      case .integer(let number): String(number)
      }
    }
  }

  /// How deep `if` and `range` may nest.
  private static let maxDepth = 1000

  private struct Pipeline {
    var function: String?
    var operands: [Operand]
  }

  private let nodes: [Node]
  /// The template as given.
  let source: String

  /// Parses `text`.
  init(_ text: String) throws(Failure) {
    source = text
    var tokens = try Self.tokens(text)
    tokens.reverse()
    var nodes: [Node] = []
    let stop = try Self.parse(&tokens, into: &nodes, depth: 0)
    if let stop { throw Failure(message: "template: output:\(stop.line): unexpected {{\(stop.word)}}") }
    self.nodes = nodes
  }

  /// What the template prints for `object`, up to the failure that stopped it, if any.
  func render(_ object: JSONValue) -> (String, Failure?) {
    var output = ""
    let data = Self.floating(object)
    do {
      try Self.run(nodes, dot: data, root: data, into: &output)
      return (output, nil)
    } catch {
      return (output, error)
    }
  }

  /// What kubectl prints after a template stopped, to help mend it.
  func debugging(_ failure: Failure, _ object: JSONValue) -> String {
    "Error executing template: \(failure.message). Printing more information for debugging the template:\n"
      + "\ttemplate was:\n\t\t\(source)\n\traw data was:\n\t\t\(object.goJSON())\n"
      + "\tobject given to template engine was:\n\t\t\(Self.floating(object).goDescription)\n\n"
  }

  // MARK: Parsing

  private enum Token {
    case text(String)
    case action(String, line: Int, column: Int)
  }

  /// Text and actions, with `{{-` and `-}}` trimming applied to the text beside them.
  private static func tokens(_ text: String) throws(Failure) -> [Token] {
    var tokens: [Token] = []
    let characters = Array(text)
    var index = 0
    var line = 1
    var lineStart = 0
    var trimNext = false
    while index < characters.count {
      var open = index
      while open + 1 < characters.count, !(characters[open] == "{" && characters[open + 1] == "{") { open += 1 }
      if open + 1 >= characters.count { open = characters.count }
      var literal = String(characters[index..<open])
      if trimNext { literal = String(literal.drop { $0.isWhitespace }) }
      trimNext = false
      for (offset, character) in characters[index..<open].enumerated() where character == "\n" {
        line += 1
        lineStart = index + offset + 1
      }
      guard open < characters.count else {
        if !literal.isEmpty { tokens.append(.text(literal)) }
        break
      }
      var start = open + 2
      if start + 1 < characters.count, characters[start] == "-", characters[start + 1].isWhitespace {
        while literal.last?.isWhitespace == true { literal.removeLast() }
        start += 2
      }
      if !literal.isEmpty { tokens.append(.text(literal)) }
      var close = start
      var quote: Character?
      while close + 1 < characters.count {
        let character = characters[close]
        if let open = quote {
          if character == "\\" && open == "\"" { close += 1 } else if character == open { quote = nil }
        } else if character == "\"" || character == "`" {
          quote = character
        } else if character == "}" && characters[close + 1] == "}" {
          break
        }
        close += 1
      }
      guard close + 1 < characters.count else { throw Failure(message: "template: output:\(line): unclosed action") }
      var end = close
      if end - 2 >= start, characters[end - 1] == "-", characters[end - 2].isWhitespace {
        end -= 2
        trimNext = true
      }
      tokens.append(.action(String(characters[start..<end]), line: line, column: start - lineStart))
      index = close + 2
    }
    return tokens
  }

  /// Where a block stopped: at `end` or `else` (with the words after it), on `line`.
  private typealias Stop = (word: String, line: Int, rest: [Word])

  /// Parses nodes until `end` or `else` (returned) or the end of the tokens; `depth` counts the blocks
  /// around them.
  private static func parse(_ tokens: inout [Token], into nodes: inout [Node], depth: Int) throws(Failure) -> Stop? {
    while let token = tokens.popLast() {
      switch token {
      case .text(let text):
        nodes.append(.text(text))
      case .action(let text, let line, let column):
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("/*") && trimmed.hasSuffix("*/") && trimmed.count >= 4 { continue }
        let words = try words(text, line: line, column: column)
        guard let first = words.first else { throw Failure(message: "template: output:\(line): missing value for command") }
        if case .identifier(let keyword) = first {
          switch keyword {
          case "end", "else":
            return (keyword, line, Array(words.dropFirst()))
          case "range", "if":
            guard depth < maxDepth else { throw Failure(message: "template: output:\(line): max expression depth exceeded") }
            nodes.append(try block(keyword, Array(words.dropFirst()), line: line, tokens: &tokens, depth: depth + 1))
            continue
          default:
            break
          }
        }
        nodes.append(.action(try pipeline(words, line: line)))
      }
    }
    return nil
  }

  /// An `if` or `range` block after its keyword: its body, and what `else` or `else if` adds, to its `end`.
  private static func block(
    _ keyword: String, _ words: [Word], line: Int, tokens: inout [Token], depth: Int
  ) throws(Failure) -> Node {
    guard !words.isEmpty else { throw Failure(message: "template: output:\(line): missing value for \(keyword)") }
    let pipeline = try pipeline(words, line: line)
    var body: [Node] = []
    var otherwise: [Node] = []
    guard let stop = try parse(&tokens, into: &body, depth: depth) else {
      throw Failure(message: "template: output:\(line): unexpected EOF")
    }
    switch (stop.word, stop.rest.first) {
    case ("end", nil):
      break
    case ("else", nil):
      guard let last = try parse(&tokens, into: &otherwise, depth: depth) else {
        throw Failure(message: "template: output:\(line): unexpected EOF")
      }
      guard last.word == "end", last.rest.isEmpty else { throw unexpected(last) }
    case ("else", .identifier("if")?) where keyword == "if":
      otherwise = [try block("if", Array(stop.rest.dropFirst()), line: stop.line, tokens: &tokens, depth: depth)]
    default:
      throw unexpected(stop)
    }
    return keyword == "range"
      ? .range(pipeline, body: body, otherwise: otherwise) : .conditional(pipeline, body: body, otherwise: otherwise)
  }

  /// Go's error for words after `end`, or after `else` where they do not begin `if`.
  private static func unexpected(_ stop: Stop) -> Failure {
    let extra: String = switch stop.rest.first {
    case .identifier(let word)?: word
    case .operand(let operand)?: operand.text
    case nil: stop.word
    }
    return Failure(message: "template: output:\(stop.line): unexpected \"\(extra)\" in \(stop.word)")
  }

  private enum Word {
    /// A keyword or a function's name.
    case identifier(String)
    case operand(Operand)
  }

  /// The words of one action: identifiers, fields and string literals.
  private static func words(_ text: String, line: Int, column: Int) throws(Failure) -> [Word] {
    var words: [Word] = []
    let characters = Array(text)
    var index = 0
    while index < characters.count {
      let character = characters[index]
      if character.isWhitespace {
        index += 1
      } else if character == "\"" || character == "`" {
        var value = ""
        index += 1
        while index < characters.count, characters[index] != character {
          if character == "\"", characters[index] == "\\", index + 1 < characters.count {
            index += 1
            switch characters[index] {
            case "n": value.append("\n")
            case "t": value.append("\t")
            case "r": value.append("\r")
            default: value.append(characters[index])
            }
          } else {
            value.append(characters[index])
          }
          index += 1
        }
        guard index < characters.count else { throw Failure(message: "template: output:\(line): unterminated quoted string") }
        index += 1
        words.append(.operand(.string(value)))
      } else {
        let start = index
        while index < characters.count, !characters[index].isWhitespace { index += 1 }
        let word = String(characters[start..<index])
        if word.hasPrefix(".") {
          let names = word.split(separator: ".").map(String.init)
          words.append(.operand(.field(names, line: line, column: column + start)))
        } else if word == "$" || word.hasPrefix("$.") {
          let names = word.dropFirst().split(separator: ".").map(String.init)
          words.append(.operand(.root(names, line: line, column: column + start)))
        } else if word.hasPrefix("$") {
          throw Failure(message: "template: output:\(line): undefined variable \"\(word.prefix { $0 != "." })\"")
        } else if let number = Int(word) {
          words.append(.operand(.integer(number)))
        } else {
          words.append(.identifier(word))
        }
      }
    }
    return words
  }

  private static let functions: Set<String> = ["index", "len", "printf"]

  /// Go's keywords and functions the lab's templates do not run.
  private static let unsupported: Set<String> = [
    "with", "define", "template", "block", "break", "continue", "and", "or", "not", "eq", "ne", "lt", "le", "gt", "ge",
    "print", "println", "html", "js", "urlquery", "call", "slice",
  ]

  private static func pipeline(_ words: [Word], line: Int) throws(Failure) -> Pipeline {
    var pipeline = Pipeline(function: nil, operands: [])
    for (position, word) in words.enumerated() {
      switch word {
      case .operand(let operand):
        pipeline.operands.append(operand)
      case .identifier(let name):
        if unsupported.contains(name) || name.contains("(") || name.contains("|") {
          throw Failure(message:
            "template: output:\(line): \"\(name)\" is not supported by the lab's go-template (fields, range, if, index, len, printf)")
        }
        guard position == 0 else { throw Failure(message: "template: output:\(line): unexpected \"\(name)\" in operand") }
        guard functions.contains(name) else { throw Failure(message: "template: output:\(line): function \"\(name)\" not defined") }
        pipeline.function = name
      }
    }
    if pipeline.function == nil && pipeline.operands.count > 1 {
      throw Failure(message: "template: output:\(line): can't give argument to non-function")
    }
    return pipeline
  }

  // MARK: Running

  /// JSON as `json.Unmarshal` into `interface{}` leaves it: every number a float64.
  private static func floating(_ value: JSONValue) -> JSONValue {
    switch value {
    case .integer(let number): .number(Double(number))
    case .array(let items): .array(items.map(floating))
    case .object(let fields): .object(fields.mapValues(floating))
    default: value
    }
  }

  private static func run(_ nodes: [Node], dot: JSONValue, root: JSONValue, into output: inout String) throws(Failure) {
    for node in nodes {
      switch node {
      case .text(let text):
        output += text
      case .action(let pipeline):
        output += try evaluate(pipeline, dot: dot, root: root).map(\.goDescription) ?? "<no value>"
      case .range(let pipeline, let body, let otherwise):
        let value = try evaluate(pipeline, dot: dot, root: root)
        let items: [JSONValue]
        switch value {
        case .array(let array)?: items = array
        case .object(let fields)?: items = fields.keys.sorted().compactMap { fields[$0] }
        case nil, .null?: items = []
        case let other?: throw Failure(message: "template: output: range can't iterate over \(other.goDescription)")
        }
        if items.isEmpty { try run(otherwise, dot: dot, root: root, into: &output) }
        for item in items { try run(body, dot: item, root: root, into: &output) }
      case .conditional(let pipeline, let body, let otherwise):
        try run(isTrue(try evaluate(pipeline, dot: dot, root: root)) ? body : otherwise, dot: dot, root: root, into: &output)
      }
    }
  }

  /// The pipeline's value; nil for a missing key.
  private static func evaluate(_ pipeline: Pipeline, dot: JSONValue, root: JSONValue) throws(Failure) -> JSONValue? {
    var values: [JSONValue?] = []
    for operand in pipeline.operands { values.append(try value(of: operand, dot: dot, root: root)) }
    switch pipeline.function {
    case nil:
      return values.first ?? nil
    case "index":
      guard var current = values.first ?? nil else { return nil }
      for key in values.dropFirst() {
        switch (current, key) {
        case (.object(let fields), .string(let name)?):
          guard let field = fields[name] else { return nil }
          current = field
        case (.array(let items), .integer(let number)?):
          guard items.indices.contains(Int(number)) else {
            throw Failure(message: "template: output: error calling index: index out of range: \(number)")
          }
          current = items[Int(number)]
        case (.array, let key?):
          throw Failure(message: "template: output: error calling index: cannot index slice/array with type \(typeName(key))")
        default:
          throw Failure(message: "template: output: error calling index: cannot index \(current.goDescription)")
        }
      }
      return current
    case "len":
      switch values.first ?? nil {
      case .array(let items)?: return .integer(Int64(items.count))
      case .object(let fields)?: return .integer(Int64(fields.count))
      case .string(let text)?: return .integer(Int64(text.utf8.count))
      case nil, .null?: throw Failure(message: "template: output: error calling len: len of nil pointer")
      case let other?: throw Failure(message: "template: output: error calling len: len of type \(typeName(other))")
      }
    default:
      guard case .string(let format)?? = values.first else {
        throw Failure(message: "template: output: wrong type for value; expected string")
      }
      return .string(printf(format, Array(values.dropFirst())))
    }
  }

  private static func value(of operand: Operand, dot: JSONValue, root: JSONValue) throws(Failure) -> JSONValue? {
    switch operand {
    case .string(let text):
      return .string(text)
    case .integer(let number):
      return .integer(Int64(number))
    case .field(let names, let line, let column), .root(let names, let line, let column):
      var current: JSONValue? = if case .root = operand { root } else { dot }
      for name in names {
        switch current {
        case .object(let fields)?: current = fields[name]
        case nil, .null?:
          throw Failure(message:
            "template: output:\(line):\(column): executing \"output\" at <\(operand.text)>: nil pointer evaluating interface {}.\(name)")
        default:
          throw Failure(message:
            "template: output:\(line):\(column): executing \"output\" at <\(operand.text)>: can't evaluate field \(name) in type interface {}")
        }
      }
      return current
    }
  }

  /// `fmt.Sprintf` for `%s`, `%v`, `%d`, `%q`, `%f`, `%g` and `%%`, with the flags `-` and `0`, a width and a
  /// precision; numbers from the object are float64, so `%d` of one prints Go's complaint.
  private static func printf(_ format: String, _ arguments: [JSONValue?]) -> String {
    var output = ""
    var remaining = arguments[...]
    var characters = format[...]
    func number() -> Int? {
      let digits = characters.prefix(while: \.isASCIIDigit)
      characters = characters.dropFirst(digits.count)
      return digits.isEmpty ? nil : Int(digits)
    }
    while let character = characters.popFirst() {
      guard character == "%" else {
        output.append(character)
        continue
      }
      let flags = characters.prefix { "-+# 0".contains($0) }
      characters = characters.dropFirst(flags.count)
      let width = number()
      var precision: Int?
      if characters.first == "." {
        characters = characters.dropFirst()
        precision = number() ?? 0
      }
      guard let verb = characters.popFirst() else {
        output += "%!(NOVERB)"
        break
      }
      if verb == "%" {
        output.append("%")
        continue
      }
      guard let argument = remaining.popFirst() else {
        output += "%!\(verb)(MISSING)"
        continue
      }
      let value = argument ?? .null
      var text: String
      switch (verb, value) {
      case ("v", _), ("s", .string), ("s", .array), ("s", .object):
        text = value.goDescription
        if verb == "s", let precision { text = String(text.prefix(precision)) }
      case ("q", .string(let string)):
        text = string.goQuoted
      case ("d", .integer(let integer)):
        text = String(integer)
      case ("f", .number(let real)):
        text = GoFormat.f(real, decimals: precision ?? 6)
      case ("g", .number(let real)):
        text = precision.map { GoFormat.g(real, significant: $0) } ?? GoFormat.g(real)
      case (_, .null):
        output += "%!\(verb)(<nil>)"
        continue
      default:
        output += "%!\(verb)(\(typeName(value))=\(value.goDescription))"
        continue
      }
      if let width, text.count < width {
        let padding = width - text.count
        if flags.contains("-") {
          text += String(repeating: " ", count: padding)
        } else if flags.contains("0"), "dfg".contains(verb) {
          let sign = text.hasPrefix("-") ? "-" : ""
          text = sign + String(repeating: "0", count: padding) + text.dropFirst(sign.count)
        } else {
          text = String(repeating: " ", count: padding) + text
        }
      }
      output += text
    }
    if !remaining.isEmpty { output += "%!(EXTRA " + remaining.map { "\(typeName($0 ?? .null))=\(($0 ?? .null).goDescription)" }.joined(separator: ", ") + ")" }
    return output
  }

  private static func typeName(_ value: JSONValue) -> String {
    switch value {
    case .string: "string"
    case .integer: "int"
    case .number: "float64"
    case .bool: "bool"
    case .null: "<nil>"
    case .array: "[]interface {}"
    case .object: "map[string]interface {}"
    }
  }

  /// Go's truth: false, 0, nil and empty strings, lists and maps are false.
  private static func isTrue(_ value: JSONValue?) -> Bool {
    switch value {
    case nil, .null?: false
    case .bool(let flag)?: flag
    case .integer(let number)?: number != 0
    case .number(let number)?: number != 0
    case .string(let text)?: !text.isEmpty
    case .array(let items)?: !items.isEmpty
    case .object(let fields)?: !fields.isEmpty
    }
  }
}
