import ClusterModel
import ClusterTools

/// What the learner's own last client call did, in words: the "why" behind a step's outcome, told with
/// the figures the model recorded (connections, kube-proxy's pick, how the sidecar spread the calls).
public enum Observation {
  /// Whether the lab client has made a call that `lastClientCall` can give an account of.
  public static func hasClientCall(in cluster: Cluster) -> Bool {
    Check.lastRun(of: nil, in: cluster) != nil
  }

  /// The account of the last client run, or a sentence saying there is none yet.
  public static func lastClientCall(in cluster: Cluster, language: Language) -> String {
    let zh = language == .zh
    guard let run = Check.lastRun(of: nil, in: cluster) else {
      return zh
        ? "还没有客户端调用：先运行 `oc -n test exec deploy/grpc-client -- curl http://localhost:8080/hello/grpc`。\n"
        : "No client call yet: run `oc -n test exec deploy/grpc-client -- curl http://localhost:8080/hello/grpc` first.\n"
    }
    let calls = Array(cluster.telemetry.calls(of: run))
    let ok = calls.filter { $0.status == .ok }
    var lines: [String] = []
    let time = run.started.rfc3339(fractionDigits: 3)
    lines.append(zh
      ? "你最近一次调用 /hello/grpc（\(time)，来自 \(run.client.name)）：\(calls.count) 次 gRPC 调用，\(ok.count) 次成功。"
      : "Your last call to /hello/grpc (\(time), from \(run.client.name)): \(Message.counted(calls.count, "gRPC call")), \(ok.count) succeeded.")
    guard let channelID = calls.first?.connection, let channel = cluster.telemetry.connection(channelID) else {
      if let failed = calls.first(where: { $0.status != .ok }) {
        lines.append(zh ? "通道没有建立：\(failed.message)" : "The channel never connected: \(failed.message)")
      }
      return lines.joined(separator: "\n") + "\n"
    }
    let opened = channel.opened.rfc3339(fractionDigits: 3)
    if channel.server == channel.client {
      lines.append(zh
        ? "应用在 \(opened) 打开了连接 \(channel.id)，目标 \(channel.destination)；iptables 把它重定向到本 Pod 的 sidecar，由 sidecar 逐个请求做负载均衡。"
        : "The app opened connection \(channel.id) to \(channel.destination) at \(opened); iptables redirected it to the pod's own sidecar, which balanced each call.")
      lines += meshLines(calls, zh: zh)
    } else {
      lines.append(zh
        ? "应用在 \(opened) 打开了一条连接（连接 \(channel.id)），目标 \(channel.destination)。"
        : "The app opened one connection (connection \(channel.id)) to \(channel.destination) at \(opened).")
      if let decision = channel.kubeProxy {
        let n = decision.endpoints.count
        let rule = decision.chosen + 1
        let pod = channel.server.name
        switch (rule == n, zh) {
        case (true, true):
          lines.append("kube-proxy 在 \(n) 个就绪端点中为这条连接选中了 \(pod)：第 \(rule) 条规则是最后一条，必然匹配。")
        case (true, false):
          lines.append("kube-proxy picked \(pod) for it among \(n) ready endpoints (rule \(rule) of \(n), the last rule, which always matches).")
        case (false, true):
          lines.append("kube-proxy 在 \(n) 个就绪端点中为这条连接选中了 \(pod)（第 \(rule) 条规则，匹配概率为 1/\(n - decision.chosen)）。")
        case (false, false):
          lines.append("kube-proxy picked \(pod) for it among \(n) ready endpoints (rule \(rule) of \(n), probability 1/\(n - decision.chosen)).")
        }
      }
      let streams = ok.compactMap(\.stream)
      let streamText = streams.count > 2 ? "\(streams[0]), \(streams[1]), …, \(streams[streams.count - 1])" : streams.map(String.init).joined(separator: ", ")
      lines.append(zh
        ? "全部 \(ok.count) 次调用都作为 HTTP/2 流（\(streamText)）走这条连接，由 \(channel.server.name) 处理。"
        : "All \(ok.count) calls rode that connection as HTTP/2 streams \(streamText) and were served by \(channel.server.name).")
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// How the client's sidecar spread the calls and carried them upstream.
  private static func meshLines(_ calls: [CallRecord], zh: Bool) -> [String] {
    var lines: [String] = []
    var perPod: [String: Int] = [:]
    for call in calls where call.status == .ok { if let server = call.server { perPod[server.name, default: 0] += 1 } }
    let spread = perPod.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
    if perPod.isEmpty {
      lines.append(zh ? "没有调用到达任何 Pod。" : "No call reached a pod.")
    } else {
      lines.append(zh ? "各 Pod 处理的调用数：\(spread)。" : "Calls per pod: \(spread).")
    }
    let upstream = calls.compactMap(\.upstream).filter { $0.connection != nil }
    let fresh = upstream.filter(\.newConnection).count
    let secured = upstream.filter(\.mtls).count
    if let cluster = upstream.first?.cluster {
      let reused = upstream.count - fresh
      let reuse = reused == 0 ? "reused none" : reused == 1 ? "reused one once" : "reused one \(reused) times"
      lines.append(zh
        ? "sidecar 经由 \(cluster) 新建了 \(fresh) 条上游连接，复用了已有连接 \(reused) 次；\(secured) 次调用使用了 Istio 双向 TLS。"
        : "The sidecar opened \(Message.counted(fresh, "new upstream connection")) through \(cluster) and \(reuse); \(Message.counted(secured, "call")) used Istio mutual TLS.")
    } else {
      lines.append(zh ? "sidecar 没有把任何调用送往上游。" : "The sidecar carried no call upstream.")
    }
    if let failed = calls.first(where: { $0.status != .ok }) {
      lines.append(zh
        ? "调用失败：\(failed.status.name) \(failed.message)（Envoy 标志 \(failed.upstream?.responseFlags ?? "-")）。"
        : "A call failed: \(failed.status.name) \(failed.message) (Envoy flags \(failed.upstream?.responseFlags ?? "-")).")
    }
    return lines
  }

  /// The account of the learner's last `grpcurl` call: how far it got on the way in and why it stopped.
  public static func lastWorkstationCall(in cluster: Cluster, language: Language) -> String {
    let zh = language == .zh
    guard let call = cluster.telemetry.workstationCalls.last else {
      return zh ? "还没有 grpcurl 调用。\n" : "No grpcurl call yet.\n"
    }
    let time = call.time.rfc3339(fractionDigits: 3)
    var lines = [zh ? "你最近一次 grpcurl 调用（\(time)）：\(call.path)，目标 \(call.host)。" : "Your last grpcurl call (\(time)): \(call.path) to \(call.host)."]
    if let gateway = call.gateway {
      lines.append(zh
        ? "路由器按 TLS 服务器名把连接原样转发（passthrough）给入口网关 \(gateway.name)。"
        : "The router passed the TLS connection through, by its server name, to the ingress gateway \(gateway.name).")
    }
    switch call.refusal {
    case .missing:
      lines.append(zh
        ? "网关（MUTUAL）要求客户端证书，但没有收到；它在握手之后断开连接，grpcurl 不断重试直到连接超时。"
        : "The gateway (MUTUAL) asked for a client certificate and got none; it broke the connection after the handshake, and grpcurl retried until its connect timeout.")
    case .untrusted(let why):
      lines.append(zh
        ? "网关用 secret 中的 CA 校验客户端证书失败（\(why.goDescription)），发出 TLS 警报 \"\(why.alert)\"；grpcurl 不断重试直到连接超时。"
        : "The gateway could not verify the client certificate against the secret's CA (\(why.goDescription)) and sent the TLS alert \"\(why.alert)\"; grpcurl retried until its connect timeout.")
    case nil:
      break
    }
    switch call.outcome {
    case .dialFailed(let reason) where call.refusal == nil:
      lines.append(zh ? "连接没有建立：\(reason)。" : "The connection never became ready: \(reason).")
    case .connected:
      lines.append(zh
        ? "连接已建立，但 grpcurl 没有发出请求：方法名或请求数据有误。"
        : "It connected, but grpcurl never sent the request: the method or the request data was wrong.")
    case .completed(let reply) where reply.status == .ok:
      let via = call.virtualService.map { zh ? "按 VirtualService \($0) " : "by the VirtualService \($0) " } ?? ""
      lines.append(zh
        ? "网关\(via)把请求经由网格转发给 \(call.server?.name ?? "?")，回复 \"\(reply.message ?? "")\"。"
        : "The gateway routed it \(via)through the mesh to \(call.server?.name ?? "?"), which replied \"\(reply.message ?? "")\".")
    case .completed(let reply):
      let unrouted = reply.status == .unimplemented && call.server == nil
      lines.append(unrouted
        ? (zh ? "没有绑定到该网关的 VirtualService 路由这个请求：网关返回 404，gRPC 报告为 \(reply.status.name)。"
          : "No VirtualService bound to the gateway routed the request: the gateway answered 404, which gRPC reports as \(reply.status.name).")
        : (zh ? "调用失败：\(reply.status.name) \(reply.statusMessage)" : "The call failed: \(reply.status.name) \(reply.statusMessage)"))
    default:
      break
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
