import ClusterModel
import ClusterTools
import Foundation
import LabKit

/// The outside world as grpclab sees it: terminal, files, working directory and fresh randomness.
///
/// The executable passes the live one; tests pass one that writes to strings and reads from memory.
public struct GrpcLabEnvironment: Sendable {
  /// Writes to standard output.
  public var write: @Sendable (String) -> Void
  /// Writes to standard error.
  public var writeError: @Sendable (String) -> Void
  /// Reads one REPL line with `prompt`; `nil` at end of input, `interrupt` when Ctrl-C abandoned it.
  public var readLine: @Sendable (_ prompt: String) -> String?

  /// What `readLine` returns for a line abandoned with Ctrl-C: ETX, the byte a terminal sends for it.
  public static let interrupt = "\u{3}"
  /// The directory relative paths resolve against.
  public var workingDirectory: String
  /// Where a workspace is kept when `--workspace` is not given.
  public var defaultWorkspace: String
  /// A seed for a new workspace when `--seed` is not given.
  public var randomSeed: @Sendable () -> UInt64
  /// The files of the machine.
  public var files: any WorkspaceFiles
  /// A monotonic clock in nanoseconds, read only by `grpclab bench`.
  public var stopwatch: @Sendable () -> UInt64
  /// The process's peak resident memory in kilobytes, read only by `grpclab bench`.
  public var peakMemoryKB: @Sendable () -> Int
  /// The language a new workspace starts in, from `LC_ALL`, `LC_MESSAGES` or `LANG`.
  public var preferredLanguage: Language
  /// Gives the line editor what Tab completes before the REPL reads a line.
  public var offerCompletions: @Sendable (Completer) -> Void
  /// Keeps a command the REPL read (a here-document's lines included) as one history entry.
  public var remember: @Sendable (String) -> Void
  /// Who this process is, for another process that waits for a workspace lock: `pid 42 (grpclab check)`.
  public var lockHolder: String
  /// Whether standard input is a terminal, where the shell may ask a question and wait for the answer.
  public var interactive: Bool
  /// Reads one key press (a terminal in raw mode; elsewhere a line, `"\n"` when it is empty); nil at the end
  /// of input.
  public var readKey: @Sendable () -> String?
  /// Waits `milliseconds` of real time; false when Ctrl-C ended the wait.
  public var pause: @Sendable (_ milliseconds: Int) -> Bool
  /// The terminal's width in columns, read when text is laid out (it follows resizes); nil when output is
  /// not a terminal.
  public var columns: @Sendable () -> Int?
  /// All of standard input when it is not a terminal (for `grpclab run -- oc apply -f -`), else nil.
  public var standardInput: @Sendable () -> String?
  /// Whether the shell may colour its prompt: a terminal, and `NO_COLOR` unset.
  public var colour: Bool
  /// The learner's clock, which the lab's clock follows (so certificates made today are valid in the
  /// lab); nil keeps the lab on the article's date, as tests and recordings do.
  public var wallClock: @Sendable () -> SimTime?
  /// Runs this grpclab again as a new process with `arguments` and `input` on standard input, its output
  /// thrown away, and returns its exit status; nil when it cannot (only `grpclab bench --journal` uses it).
  public var runGrpcLab: (@Sendable (_ arguments: [String], _ input: String) -> Int32)?

  /// An environment from its parts; the defaults suit tests (no terminal, no stopwatch, no wall clock).
  public init(
    write: @escaping @Sendable (String) -> Void, writeError: @escaping @Sendable (String) -> Void,
    readLine: @escaping @Sendable (String) -> String?, workingDirectory: String, defaultWorkspace: String,
    randomSeed: @escaping @Sendable () -> UInt64, files: any WorkspaceFiles,
    stopwatch: @escaping @Sendable () -> UInt64 = { 0 }, peakMemoryKB: @escaping @Sendable () -> Int = { 0 },
    preferredLanguage: Language = .en, offerCompletions: @escaping @Sendable (Completer) -> Void = { _ in },
    remember: @escaping @Sendable (String) -> Void = { _ in }, lockHolder: String = "grpclab", interactive: Bool = false,
    columns: @escaping @Sendable () -> Int? = { nil }, pause: @escaping @Sendable (Int) -> Bool = { _ in true },
    standardInput: @escaping @Sendable () -> String? = { nil }, colour: Bool = false,
    wallClock: @escaping @Sendable () -> SimTime? = { nil }, readKey: @escaping @Sendable () -> String? = { nil },
    runGrpcLab: (@Sendable ([String], String) -> Int32)? = nil
  ) {
    self.runGrpcLab = runGrpcLab
    self.readKey = readKey
    self.remember = remember
    self.lockHolder = lockHolder
    self.interactive = interactive
    self.columns = columns
    self.pause = pause
    self.wallClock = wallClock
    self.colour = colour
    self.standardInput = standardInput
    self.preferredLanguage = preferredLanguage
    self.offerCompletions = offerCompletions
    self.stopwatch = stopwatch
    self.peakMemoryKB = peakMemoryKB
    self.write = write
    self.writeError = writeError
    self.readLine = readLine
    self.workingDirectory = workingDirectory
    self.defaultWorkspace = defaultWorkspace
    self.randomSeed = randomSeed
    self.files = files
  }
}

extension GrpcLabEnvironment {
  /// `path` resolved against the working directory.
  func absolute(_ path: String) -> String {
    path.hasPrefix("/") ? path : workingDirectory + "/" + path
  }

  /// Tells the user, on standard error, whose workspace lock the command waits for.
  func reportWaiting(for holder: String) {
    writeError(Message.waitingForLock(holder).text(preferredLanguage) + "\n")
  }
}

extension Language {
  /// The language a POSIX locale setting asks for: the first of `LC_ALL`, `LC_MESSAGES` and `LANG` that is
  /// set; `zh…` is Chinese, anything else English.
  public static func preferred(by environment: [String: String]) -> Language {
    let setting = ["LC_ALL", "LC_MESSAGES", "LANG"].lazy.compactMap { environment[$0] }.first { !$0.isEmpty } ?? ""
    return setting.hasPrefix("zh") ? .zh : .en
  }
}

/// File access for workspaces and for the files learner commands read.
public protocol WorkspaceFiles: FileSource, Sendable {
  /// Writes `contents` to `path` atomically (temporary file, then rename), creating directories.
  func write(_ contents: String, to path: String) throws
  /// The bytes of the regular file at `path`; nil when there is none, or it cannot be read.
  func bytes(of path: String) -> Data?
  /// Writes `bytes` to `path` as `write(_:to:)` writes text.
  func write(bytes: Data, to path: String) throws
  /// Removes the file or directory at `path`, if present.
  func remove(_ path: String) throws
  /// Runs `body` while holding an exclusive lock on `path`, whose file says `holder` meanwhile.
  ///
  /// When another process holds the lock for more than a moment, calls `waiting` once with what its holder
  /// wrote, then waits for it.
  func withLock<T>(_ path: String, holder: String, waiting: (String) -> Void, _ body: () throws -> T) throws -> T
}
