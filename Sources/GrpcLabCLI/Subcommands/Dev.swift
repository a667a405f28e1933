import ArgumentParser
import LabKit

extension GrpcLab {
  /// `grpclab dev`: tools for lab authors.
  struct Dev: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "dev", abstract: "Tools for lab authors.", subcommands: [SelfCheck.self])

    /// `grpclab dev check [LAB]`: every step's checks fail before its solution and pass after it, in
    /// fresh workspaces; every text exists in every language.
    struct SelfCheck: Executable {
      static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Check that every step of a lab is solvable and translated.")

      @Argument(help: "The lab (default: every built-in lab).")
      var lab: String?

      @Option(help: "How many fresh workspaces (seeds 1…N) to try.")
      var seeds = 3

      func execute(_ environment: GrpcLabEnvironment) throws(GrpcLabError) -> Int32 {
        guard (1...100).contains(seeds) else {
          environment.writeError("grpclab: --seeds must be from 1 to 100\n")
          return 2
        }
        var failed = false
        for id in lab.map({ [$0] }) ?? LabCatalog.ids {
          let lab: Lab
          do { lab = try LabCatalog.lab(id) } catch { throw .lab(error) }
          let problems = LabSelfTest.problems(
            of: lab, files: LabCatalog.fileSource(of: lab), workingDirectory: "/lab", seeds: (1...UInt64(seeds)).map { $0 })
          if problems.isEmpty {
            environment.write("✔ \(id): \(lab.steps.count) steps, \(seeds) seeds\n")
          } else {
            failed = true
            environment.write(problems.map { "✘ \($0)\n" }.joined())
          }
        }
        return failed ? 1 : 0
      }
    }
  }
}
