import ArgumentParser
import ClusterTools
import Foundation
import LabKit

extension GrpcLab {
  /// The verb `name` names (its command name or an alias), if any.
  static func verb(named name: String) -> (any ParsableCommand.Type)? {
    configuration.subcommands.first { $0._commandName == name || $0.configuration.aliases.contains(name) }
  }

  /// Whether the lab shell runs `verb`: the lab commands, those that write workspace files, and `reset`,
  /// which the shell runs itself; `start`, `demo`, `lint`, `bench` and `dev` run only outside it.
  static func runsInShell(_ verb: any ParsableCommand.Type) -> Bool {
    verb is any LabCommand.Type || verb is any WorkspaceFileCommand.Type || verb == Reset.self
  }

  /// The help text for the deepest verb `words` name, ignoring `help` and flags: the root's help when they
  /// name none. `grpclab help goto`, `grpclab goto --help` and `help goto` in the shell print the same.
  ///
  /// In Chinese, a verb's help is ArgumentParser's, with its descriptions in Chinese.
  static func help(for words: [String], language: Language = .en) -> String {
    var path: [any ParsableCommand.Type] = []
    var command: any ParsableCommand.Type = GrpcLab.self
    for word in words where word != "help" && !word.hasPrefix("-") {
      guard let sub = command.configuration.subcommands.first(where: { $0._commandName == word || $0.configuration.aliases.contains(word) })
      else { break }
      command = sub
      path.append(sub)
    }
    if command == GrpcLab.self { return language == .zh ? shellHelp(.zh) : helpMessage() }
    guard language == .zh, let chinese = chineseHelp(path) else { return helpMessage(for: command) }
    return chinese
  }

  /// A verb's help in Chinese, from ArgumentParser's own description of its arguments.
  private static func chineseHelp(_ path: [any ParsableCommand.Type]) -> String? {
    guard let command = path.last else { return nil }
    let names = path.map { $0._commandName }
    guard let dump = try? JSONDecoder().decode(ToolInfo.self, from: Data(command._dumpHelp().utf8)) else { return nil }
    let abstract = chineseAbstracts[names.joined(separator: " ")] ?? command.configuration.abstract
    var text = "概述：\(abstract)\n\n"
    if let discussion = chineseDiscussions[names.joined(separator: " ")] { text += discussion + "\n\n" }
    text += "用法：\(usageString(for: command))\n"
    let subcommands = command.configuration.subcommands.map { sub in
      let name = sub._commandName
      return "  " + name + String(repeating: " ", count: max(24 - name.count, 2))
        + (chineseAbstracts[(names + [name]).joined(separator: " ")] ?? sub.configuration.abstract) + "\n"
    }
    if !subcommands.isEmpty { text += "\n子命令：\n" + subcommands.joined() }
    let arguments = dump.command.arguments.filter { $0.shouldDisplay && $0.valueName != "version" }
    for (title, positional) in [("参数：", true), ("选项：", false)] {
      let rows = arguments.filter { ($0.kind == "positional") == positional }.map { argument in
        let verb = names.joined(separator: " ")
        var help = chineseArguments["\(verb) \(argument.valueName)"] ?? chineseArguments[argument.valueName] ?? argument.abstract ?? ""
        if argument.kind == "option", let value = argument.defaultValue, !help.contains("默认") { help += "（默认：\(value)）" }
        return (argument.synopsis, help)
      }
      guard !rows.isEmpty else { continue }
      text += "\n\(title)\n" + rows.map { name, help in
        "  " + name + (name.count < 24 ? String(repeating: " ", count: 24 - name.count) : "\n" + String(repeating: " ", count: 26)) + help + "\n"
      }.joined()
    }
    return text
  }

  /// What ArgumentParser's description of a command (`_dumpHelp`, as `--experimental-dump-help` prints it) says, as far as the Chinese help reads it.
  private struct ToolInfo: Decodable {
    var command: Command

    struct Command: Decodable {
      var arguments: [Argument]
    }

    struct Argument: Decodable {
      var kind: String
      var valueName: String
      var abstract: String?
      var shouldDisplay: Bool
      var names: [Name]?
      var defaultValue: String?

      struct Name: Decodable {
        var kind: String
        var name: String
      }

      /// `<step>`, `--workspace <workspace>`, `-h, --help`.
      var synopsis: String {
        guard kind != "positional" else { return "<\(valueName)>" }
        let spelled = (names ?? []).map { $0.kind == "long" ? "--\($0.name)" : "-\($0.name)" }.joined(separator: ", ")
        return kind == "option" ? "\(spelled) <\(valueName)>" : spelled
      }
    }
  }

  /// The descriptions of the verbs' arguments and options in Chinese, by value name, or by verb and value
  /// name where verbs give one name different meanings.
  static let chineseArguments: [String: String] = [
    "workspace": "工作区目录（默认：$GRPCLAB_WORKSPACE 或 ~/grpclab）。", "seed": "新工作区集群的种子（省略时随机）。",
    "lang": "实验文本的语言：en 或 zh。", "json": "以 JSON 输出结果。", "step": "步骤的编号或 ID。",
    "force": "即使当前步骤的检查没有通过也进入下一步。", "out": "写入证书的目录。", "host": "网关服务端证书的主机名。",
    "client": "客户端证书的通用名和文件名。", "calls": "每种模式的调用次数。", "pods": "服务端 Pod 的数量。",
    "mode": "测量的模式：plain、mesh 或 both。", "journal": "改为在日志含这么多条命令的工作区中计时冷启动的命令。", "seeds": "尝试多少个全新工作区（种子 1…N）。", "lab": "实验（默认：所有内置实验）。",
    "path": "实验目录或其 lab.yaml。", "command": "要运行的命令，写在 '--' 之后。",
    "demo": "演示：--list 中的名称，或一个 .demo 文件。", "speed": "输入速度，每秒字符数。", "no-typing": "整行显示命令，不模拟输入。",
    "auto": "无人值守运行：不等待按键（每次停顿持续 --pauses 秒）。", "seconds": "--auto 时每次停顿的秒数（也可写作 --auto SECONDS）。",
    "demo-seed": "新工作区集群的种子（种子相同，录制相同；默认：演示的 '# seed'，否则为 7）。",
    "demo workspace": "在哪个工作区中播放（默认：新建一个）。", "reset seed": "重新开始时使用这个种子，而不是会话原来的种子。",
    "lint lab": "不在实验 demos 目录中的 .demo 文件在哪个实验中播放，同 'grpclab demo --lab'（默认：grpc-lb）。",
    "cast": "把演示录制为 asciicast v2 文件。", "width": "录制和实验文本的终端宽度。", "no-banner": "不宣布步骤完成（把答案留给课堂）。",
    "sweep seeds": "在多少个种子下重放你的日志。",
    "start lab": "新工作区打开的实验（见 'grpclab list --labs'；默认：grpc-lb）。", "demo lab": "播放或列出哪个实验的演示（默认：grpc-lb）。", "labs": "只列出实验，不列出工作区实验的步骤。",
    "check seeds": "在这么多个种子下重放你的日志（先用你自己的种子），报告每项检查通过的次数。",
    "bench seeds": "改为在五步答案的日志上，为这么多个种子计时 check --seeds。",
    "list": "列出实验的演示。", "dir": "打印由该工作区日志生成的演示脚本。", "help": "显示帮助。", "language": "语言：en 或 zh。",
  ]

  /// The error for a first word that names no verb: the way to run a learner program, or the closest verb.
  static func notAVerb(_ word: String, arguments: [String]) -> String {
    if ToolSession.programs.contains(word) {
      return "grpclab: '\(word)' is not a grpclab command; run it with 'grpclab run -- \(arguments.joined(separator: " "))'"
    }
    let names = configuration.subcommands.map { $0._commandName }
    let hint = Suggestion.closest(to: word, among: names).map { " Did you mean '\($0)'?" } ?? ""
    return "grpclab: '\(word)' is not a grpclab command.\(hint) See 'grpclab --help'."
  }

  /// The discussions of the verbs that have one, in Chinese.
  static let chineseDiscussions: [String: String] = [
    "demo": "每条命令先逐字输入，讲师按 Enter 后运行（按 q 退出）。除非给出 --workspace，演示在它自己的全新工作区中运行，"
      + "并打印该工作区的路径；另一个终端可以在旁边运行 'grpclab check --workspace DIR'。",
    "certs": "以 PEM 格式写出 ca.crt/ca.key、gateway.crt/gateway.key（用于 --host）、<client>.crt/<client>.key 和 "
      + "rogue.crt/rogue.key（自签名，谁都不信任），密钥为 P-256。它们从文章日期的前一天起有效 20 年，所以在任何工作区的实验时钟上"
      + "（包括录制）都有效。用 openssl 生成的证书同样可用。",
  ]

  /// Verbs' descriptions in Chinese, for the shell's `help` in `zh`; English ones are the verbs' abstracts.
  static let chineseAbstracts: [String: String] = [
    "start": "打开实验的交互式 shell（默认命令）。", "run": "对工作区的集群运行一条学习者命令（oc、kubectl 等）。",
    "check": "检查当前步骤的结果（全部通过时退出码为 0）。",
    "sweep": "在 N 个种子下重放你的日志（先用你自己的种子），报告本步骤每项检查通过的次数（即 check --seeds N）。", "step": "显示当前步骤。", "next": "进入下一步（当前步骤的检查通过之后，或使用 --force）。",
    "prev": "回到上一步。", "goto": "从某一步预期的状态开始（全新集群，之前各步的参考答案已运行）。",
    "hint": "显示当前步骤的下一条提示。", "solution": "显示当前步骤的参考命令。",
    "solve": "运行当前步骤的参考命令并逐条回显；有意失败的命令不算失败。",
    "why": "用你的集群记录的数据解释当前步骤的结果。", "undo": "撤销最近一条改变集群的命令。",
    "list": "列出实验、步骤和你的进度。", "lang": "选择实验文本的语言：en 或 zh。",
    "status": "显示实验、当前步骤、进度和种子。", "reset": "从全新集群重新开始实验。",
    "certs": "生成入口步骤所需的证书：CA、网关服务端证书、客户端证书和一个不受信任的客户端证书。",
    "lint": "检查实验的 lab.yaml（键、翻译、命令、检查项）及其演示脚本。", "bench": "测量模型：不带和带 sidecar 时每秒调用数和内存峰值；或用 --journal 计时长日志工作区中的命令。",
    "demo": "播放脚本化演示：逐字输入的命令、旁白和停顿，由讲师控制节奏。",
    "dev": "实验作者的工具。", "dev check": "检查实验的每一步都可以完成并且已经翻译。",
  ]

  /// The shell's `help`: the programs it runs, its own commands, and the verbs it runs (`runsInShell`) with
  /// their descriptions.
  static func shellHelp(_ language: Language) -> String {
    let verbs = configuration.subcommands.filter(runsInShell)
    let width = verbs.map { $0._commandName.count }.max() ?? 0
    let lines = verbs.map { verb in
      let name = verb._commandName
      let text = language == .zh ? chineseAbstracts[name] ?? verb.configuration.abstract : verb.configuration.abstract
      return "  " + name + String(repeating: " ", count: width + 2 - name.count) + text
    }
    return Message.shellHelp(verbs: lines.joined(separator: "\n")).text(language)
  }
}
