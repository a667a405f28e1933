import ClusterModel
import ClusterTools
import LabKit

/// The words Tab completes in the lab shell: verbs, programs and their subcommands, resource types,
/// the names of the objects in the live cluster, flags, and the workspace's files.
enum Completions {
  static let subcommands = [
    "get", "describe", "apply", "create", "delete", "logs", "exec", "scale", "rollout", "restart", "status", "label",
    "annotate", "new-project", "project", "projects", "whoami", "proxy-config", "cluster", "endpoint", "route", "graph",
    "services", "traces", "trace",
  ]
  static let flags = [
    "--namespace", "--all-namespaces", "--selector", "--output", "--container", "--tail", "--filename", "--dry-run=server",
    "--dry-run=client", "--show-labels", "--replicas", "--overwrite", "--duration", "--limit", "--service", "-o", "yaml",
    "json", "wide", "name", "-proto", "-import-path", "-insecure", "-plaintext", "-cacert", "-cert", "-key", "-servername",
    "-authority", "-connect-timeout", "-max-time", "-format", "-vv", "list",
  ]

  /// Every candidate, sorted and without duplicates.
  static func words(for session: LabSession) -> [String] {
    var words = Set(ToolSession.programs.sorted() + ["curl"] + subcommands + flags + GrpcLab.configuration.subcommands.map { $0._commandName })
    for kind in ResourceKind.allCases {
      words.formUnion([kind.plural, kind.singular] + kind.shortNames)
      for object in session.cluster.store.list(kind) where kind != .event {
        words.insert(object.metadata.name)
        let prefix = [ResourceKind.deployment, .service].contains(kind) ? kind.shortNames.first ?? kind.singular : kind.singular
        words.insert("\(prefix)/\(object.metadata.name)")
      }
    }
    words.formUnion(session.lab.files)
    words.formUnion(session.lab.steps.map(\.id))
    return words.sorted()
  }
}
