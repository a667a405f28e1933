import CGrpcLabEditShim
import ClusterModel
import ClusterTools
import Foundation
import GrpcLabCLI

setlocale(LC_CTYPE, "")
if String(cString: setlocale(LC_CTYPE, nil)) == "C" || String(cString: setlocale(LC_CTYPE, nil)) == "POSIX" {
  setlocale(LC_CTYPE, "C.UTF-8")
}

let environment = ProcessInfo.processInfo.environment
let home = environment["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path
let stateHome = environment["XDG_STATE_HOME"] ?? home + "/.local/state"
let interactive = isatty(0) == 1 && environment["TERM"] != "dumb"
let editor = interactive ? LineEditor(historyPath: stateHome + "/grpclab/history") : nil

/// One key from a terminal in raw mode (no echo, no signals: Ctrl-C arrives as ETX); a line elsewhere.
@Sendable func readKey() -> String? {
  guard isatty(0) == 1 else { return Swift.readLine().map { $0.isEmpty ? "\n" : String($0.prefix(1)) } }
  var saved = termios()
  tcgetattr(0, &saved)
  var raw = saved
  raw.c_lflag &= ~tcflag_t(ICANON | ECHO | ISIG)
  withUnsafeMutableBytes(of: &raw.c_cc) { characters in
    characters[Int(VMIN)] = 1
    characters[Int(VTIME)] = 0
  }
  tcsetattr(0, TCSANOW, &raw)
  defer { tcsetattr(0, TCSANOW, &saved) }
  var byte: UInt8 = 0
  return read(0, &byte, 1) == 1 ? String(UnicodeScalar(byte)) : nil
}

/// Runs this executable with `arguments`, `input` on standard input and its output thrown away, and waits
/// for it with `waitpid` (which returns as soon as it exits); -1 when it cannot start or dies of a signal.
@Sendable func runGrpcLab(_ arguments: [String], input: String) -> Int32 {
  let path = Bundle.main.executablePath ?? CommandLine.arguments[0]
  var pipeEnds: [Int32] = [0, 0]
  guard pipe(&pipeEnds) == 0 else { return -1 }
  var actions = posix_spawn_file_actions_t()
  posix_spawn_file_actions_init(&actions)
  defer { posix_spawn_file_actions_destroy(&actions) }
  posix_spawn_file_actions_adddup2(&actions, pipeEnds[0], 0)
  posix_spawn_file_actions_addclose(&actions, pipeEnds[1])
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
  let words = ([path] + arguments).map { strdup($0) } + [nil]
  let variables = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
  defer { (words + variables).forEach { free($0) } }
  var child = pid_t()
  let spawned = posix_spawn(&child, path, &actions, nil, words, variables)
  close(pipeEnds[0])
  if spawned == 0 { _ = Array(input.utf8).withUnsafeBytes { write(pipeEnds[1], $0.baseAddress, $0.count) } }
  close(pipeEnds[1])
  guard spawned == 0 else { return -1 }
  var status: Int32 = 0
  while waitpid(child, &status, 0) < 0 && errno == EINTR {}
  return status & 0x7f == 0 ? (status >> 8) & 0xff : -1
}

let live = GrpcLabEnvironment(
  write: { text in FileHandle.standardOutput.write(Data(text.utf8)) },
  writeError: { text in FileHandle.standardError.write(Data(text.utf8)) },
  readLine: { prompt in editor.map { $0.readLine(prompt: prompt) } ?? Swift.readLine(strippingNewline: true) },
  workingDirectory: FileManager.default.currentDirectoryPath,
  defaultWorkspace: environment["GRPCLAB_WORKSPACE"] ?? home + "/grpclab",
  randomSeed: { UInt64.random(in: 1...999_999) },
  files: LiveFiles(),
  stopwatch: { DispatchTime.now().uptimeNanoseconds },
  peakMemoryKB: {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss
  },
  preferredLanguage: .preferred(by: environment),
  offerCompletions: { completer in editor?.setCompleter(completer) },
  remember: { command in editor?.remember(command) },
  lockHolder: "pid \(getpid()) (grpclab\(CommandLine.arguments.dropFirst().map { " " + $0 }.joined()))",
  interactive: interactive,
  columns: { Int(exactly: gl_terminal_columns()).flatMap { $0 > 0 ? $0 : nil } },
  pause: { milliseconds in
    gl_catch_interrupts()
    var rest = timespec(tv_sec: milliseconds / 1_000, tv_nsec: milliseconds % 1_000 * 1_000_000)
    nanosleep(&rest, nil)
    guard gl_release_interrupts() == 0 else {
      FileHandle.standardOutput.write(Data("\n".utf8))
      return false
    }
    return true
  },
  standardInput: { isatty(0) == 1 ? nil : String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self) },
  colour: interactive && isatty(1) == 1 && environment["NO_COLOR"] == nil,
  wallClock: { SimTime(seconds: Int64(min(max(Date().timeIntervalSince1970, 0), 9e9))) },
  readKey: readKey,
  runGrpcLab: runGrpcLab)

exit(GrpcLab.main(Array(CommandLine.arguments.dropFirst()), environment: live))
