import Foundation
import LabKit
import Synchronization
import Testing

@testable import GrpcLabCLI

/// Real files that are not what a workspace expects: each gets one line that names the path and the cause,
/// nothing is written over, and `grpclab reset` is the way out.
@Suite struct DamagedWorkspaceTests {
  /// A temporary workspace on the real file system, and what grpclab printed.
  final class Folder: Sendable {
    let path = NSTemporaryDirectory() + "grpclab-damaged-\(UUID().uuidString)"
    let output = Mutex("")

    var save: String { path + "/.grpclab/session.json" }

    func run(_ arguments: [String], stopwatch: @escaping @Sendable () -> UInt64 = { 0 }) -> Int32 {
      output.withLock { $0 = "" }
      let environment = GrpcLabEnvironment(
        write: { text in self.output.withLock { $0 += text } }, writeError: { text in self.output.withLock { $0 += text } },
        readLine: { _ in nil }, workingDirectory: path, defaultWorkspace: path, randomSeed: { 7 }, files: LiveFiles(),
        stopwatch: stopwatch)
      return GrpcLab.main(arguments, environment: environment)
    }

    var printed: String { output.withLock { $0 } }

    func prepare(_ body: (String) throws -> Void) throws {
      try FileManager.default.createDirectory(atPath: path + "/.grpclab", withIntermediateDirectories: true)
      try body(path)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
  }

  struct Case: CustomTestStringConvertible, Sendable {
    var name: String
    var make: @Sendable (String) throws -> Void
    var message: String
    var testDescription: String { name }
  }

  static let cases: [Case] = [
    Case(name: "a FIFO", make: { _ = mkfifo($0 + "/.grpclab/session.json", 0o600) }, message: "not a regular file"),
    Case(name: "a directory", make: { try FileManager.default.createDirectory(atPath: $0 + "/.grpclab/session.json", withIntermediateDirectories: true) },
      message: "Is a directory"),
    Case(name: "a link to /dev/zero", make: { _ = symlink("/dev/zero", $0 + "/.grpclab/session.json") }, message: "not a regular file"),
    Case(name: "a link loop", make: { _ = symlink($0 + "/.grpclab/session.json", $0 + "/.grpclab/session.json") },
      message: "Too many levels of symbolic links"),
  ]

  @Test(arguments: cases)
  func anUnreadableSaveIsKeptAndSaysWhy(_ test: Case) throws {
    let folder = Folder()
    try folder.prepare(test.make)
    #expect(folder.run(["status"]) == 1)
    #expect(folder.printed == "grpclab: cannot access '\(folder.save)': \(test.message)\n")
    #expect(folder.run(["reset"]) == 0)
    #expect(folder.run(["status"]) == 0)
  }

  @Test(arguments: [
    (#""step":-1"#, "step -1 (the lab's steps are 0–4)"), (#""step":5"#, "step 5 (the lab's steps are 0–4)"),
    (#""started":9223372036854775807"#, "started 9223372036854775807"), (#""started":-9223372036854775808"#, "started -9223372036854775808"),
  ])
  func aDamagedFieldIsNamedAndNothingCrashes(field: String, named: String) throws {
    let folder = Folder()
    #expect(folder.run(["status"]) == 0)
    var save = try String(contentsOfFile: folder.save, encoding: .utf8).replacingOccurrences(of: "\n", with: "")
    let key = String(field.prefix { $0 != ":" })
    save = save.replacingOccurrences(of: #"\#(key) : [-0-9]+"#, with: field, options: .regularExpression)
    if !save.contains(field) { save = save.replacingOccurrences(of: "{", with: "{" + field + ",", options: [], range: save.range(of: "{")) }
    try save.write(toFile: folder.save, atomically: true, encoding: .utf8)
    for verb in ["status", "check", "step"] {
      #expect(folder.run([verb]) == 1)
      #expect(folder.printed == "grpclab: the saved session in '\(folder.path)' is damaged: \(named) cannot be; run 'grpclab reset --step N' to start again at step N, or 'grpclab reset'\n")
    }
    #expect(folder.run(["reset", "--step", "2"]) == 0)
    #expect(folder.run(["status"]) == 0)
    #expect(folder.printed.contains("2/5 add-mesh"))
  }

  @Test func aSaveFromANewerGrpclabSaysSo() throws {
    let folder = Folder()
    #expect(folder.run(["status"]) == 0)
    let save = try String(contentsOfFile: folder.save, encoding: .utf8)
    try save.replacingOccurrences(of: "\"version\":3", with: "\"version\":9").write(toFile: folder.save, atomically: true, encoding: .utf8)
    #expect(folder.run(["check"]) == 1)
    #expect(folder.printed.hasPrefix("grpclab: the saved session in '\(folder.path)' was written by a newer grpclab (save format 9; this one reads up to 3)"))
  }

  @Test func aSaveFromANewerGrpclabInAnotherLayoutSaysSo() throws {
    let folder = try Self.journal()
    let first = try #require(try String(contentsOfFile: folder.save, encoding: .utf8).components(separatedBy: "\n").first)
    let newer = first.replacingOccurrences(of: #""lines":\{[^}]*\},"#, with: "", options: .regularExpression)
      .replacingOccurrences(of: "\"version\":3", with: "\"version\":4")
    try (newer + "\nsomething else\n").write(toFile: folder.save, atomically: true, encoding: .utf8)
    #expect(folder.run(["status"]) == 1)
    #expect(folder.printed.hasPrefix("grpclab: the saved session in '\(folder.path)' was written by a newer grpclab (save format 4; this one reads up to 3)"))
  }

  @Test func aFileWhereTheFolderShouldBeAndAFolderWhereTheLockShouldBeAreSaidPlainlyAndResetMendsThem() throws {
    let folder = Folder()
    try FileManager.default.createDirectory(atPath: folder.path, withIntermediateDirectories: true)
    #expect(FileManager.default.createFile(atPath: folder.path + "/.grpclab", contents: Data("x".utf8)))
    #expect(folder.run(["status"]) == 1)
    #expect(!folder.printed.contains("Cocoa") && !folder.printed.contains("Domain"), "\(folder.printed)")
    #expect(folder.printed.hasPrefix("grpclab: cannot access '\(folder.path)/.grpclab/"))
    #expect(folder.run(["reset"]) == 0)
    #expect(folder.run(["status"]) == 0)
    try FileManager.default.removeItem(atPath: folder.path + "/.grpclab/lock")
    try FileManager.default.createDirectory(atPath: folder.path + "/.grpclab/lock", withIntermediateDirectories: true)
    #expect(folder.run(["status"]) == 1)
    #expect(folder.printed == "grpclab: cannot access '\(folder.path)/.grpclab/lock': Is a directory\n")
    #expect(folder.run(["reset"]) == 0)
    #expect(folder.run(["status"]) == 0)
  }

  @Test func aSaveSweepsTheTemporaryFilesAKilledSaveLeft() throws {
    let folder = Folder()
    #expect(folder.run(["status"]) == 0)
    #expect(FileManager.default.createFile(atPath: folder.path + "/.grpclab/.dat.nosync1234.abcd", contents: Data("{".utf8)))
    #expect(folder.run(["run", "--", "oc", "new-project", "grpc"]) == 0)
    #expect(!FileManager.default.fileExists(atPath: folder.path + "/.grpclab/.dat.nosync1234.abcd"))
  }

  /// A workspace whose journal holds three commands that changed the cluster, `oc new-project grpc`,
  /// `… test` and `… third`, with `original` then made into `replacement`, and no snapshot: loading it
  /// replays the journal.
  static func journal(replacing original: String = "", with replacement: String = "") throws -> Folder {
    let folder = Folder()
    for project in ["grpc", "test", "third"] {
      #expect(folder.run(["run", "--", "oc", "new-project", project]) == 0)
    }
    try FileManager.default.removeItem(atPath: folder.path + "/.grpclab/snapshot")
    guard !original.isEmpty else { return folder }
    let save = try String(contentsOfFile: folder.save, encoding: .utf8)
    try save.replacingOccurrences(of: original, with: replacement).write(toFile: folder.save, atomically: true, encoding: .utf8)
    return folder
  }

  @Test func anEntryThatFailsWhenReplayedIsNamedAndUndoTakesItBack() throws {
    let folder = try Self.journal(replacing: "oc new-project third", with: "oc new-project grpc")
    #expect(folder.run(["status"]) == 1)
    #expect(folder.printed == """
      grpclab: journal entry 3 ('oc new-project grpc') changed the cluster when it ran but fails when replayed: \
      Error from server (AlreadyExists): project.project.openshift.io "grpc" already exists; run 'grpclab undo' to take it back

      """)
    #expect(folder.run(["undo"]) == 0)
    #expect(folder.printed == "Undid: oc new-project grpc\n")
    #expect(folder.run(["run", "--", "oc", "get", "namespace", "test", "-o", "name"]) == 0)
  }

  @Test func aJournalLineThatIsNoEntryIsNamedWhenReplayed() throws {
    let folder = try Self.journal()
    var lines = try String(contentsOfFile: folder.save, encoding: .utf8).components(separatedBy: "\n")
    lines[2] = "oops"
    try lines.joined(separator: "\n").write(toFile: folder.save, atomically: true, encoding: .utf8)
    #expect(folder.run(["status"]) == 1)
    #expect(folder.printed == """
      grpclab: journal entry 2 ('oops') changed the cluster when it ran but fails when replayed: \
      grpclab: oops: command not found; run 'grpclab reset --step 1' to start step 1 again

      """)
  }

  /// A workspace path that names a file is refused in one line, and the file is left as it was.
  @Test func aWorkspaceThatIsAFileIsRefused() throws {
    let folder = Folder()
    try "notes\n".write(toFile: folder.path, atomically: true, encoding: .utf8)
    #expect(folder.run(["status"]) == 1)
    #expect(folder.printed == "grpclab: cannot access '\(folder.path)': Not a directory\n")
    #expect(try String(contentsOfFile: folder.path, encoding: .utf8) == "notes\n")
  }

  @Test func aSaveThatLostALineIsDamaged() throws {
    let folder = try Self.journal()
    let lines = try String(contentsOfFile: folder.save, encoding: .utf8).components(separatedBy: "\n")
    try lines.dropLast(2).joined(separator: "\n").write(toFile: folder.save, atomically: true, encoding: .utf8)
    #expect(folder.run(["status"]) == 1)
    #expect(folder.printed == """
      grpclab: the saved session in '\(folder.path)' is damaged (it counts 3 journal lines and 0 landing lines, and has 2 lines \
      after its first); run 'grpclab reset' to start the lab again

      """)
  }

  @Test(arguments: [
    (#""lines":{"journal":9223372036854775807,"landing":1}"#, "it counts 9223372036854775807 journal lines and 1 landing lines, and has 3 lines after its first"),
    (#""lines":{"journal":-1,"landing":4}"#, "it counts -1 journal lines and 4 landing lines, and has 3 lines after its first"),
    (#""lines":{"journal":3,"landing":0},"version":2"#, "its format 2 and its line counts disagree"),
  ])
  func aSaveWhoseLineCountsCannotBeIsDamaged(counts: String, reason: String) throws {
    let folder = try Self.journal()
    var lines = try String(contentsOfFile: folder.save, encoding: .utf8).components(separatedBy: "\n")
    lines[0] = lines[0].replacingOccurrences(of: #""lines":\{[^}]*\}"#, with: counts, options: .regularExpression)
      .replacingOccurrences(of: #""version":3"#, with: counts.contains("version") ? #""v":3"# : #""version":3"#)
    try lines.joined(separator: "\n").write(toFile: folder.save, atomically: true, encoding: .utf8)
    #expect(folder.run(["status"]) == 1)
    #expect(folder.printed == "grpclab: the saved session in '\(folder.path)' is damaged (\(reason)); run 'grpclab reset' to start the lab again\n")
  }

  @Test func aSweepRefusesAJournalEntryWithATimeNoLabCanHave() throws {
    let folder = try Self.journal()
    var lines = try String(contentsOfFile: folder.save, encoding: .utf8).components(separatedBy: "\n")
    lines[2] = lines[2].replacingOccurrences(of: "}", with: #","followedUntil":9223372036854775807}"#, options: .backwards, range: lines[2].range(of: "}", options: .backwards))
    try lines.joined(separator: "\n").write(toFile: folder.save, atomically: true, encoding: .utf8)
    #expect(folder.run(["check", "--seeds", "2"]) == 1)
    #expect(folder.printed.hasPrefix("grpclab: the saved session in '\(folder.path)' is damaged: the time 9223372036854775807 of journal entry 2 ('oc new-project test')"))
  }

  @Test func aSaveOfFormat2LoadsAndIsSavedInFormat3() throws {
    let folder = try Self.journal()
    let lines = try Data(contentsOf: URL(fileURLWithPath: folder.save)).split(separator: UInt8(ascii: "\n"))
    var save = try #require(try JSONSerialization.jsonObject(with: Data(lines[0])) as? [String: Any])
    save["journal"] = try lines.dropFirst().map { try JSONSerialization.jsonObject(with: Data($0)) }
    save["version"] = 2
    save["lines"] = nil
    try JSONSerialization.data(withJSONObject: save).write(to: URL(fileURLWithPath: folder.save))
    #expect(folder.run(["run", "--", "oc", "get", "namespace", "third", "-o", "name"]) == 0)
    #expect(folder.printed == "namespace/third\n")
    let saved = try String(contentsOfFile: folder.save, encoding: .utf8).split(separator: "\n")
    #expect(saved.count == 1 + 4)
    #expect(saved.first?.contains(#""lines":{"journal":4,"landing":0}"#) == true)
    #expect(saved.first?.contains(#""version":3"#) == true)
  }

  @Test func anEarlierEntryThatFailsWhenReplayedPointsToStartingTheStepAgain() throws {
    let folder = try Self.journal(replacing: "oc new-project test", with: "oc new-project grpc")
    #expect(folder.run(["run", "--", "oc", "get", "namespaces"]) == 1)
    #expect(folder.printed.hasSuffix("fails when replayed: Error from server (AlreadyExists): project.project.openshift.io \"grpc\" already exists; run 'grpclab reset --step 1' to start step 1 again\n"))
    #expect(folder.run(["reset", "--step", "1"]) == 0)
    #expect(folder.run(["status"]) == 0)
  }

  @Test func gotoLandsWithoutReplayingTheJournalItReplaces() throws {
    let folder = try Self.journal(replacing: "oc new-project third", with: "oc new-project grpc")
    #expect(folder.run(["goto", "2"]) == 0)
    #expect(folder.printed.hasPrefix("A fresh cluster with step 1 solved. Type 'undo' to go back."))
    #expect(folder.run(["run", "--", "oc", "get", "pods", "-n", "grpc", "-o", "name"]) == 0)
    #expect(folder.printed.contains("pod/grpc-v1-"))
    #expect(folder.run(["undo"]) == 0)
    #expect(folder.run(["status"]) == 1)
    #expect(folder.printed.hasPrefix("grpclab: journal entry 3 ('oc new-project grpc') changed the cluster when it ran but fails when replayed"))
  }

  @Test func aReplayThatStoppedTwiceAtAnEntryIsNotTriedAThirdTime() throws {
    let folder = try Self.journal()
    try #"{"attempt":2,"entry":1}"#.write(toFile: folder.path + "/.grpclab/replaying", atomically: true, encoding: .utf8)
    #expect(folder.run(["check"]) == 1)
    #expect(folder.printed == """
      grpclab: grpclab stopped twice while replaying journal entry 2 ('oc new-project test'); \
      run 'grpclab reset --step 1' to start step 1 again

      """)
    #expect(folder.run(["reset", "--step", "1"]) == 0)
    #expect(folder.run(["status"]) == 0)
    #expect(!FileManager.default.fileExists(atPath: folder.path + "/.grpclab/replaying"))
  }

  @Test func aReplayThatStoppedOnceIsTriedAgainAndItsMarkGoes() throws {
    let folder = try Self.journal()
    try #"{"attempt":1}"#.write(toFile: folder.path + "/.grpclab/replaying", atomically: true, encoding: .utf8)
    #expect(folder.run(["status"]) == 0)
    #expect(!FileManager.default.fileExists(atPath: folder.path + "/.grpclab/replaying"))
  }

  @Test func aSessionRecordedByANewerModelSaysSoAndAnOlderOnesFailureSaysWhichModelRecordedIt() throws {
    let folder = try Self.journal()
    let model = SessionState.modelVersion
    let save = try String(contentsOfFile: folder.save, encoding: .utf8)
    #expect(save.contains("\"model\":\(model)"))
    try save.replacingOccurrences(of: "\"model\":\(model)", with: "\"model\":\(model + 1)").write(toFile: folder.save, atomically: true, encoding: .utf8)
    #expect(folder.run(["status"]) == 1)
    #expect(folder.printed.hasPrefix("grpclab: the saved session in '\(folder.path)' was recorded by a newer grpclab (model \(model + 1); this one runs \(model))"))
    try save.replacingOccurrences(of: "\"model\":\(model),", with: "").replacingOccurrences(of: "oc new-project third", with: "oc new-project grpc")
      .write(toFile: folder.save, atomically: true, encoding: .utf8)
    #expect(folder.run(["status"]) == 1)
    #expect(folder.printed.contains("already exists (the journal was recorded by model 1; this grpclab runs \(model)); run 'grpclab undo'"))
  }
}
