import ArgumentParser
import ClusterTools
import LabKit

/// The interactive loop: one line at a time, learner commands to the cluster, verbs to the command tree.
struct REPL {
  var context: CommandContext


  /// The prompt: lab and step, `grpc-lb [1/5] ❯ `; in colour on a terminal (escapes between `\u{1}`
  /// marks, which the line editor does not count as columns).
  var prompt: String {
    let session = context.session
    let step = "[\(session.state.step + 1)/\(session.lab.steps.count)]"
    guard context.environment.colour else { return "\(session.lab.id) \(step) ❯ " }
    func paint(_ text: String, _ code: String) -> String { "\u{1}\u{1B}[\(code)m\u{1}\(text)\u{1}\u{1B}[0m\u{1}" }
    return "\(paint(session.lab.id, "36")) \(paint(step, "2")) \(paint("❯", "32")) "
  }

  mutating func loop() throws(GrpcLabError) {
    let session = context.session
    let language = session.state.language
    context.print("\(session.lab.title.text(language))\n\(Message.greeting.text(language))\n\n")
    while true {
      context.environment.offerCompletions(Completions.words(for: context.session))
      guard let raw = context.environment.readLine(prompt) else { break }
      if raw == GrpcLabEnvironment.interrupt { continue }
      var line = raw
      if let delimiter = ShellCommand.hereDocumentDelimiter(in: line) {
        var abandoned = false
        while let body = context.environment.readLine("> ") {
          if body == GrpcLabEnvironment.interrupt {
            abandoned = true
            break
          }
          line += "\n" + body
          if body == delimiter { break }
        }
        if abandoned { continue }
      }
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if trimmed.isEmpty { continue }
      if trimmed == "exit" || trimmed == "quit" { break }
      try handle(line)
    }
    try context.workspace.save(context.session)
  }

  /// Runs one line.
  mutating func handle(_ line: String) throws(GrpcLabError) {
    let words: [String]
    do {
      words = try ShellCommand(parsing: line).stages.first ?? []
    } catch {
      context.environment.writeError("grpclab: \(error)\n")
      return
    }
    guard let first = words.first else { return }
    if ToolSession.programs.contains(first) || line.contains("|") {
      let wasComplete = context.session.check().allSatisfy(\.passed)
      _ = context.execute(line, workingDirectory: context.workspace.path, endingWithNewline: true)
      context.announceCompletion(wasComplete: wasComplete)
      try context.workspace.save(context.session)
      return
    }
    if first == "help" || words.contains("--help") || words.contains("-h") {
      let name = words.first { $0 != "help" && !$0.hasPrefix("-") }
      let verb = GrpcLab.configuration.subcommands.first { $0._commandName == name }
      context.print(GrpcLab.helpMessage(for: verb ?? GrpcLab.self) + "\n")
      return
    }
    do {
      let command = try GrpcLab.parseAsRoot(words)
      if let fileCommand = command as? any WorkspaceFileCommand {
        var environment = context.environment
        environment.workingDirectory = context.workspace.path
        do {
          _ = try fileCommand.execute(environment)
        } catch {
          environment.writeError("grpclab: \(error)\n")
        }
        return
      }
      guard let labCommand = command as? any LabCommand, !(command is GrpcLab.Start) else {
        context.environment.writeError("grpclab: '\(first)' is not available inside the lab shell\n")
        return
      }
      _ = try labCommand.run(&context)
      try context.workspace.save(context.session)
    } catch let error as GrpcLabError {
      throw error
    } catch {
      if words.count == 1 && !GrpcLab.configuration.subcommands.contains(where: { $0._commandName == first }) {
        context.environment.writeError("grpclab: \(first): command not found\n")
      } else {
        _ = GrpcLab.report(error, context.environment)
      }
    }
  }
}
