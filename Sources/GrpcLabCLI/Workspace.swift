import ClusterModel
import ClusterTools
import Foundation
import LabKit

/// A workspace folder: the lab's files for the learner, and `.grpclab/session.json` with the saved session.
struct Workspace {
  let path: String
  let files: any WorkspaceFiles

  var statePath: String { path + "/.grpclab/session.json" }
  var lockPath: String { path + "/.grpclab/lock" }

  /// Loads the saved session, creating the workspace (files and a new session) on first use.
  func load(seed: UInt64?, randomSeed: () -> UInt64, language: Language = .en, started: SimTime? = nil)
    throws(GrpcLabError) -> LabSession
  {
    switch files.contents(of: statePath) {
    case .file(let text):
      guard let state = try? JSONDecoder().decode(SessionState.self, from: Data(text.utf8)), SessionState.readableVersions.contains(state.version) else {
        throw .damagedSave(path)
      }
      let lab: Lab
      do { lab = try LabCatalog.lab(state.lab) } catch { throw .lab(error) }
      return LabSession(lab: lab, state: state)
    default:
      let lab: Lab
      do { lab = try LabCatalog.lab(LabCatalog.defaultLab) } catch { throw .lab(error) }
      let session = LabSession(lab: lab, state: SessionState(
          lab: lab.id, seed: seed ?? randomSeed(), language: language, started: started.map { max($0, Cluster.labStartTime) }))
      do {
        for file in LabCatalog.files(of: lab) where files.contents(of: path + "/" + file.name) == .missing {
          try files.write(file.contents, to: path + "/" + file.name)
        }
      } catch {
        throw .io(path, "\(error)")
      }
      try save(session)
      return session
    }
  }

  /// Saves the session atomically.
  func save(_ session: LabSession) throws(GrpcLabError) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    do {
      let data = try encoder.encode(session.state)
      try files.write(String(decoding: data, as: UTF8.self) + "\n", to: statePath)
    } catch {
      throw .io(statePath, "\(error)")
    }
  }

  /// Deletes the saved session (the learner's files stay).
  func reset() throws(GrpcLabError) {
    do { try files.remove(statePath) } catch { throw .io(statePath, "\(error)") }
  }

  /// Runs `body` holding the workspace lock, so concurrent invocations take turns.
  func locked<T>(_ body: () throws(GrpcLabError) -> T) throws(GrpcLabError) -> T {
    do {
      return try files.withLock(lockPath) { () throws -> T in try body() }
    } catch let error as GrpcLabError {
      throw error
    } catch {
      throw .io(lockPath, "\(error)")
    }
  }
}

/// A failure of grpclab itself (not of a learner command).
enum GrpcLabError: Error, CustomStringConvertible {
  /// The saved session does not decode.
  case damagedSave(String)
  /// A file could not be read or written.
  case io(String, String)
  case lab(LabError)
  /// A command's arguments cannot work (a usage error).
  case usage(String)

  var description: String {
    switch self {
    case .damagedSave(let path): "the saved session in '\(path)' is damaged; run 'grpclab reset' to start the lab again"
    case .io(let path, let problem): "cannot access '\(path)': \(problem)"
    case .usage(let problem): problem
    case .lab(let error): error.description
    }
  }
}
