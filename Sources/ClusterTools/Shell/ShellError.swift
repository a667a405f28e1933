/// A command line the shell could not parse, or a redirection it could not make.
public enum ShellError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A quote that is never closed.
  case unterminatedQuote
  /// A `$(` or `${` that is never closed, with the character it waits for.
  case unmatched(Character)
  /// A `${…}` that does not name a variable, as typed.
  case badSubstitution(String)
  /// A parameter expansion bash has that the lab shell does not (`${A:-x}`, `${#A}`), as typed.
  case unsupportedExpansion(String)
  /// What the lab shell does not run: `&`, backticks, subshell parentheses, arithmetic, a second
  /// here-document, or `;`, `&&` and `||` inside one pipeline.
  case unsupported(String)
  /// The line ends after `&&` or `||`.
  case unexpectedEnd
  /// Command substitutions inside one another deeper than the shell follows.
  case nestedTooDeeply(Int)
  /// A token in the wrong place, such as a leading `|`.
  case syntax(String)
  /// A here-document whose delimiter line never came.
  case unterminatedHereDocument(String)
  /// A redirection the lab shell cannot make: its file or stream, and why, in bash's words where bash has them.
  case redirection(target: String, reason: String)

  public var description: String {
    switch self {
    case .unterminatedQuote: "unexpected EOF while looking for matching quote"
    case .unmatched(let character): "unexpected EOF while looking for matching `\(character)'"
    case .badSubstitution(let text): "\(text): bad substitution"
    case .unsupportedExpansion(let text): "\(text): the lab shell expands only $NAME, ${NAME} and $(command)"
    case .unsupported(let token):
      switch token {
      case "&": "`&' is not supported by the lab shell: commands run in the foreground"
      case "`": "backquotes are not supported by the lab shell; use $(command)"
      case "(", ")": "`\(token)' is not supported by the lab shell outside quotes and $(command)"
      case "<<": "only one here-document per line is supported by the lab shell"
      case "$((": "`$((' is not supported by the lab shell: it has no arithmetic"
      case let word where ShellList.reservedWords.contains(word):
        "`\(word)' is not supported by the lab shell: it runs commands, pipelines and lists, not compound commands"
      default: "`\(token)' is not supported by the lab shell inside one pipeline"
      }
    case .unexpectedEnd: "syntax error: unexpected end of file"
    case .nestedTooDeeply(let depth): "command substitutions nested more than \(depth) deep"
    case .syntax(let token): "syntax error near unexpected token `\(token)'"
    case .unterminatedHereDocument(let word): "warning: here-document delimited by end-of-file (wanted `\(word)')"
    case .redirection(let target, let reason): "\(target): \(reason)"
    }
  }
}
