import Foundation
import Synchronization

/// A terminal recording in asciicast v2, the format asciinema plays: a JSON header line, then one JSON
/// array per event, `[seconds, "o", text]` for output and `[seconds, "m", label]` for a marker.
struct Asciicast {
  private struct Header: Encodable {
    var version = 2
    var width: Int
    var height: Int
    var timestamp: Int64
    var title: String
    var env: [String: String]
  }

  /// The recording so far, one JSON document per line.
  private(set) var text: String

  /// A recording of a `width` × `height` terminal, started at `timestamp` (seconds since 1970).
  init(width: Int, height: Int, timestamp: Int64, title: String) {
    let header = Header(
      width: width, height: height, timestamp: timestamp, title: title, env: ["SHELL": "/bin/bash", "TERM": "xterm-256color"])
    text = Self.json(header) + "\n"
  }

  /// Output at `seconds` from the start; line ends become the CR LF a terminal receives.
  mutating func output(_ output: String, at seconds: Double) {
    guard !output.isEmpty else { return }
    let terminal = output.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
    event(seconds, "o", terminal)
  }

  /// A marker named `label` at `seconds` from the start.
  mutating func marker(_ label: String, at seconds: Double) {
    event(seconds, "m", label)
  }

  private mutating func event(_ seconds: Double, _ code: String, _ data: String) {
    text += "[\(String(format: "%.6f", seconds)), \(Self.json(code)), \(Self.json(data))]\n"
  }

  private static func json<T: Encodable>(_ value: T) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
  }
}

/// Records a live session as asciicast: what the shell prints and what the learner typed at its prompts,
/// timed by the real clock.
final class SessionRecording: Sendable {
  private let cast: Mutex<Asciicast>
  private let stopwatch: @Sendable () -> UInt64
  private let start: UInt64

  init(_ cast: Asciicast, stopwatch: @escaping @Sendable () -> UInt64) {
    self.cast = Mutex(cast)
    self.stopwatch = stopwatch
    start = stopwatch()
  }

  /// Output at the present moment.
  func record(_ text: String) {
    let seconds = Double(stopwatch() &- start) / 1e9
    cast.withLock { $0.output(text, at: seconds) }
  }

  /// `environment` with its output and the lines read at its prompts recorded.
  func recording(_ environment: GrpcLabEnvironment) -> GrpcLabEnvironment {
    var recorded = environment
    recorded.write = { text in
      self.record(text)
      environment.write(text)
    }
    recorded.writeError = { text in
      self.record(text)
      environment.writeError(text)
    }
    recorded.readLine = { prompt in
      let line = environment.readLine(prompt)
      if let line, line != GrpcLabEnvironment.interrupt {
        self.record(prompt.replacingOccurrences(of: "\u{1}", with: "") + line + "\n")
      }
      return line
    }
    return recorded
  }

  /// The recording so far.
  var text: String { cast.withLock { $0.text } }
}

extension GrpcLabEnvironment {
  /// Refuses, before anything is recorded, a recording's file that is a folder, or whose path passes through a
  /// file; missing folders are made when it is written.
  ///
  /// - Throws: `GrpcLabError.io` with the path and the reason.
  func checkRecording(to path: String) throws(GrpcLabError) {
    let file = absolute(path)
    if case .directory = files.contents(of: file) { throw .io(file, "Is a directory") }
    var folder = Substring(file)
    while let slash = folder.lastIndex(of: "/") {
      folder = folder[..<slash]
      switch files.contents(of: folder.isEmpty ? "/" : String(folder)) {
      case .directory: return
      case .missing: continue
      case .file: throw .io(file, "Not a directory")
      case .unreadable(let reason): throw .io(file, reason)
      }
    }
  }

  /// Runs `body`, then writes the recording's text (nil: none was made) to `path`, whether `body` returned
  /// or threw; a recording that cannot be written, having said why, turns `body`'s success into status 1.
  func keepingRecording(
    at path: String, text: () -> String?, _ body: () throws(GrpcLabError) -> Int32
  ) throws(GrpcLabError) -> Int32 {
    func save() -> Bool {
      guard let text = text() else { return true }
      let file = absolute(path)
      do {
        try files.write(text, to: file)
        return true
      } catch {
        writeError("grpclab: cannot write '\(file)': \(error)\n")
        return false
      }
    }
    let status: Int32
    do {
      status = try body()
    } catch {
      _ = save()
      throw error
    }
    return save() || status != 0 ? status : 1
  }
}
