/// kubectl's `-o go-template=…` (and `template`) for the common subset of Go's `text/template`: fields
/// (`.metadata.name`, `.`), string literals, `range` and `if` with `else` and `end`, `index`, `len` and
/// `printf` (`%s`, `%v`, `%q`, `%%`), and `{{-`/`-}}` trimming.
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
    case string(String)
  }

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
    let stop = try Self.parse(&tokens, into: &nodes)
    if let stop { throw Failure(message: "template: output:\(stop.line): unexpected {{\(stop.word)}}") }
    self.nodes = nodes
  }

  /// What the template prints for `object`, up to the failure that stopped it, if any.
  func render(_ object: JSONValue) -> (String, Failure?) {
    var output = ""
    do {
      try Self.run(nodes, dot: Self.floating(object), into: &output)
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

  /// `text` as Go's `%q` writes it.
  static func quoted(_ text: String) -> String {
    var quoted = "\""
    for character in text {
      switch character {
      case "\"": quoted += "\\\""
      case "\\": quoted += "\\\\"
      case "\n": quoted += "\\n"
      case "\t": quoted += "\\t"
      default: quoted.append(character)
      }
    }
    return quoted + "\""
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

  /// Parses nodes until `end` or `else` (returned with its line) or the end of the tokens.
  private static func parse(_ tokens: inout [Token], into nodes: inout [Node]) throws(Failure) -> (word: String, line: Int)? {
    while let token = tokens.popLast() {
      switch token {
      case .text(let text):
        nodes.append(.text(text))
      case .action(let text, let line, let column):
        let words = try words(text, line: line, column: column)
        guard let first = words.first else { throw Failure(message: "template: output:\(line): missing value for command") }
        if case .word(let keyword) = first {
          switch keyword {
          case "end", "else":
            return (keyword, line)
          case "range", "if":
            let pipeline = try pipeline(Array(words.dropFirst()), line: line)
            var body: [Node] = []
            var otherwise: [Node] = []
            var stop = try parse(&tokens, into: &body)
            if stop?.word == "else" { stop = try parse(&tokens, into: &otherwise) }
            guard stop?.word == "end" else { throw Failure(message: "template: output:\(line): unexpected EOF") }
            nodes.append(keyword == "range"
              ? .range(pipeline, body: body, otherwise: otherwise) : .conditional(pipeline, body: body, otherwise: otherwise))
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

  private enum Word {
    case word(String)
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
        } else {
          words.append(.word(word))
        }
      }
    }
    return words
  }

  private static let functions: Set<String> = ["index", "len", "printf"]

  private static func pipeline(_ words: [Word], line: Int) throws(Failure) -> Pipeline {
    var pipeline = Pipeline(function: nil, operands: [])
    for (position, word) in words.enumerated() {
      switch word {
      case .operand(let operand):
        pipeline.operands.append(operand)
      case .word(let name):
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

  private static func run(_ nodes: [Node], dot: JSONValue, into output: inout String) throws(Failure) {
    for node in nodes {
      switch node {
      case .text(let text):
        output += text
      case .action(let pipeline):
        output += try evaluate(pipeline, dot: dot).map(print) ?? "<no value>"
      case .range(let pipeline, let body, let otherwise):
        let value = try evaluate(pipeline, dot: dot)
        let items: [JSONValue]
        switch value {
        case .array(let array)?: items = array
        case .object(let fields)?: items = fields.keys.sorted().compactMap { fields[$0] }
        case nil, .null?: items = []
        case let other?: throw Failure(message: "template: output: range can't iterate over \(print(other))")
        }
        if items.isEmpty { try run(otherwise, dot: dot, into: &output) }
        for item in items { try run(body, dot: item, into: &output) }
      case .conditional(let pipeline, let body, let otherwise):
        try run(isTrue(try evaluate(pipeline, dot: dot)) ? body : otherwise, dot: dot, into: &output)
      }
    }
  }

  /// The pipeline's value; nil for a missing key.
  private static func evaluate(_ pipeline: Pipeline, dot: JSONValue) throws(Failure) -> JSONValue? {
    var values: [JSONValue?] = []
    for operand in pipeline.operands { values.append(try value(of: operand, dot: dot)) }
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
        case (.array(let items), .number(let number)?) where items.indices.contains(Int(number)):
          current = items[Int(number)]
        default:
          throw Failure(message: "template: output: error calling index: cannot index \(print(current))")
        }
      }
      return current
    case "len":
      switch values.first ?? nil {
      case .array(let items)?: return .number(Double(items.count))
      case .object(let fields)?: return .number(Double(fields.count))
      case .string(let text)?: return .number(Double(text.utf8.count))
      default: throw Failure(message: "template: output: error calling len: len of type interface {}")
      }
    default:
      guard case .string(let format)?? = values.first else {
        throw Failure(message: "template: output: wrong type for value; expected string")
      }
      return .string(printf(format, Array(values.dropFirst())))
    }
  }

  private static func value(of operand: Operand, dot: JSONValue) throws(Failure) -> JSONValue? {
    switch operand {
    case .string(let text):
      return .string(text)
    case .field(let names, let line, let column):
      var current: JSONValue? = dot
      for name in names {
        switch current {
        case .object(let fields)?: current = fields[name]
        case nil, .null?: return nil
        default:
          throw Failure(message:
            "template: output:\(line):\(column): executing \"output\" at <.\(names.joined(separator: "."))>: can't evaluate field \(name) in type interface {}")
        }
      }
      return current
    }
  }

  /// `fmt.Sprintf` for `%s`, `%v`, `%q` and `%%`; numbers are float64, so `%d` prints Go's complaint.
  private static func printf(_ format: String, _ arguments: [JSONValue?]) -> String {
    var output = ""
    var remaining = arguments[...]
    var characters = format[...]
    while let character = characters.popFirst() {
      guard character == "%", let verb = characters.popFirst() else {
        output.append(character)
        continue
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
      switch (verb, value) {
      case ("v", _), ("s", .string), ("s", .array), ("s", .object):
        output += print(value)
      case ("q", .string(let text)):
        output += quoted(text)
      case (_, .null):
        output += "%!\(verb)(<nil>)"
      default:
        output += "%!\(verb)(\(typeName(value))=\(print(value)))"
      }
    }
    if !remaining.isEmpty { output += "%!(EXTRA " + remaining.map { "\(typeName($0 ?? .null))=\(print($0 ?? .null))" }.joined(separator: ", ") + ")" }
    return output
  }

  private static func typeName(_ value: JSONValue) -> String {
    switch value {
    case .string: "string"
    case .integer, .number: "float64"
    case .bool: "bool"
    case .null: "<nil>"
    case .array: "[]interface {}"
    case .object: "map[string]interface {}"
    }
  }

  /// A value as `{{.x}}` prints it: `fmt`'s `%v`.
  private static func print(_ value: JSONValue) -> String {
    value.goDescription
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
