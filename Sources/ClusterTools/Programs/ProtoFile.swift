import ClusterModel
import Foundation

/// What grpcurl needs of a `.proto` file: its package, services, methods and messages, with the comment
/// that leads each (protoc's leading comments: the lines right above, no blank line between).
struct ProtoFile: Equatable, Sendable {
  var package: String
  var services: [Service]
  var messages: [Message]
  /// Top-level enums by name, each with the name of its first value, the default JSON shows.
  var enums: [String: String] = [:]

  struct Service: Equatable, Sendable {
    var name: String
    var comment: [String]
    var methods: [Method]
  }

  struct Method: Equatable, Sendable {
    var name: String
    var comment: [String]
    var input: String
    var output: String
    var clientStreaming: Bool
    var serverStreaming: Bool
  }

  struct Message: Equatable, Sendable {
    var name: String
    var comment: [String]
    var fields: [Field]
  }

  struct Field: Equatable, Sendable {
    var label: String?
    var type: String
    var name: String
    var number: Int
    var comment: [String]

    /// The `json_name` option, if the field sets one.
    var jsonNameOption: String?

    /// The field's JSON name: the `json_name` option, else lowerCamelCase of the proto name.
    var jsonName: String {
      if let jsonNameOption { return jsonNameOption }
      var result = ""
      var upper = false
      for character in name {
        if character == "_" {
          upper = true
        } else {
          result.append(upper ? Character(character.uppercased()) : character)
          upper = false
        }
      }
      return result
    }
  }

  /// A parse error, as protoparse reports it: `file:line:column: message`.
  struct ParseError: Error, Equatable {
    var line: Int
    var column: Int
    var message: String
  }

  /// The fully qualified name of something this file declares (`Greeter` → `helloworld.Greeter`).
  func fullName(_ name: String) -> String {
    package.isEmpty ? name : "\(package).\(name)"
  }

  /// Fully qualifies a type name used in this file (`HelloRequest` → `helloworld.HelloRequest`).
  func qualify(_ type: String) -> String {
    if type.hasPrefix(".") { return String(type.dropFirst()) }
    return messages.contains(where: { $0.name == type }) ? fullName(type) : type
  }

  /// The message with fully qualified `name`.
  func message(named name: String) -> Message? {
    messages.first { fullName($0.name) == name }
  }

  /// Parses proto2/proto3 text: services, top-level messages (fields of any type, maps, oneofs) and top-level
  /// enums; nested messages and enums are skipped.
  init(parsing text: String) throws(ParseError) {
    self = try Self.parsed.result(for: UTF8Key(text)) { () throws(ParseError) in try ProtoFile(reading: text) }
  }

  /// The files parsed lately, by their text: a sweep over seeds replays the same `grpcurl -proto` in every seed.
  private static let parsed = RecentResults<UTF8Key, ProtoFile>(capacity: 16)

  /// Parses `text` as `init(parsing:)` does, without looking it up.
  private init(reading text: String) throws(ParseError) {
    var parser = Parser(tokens: try Self.tokenize(text))
    package = ""
    services = []
    messages = []
    while let token = parser.peek {
      switch token.text {
      case "syntax", "option", "import", "edition":
        try parser.skipStatement()
      case "package":
        parser.advance()
        package = try parser.identifier()
        try parser.expect(";")
      case "service":
        services.append(try parser.service())
      case "message":
        messages.append(try parser.message())
      case "enum":
        let (name, first) = try parser.enumeration()
        enums[name] = first
      case ";":
        parser.advance()
      default:
        throw ParseError(line: token.line, column: token.column, message: "syntax error: unexpected \"\(token.text)\"")
      }
    }
  }

  struct Token: Equatable {
    var text: String
    var line: Int
    var column: Int
    /// Comment lines right above the token, with no blank line between.
    var comment: [String]
  }

  private static func tokenize(_ text: String) throws(ParseError) -> [Token] {
    var tokens: [Token] = []
    var pending: [String] = []
    var lastCommentLine = -1
    let characters = Array(text)
    var index = 0
    var line = 1
    var column = 1
    func advance(_ count: Int = 1) {
      for _ in 0..<count where index < characters.count {
        if characters[index] == "\n" {
          line += 1
          column = 1
        } else {
          column += 1
        }
        index += 1
      }
    }
    while index < characters.count {
      let character = characters[index]
      if character.isWhitespace {
        advance()
        continue
      }
      if character == "/" && index + 1 < characters.count && characters[index + 1] == "/" {
        var end = index
        while end < characters.count && characters[end] != "\n" { end += 1 }
        if tokens.last?.line != line {
          if lastCommentLine != line - 1 { pending = [] }
          pending.append(String(characters[index..<end]))
          lastCommentLine = line
        }
        advance(end - index)
        continue
      }
      if character == "/" && index + 1 < characters.count && characters[index + 1] == "*" {
        let (startLine, startColumn) = (line, column)
        advance(2)
        while index + 1 < characters.count && !(characters[index] == "*" && characters[index + 1] == "/") { advance() }
        guard index + 1 < characters.count else {
          throw ParseError(line: startLine, column: startColumn, message: "syntax error: unexpected EOF")
        }
        advance(2)
        continue
      }
      let (startLine, startColumn) = (line, column)
      var word = ""
      if character == "\"" || character == "'" {
        word.append(character)
        advance()
        while index < characters.count && characters[index] != character && characters[index] != "\n" {
          if characters[index] == "\\" && index + 1 < characters.count {
            word.append(characters[index])
            advance()
          }
          word.append(characters[index])
          advance()
        }
        guard index < characters.count, characters[index] == character else {
          throw ParseError(line: startLine, column: startColumn, message: "syntax error: unexpected EOF")
        }
        word.append(character)
        advance()
      } else if character.isLetter || character.isNumber || character == "_" || character == "." || character == "-" {
        while index < characters.count,
          characters[index].isLetter || characters[index].isNumber || "_.-".contains(characters[index])
        {
          word.append(characters[index])
          advance()
        }
      } else {
        word = String(character)
        advance()
      }
      tokens.append(Token(text: word, line: startLine, column: startColumn, comment: lastCommentLine == startLine - 1 ? pending : []))
      pending = []
    }
    return tokens
  }

  /// A cursor over the tokens.
  private struct Parser {
    var tokens: [Token]
    var position = 0

    var peek: Token? { position < tokens.count ? tokens[position] : nil }

    mutating func advance() { position += 1 }

    mutating func next() throws(ParseError) -> Token {
      guard let token = peek else {
        let last = tokens.last
        throw ParseError(line: last?.line ?? 1, column: (last?.column ?? 0) + 1, message: "syntax error: unexpected EOF")
      }
      position += 1
      return token
    }

    mutating func expect(_ text: String) throws(ParseError) {
      let token = try next()
      guard token.text == text else {
        throw ParseError(line: token.line, column: token.column, message: "syntax error: unexpected \"\(token.text)\", expecting \"\(text)\"")
      }
    }

    mutating func identifier() throws(ParseError) -> String {
      let token = try next()
      guard let first = token.text.first, first.isLetter || first == "_" || first == "." else {
        throw ParseError(line: token.line, column: token.column, message: "syntax error: unexpected \"\(token.text)\"")
      }
      return token.text
    }

    mutating func skipStatement() throws(ParseError) {
      while try next().text != ";" {}
    }

    /// Skips `name { … }`, nested braces included.
    mutating func skipBlock() throws(ParseError) {
      while try next().text != "{" {}
      try skipToClose()
    }

    /// Skips to the `}` that closes a block already entered, nested braces included.
    mutating func skipToClose() throws(ParseError) {
      var depth = 1
      while depth > 0 {
        switch try next().text {
        case "{": depth += 1
        case "}": depth -= 1
        default: break
        }
      }
    }

    /// `enum Name { FIRST = 0; … }`: its name and its first value's.
    mutating func enumeration() throws(ParseError) -> (name: String, first: String) {
      advance()
      let name = try identifier()
      try expect("{")
      while peek.map({ ["option", "reserved", ";"].contains($0.text) }) == true {
        if peek?.text == ";" { advance() } else { try skipStatement() }
      }
      let first = peek?.text == "}" ? "" : try identifier()
      try skipToClose()
      return (name, first)
    }

    mutating func service() throws(ParseError) -> Service {
      let keyword = try next()
      var service = Service(name: try identifier(), comment: keyword.comment, methods: [])
      try expect("{")
      while let token = peek, token.text != "}" {
        switch token.text {
        case "rpc":
          advance()
          let name = try identifier()
          let input = try messageType()
          try expect("returns")
          let output = try messageType()
          service.methods.append(Method(
            name: name, comment: token.comment, input: input.name, output: output.name, clientStreaming: input.stream,
            serverStreaming: output.stream))
          if peek?.text == "{" {
            try skipBlock()
          } else {
            try expect(";")
          }
        case "option":
          try skipStatement()
        case ";":
          advance()
        default:
          throw ParseError(line: token.line, column: token.column, message: "syntax error: unexpected \"\(token.text)\"")
        }
      }
      try expect("}")
      return service
    }

    /// `( [stream] Type )` of an rpc.
    mutating func messageType() throws(ParseError) -> (stream: Bool, name: String) {
      try expect("(")
      let stream = peek?.text == "stream"
      if stream { advance() }
      let name = try identifier()
      try expect(")")
      return (stream, name)
    }

    mutating func message() throws(ParseError) -> Message {
      let keyword = try next()
      var message = Message(name: try identifier(), comment: keyword.comment, fields: [])
      try expect("{")
      while let token = peek, token.text != "}" {
        switch token.text {
        case "option", "reserved", "extensions":
          try skipStatement()
        case "oneof":
          advance()
          _ = try identifier()
          try expect("{")
          while let inner = peek, inner.text != "}" {
            if inner.text == "option" { try skipStatement() } else { message.fields.append(try field(label: nil)) }
          }
          try expect("}")
        case "message", "enum":
          try skipBlock()
        case ";":
          advance()
        default:
          var label: String?
          if ["optional", "repeated", "required"].contains(token.text) {
            label = token.text
            advance()
          }
          message.fields.append(try field(label: label))
        }
      }
      try expect("}")
      return message
    }

    /// `type name = number [options];`, where the type may be `map<K, V>`.
    mutating func field(label: String?) throws(ParseError) -> Field {
      let comment = peek?.comment ?? []
      var type = try identifier()
      if type == "map" {
        try expect("<")
        let key = try identifier()
        try expect(",")
        let value = try identifier()
        try expect(">")
        type = "map<\(key), \(value)>"
      }
      let name = try identifier()
      try expect("=")
      let numberToken = try next()
      let text = numberToken.text.lowercased()
      guard let number = text.hasPrefix("0x") ? Int(text.dropFirst(2), radix: 16) : Int(text) else {
        throw ParseError(line: numberToken.line, column: numberToken.column, message: "syntax error: unexpected \"\(numberToken.text)\"")
      }
      var jsonName: String?
      if peek?.text == "[" {
        advance()
        while let option = peek, option.text != "]" {
          advance()
          if option.text == "json_name", peek?.text == "=" {
            advance()
            jsonName = try next().text.trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
          }
        }
        try expect("]")
      }
      try expect(";")
      return Field(label: label, type: type, name: name, number: number, comment: comment, jsonNameOption: jsonName)
    }
  }
}
