/// Where one program's streams go after its redirections: standard output and standard error each to
/// the pipe (the next program, or the terminal's output), to the terminal's error, or nowhere
/// (`/dev/null`); and what the program reads. The lab shell writes no files.
struct Redirected {
  /// A place a stream can go.
  enum Target {
    /// The pipe to the next program, or the terminal's output.
    case output
    /// The terminal's error.
    case error
    /// Nowhere: `/dev/null`.
    case discarded
  }

  /// The program's standard input.
  var input: String?
  /// Where standard output (1) and standard error (2) go.
  private var targets: [Int: Target] = [1: .output, 2: .error]

  /// Applies `redirections` in order to a program whose input is `input`, reading files from `files`
  /// relative to `workingDirectory` and recording them in `reads`.
  ///
  /// - Throws: `ShellError.redirection` for a redirection the lab shell cannot make: a file to write, one
  ///   outside the workspace or missing to read, a stream it does not know.
  static func resolve(
    _ redirections: [ShellRedirection], input: String?, files: any FileSource, workingDirectory: String,
    reads: inout [String: FileContents]
  ) throws(ShellError) -> Redirected {
    var redirected = Redirected(input: input)
    for redirection in redirections {
      switch redirection {
      case .read(let stream, let path):
        guard stream == 0 else { throw .redirection(target: "\(stream)", reason: "only standard input can be read from a file in the lab shell") }
        if path == "/dev/null" {
          redirected.input = ""
          continue
        }
        guard let absolute = Invocation.insideWorkspace(path, workingDirectory: workingDirectory) else {
          throw .redirection(target: path, reason: "Permission denied")
        }
        let contents = files.contents(of: absolute)
        if reads[absolute] == nil { reads[absolute] = contents }
        switch contents {
        case .file(let text): redirected.input = text
        case .directory: throw .redirection(target: path, reason: "Is a directory")
        case .missing: throw .redirection(target: path, reason: "No such file or directory")
        case .unreadable(let reason): throw .redirection(target: path, reason: reason)
        }
      case .write(let stream, let path):
        guard redirected.targets[stream] != nil else {
          throw .redirection(target: "\(stream)", reason: "the lab shell redirects only standard output (1) and standard error (2)")
        }
        let devices: [String: Target?] = ["/dev/null": .discarded, "/dev/stdout": redirected.targets[1], "/dev/stderr": redirected.targets[2]]
        guard let device = devices[path], let target = device else {
          throw .redirection(target: path, reason: "the lab shell writes no files; redirect output only to /dev/null")
        }
        redirected.targets[stream] = target
      case .duplicate(let stream, let other):
        guard redirected.targets[stream] != nil, let target = redirected.targets[other] else {
          throw .redirection(target: "\(redirected.targets[stream] == nil ? stream : other)", reason: "Bad file descriptor")
        }
        redirected.targets[stream] = target
      }
    }
    return redirected
  }

  /// Sends what the program wrote where its redirections say: `result`'s standard output becomes what
  /// goes to the pipe, and its standard error what goes to the terminal's error.
  func route(_ result: inout ToolResult) {
    guard targets[1] != .output || targets[2] != .error else { return }
    var routed = ToolResult(exitCode: result.exitCode, waitsUntil: result.waitsUntil)
    for piece in result.written {
      switch targets[piece.isError ? 2 : 1] {
      case .output: routed.append(outputOf: ToolResult(stdout: String(piece.text)))
      case .error: routed.append(outputOf: ToolResult(stderr: String(piece.text)))
      case .discarded, nil: break
      }
    }
    result = routed
  }
}
