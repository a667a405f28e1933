import CGrpcLabEditShim
import Foundation
import GrpcLabCLI

/// libedit line editing for an interactive terminal: prompt, history across sessions, Tab completion.
///
/// Used from the main thread only, synchronously inside `readLine`, as libedit requires.
final class LineEditor: @unchecked Sendable {
  private let editor: OpaquePointer
  private var history: OpaquePointer?
  private let historyPath: String
  /// What Tab completes, from the session as it was before the line.
  private var completer: Completer?

  init(historyPath: String) {
    self.historyPath = historyPath
    var history: OpaquePointer?
    editor = gl_el_init("grpclab", &history)
    self.history = history
    try? FileManager.default.createDirectory(
      atPath: (historyPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    gl_history_load(history, historyPath)
    gl_el_set_completion_source({ line, context in
      guard let line, let context else { return }
      let editor = Unmanaged<LineEditor>.fromOpaque(context).takeUnretainedValue()
      editor.offer(editor.completer?.candidates(for: String(cString: line)) ?? [])
    }, Unmanaged.passUnretained(self).toOpaque())
  }

  /// Sets what Tab completes until the next call.
  func setCompleter(_ completer: Completer) {
    self.completer = completer
  }

  /// Gives libedit the words of one Tab press.
  private func offer(_ words: [String]) {
    var pointers = words.map { strdup($0) }
    pointers.withUnsafeMutableBufferPointer { buffer in
      buffer.baseAddress?.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: buffer.count) {
        gl_el_set_completions($0, Int32(buffer.count))
      }
    }
    pointers.forEach { free($0) }
  }

  deinit {
    gl_el_set_completion_source(nil, nil)
    gl_history_save(history, historyPath)
    history_end(history)
    el_end(editor)
  }

  /// Reads one line; `nil` at end of input (Ctrl-D), after ending the prompt's line. Ctrl-C abandons the
  /// line being typed and comes back as `GrpcLabEnvironment.interrupt`.
  func readLine(prompt: String) -> String? {
    gl_el_set_prompt(prompt)
    var count: Int32 = 0
    el_resize(editor)
    gl_catch_interrupts()
    let read = el_gets(editor, &count)
    if gl_release_interrupts() != 0 {
      FileHandle.standardOutput.write(Data("^C\n".utf8))
      el_reset(editor)
      return GrpcLabEnvironment.interrupt
    }
    guard let buffer = read else {
      FileHandle.standardOutput.write(Data("\n".utf8))
      return nil
    }
    var line = String(cString: buffer)
    if line.hasSuffix("\n") { line.removeLast() }
    return line
  }

  /// Adds a whole command (a here-document's lines included) to the history as one entry, and saves it.
  func remember(_ command: String) {
    gl_history_enter(history, command)
    gl_history_save(history, historyPath)
  }
}
