import Foundation
import Synchronization
import Testing

@testable import GrpcLabCLI

/// Several real `grpclab` processes on one workspace folder: a shell open in one terminal, commands from
/// others. Nothing hangs, nothing is lost, and each sees what the others did.
@Suite(.serialized) struct WorkspaceProcessTests {
  /// The built `grpclab` beside the test bundle.
  static let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("grpclab")

  /// A process whose output is collected as it comes.
  final class Running: Sendable {
    let process = Process()
    let input = Pipe()
    let buffer = Buffer()

    init(_ arguments: [String], executable: URL = WorkspaceProcessTests.binary) throws {
      process.executableURL = executable
      process.arguments = arguments
      process.environment = ["HOME": NSTemporaryDirectory(), "LANG": "C.UTF-8", "PATH": "/usr/bin:/bin", "TERM": "xterm"]
      let pipe = Pipe()
      process.standardOutput = pipe
      process.standardError = pipe
      process.standardInput = input
      pipe.fileHandleForReading.readabilityHandler = { [buffer] handle in
        let data = handle.availableData
        buffer.text.withLock { $0 += String(decoding: data, as: UTF8.self) }
      }
      try process.run()
    }

    /// What the process printed so far.
    var printed: String { buffer.text.withLock { $0 } }

    func type(_ line: String) { input.fileHandleForWriting.write(Data((line + "\n").utf8)) }

    /// Waits until the output satisfies `condition`, for at most `seconds`.
    func wait(seconds: Double = 30, until condition: (String) -> Bool) -> Bool {
      let deadline = Date().addingTimeInterval(seconds)
      while Date() < deadline {
        if condition(printed) { return true }
        usleep(10_000)
      }
      return false
    }

    /// Waits for the process to exit, for at most `seconds`; kills it when it does not.
    func finish(seconds: Double = 30) -> Int32? {
      let deadline = Date().addingTimeInterval(seconds)
      while process.isRunning && Date() < deadline { usleep(5_000) }
      guard !process.isRunning else {
        process.terminate()
        return nil
      }
      return process.terminationStatus
    }
  }

  /// Output collected from a reading thread.
  final class Buffer: Sendable {
    let text = Mutex("")
  }

  static func temporaryWorkspace() throws -> String {
    let path = NSTemporaryDirectory() + "grpclab-ws-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  @Test func commandsFromOtherTerminalsNeverHangWhileAShellIsOpenAndNoneIsLost() throws {
    #expect(FileManager.default.isExecutableFile(atPath: Self.binary.path), "grpclab is built beside the tests")
    let workspace = try Self.temporaryWorkspace()
    defer { try? FileManager.default.removeItem(atPath: workspace) }
    let shell = try Running(["start", "--workspace", workspace, "--seed", "7"])
    shell.type("oc new-project grpc")
    #expect(shell.wait { $0.contains("Now using project \"grpc\"") })

    let count = 200
    let lanes = 4
    let failures = Mutex<[String]>([])
    DispatchQueue.concurrentPerform(iterations: lanes) { lane in
      for index in stride(from: lane, to: count, by: lanes) {
        do {
          let run = try Running(["run", "--workspace", workspace, "--", "oc", "-n", "grpc", "create", "secret", "generic", "s\(index)", "--from-literal=a=b"])
          run.input.fileHandleForWriting.closeFile()
          let status = run.finish()
          if status != 0 { failures.withLock { $0.append("s\(index): \(status.map(String.init) ?? "hung") \(run.printed)") } }
        } catch {
          failures.withLock { $0.append("s\(index): \(error)") }
        }
      }
    }
    #expect(failures.withLock { $0 }.isEmpty)

    shell.type("oc -n grpc get secrets | grep -c Opaque")
    #expect(shell.wait { $0.contains("\n\(count)\n") }, "the shell sees every secret another terminal made")
    let second = try Running(["start", "--workspace", workspace])
    second.type("oc -n grpc get secret s7")
    second.type("exit")
    #expect(second.finish() == 0)
    #expect(second.printed.contains("s7 "))
    shell.type("exit")
    #expect(shell.finish() == 0)
    let save = try String(contentsOfFile: workspace + "/.grpclab/session.json", encoding: .utf8)
    #expect(save.components(separatedBy: "create secret generic").count - 1 == count, "the journal keeps every command")
  }

  @Test func aCommandThatWaitsSaysWhoseLockItWaitsFor() throws {
    let workspace = try Self.temporaryWorkspace()
    defer { try? FileManager.default.removeItem(atPath: workspace) }
    let first = try Running(["status", "--workspace", workspace])
    #expect(first.finish() == 0)
    let descriptor = open(workspace + "/.grpclab/lock", O_RDWR)
    #expect(descriptor >= 0)
    defer { close(descriptor) }
    #expect(flock(descriptor, LOCK_EX) == 0)
    let holder = Array("pid 4242 (grpclab start: oc apply -f grpc-v1.yaml)\n".utf8)
    _ = pwrite(descriptor, holder, holder.count, 0)
    let waiting = try Running(["check", "--json", "--workspace", workspace])
    #expect(waiting.wait(seconds: 5) {
      $0.contains("grpclab: waiting for the workspace lock held by pid 4242 (grpclab start: oc apply -f grpc-v1.yaml)…\n")
    })
    #expect(waiting.process.isRunning)
    flock(descriptor, LOCK_UN)
    #expect(waiting.finish() == 1)
    #expect(waiting.printed.contains("\"step\" : \"plain-kubernetes\""))
  }

  /// `grpclab ARGUMENTS` on a pseudo-terminal, through `script`, so that it reads keys as from a terminal.
  static func inPseudoTerminal(_ arguments: String) throws -> Running {
    try Running(["-q", "-e", "-c", "\(binary.path) \(arguments)", "/dev/null"], executable: URL(fileURLWithPath: "/usr/bin/script"))
  }

  @Test func tabCompletesThroughTheLineEditorInAPseudoTerminal() throws {
    let workspace = try Self.temporaryWorkspace()
    defer { try? FileManager.default.removeItem(atPath: workspace) }
    let terminal = try Self.inPseudoTerminal("start --workspace \(workspace) --seed 7")
    #expect(terminal.wait { $0.contains("Type 'step'") })
    terminal.input.fileHandleForWriting.write(Data("oc -n grpc get dep\t\n".utf8))
    #expect(terminal.wait { $0.contains("No resources found in grpc namespace.") }, "dep completed to deployments")
    terminal.input.fileHandleForWriting.write(Data("oc apply -f grpc-d\t".utf8))
    #expect(terminal.wait { $0.contains("grpc-dr-relaxed.yaml  grpc-dr.yaml") }, "both DestinationRule files offered")
    terminal.input.fileHandleForWriting.write(Data("\u{15}\u{4}".utf8))
    #expect(terminal.finish() == 0, "Ctrl-D leaves")
  }

  @Test func aDemoWaitsForThePresenterInAPseudoTerminalWhileASecondPaneChecks() throws {
    let workspace = try Self.temporaryWorkspace()
    defer { try? FileManager.default.removeItem(atPath: workspace) }
    let terminal = try Self.inPseudoTerminal("demo plain-kubernetes --no-typing --workspace \(workspace)")
    #expect(terminal.wait { $0.contains("oc new-project grpc") })
    usleep(300_000)
    #expect(!terminal.printed.contains("Now using project"), "the command waits for Enter")
    let check = try Running(["check", "--workspace", workspace])
    #expect(check.finish(seconds: 20) == 1, "a second pane's check answers while the demo waits")
    #expect(check.printed.contains("✘ 3 grpc pods are Running"))
    terminal.input.fileHandleForWriting.write(Data("\r".utf8))
    #expect(terminal.wait { $0.contains("Now using project \"grpc\"") })
    #expect(terminal.wait { $0.contains("oc new-project test") })
    terminal.input.fileHandleForWriting.write(Data("q".utf8))
    #expect(terminal.finish() == 130, "q quits")
  }

  @Test func benchTimesColdProcessesOnAJournalOfTheGivenLength() throws {
    let output = Mutex("")
    let environment = GrpcLabEnvironment(
      write: { text in output.withLock { $0 += text } }, writeError: { text in output.withLock { $0 += text } },
      readLine: { _ in nil }, workingDirectory: NSTemporaryDirectory(), defaultWorkspace: NSTemporaryDirectory() + "unused",
      randomSeed: { 1 }, files: LiveFiles(), stopwatch: { DispatchTime.now().uptimeNanoseconds },
      runGrpcLab: { arguments, input in
        guard let process = try? Running(arguments) else { return -1 }
        process.input.fileHandleForWriting.write(Data(input.utf8))
        try? process.input.fileHandleForWriting.close()
        return process.finish() ?? -1
      })
    #expect(GrpcLab.main(["bench", "--journal", "40"], environment: environment) == 0)
    let lines = output.withLock { $0 }.split(separator: "\n").map(String.init)
    #expect(lines.first?.hasPrefix("journal       40 entries, ") == true)
    #expect(lines.dropFirst().map { String($0.prefix(14)) } == ["run           ", "check         ", "first prompt  ", "goto 5        ", "no snapshot   "])
    #expect(lines.dropFirst().allSatisfy { $0.contains(" ms (target ") && !$0.contains("failed") })
  }
}
