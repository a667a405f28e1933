import ArgumentParser
import ClusterTools
import LabKit

extension GrpcLab {
  /// `grpclab lint PATH`: the problems in a lab folder's `lab.yaml`, one per line with its place.
  struct Lint: Executable {
    static let configuration = CommandConfiguration(
      commandName: "lint",
      abstract: "Check a lab's lab.yaml (keys, translations, commands, checks) and its demos.")

    @Argument(help: "A lab folder or its lab.yaml.")
    var path: String

    func execute(_ environment: GrpcLabEnvironment) throws(GrpcLabError) -> Int32 {
      let lab: LabFolder
      do {
        lab = try LabFolder(path, environment: environment)
      } catch {
        environment.writeError("grpclab: lint: \(error.message)\n")
        return 2
      }
      let (folder, shown, yaml) = (lab.folder, lab.shown, lab.yaml)
      var problems = LabLint.problems(yaml: yaml, path: shown) { name in
        environment.files.contents(of: folder + "/" + name) != .missing
      }
      let steps = (try? Lab(yaml: yaml, source: shown))?.steps.count ?? Int.max
      let verbs = Set(GrpcLab.configuration.subcommands.map { $0._commandName }).union(REPL.builtins)
      if case .directory(let names) = environment.files.contents(of: folder + "/demos") {
        let prefix = String(shown.dropLast("lab.yaml".count)) + "demos/"
        for name in names.sorted() where name.hasSuffix(".demo") {
          guard case .file(let script) = environment.files.contents(of: folder + "/demos/" + name) else { continue }
          problems += LabLint.demoProblems(script: script, path: prefix + name, steps: steps, verbs: verbs)
        }
      }
      if problems.isEmpty {
        environment.write("✔ \(shown): no problems\n")
        return 0
      }
      environment.write(problems.map { $0 + "\n" }.joined())
      return 1
    }
  }
}
