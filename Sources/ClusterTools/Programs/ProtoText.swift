/// A request message in the protobuf text format, as grpcurl's `-format text` reads `-d` through
/// protoreflect's dynamic message: `name: "x"`, fields optionally separated by `,` or `;`, with Go's
/// `text/scanner` tokens and the parser's own errors (`line 1, col 1: "nme" is not a recognized field
/// name of "helloworld.HelloRequest"`).
struct ProtoText {
  /// A token as `text/scanner` reads it, with its text and where it starts.
  private struct Token {
    enum Kind: Equatable {
      case identifier, integer, float, string, end
      case punctuation(Character)
      /// A token the scanner could not read, with the reader's message.
      case invalid(String)
    }

    var kind: Kind
    var text: String
    var line: Int
    var column: Int
    /// A string token's value.
    var value = ""
  }

  private var tokens: [Token]
  private var position = 0

  private init(_ text: String) {
    tokens = Self.scan(text)
  }

  /// The string fields of one message of type `type`; the other fields are read and checked, not kept.
  static func fields(_ text: String, message: ProtoFile.Message?, type: String) -> Result<[String: String], Grpcurl.Reason> {
    var parser = ProtoText(text)
    var fields: [String: String] = [:]
    while true {
      let token = parser.next()
      switch token.kind {
      case .end:
        return .success(fields)
      case .identifier:
        guard let field = message?.fields.first(where: { $0.name == token.text }) else {
          return .failure(parser.error(token, "\(token.text.goQuoted) is not a recognized field name of \(type.goQuoted)"))
        }
        let colon = parser.next()
        if colon.kind == .end { return .failure(Grpcurl.Reason("unexpected EOF")) }
        guard colon.kind == .punctuation(":") else {
          return .failure(parser.error(colon, "Expecting a colon ':'; instead got \(colon.text.goQuoted)"))
        }
        let value = parser.next()
        if value.kind == .end { return .failure(Grpcurl.Reason("unexpected EOF")) }
        let (expected, accepted): (String, Bool) = switch field.type {
        case "string": ("a string value", value.kind == .string)
        case "bytes": ("a bytes string value", value.kind == .string)
        case "bool": ("a boolean value", value.kind == .identifier && (value.text == "true" || value.text == "false"))
        case "float", "double": ("a float value", value.kind == .float || value.kind == .integer)
        case "uint32", "uint64", "fixed32", "fixed64": ("an unsigned int value", value.kind == .integer)
        default: ("an int value", value.kind == .integer)
        }
        guard accepted else { return .failure(parser.error(value, "Expecting \(expected); got \(value.text.goQuoted)")) }
        if field.type == "string" { fields[field.name] = value.value }
        if case .punctuation(let separator) = parser.peek().kind, separator == "," || separator == ";" { _ = parser.next() }
      default:
        return .failure(parser.error(token, "Expecting an identifier or tag number; instead got \(token.text.goQuoted)"))
      }
    }
  }

  private mutating func next() -> Token {
    let token = peek()
    if token.kind != .end { position += 1 }
    return token
  }

  private func peek() -> Token {
    position < tokens.count ? tokens[position] : Token(kind: .end, text: "", line: 0, column: 0)
  }

  /// `textError`: the scanner's message for a token it could not read, else `message`, after the position.
  private func error(_ token: Token, _ message: String) -> Grpcurl.Reason {
    if case .invalid(let problem) = token.kind { return Grpcurl.Reason("line \(token.line), col \(token.column): \(problem)") }
    return Grpcurl.Reason("line \(token.line), col \(token.column): \(message)")
  }

  /// The tokens of `text`: identifiers (with dots after the first character), numbers, quoted strings and
  /// punctuation; blanks and `//` and `/* */` comments skipped.
  private static func scan(_ text: String) -> [Token] {
    let characters = Array(text)
    var tokens: [Token] = []
    var index = 0
    var line = 1
    var lineStart = 0
    func advance() {
      if characters[index] == "\n" {
        line += 1
        lineStart = index + 1
      }
      index += 1
    }
    while index < characters.count {
      let character = characters[index]
      if character.isWhitespace {
        advance()
        continue
      }
      if character == "/", index + 1 < characters.count, characters[index + 1] == "/" {
        while index < characters.count, characters[index] != "\n" { advance() }
        continue
      }
      if character == "/", index + 1 < characters.count, characters[index + 1] == "*" {
        index += 2
        while index < characters.count, !(characters[index] == "*" && index + 1 < characters.count && characters[index + 1] == "/") {
          advance()
        }
        index = min(index + 2, characters.count)
        continue
      }
      let start = index
      let column = index - lineStart + 1
      var kind = Token.Kind.punctuation(character)
      var value = ""
      if character.isLetter || character == "_" {
        while index < characters.count, characters[index].isLetter || characters[index].isNumber || characters[index] == "_" || characters[index] == "." {
          index += 1
        }
        kind = .identifier
      } else if character.isNumber {
        while index < characters.count, characters[index].isNumber { index += 1 }
        kind = .integer
        if index < characters.count, characters[index] == "." {
          index += 1
          while index < characters.count, characters[index].isNumber { index += 1 }
          kind = .float
        }
      } else if character == "\"" || character == "'" {
        index += 1
        var closed = false
        while index < characters.count, characters[index] != "\n" {
          if characters[index] == "\\", index + 1 < characters.count {
            index += 1
            switch characters[index] {
            case "n": value.append("\n")
            case "t": value.append("\t")
            case "r": value.append("\r")
            default: value.append(characters[index])
            }
          } else if characters[index] == character {
            closed = true
            index += 1
            break
          } else {
            value.append(characters[index])
          }
          index += 1
        }
        kind = closed && (character == "\"" || value.count == 1) ? .string : .invalid("invalid syntax")
      } else {
        index += 1
        if !":,;{}<>[]()/-".contains(character) { kind = .invalid("invalid character: \(character)") }
      }
      tokens.append(Token(kind: kind, text: String(characters[start..<index]), line: line, column: column, value: value))
    }
    return tokens
  }
}
