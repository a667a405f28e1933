import ClusterTools

/// What the lab runner says to a learner, in each of the lab's languages.
public enum Message: Sendable {
  /// The shell's greeting under the lab's title.
  case greeting
  /// A step's checks all passed after the learner's command.
  case stepComplete(number: Int, title: String)
  case lastStep
  case firstStep
  case noHints
  case hint(number: Int, total: Int, text: String)
  case undid(String)
  /// `undo` after `goto`: back from the step landed on to the step and cluster before it.
  case undidLanding(from: Int, backTo: Int)
  /// What `goto` built: a fresh cluster with the steps before `step` solved.
  case landed(step: Int)
  /// `next` from a step whose checks do not pass, before the unmet checks.
  case unmetChecks(step: Int)
  /// What `why` says before the first difference from the step's intended state.
  case offThePath(String)
  /// The question `next` asks on a terminal when checks do not pass.
  case moveAnyway
  /// How to move on when checks do not pass.
  case useForce
  case nothingToUndo
  /// A check's figure in its own terms: `observed 3 pods; expected exactly 1`, `1 of 3 pods; expected all 3`.
  case figure(observed: Int, total: Int?, unit: Check.Unit, expect: Check.Expectation, selector: String, namespace: String)
  case noSuchStep(String, lab: String, steps: Int, ids: [String])
  case statusLabels
  case none
  case languageChosen
  /// A reference command that fails on purpose, with its exit status.
  case failsOnPurpose(Int32)
  /// Another process holds the workspace lock; its holder's words.
  case waitingForLock(String)
  /// A first word that is no program, verb or shell command, with a close one if there is.
  case commandNotFound(String, suggestion: String?)
  /// A verb that works only outside the lab shell.
  case notInShell(String)
  /// A verb in a pipeline or a list, which the lab shell cannot run.
  case verbAlone(String)
  /// `grpclab certs` wrote a file.
  case wrote(String)
  /// `grpclab reset` forgot the session of a workspace.
  case resetDone(String)
  /// `grpclab run` without a command.
  case missingCommand
  /// The shell's `help`, around the list of verbs.
  case shellHelp(verbs: String)

  /// The message in `language`.
  public func text(_ language: Language) -> String {
    let zh = language == .zh
    switch self {
    case .greeting:
      return zh
        ? "输入 'step' 查看任务，'hint' 获取提示，'check' 进行检查，'exit' 退出。"
        : "Type 'step' for the task, 'hint' for help, 'check' to verify, 'exit' to leave."
    case .stepComplete(let number, let title):
      return zh
        ? "✔ 第 \(number) 步完成：\(title)。输入 'check' 查看通过的原因，'next' 继续。"
        : "✔ Step \(number) complete: \(title). Type 'check' to see why it passed, 'next' to go on."
    case .lastStep: return zh ? "这是最后一步。输入 'check' 进行检查。" : "This is the last step. Type 'check' to verify it."
    case .firstStep: return zh ? "这是第一步。" : "This is the first step."
    case .noHints: return zh ? "这一步没有提示。" : "This step has no hints."
    case .hint(let number, let total, let text): return zh ? "提示 \(number)/\(total)：\(text)" : "Hint \(number)/\(total): \(text)"
    case .undid(let line): return zh ? "已撤销：\(line)" : "Undid: \(line)"
    case .undidLanding(let from, let backTo):
      return zh
        ? "已撤销跳转到第 \(from) 步：回到第 \(backTo) 步和跳转之前的集群。"
        : "Undid the jump to step \(from): back on step \(backTo) with the cluster from before it."
    case .landed(let step):
      switch (step, zh) {
      case (1, false): return "A fresh cluster: nothing solved yet. Type 'undo' to go back."
      case (1, true): return "已建立全新集群，尚未运行任何参考答案。输入 'undo' 可返回。"
      case (2, false): return "A fresh cluster with step 1 solved. Type 'undo' to go back."
      case (2, true): return "已建立全新集群，并运行了第 1 步的参考答案。输入 'undo' 可返回。"
      case (_, false): return "A fresh cluster with steps 1–\(step - 1) solved. Type 'undo' to go back."
      case (_, true): return "已建立全新集群，并运行了第 1–\(step - 1) 步的参考答案。输入 'undo' 可返回。"
      }
    case .unmetChecks(let step):
      return zh ? "第 \(step) 步的检查还没有全部通过：" : "Step \(step)'s checks do not all pass yet:"
    case .offThePath(let difference):
      return zh ? "你的集群还没有走到这一步的目标。\(difference)" : "Your cluster is not where this step leads yet. \(difference)"
    case .moveAnyway: return zh ? "仍然进入下一步吗？[y/N] " : "Move on anyway? [y/N] "
    case .useForce: return zh ? "输入 'next --force' 可直接进入下一步。" : "Type 'next --force' to move on anyway."
    case .nothingToUndo: return zh ? "没有可以撤销的命令。" : "Nothing to undo."
    case .figure(let observed, let total, let unit, let expect, let selector, let namespace):
      return Self.figure(observed, total: total, unit: unit, expect: expect, selector: selector, namespace: namespace, zh: zh)
    case .noSuchStep(let step, let lab, let steps, let ids):
      return zh
        ? "grpclab: \(lab) 中没有第 '\(step)' 步（1–\(steps) 或 \(ids.joined(separator: ", "))）"
        : "grpclab: no step '\(step)' in \(lab) (1–\(steps) or \(ids.joined(separator: ", ")))"
    case .statusLabels: return zh ? "实验|步骤|已完成|种子|命令|工作区" : "lab|step|completed|seed|commands|workspace"
    case .none: return zh ? "无" : "none"
    case .languageChosen: return zh ? "实验文本将使用中文。" : "Lab texts are in English."
    case .failsOnPurpose(let status): return zh ? "  ↳ 有意失败（退出码 \(status)）" : "  ↳ fails on purpose (exit \(status))"
    case .waitingForLock(let holder):
      return zh ? "grpclab：正在等待工作区锁，持有者为 \(holder)……" : "grpclab: waiting for the workspace lock held by \(holder)…"
    case .commandNotFound(let word, let suggestion?):
      return zh ? "grpclab：\(word)：未找到命令。你是想输入 \(suggestion) 吗？" : "grpclab: \(word): command not found; did you mean \(suggestion)?"
    case .commandNotFound(let word, nil):
      return zh ? "grpclab：\(word)：未找到命令" : "grpclab: \(word): command not found"
    case .wrote(let path): return zh ? "已写入 \(path)" : "wrote \(path)"
    case .resetDone(let path):
      return zh ? "'\(path)' 中的实验将在下次使用时从全新集群重新开始。" : "The lab in '\(path)' starts again from a fresh cluster on next use."
    case .missingCommand:
      return zh ? "grpclab：缺少命令；试试 'grpclab run -- oc get pods'" : "grpclab: missing command; try 'grpclab run -- oc get pods'"
    case .shellHelp(let verbs):
      return zh
        ? """
          实验 shell 运行这些程序，输出与真实工具相同：
            oc、kubectl        get、describe、apply、create、delete、logs、exec、scale、rollout、label、annotate……
            grpcurl            从你的工作站调用 gRPC 服务
            ghz                从你的工作站对 gRPC 服务施加负载
            istioctl           proxy-config cluster|endpoint|route POD
            kiali、jaeger      graph；services、traces、trace ID
            cat、ls、clear     查看工作区中的文件，清屏
            NAME=值、export    设置 shell 变量；$NAME、${NAME}、$? 和 $(命令) 会被展开
            echo、unset        输出参数；删除变量
          管道 | 之后可用：grep、head、tail、wc、sort、uniq、cut。
          重定向：2>/dev/null、2>&1、>&2、< 文件（实验 shell 不写文件）；以 \\、|、&& 或 || 结尾的行在下一行继续。

          实验命令（不需要 grpclab 前缀）：
          \(verbs)

          输入 'help 命令' 或 '命令 --help' 查看该命令的选项；'exit' 或 Ctrl-D 退出。
          """
        : """
          The lab shell runs these programs, with the real tools' output:
            oc, kubectl        get, describe, apply, create, delete, logs, exec, scale, rollout, label, annotate…
            grpcurl            calls a gRPC service from your workstation
            ghz                loads a gRPC service from your workstation
            istioctl           proxy-config cluster|endpoint|route POD
            kiali, jaeger      graph; services, traces, trace ID
            cat, ls, clear     read the workspace's files, clear the screen
            NAME=value, export set a shell variable; $NAME, ${NAME}, $? and $(command) expand
            echo, unset        print words; forget a variable
          After a pipe |: grep, head, tail, wc, sort, uniq, cut.
          Redirections: 2>/dev/null, 2>&1, >&2, < FILE (the lab shell writes no files); a line ending in \\, |, && or || goes on.

          Lab commands (no grpclab prefix needed):
          \(verbs)

          Type 'help VERB' or 'VERB --help' for a verb's options; 'exit' or Ctrl-D leaves.
          """
    case .verbAlone(let verb):
      return zh
        ? "grpclab：'\(verb)' 必须单独成行，不能放在管道或命令列表中，也不能重定向"
        : "grpclab: '\(verb)' runs on a line of its own, not in a pipeline or a list, and without redirections"
    case .notInShell(let verb):
      return zh ? "grpclab：'\(verb)' 不能在实验 shell 中使用" : "grpclab: '\(verb)' is not available inside the lab shell"
    }
  }

  /// A check's figure as one sentence per language and expectation.
  private static func figure(
    _ observed: Int, total: Int?, unit: Check.Unit, expect: Check.Expectation, selector: String, namespace: String, zh: Bool
  ) -> String {
    func count(_ number: Int) -> String { unit.count(number, zh: zh) }
    /// The measure word alone, for a number that follows the noun: `3 个`.
    let measure = switch unit {
    case .pods, .routes, .requests: "个"
    case .ejections: "次"
    case .calls: "次"
    case .connections: "条"
    }
    if expect.all == true, let total {
      if total == 0 {
        return zh ? "\(namespace) 中没有匹配 \(selector) 的 Pod，应至少有一个" : "no pods match \(selector) in \(namespace); expected at least one"
      }
      return zh ? "\(count(total)) 中有 \(observed) 个，应为全部 \(total) 个" : "\(observed) of \(count(total)); expected all \(total)"
    }
    switch (expect.equals, expect.atLeast, expect.atMost) {
    case (let exactly?, _, _):
      return zh ? "观察到 \(count(observed))，应恰好为 \(exactly) \(measure)" : "observed \(count(observed)); expected exactly \(exactly)"
    case (nil, let low?, let high?):
      return zh ? "观察到 \(count(observed))，应在 \(low) 到 \(high) \(measure)之间" : "observed \(count(observed)); expected \(low) to \(high)"
    case (nil, let low?, nil):
      return zh ? "观察到 \(count(observed))，应至少为 \(low) \(measure)" : "observed \(count(observed)); expected at least \(low)"
    case (nil, nil, let high?):
      return zh ? "观察到 \(count(observed))，应至多为 \(high) \(measure)" : "observed \(count(observed)); expected at most \(high)"
    case (nil, nil, nil):
      return zh ? "观察到 \(count(observed))" : "observed \(count(observed))"
    }
  }
}

extension Message {
  /// `count` and an English `noun`, plural unless the count is one: `1 gRPC call`, `25 gRPC calls`.
  static func counted(_ count: Int, _ noun: String) -> String {
    "\(count) \(noun)\(count == 1 ? "" : "s")"
  }
}
