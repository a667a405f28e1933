/// bash's `echo`, `export` and `unset`, over the shell's variables in `Workstation`.
extension Invocation {
  /// `echo [-neE] [ARG…]`: the arguments joined by spaces, then a newline unless `-n`; `-e` reads backslash
  /// escapes. Options end at the first argument that is not one.
  static func echo(_ arguments: [String]) -> ToolResult {
    var newline = true
    var escapes = false
    var words = arguments[...]
    while let option = words.first, option.count > 1, option.hasPrefix("-"), option.dropFirst().allSatisfy({ "neE".contains($0) }) {
      for flag in option.dropFirst() {
        switch flag {
        case "n": newline = false
        case "e": escapes = true
        default: escapes = false
        }
      }
      words = words.dropFirst()
    }
    var text = words.joined(separator: " ")
    if escapes {
      let (expanded, stopped) = interpretingEscapes(text)
      text = expanded
      if stopped { newline = false }
    }
    return ToolResult(stdout: newline ? text + "\n" : text)
  }

  /// `echo -e`'s escapes; `\c` ends the output (and reports it, since no newline follows then).
  private static func interpretingEscapes(_ text: String) -> (String, stopped: Bool) {
    var output = ""
    var characters = text[...]
    while let c = characters.popFirst() {
      guard c == "\\", let next = characters.first else {
        output.append(c)
        continue
      }
      characters = characters.dropFirst()
      switch next {
      case "n": output.append("\n")
      case "t": output.append("\t")
      case "r": output.append("\r")
      case "a": output.append("\u{7}")
      case "b": output.append("\u{8}")
      case "e", "E": output.append("\u{1B}")
      case "f": output.append("\u{C}")
      case "v": output.append("\u{B}")
      case "\\": output.append("\\")
      case "c": return (output, true)
      default: output += "\\" + String(next)
      }
    }
    return (output, false)
  }

  /// `export [-n] [NAME[=VALUE]…]` sets and marks variables; `export` and `export -p` list the marked ones
  /// as `declare -x` lines.
  mutating func export(_ arguments: [String]) -> ToolResult {
    var unmark = false
    var names = arguments[...]
    while let option = names.first, option.hasPrefix("-"), option.count > 1 {
      names = names.dropFirst()
      if option == "--" { break }
      for flag in option.dropFirst() {
        switch flag {
        case "n": unmark = true
        case "p", "f": continue
        default:
          return ToolResult(
            stderr: "grpclab: export: -\(flag): invalid option\nexport: usage: export [-fn] [name[=value] ...] or export -p\n",
            exitCode: 2)
        }
      }
    }
    if names.isEmpty {
      let workstation = session.workstation
      let lines = workstation.exported.sorted().map { name in
        workstation.variables[name].map { "declare -x \(name)=\"\(Self.doubleQuoted($0))\"" } ?? "declare -x \(name)"
      }
      return ToolResult(stdout: lines.map { $0 + "\n" }.joined())
    }
    var result = ToolResult()
    var workstation = session.workstation
    for argument in names {
      let name = argument.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)[0]
      guard ShellCommand.isName(name) else {
        result.stderr += "grpclab: export: `\(argument)': not a valid identifier\n"
        result.exitCode = 1
        continue
      }
      if let equals = argument.firstIndex(of: "=") {
        workstation.variables[String(name)] = String(argument[argument.index(after: equals)...])
      }
      if unmark { workstation.exported.remove(String(name)) } else { workstation.exported.insert(String(name)) }
    }
    if !inSubshell { session.workstation = workstation }
    return result
  }

  /// `unset [-v] NAME…` forgets variables.
  mutating func unset(_ arguments: [String]) -> ToolResult {
    var result = ToolResult()
    var workstation = session.workstation
    for name in arguments where name != "-v" {
      guard ShellCommand.isName(name) else {
        result.stderr += "grpclab: unset: `\(name)': not a valid identifier\n"
        result.exitCode = 1
        continue
      }
      workstation.variables[name] = nil
      workstation.exported.remove(name)
    }
    if !inSubshell { session.workstation = workstation }
    return result
  }

  /// `value` with `"`, `\`, `$` and `` ` `` escaped, as `declare -x` prints it between double quotes.
  private static func doubleQuoted(_ value: String) -> String {
    var text = ""
    for c in value {
      if "\"\\$`".contains(c) { text.append("\\") }
      text.append(c)
    }
    return text
  }
}
