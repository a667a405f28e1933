/// `cat` and `ls` over the learner's workspace: read-only, and blind outside the working directory.
struct FileReaders {
  var invocation: Invocation

  /// `cat FILE…` (`-` or no file: standard input), GNU's messages for what cannot be read.
  mutating func cat(_ arguments: [String]) -> ToolResult {
    if let option = arguments.first(where: { $0.hasPrefix("-") && $0 != "-" }) {
      return ToolResult(stderr: "cat: invalid option -- '\(option.dropFirst().prefix(1))'\nTry 'cat --help' for more information.\n", exitCode: 1)
    }
    var result = ToolResult()
    for path in arguments.isEmpty ? ["-"] : arguments {
      if path == "-" {
        result.stdout += invocation.stdin ?? ""
        continue
      }
      guard let contents = read(path) else {
        result.stderr += "cat: \(path): Permission denied\n"
        result.exitCode = 1
        continue
      }
      switch contents {
      case .file(let text): result.stdout += text
      case .directory:
        result.stderr += "cat: \(path): Is a directory\n"
        result.exitCode = 1
      case .missing:
        result.stderr += "cat: \(path): No such file or directory\n"
        result.exitCode = 1
      case .unreadable(let reason):
        result.stderr += "cat: \(path): \(reason)\n"
        result.exitCode = 1
      }
    }
    return result
  }

  /// `ls [-a] [-1] [-p] [PATH…]`: names one a line, sorted; folders given as operands get a heading when
  /// there are several.
  mutating func ls(_ arguments: [String]) -> ToolResult {
    var all = false
    var slash = false
    var paths: [String] = []
    for argument in arguments {
      guard argument.hasPrefix("-"), argument.count > 1 else {
        paths.append(argument)
        continue
      }
      for flag in argument.dropFirst() {
        switch flag {
        case "a": all = true
        case "p": slash = true
        case "1": break
        default: return ToolResult(stderr: "ls: invalid option -- '\(flag)'\nTry 'ls --help' for more information.\n", exitCode: 2)
        }
      }
    }
    var result = ToolResult()
    var listings: [(path: String, names: [String])] = []
    for path in paths.isEmpty ? ["."] : paths {
      switch read(path) {
      case .file?: result.stdout += path + "\n"
      case .directory(let names)?:
        let shown = names.filter { all || !$0.hasPrefix(".") }.sorted().map { name in
          slash && isDirectory(path + "/" + name) ? name + "/" : name
        }
        listings.append((path, (all ? [".", ".."] : []) + shown))
      case .missing?:
        result.stderr += "ls: cannot access '\(path)': No such file or directory\n"
        result.exitCode = 2
      case .unreadable(let reason)?:
        result.stderr += "ls: cannot access '\(path)': \(reason)\n"
        result.exitCode = 2
      case nil:
        result.stderr += "ls: cannot open directory '\(path)': Permission denied\n"
        result.exitCode = 2
      }
    }
    let headed = paths.count > 1
    result.stdout += listings.map { listing in
      (headed ? "\(listing.path):\n" : "") + listing.names.map { $0 + "\n" }.joined()
    }.joined(separator: "\n")
    return result
  }

  /// The contents of `path`, or nil when it lies outside the working directory.
  private mutating func read(_ path: String) -> FileContents? {
    guard let absolute = Invocation.insideWorkspace(path, workingDirectory: invocation.workingDirectory) else { return nil }
    return invocation.read(absolute).contents
  }

  private mutating func isDirectory(_ path: String) -> Bool {
    if case .directory? = read(path) { return true }
    return false
  }
}
