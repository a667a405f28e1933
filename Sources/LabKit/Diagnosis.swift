import ClusterModel
import ClusterTools

/// The first way the learner's cluster differs from what the current step needs, found in what the model
/// holds and observed (pods, sidecars, mesh membership, DestinationRules, the last client call), with the
/// command that puts it right.
///
/// It follows the step's checks in order and looks behind the first one that fails, so it works for any
/// lab whose checks count pods, calls and connections.
public enum Diagnosis {
  /// The first difference behind the first failing check of `step`; nil when every check passes, or when
  /// nothing behind the failing check can be named.
  public static func firstDifference(for step: Lab.Step, in cluster: Cluster, language: Language) -> String? {
    let zh = language == .zh
    for check in step.checks where !check.evaluate(cluster, language: language).passed {
      if let difference = difference(behind: check, in: cluster, zh: zh) { return difference }
    }
    return nil
  }

  private static func difference(behind check: Check, in cluster: Cluster, zh: Bool) -> String? {
    switch check.query {
    case .pods(let query): return podDifference(query, in: cluster, zh: zh)
    case .calls(let query) where query.tool != nil:
      return toolDifference(query, overflow: false, in: cluster, zh: zh)
    case .overflowedCalls(let query):
      return toolDifference(query, overflow: true, in: cluster, zh: zh)
    case .proxyStat(let query):
      return Check.pods(matching: query.podQuery, in: cluster).first { !$0.hasSidecar }.map { noSidecar($0, in: cluster, zh: zh) }
    case .calls(let query): return lastRun(query.namespace, in: cluster, zh: zh).failure
    case .servingPods(let query), .idlePods(let query):
      let (run, failure) = lastRun(nil, in: cluster, zh: zh)
      guard let run else { return failure }
      guard let client = cluster.store.pod(run.client) else {
        return clientGone(run, zh: zh)
      }
      let spreadWanted = check.expect.all == true || (check.expect.equals ?? 0) > 1 || (check.expect.atLeast ?? 0) > 1
      if spreadWanted, !client.hasSidecar { return noSidecar(client, in: cluster, zh: zh) }
      if !spreadWanted, client.hasSidecar {
        return zh
          ? "你的客户端 Pod \(client.metadata.name) 带有 sidecar（\(ready(client))）：它的 Envoy 逐个请求做负载均衡，所以调用被分散了；这一步针对的是没有 sidecar 的客户端。"
          : "Your client pod \(client.metadata.name) has a sidecar (\(ready(client))): its Envoy balances each call, so the calls spread; this step is about a client without one."
      }
      return Check.pods(matching: query, in: cluster).isEmpty ? podDifference(query, in: cluster, zh: zh) : nil
    case .newConnections(let query), .reusedConnections(let query):
      let (run, failure) = lastRun(query.namespace, in: cluster, zh: zh)
      guard let run else { return failure }
      guard let client = cluster.store.pod(run.client) else {
        return clientGone(run, zh: zh)
      }
      guard client.hasSidecar else { return noSidecar(client, in: cluster, zh: zh) }
      let strict: Bool =
        if case .reusedConnections = check.query { check.expect.equals == 0 || check.expect.atMost == 0 }
        else { (check.expect.equals ?? check.expect.atLeast ?? 0) > 1 }
      return poolDifference(run, strict: strict, in: cluster, zh: zh)
    case .routes(let query):
      return routeDifference(query, in: cluster, zh: zh)
    case .workstationCalls:
      guard let problem = cluster.gatewaySecretProblems.first else { return nil }
      return zh
        ? "istiod 无法为入口网关提供证书：\(problem)（`oc -n istio-system logs deploy/istiod-basic` 中的警告）。网关的 secret 需要 `tls.crt`、`tls.key`，MUTUAL 还需要 `ca.crt`：用 `oc create secret generic … --from-file=tls.crt=… --from-file=tls.key=… --from-file=ca.crt=…` 重新创建它。"
        : "istiod cannot give the ingress gateway its certificates: \(problem) (the warning in `oc -n istio-system logs deploy/istiod-basic`). The gateway's secret needs `tls.crt` and `tls.key`, and for MUTUAL `ca.crt`: create it again with `oc create secret generic … --from-file=tls.crt=… --from-file=tls.key=… --from-file=ca.crt=…`."
    }
  }

  /// Why Istio OpenShift Routing made no Route that `query` matches: the Gateway whose Routes it would
  /// match is outside the mesh, or names a host no Route can have.
  private static func routeDifference(_ query: Check.ObjectQuery, in cluster: Cluster, zh: Bool) -> String? {
    guard let selector = try? LabelSelector(parsing: query.selector) else { return nil }
    let made = cluster.store.list(.gateway).lazy.compactMap { object -> (gateway: Gateway, routes: [Route])? in
      guard case .gateway(let gateway) = object else { return nil }
      let routes = cluster.iorRoutes(for: gateway).filter { selector.matches($0.metadata.labelSet) }
      return routes.isEmpty ? nil : (gateway, routes)
    }
    guard let (gateway, routes) = made.first else {
      return zh
        ? "没有 Gateway 会生成匹配 \(query.selector) 的 Route：先应用这一步的 Gateway。"
        : "No Gateway would make a Route matching \(query.selector): apply the step's Gateway first."
    }
    let namespace = gateway.metadata.namespace ?? ""
    let name = "\(namespace)/\(gateway.metadata.name)"
    let member = cluster.isMeshMember(namespace)
    if !member {
      return zh
        ? "Gateway \(name) 所在的命名空间 \(namespace) 不是网格成员：Istio OpenShift Routing 只为成员命名空间中的 Gateway 创建 Route。"
        : "Gateway \(name) is in \(namespace), which is not a member of the mesh: Istio OpenShift Routing makes Routes only for Gateways in member namespaces."
    }
    guard let refused = routes.first(where: { $0.spec.host.flatMap(Cluster.routeHostProblem) != nil }) else { return nil }
    let host = refused.metadata.annotation("maistra.io/original-host") ?? refused.spec.host ?? ""
    let logs = "oc -n istio-system logs deploy/istiod-basic | grep ior"
    let domain = "oc get ingresses.config/cluster -o jsonpath='{.spec.domain}'"
    return zh
      ? "Gateway \(name) 的主机 \(host) 不是合法的 Route 主机（必须是小写的 RFC 1123 子域名），所以 Istio OpenShift Routing 无法为它创建 Route；istiod 的日志记录了这个错误（`\(logs)`）。请使用集群应用域名下的主机（`\(domain)`）。"
      : "Gateway \(name) names the host \(host), which is no valid Route host (a lowercase RFC 1123 subdomain), so Istio OpenShift Routing could not make its Route; istiod's log has the error (`\(logs)`). Use a host under the cluster's apps domain (`\(domain)`)."
  }

  /// What keeps the pods of `query` from the status and readiness it asks for.
  private static func podDifference(_ query: Check.PodQuery, in cluster: Cluster, zh: Bool) -> String? {
    let pods = Check.pods(matching: query, in: cluster)
    guard !pods.isEmpty else {
      return zh
        ? "\(query.namespace) 中没有匹配 \(query.selector) 的 Pod：先创建生成它们的 Deployment（`oc -n \(query.namespace) get deploy` 列出已有的）。"
        : "No pod in \(query.namespace) matches \(query.selector): create the Deployments that make them (`oc -n \(query.namespace) get deploy` lists those there are)."
    }
    if let wanted = query.ready,
      let pod = pods.first(where: { !$0.hasSidecar && wanted.hasSuffix("/\($0.spec.containers.count + 1)") })
    {
      return noSidecar(pod, in: cluster, zh: zh)
    }
    if let status = query.status, let pod = pods.first(where: { $0.displayStatus != status }) {
      let name = pod.metadata.name
      if ["ContainerCreating", "PodInitializing"].contains(pod.displayStatus) {
        return zh
          ? "Pod \(name) 还在启动（\(pod.displayStatus)）：`oc -n \(query.namespace) get pods -w` 显示它何时变为 \(status)。"
          : "Pod \(name) is still starting (\(pod.displayStatus)): `oc -n \(query.namespace) get pods -w` shows when it is \(status)."
      }
      return zh
        ? "Pod \(name) 的状态是 \(pod.displayStatus)，不是 \(status)：`oc -n \(query.namespace) describe pod \(name)` 的事件说明原因。"
        : "Pod \(name) is \(pod.displayStatus), not \(status): the events of `oc -n \(query.namespace) describe pod \(name)` say why."
    }
    if let wanted = query.ready, let pod = pods.first(where: { ready($0) != wanted }) {
      let name = pod.metadata.name
      return zh
        ? "Pod \(name) 就绪的容器是 \(ready(pod))，不是 \(wanted)：`oc -n \(query.namespace) describe pod \(name)` 说明原因。"
        : "Pod \(name) has \(ready(pod)) containers ready, not \(wanted): `oc -n \(query.namespace) describe pod \(name)` says why."
    }
    return nil
  }

  /// Why `pod` has no sidecar, and how to get one: injection happens only when a pod is created, in a
  /// member namespace, for a template that asks for it.
  private static func noSidecar(_ pod: Pod, in cluster: Cluster, zh: Bool) -> String {
    let name = pod.metadata.name
    let namespace = pod.metadata.namespace ?? ""
    let member = cluster.isMeshMember(namespace)
    let asks = pod.metadata.annotation("sidecar.istio.io/inject") == "true"
    switch (member, asks, zh) {
    case (false, _, false):
      return "Pod \(name) has no sidecar (\(ready(pod))): its namespace \(namespace) is not a member of the mesh. Add \(namespace) to the ServiceMeshMemberRoll (`oc -n istio-system get smmr default -o yaml` shows the members), then delete the pod so that its ReplicaSet makes an injected one: `oc -n \(namespace) delete pod \(name)`."
    case (false, _, true):
      return "Pod \(name) 没有 sidecar（\(ready(pod))）：它的命名空间 \(namespace) 不是网格成员。把 \(namespace) 加入 ServiceMeshMemberRoll（`oc -n istio-system get smmr default -o yaml` 显示成员），再删除这个 Pod，让它的 ReplicaSet 创建注入了 sidecar 的新 Pod：`oc -n \(namespace) delete pod \(name)`。"
    case (true, false, false):
      return "Pod \(name) has no sidecar (\(ready(pod))): its template does not ask for one. Service Mesh injects only pods annotated `sidecar.istio.io/inject: 'true'`; add that to the Deployment's pod template."
    case (true, false, true):
      return "Pod \(name) 没有 sidecar（\(ready(pod))）：它的模板没有请求注入。Service Mesh 只为带有 `sidecar.istio.io/inject: 'true'` 注解的 Pod 注入；请把它加到 Deployment 的 Pod 模板中。"
    case (true, true, false):
      return "Pod \(name) has no sidecar (\(ready(pod))): injection happens when a pod is created, and this one was created before \(namespace) joined the mesh. Delete it and its ReplicaSet makes a new, injected one: `oc -n \(namespace) delete pod \(name)`."
    case (true, true, true):
      return "Pod \(name) 没有 sidecar（\(ready(pod))）：注入只发生在创建 Pod 时，而它创建于 \(namespace) 加入网格之前。删除它，它的 ReplicaSet 会创建注入了 sidecar 的新 Pod：`oc -n \(namespace) delete pod \(name)`。"
    }
  }

  /// What in the DestinationRules for the last run's upstream keeps its connections from what the check
  /// wants: a new one per call (`strict`), or connections reused.
  private static func poolDifference(_ run: ClientRun, strict: Bool, in cluster: Cluster, zh: Bool) -> String? {
    guard let clusterName = cluster.telemetry.calls(of: run).lazy.compactMap(\.upstream?.cluster).first,
      let host = clusterName.split(separator: "|", omittingEmptySubsequences: false).last.map(String.init), !host.isEmpty
    else { return nil }
    let curl = "oc -n \(run.client.namespace) exec \(run.client.name) -- curl -s http://localhost:8080/hello/grpc"
    guard let rule = cluster.destinationRule(for: host, from: run.client.namespace) else {
      return zh
        ? "没有 DestinationRule 为 \(host) 设置连接池：sidecar 会让一条连接承载许多请求。应用这一步的 DestinationRule，然后再次调用客户端。"
        : "No DestinationRule sets a connection pool for \(host): the sidecar keeps each connection for many requests. Apply the step's DestinationRule, then call the client again."
    }
    let name = rule.metadata.name
    let perConnection = rule.spec.trafficPolicy?.connectionPool?.http?.maxRequestsPerConnection
    let allowed = perConnection.map(String.init) ?? (zh ? "不限" : "unlimited")
    switch (strict, perConnection == 1, zh) {
    case (true, false, false):
      return "DestinationRule \(name) allows \(allowed) requests per connection (`maxRequestsPerConnection`), so the sidecar reuses its connections; this step's rule allows 1."
    case (true, false, true):
      return "DestinationRule \(name) 允许每条连接承载 \(allowed) 个请求（`maxRequestsPerConnection`），所以 sidecar 会复用连接；这一步的规则只允许 1 个。"
    case (false, true, false):
      return "DestinationRule \(name) still allows 1 request per connection (`maxRequestsPerConnection: 1`), so every call opens a new connection; apply this step's relaxed rule."
    case (false, true, true):
      return "DestinationRule \(name) 仍然只允许每条连接承载 1 个请求（`maxRequestsPerConnection: 1`），所以每次调用都会新建连接；请应用这一步宽松的规则。"
    default:
      let calls = cluster.telemetry.calls(of: run)
      if let failed = calls.first(where: { $0.status != .ok }) {
        let count = calls.filter { $0.status != .ok }.count
        let flags = failed.upstream.map { " (`\($0.responseFlags)`)" } ?? ""
        return zh
          ? "DestinationRule \(name) 已是这一步的设置，但你最近一次客户端请求的 \(calls.count) 次调用中有 \(count) 次失败\(flags)：“\(failed.message)”，失败的调用不经过连接池。`oc -n \(run.client.namespace) logs \(run.client.name) -c istio-proxy` 说明它们遇到了什么；解决之后再次调用客户端（`\(curl)`）。"
          : "DestinationRule \(name) has this step's setting, but \(count) of the \(calls.count) calls of your last client call failed\(flags): '\(failed.message)', and a failed call rides no pooled connection. `oc -n \(run.client.namespace) logs \(run.client.name) -c istio-proxy` shows what they met; fix it, then call the client again (`\(curl)`)."
      }
      if let created = rule.metadata.creationTimestamp?.time, run.started < created {
        return zh
          ? "DestinationRule \(name) 已是这一步的设置（每条连接 \(allowed) 个请求），但你最近一次客户端调用发生在它创建之前：再次调用客户端（`\(curl)`）。"
          : "DestinationRule \(name) has this step's setting (\(allowed) requests per connection), but your last client call ran before it was created: call the client again (`\(curl)`)."
      }
      return zh
        ? "DestinationRule \(name) 已是这一步的设置（每条连接 \(allowed) 个请求）；再次调用客户端（`\(curl)`），看它的连接是否按这个设置来。"
        : "DestinationRule \(name) has this step's setting (\(allowed) requests per connection); call the client again (`\(curl)`) and see whether its connections follow it."
    }
  }

  /// The last client run (of a client in `namespace`, when given), or the sentence saying there is none.
  private static func lastRun(_ namespace: String?, in cluster: Cluster, zh: Bool) -> (run: ClientRun?, failure: String?) {
    if let run = Check.lastRun(of: namespace, in: cluster) { return (run, nil) }
    return (nil, zh
      ? "还没有客户端调用：运行 `oc -n test exec deploy/grpc-client -- curl -s http://localhost:8080/hello/grpc`。"
      : "No client call yet: run `oc -n test exec deploy/grpc-client -- curl -s http://localhost:8080/hello/grpc`.")
  }

  /// Why a load tool's last run does not show what the check wants: it has not run, its pod has no
  /// sidecar, or (for `overflow`) every call found room in the pools.
  private static func toolDifference(_ query: Check.CallQuery, overflow: Bool, in cluster: Cluster, zh: Bool) -> String? {
    let tool = query.tool ?? ""
    guard let run = Check.lastRun(of: query, in: cluster) else {
      let place = query.namespace.map { zh ? "（在 \($0) 中）" : " in \($0)" } ?? ""
      return zh
        ? "\(tool) 还没有运行过\(place)：用 `kubectl exec POD -c \(tool) -- \(tool) …` 在它的 Pod 中运行。"
        : "\(tool) has not run yet\(place): run it in its pod with `kubectl exec POD -c \(tool) -- \(tool) …`."
    }
    guard let client = cluster.store.pod(run.client) else { return nil }
    guard client.hasSidecar else { return noSidecar(client, in: cluster, zh: zh) }
    guard overflow else { return nil }
    let calls = cluster.telemetry.calls(of: run).count
    return zh
      ? "\(tool) 最近一次运行的 \(calls) 次调用都在连接池中找到了位置，没有断路器溢出。等待连接的请求超过 `http1MaxPendingRequests` 时断路器才会跳闸：用更多线程（`-c`）再运行一次，或应用限制更严的 DestinationRule。"
      : "All \(calls) calls of \(tool)'s last run found room in the pools; no circuit breaker overflowed. A breaker trips when more requests wait for a connection than `http1MaxPendingRequests` allows: run again with more threads (`-c`), or apply a DestinationRule with tighter limits."
  }

  private static func clientGone(_ run: ClientRun, zh: Bool) -> String {
    zh
      ? "你最近一次客户端调用来自 Pod \(run.client.name)，它已经不在了：用新的客户端 Pod 再调用一次（`oc -n \(run.client.namespace) exec deploy/grpc-client -- curl -s http://localhost:8080/hello/grpc`）。"
      : "Your last client call came from pod \(run.client.name), which is gone: call again from the new client pod (`oc -n \(run.client.namespace) exec deploy/grpc-client -- curl -s http://localhost:8080/hello/grpc`)."
  }

  private static func ready(_ pod: Pod) -> String { "\(pod.readyCount.ready)/\(pod.readyCount.total)" }
}
