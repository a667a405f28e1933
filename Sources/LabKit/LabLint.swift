import ClusterModel
import ClusterTools
internal import Yams

/// `grpclab lint`: what is wrong in a `lab.yaml`, each problem with its place (`path:line:column: …`).
///
/// It finds unknown keys, missing or empty translations, solution commands that do not parse or name no
/// known program, checks that name no query or several, unknown selectors, statuses the lab never shows,
/// expectations that contradict themselves, and files the lab lists but lacks.
public enum LabLint {
  /// The problems, in file order; empty when the lab is sound.
  ///
  /// - Parameter fileExists: Whether a file the lab lists exists next to `lab.yaml`.
  public static func problems(yaml: String, path: String, fileExists: (String) -> Bool) -> [String] {
    let root: Node?
    do {
      root = try Yams.compose(yaml: yaml)
    } catch {
      return [yamlProblem(error, path: path)]
    }
    guard let root, let lab = root.mapping else { return ["\(path):1:1: a lab is a mapping with id, title, files and steps"] }
    var lint = Linter(path: path)
    lint.keys(root, allowed: ["id", "title", "files", "steps"], required: ["id", "title", "files", "steps"], what: "lab")
    lint.text(lab["title"], "the lab's title")
    for file in lab["files"]?.sequence ?? [] {
      if let name = file.string, !fileExists(name) { lint.report(file, "the file '\(name)' is listed but missing") }
    }
    var ids: Set<String> = []
    for step in lab["steps"]?.sequence ?? [] {
      lint.step(step, ids: &ids)
    }
    if lab["steps"]?.sequence?.isEmpty == true { lint.report(lab["steps"], "a lab needs at least one step") }
    if lint.problems.isEmpty {
      do { _ = try Lab(yaml: yaml, source: path) } catch { lint.problems.append("\(error)") }
    }
    return lint.problems
  }

  /// A YAML file that does not parse, as one problem at its place: `path:line:column: message`.
  static func yamlProblem(_ error: any Error, path: String) -> String {
    let (line, column, message) = yamlPlace(error)
    return "\(path):\(line):\(column): \(message)"
  }

  /// Where YAML stopped parsing, and why in one line.
  static func yamlPlace(_ error: any Error) -> (line: Int, column: Int, message: String) {
    switch error as? YamlError {
    case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
      .composer(let context, let problem, let mark, _):
      return (mark.line, mark.column, (context.map { "\($0.text): " } ?? "") + problem)
    case .duplicatedKeysInMapping(let keys, let context):
      return (context.mark.line, context.mark.column, "the key \(keys.map { "'\($0)'" }.joined(separator: ", ")) is given twice")
    case .reader(let problem, _, _, _):
      return (1, 1, problem)
    default:
      return (1, 1, String(describing: error).split(separator: "\n").first.map(String.init) ?? "")
    }
  }

  /// The problems of a demo script, each as `path:line:column: message`: directives that do not parse,
  /// and commands that do not parse or name neither a program of the lab shell nor one of `verbs`.
  public static func demoProblems(script: String, path: String, steps: Int, verbs: Set<String>) -> [String] {
    var problems: [(line: Int, text: String)] = []
    let commands: [DemoScript.Command]
    do {
      commands = try DemoScript(parsing: script, steps: steps).commands
    } catch {
      problems = error.problems.map { ($0.line, "\(path):\($0)") }
      commands = error.commands
    }
    for command in commands {
      do {
        let list = try ShellList(splitting: command.line)
        for stage in list.stages {
          guard let program = stage.first else { continue }
          let known = ToolSession.programs.contains(program) || (list.isSimple && verbs.contains(program))
          if !known {
            problems.append((command.lineNumber, "\(path):\(command.lineNumber):1: '\(program)' is neither a program of the lab shell nor a verb"))
          }
        }
      } catch {
        problems.append((command.lineNumber, "\(path):\(command.lineNumber):1: the command does not parse: \(error)"))
      }
    }
    return problems.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }.map(\.element.text)
  }

  private struct Linter {
    let path: String
    var problems: [String] = []

    /// Whether `text` reads `READY/TOTAL`, as a pods query compares it with the READY column.
    static func isReadyCount(_ text: String) -> Bool {
      let parts = text.split(separator: "/", omittingEmptySubsequences: false)
      return parts.count == 2 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }
    }

    mutating func report(_ node: Node?, _ message: String) {
      let mark = node?.mark.map { ":\($0.line):\($0.column)" } ?? ""
      problems.append("\(path)\(mark): \(message)")
    }

    mutating func keys(_ node: Node, allowed: [String], required: [String] = [], what: String) {
      guard let mapping = node.mapping else {
        report(node, "\(what) must be a mapping")
        return
      }
      for key in mapping.keys where !allowed.contains(key.string ?? "") {
        report(key, "unknown key '\(key.string ?? "")' in \(what) (allowed: \(allowed.joined(separator: ", ")))")
      }
      for key in required where mapping[key] == nil { report(node, "\(what) lacks '\(key)'") }
    }

    mutating func text(_ node: Node?, _ what: String) {
      guard let node else { return }
      keys(node, allowed: Language.allCases.map(\.rawValue), required: ["en"], what: what)
      for language in Language.allCases {
        guard let text = node.mapping?[language.rawValue] else {
          if language != .en { report(node, "\(what) has no \(language.rawValue) text") }
          continue
        }
        if text.string?.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ?? true {
          report(text, "\(what) has an empty \(language.rawValue) text")
        }
      }
    }

    mutating func step(_ step: Node, ids: inout Set<String>) {
      keys(
        step, allowed: ["id", "title", "text", "solution", "hints", "explain", "checks"],
        required: ["id", "title", "text", "solution", "hints", "explain", "checks"], what: "a step")
      guard let mapping = step.mapping else { return }
      let id = mapping["id"]?.string ?? "?"
      if !ids.insert(id).inserted { report(mapping["id"], "the step id '\(id)' is used twice") }
      text(mapping["title"], "step '\(id)' title")
      text(mapping["text"], "step '\(id)' text")
      text(mapping["explain"], "step '\(id)' explanation")
      for (index, hint) in (mapping["hints"]?.sequence ?? []).enumerated() { text(hint, "step '\(id)' hint \(index + 1)") }
      for line in mapping["solution"]?.sequence ?? [] { command(line) }
      var checkIDs: Set<String> = []
      for check in mapping["checks"]?.sequence ?? [] { self.check(check, step: id, ids: &checkIDs) }
    }

    mutating func command(_ node: Node) {
      if let mapping = node.mapping {
        keys(node, allowed: ["run", "exit"], required: ["run", "exit"], what: "a solution command")
        if let exit = mapping["exit"], !(exit.int.map { $0 != 0 && Int(Int32.min)...Int(Int32.max) ~= $0 } ?? false) {
          report(exit, "'exit' of a solution command must be a non-zero exit status")
        }
        guard mapping["run"] != nil else { return }
      }
      guard let line = node.string ?? node.mapping?["run"]?.string else {
        report(node, "a solution command must be a string or {run: LINE, exit: STATUS}")
        return
      }
      do {
        let parsed = try ShellList(splitting: line)
        for stage in parsed.stages {
          guard let program = stage.first else { continue }
          if !ToolSession.programs.contains(program) { report(node, "'\(program)' is not a program the lab shell runs") }
        }
      } catch {
        report(node, "the command does not parse: \(error)")
      }
    }

    mutating func check(_ node: Node, step: String, ids: inout Set<String>) {
      keys(node, allowed: ["id", "text", "expect"] + Check.Query.keys, required: ["id", "text", "expect"], what: "a check of step '\(step)'")
      guard let mapping = node.mapping else { return }
      let id = mapping["id"]?.string ?? "?"
      if !ids.insert(id).inserted { report(mapping["id"], "the check id '\(id)' is used twice in step '\(step)'") }
      text(mapping["text"], "check '\(id)' text")
      let named = Check.Query.keys.filter { mapping[$0] != nil }
      if named.count != 1 {
        report(node, "check '\(id)' must name exactly one query of \(Check.Query.keys.joined(separator: ", ")); it names \(named.count)")
      }
      for query in named {
        guard let body = mapping[query] else { continue }
        let (allowed, required): ([String], [String]) =
          switch query {
          case "pods", "servingPods", "idlePods": (["namespace", "selector", "status", "ready"], ["namespace", "selector"])
          case "routes": (["namespace", "selector"], ["namespace", "selector"])
          case "workstationCalls": (["last", "reply", "header", "refused"], [])
          case "proxyStat": (["namespace", "selector", "stat"], ["namespace", "selector", "stat"])
          default: (["namespace", "tool"], [])
          }
        keys(body, allowed: allowed, required: required, what: "the \(query) query of check '\(id)'")
        if let refused = body.mapping?["refused"], !["missing", "untrusted"].contains(refused.string ?? "") {
          report(refused, "'refused' of check '\(id)' must be missing or untrusted")
        }
        if query == "proxyStat", let stat = body.mapping?["stat"], !Cluster.proxyStatNames.contains(stat.string ?? "") {
          report(stat, "check '\(id)': '\(stat.string ?? "")' is not a per-cluster stat the sidecars keep, as 'pilot-agent request GET stats' names it after 'cluster.<name>.'")
        }
        if let selector = body.mapping?["selector"], let text = selector.string {
          do { _ = try LabelSelector(parsing: text) } catch { report(selector, "check '\(id)': \(error)") }
        }
        if let status = body.mapping?["status"], !Pod.displayedStatuses.contains(status.string ?? "") {
          report(status, "check '\(id)': '\(status.string ?? "")' is no status the lab shows in a pod's STATUS column (\(Pod.displayedStatuses.joined(separator: ", ")))")
        }
        if let ready = body.mapping?["ready"], !Self.isReadyCount(ready.string ?? "") {
          report(ready, "check '\(id)': 'ready' is READY/TOTAL containers, such as 2/2, not '\(ready.string ?? "")'")
        }
      }
      if let expect = mapping["expect"] {
        keys(expect, allowed: ["equals", "atLeast", "atMost", "all"], what: "the expectation of check '\(id)'")
        if expect.mapping?.isEmpty == true { report(expect, "the expectation of check '\(id)' is empty") }
        for (key, value) in expect.mapping ?? [:] where key.string != "all" && (value.int ?? -1) < 0 {
          report(value, "'\(key.string ?? "")' of check '\(id)' must be a whole number from 0: the figures are counts")
        }
        let (least, most) = (expect.mapping?["atLeast"]?.int, expect.mapping?["atMost"]?.int)
        if let equals = expect.mapping?["equals"], expect.mapping?["atLeast"] != nil || expect.mapping?["atMost"] != nil {
          report(equals, "'equals' of check '\(id)' stands alone, without atLeast or atMost")
        }
        if let least, let most, least > most {
          report(expect, "the expectation of check '\(id)' can never hold: atLeast \(least) is more than atMost \(most)")
        }
        if let all = expect.mapping?["all"] {
          if all.bool != true { report(all, "'all' of check '\(id)' must be true") }
          if (expect.mapping?.count ?? 0) > 1 { report(all, "'all' of check '\(id)' stands alone, without equals, atLeast or atMost") }
          if !["pods", "servingPods"].contains(where: { mapping[$0] != nil }) {
            report(all, "'all' of check '\(id)' needs a pods or servingPods query")
          }
        }
      }
    }
  }
}
