import Foundation
import LabKit
import Synchronization
import Testing

@testable import GrpcLabCLI

/// The snapshot beside the journal, through `GrpcLab.main` on real files: written as commands change the
/// cluster, used when it fits, ignored (and written anew) when it does not, and never changing a byte of
/// what a command prints.
@Suite struct WorkspaceSnapshotTests {
  typealias Folder = DamagedWorkspaceTests.Folder

  static let commands = [
    ["oc", "new-project", "grpc"], ["oc", "apply", "-f", "grpc-configmap.yaml"], ["oc", "apply", "-f", "grpc-v1.yaml"],
    ["oc", "get", "pods", "-n", "grpc"],
  ]
  static let probe = ["run", "--", "oc", "get", "pods", "-A", "-o", "wide"]

  /// A workspace that ran `commands`.
  static func workspace() -> Folder {
    let folder = Folder()
    for command in commands { #expect(folder.run(["run", "--"] + command) == 0) }
    return folder
  }

  static func header(of folder: Folder) throws -> [String: Any] {
    let bytes = try Data(contentsOf: URL(fileURLWithPath: folder.path + "/.grpclab/snapshot"))
    let line = try #require(bytes.split(separator: UInt8(ascii: "\n"), maxSplits: 1).first)
    return try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
  }

  @Test func commandsThatChangeTheClusterKeepTheSnapshotUpToDate() throws {
    let folder = Self.workspace()
    let header = try Self.header(of: folder)
    #expect(header["entries"] as? Int == 3)
    #expect(header["model"] as? Int == SessionState.modelVersion)
    #expect(folder.run(["run", "--", "oc", "apply", "-f", "grpc-v2.yaml"]) == 0)
    #expect(try Self.header(of: folder)["entries"] as? Int == 5)
  }

  @Test func aFollowThatEndedIsSnapshottedByTheNextCommand() throws {
    let folder = Self.workspace()
    #expect(folder.run(["run", "--", "oc", "-n", "grpc", "delete", "pod", "-l", "app=grpc"]) == 0)
    let lines = try Data(contentsOf: URL(fileURLWithPath: folder.save)).split(separator: UInt8(ascii: "\n")).dropFirst()
    let entries = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0)) as? [String: Any]) }
    #expect(entries.last?["followedUntil"] != nil, "the delete waited for its pods")
    #expect(try Self.header(of: folder)["entries"] as? Int == entries.count - 1)
    #expect(folder.run(["run", "--", "oc", "get", "pods", "-n", "grpc"]) == 0)
    #expect(try Self.header(of: folder)["entries"] as? Int == entries.count + 1)
  }

  @Test(arguments: [
    (replay: 0, read: 0, worth: false), (replay: 150_000_000, read: 0, worth: false), (replay: 200_000_000, read: 0, worth: true),
    (replay: 300_000_000, read: 100_000_000, worth: true), (replay: 300_000_000, read: 400_000_000, worth: false),
  ] as [(replay: UInt64, read: UInt64, worth: Bool)])
  func aReplayIsWorthASnapshotWhenItTakesLongerThanReadingOne(replay: UInt64, read: UInt64, worth: Bool) {
    #expect(Workspace.isWorthASnapshot(replay: replay, read: read) == worth)
  }

  @Test func aReplaySlowerThanReadingTheSnapshotIsSnapshotted() throws {
    let folder = Self.workspace()
    #expect(try Self.header(of: folder)["entries"] as? Int == 3, "the last command only read the cluster")
    let ticks = Mutex<UInt64>(0)
    let second = { @Sendable in ticks.withLock { $0 += 1_000_000_000; return $0 } }
    #expect(folder.run(["run", "--", "oc", "get", "pods", "-n", "grpc"], stopwatch: second) == 0)
    #expect(try Self.header(of: folder)["entries"] as? Int == 4)
  }

  /// A stopwatch that reads `readings` in turn, then one second more at each reading.
  static func stopwatch(_ readings: [UInt64]) -> @Sendable () -> UInt64 {
    let next = Mutex((readings: readings[...], last: UInt64(0)))
    return {
      next.withLock { state in
        state.last = state.readings.popFirst() ?? state.last + 1_000_000_000
        return state.last
      }
    }
  }

  /// A load reads the snapshot between the first two readings and replays the read-only command after it
  /// by the third; the command runs between the fourth and the fifth. A change is snapshotted once replaying
  /// it would take as long as reading the snapshot did.
  @Test(arguments: [(command: 1, entries: 3), (command: 5, entries: 5), (command: 6, entries: 5)])
  func aChangeIsSnapshottedOnceItsReplayCostsAsMuchAsTheSnapshot(command: UInt64, entries: Int) throws {
    let folder = Self.workspace()
    let second: UInt64 = 1_000_000_000
    let stopwatch = Self.stopwatch([0, 5 * second, 5 * second, 5 * second, (5 + command) * second])
    #expect(folder.run(["run", "--", "oc", "apply", "-f", "grpc-v2.yaml"], stopwatch: stopwatch) == 0)
    #expect(try Self.header(of: folder)["entries"] as? Int == entries)
  }

  @Test func snapshotCostsWeighTheReplayAgainstTheLastReadOrWrite() {
    let costs = SnapshotCosts()
    #expect(costs.snapshotPays, "nothing read or written yet")
    costs.loaded(read: 300, replay: 100)
    #expect(!costs.snapshotPays)
    costs.commandStarts(at: 1_000)
    costs.commandEnds(at: 1_150)
    #expect(!costs.snapshotPays, "250 of 300")
    costs.commandStarts(at: 2_000)
    costs.commandEnds(at: 2_050)
    #expect(costs.snapshotPays, "300 of 300")
    costs.wrote(in: 400)
    #expect(!costs.snapshotPays)
    costs.commandEnds(at: 9_000)
    #expect(!costs.snapshotPays, "no command was running")
    costs.loaded(read: nil, replay: 0)
    #expect(costs.snapshotPays, "no snapshot was read")
  }

  @Test func aLoadWithTheSnapshotPrintsWhatAReplayPrints() throws {
    let snapshotted = Self.workspace()
    let replayed = Self.workspace()
    try FileManager.default.removeItem(atPath: replayed.path + "/.grpclab/snapshot")
    #expect(snapshotted.run(Self.probe) == 0)
    #expect(replayed.run(Self.probe) == 0)
    #expect(snapshotted.printed == replayed.printed)
    #expect(snapshotted.printed.contains("grpc-v1-"))
  }

  @Test(arguments: ["garbage\n", "{}\n{}", "", #"{"model":99,"key":"x","entries":1}"# + "\n{}"])
  func aSnapshotThatDoesNotFitIsIgnoredAndWrittenAnew(contents: String) throws {
    let folder = Self.workspace()
    let fresh = Self.workspace()
    try contents.write(toFile: folder.path + "/.grpclab/snapshot", atomically: true, encoding: .utf8)
    #expect(folder.run(Self.probe) == 0)
    #expect(fresh.run(Self.probe) == 0)
    #expect(folder.printed == fresh.printed)
    #expect(try Self.header(of: folder)["entries"] as? Int == 4)
  }

  @Test func anotherWorkspacesSnapshotIsIgnored() throws {
    let folder = Self.workspace()
    let other = Folder()
    #expect(other.run(["run", "--", "oc", "new-project", "other"]) == 0)
    try FileManager.default.removeItem(atPath: folder.path + "/.grpclab/snapshot")
    try FileManager.default.copyItem(atPath: other.path + "/.grpclab/snapshot", toPath: folder.path + "/.grpclab/snapshot")
    #expect(folder.run(["run", "--", "oc", "get", "projects", "-o", "name"]) == 0)
    #expect(!folder.printed.contains("other"))
    #expect(folder.printed.contains("project.project.openshift.io/grpc"))
  }

  @Test func undoIsNotFooledByASnapshotOfTheLongerJournal() throws {
    let folder = Self.workspace()
    #expect(folder.run(["undo"]) == 0)
    #expect(folder.run(["run", "--", "oc", "get", "pods", "-n", "grpc"]) == 0)
    #expect(folder.printed == "No resources found in grpc namespace.\n")
  }
}
