import ArgumentParser
import ClusterTools
import LabKit

extension GrpcLab {
  /// The verb `name` names (its command name or an alias), if any.
  static func verb(named name: String) -> (any ParsableCommand.Type)? {
    configuration.subcommands.first { $0._commandName == name || $0.configuration.aliases.contains(name) }
  }

  /// The help text for the deepest verb `words` name, ignoring `help` and flags: the root's help when they
  /// name none. `grpclab help goto`, `grpclab goto --help` and `help goto` in the shell print the same.
  static func help(for words: [String]) -> String {
    var command: any ParsableCommand.Type = GrpcLab.self
    for word in words where word != "help" && !word.hasPrefix("-") {
      guard let sub = command.configuration.subcommands.first(where: { $0._commandName == word || $0.configuration.aliases.contains(word) })
      else { break }
      command = sub
    }
    return command == GrpcLab.self ? helpMessage() : helpMessage(for: command)
  }

  /// The error for a first word that names no verb: the way to run a learner program, or the closest verb.
  static func notAVerb(_ word: String, arguments: [String]) -> String {
    if ToolSession.programs.contains(word) {
      return "grpclab: '\(word)' is not a grpclab command; run it with 'grpclab run -- \(arguments.joined(separator: " "))'"
    }
    let names = configuration.subcommands.map { $0._commandName }
    let hint = Suggestion.closest(to: word, among: names).map { " Did you mean '\($0)'?" } ?? ""
    return "grpclab: '\(word)' is not a grpclab command.\(hint) See 'grpclab --help'."
  }

  /// Verbs' descriptions in Chinese, for the shell's `help` in `zh`; English ones are the verbs' abstracts.
  static let chineseAbstracts: [String: String] = [
    "start": "打开实验的交互式 shell（默认命令）。", "run": "对工作区的集群运行一条学习者命令（oc、kubectl 等）。",
    "check": "检查当前步骤的结果（全部通过时退出码为 0）。", "step": "显示当前步骤。", "next": "进入下一步。",
    "prev": "回到上一步。", "goto": "从某一步预期的状态开始（全新集群，之前各步的参考答案已运行）。",
    "hint": "显示当前步骤的下一条提示。", "solution": "显示当前步骤的参考命令。",
    "solve": "运行当前步骤的参考命令并逐条回显；有意失败的命令不算失败。",
    "why": "用你的集群记录的数据解释当前步骤的结果。", "undo": "撤销最近一条改变集群的命令。",
    "list": "列出实验、步骤和你的进度。", "lang": "选择实验文本的语言：en 或 zh。",
    "status": "显示实验、当前步骤、进度和种子。", "reset": "从全新集群重新开始实验。",
    "certs": "生成入口步骤所需的证书：CA、网关服务端证书、客户端证书和一个不受信任的客户端证书。",
    "lint": "检查实验的 lab.yaml：键、翻译、命令和检查项。", "bench": "测量模型：不带和带 sidecar 时每秒调用数和内存峰值。",
    "dev": "实验作者的工具。",
  ]

  /// The shell's `help`: the programs it runs, its own commands, and the verbs with their descriptions.
  static func shellHelp(_ language: Language) -> String {
    let verbs = configuration.subcommands.filter { $0 != Start.self }
    let width = verbs.map { $0._commandName.count }.max() ?? 0
    let lines = verbs.map { verb in
      let name = verb._commandName
      let text = language == .zh ? chineseAbstracts[name] ?? verb.configuration.abstract : verb.configuration.abstract
      return "  " + name + String(repeating: " ", count: width + 2 - name.count) + text
    }
    return Message.shellHelp(verbs: lines.joined(separator: "\n")).text(language)
  }
}
