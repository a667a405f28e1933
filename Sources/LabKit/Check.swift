import ClusterModel
import ClusterTools

/// A declarative assertion over what the model observed. Checks never read the learner's commands.
///
///     pods: {namespace: grpc, selector: app=grpc, status: Running}
///     expect: {equals: 3}
public struct Check: Codable, Equatable, Sendable {
  public var id: String
  public var text: LocalizedText
  /// Count pods matching a selector (and optionally a `STATUS` and `READY` value).
  public var pods: PodQuery?
  /// Count the successful calls of the last client run.
  public var calls: CallQuery?
  /// Count the pods of a selector that served calls in the last client run.
  public var servingPods: PodQuery?
  /// Count the pods of a selector that served no call of the last client run.
  public var idlePods: PodQuery?
  /// Count the calls of the last client run for which the client's sidecar opened a new upstream connection.
  public var newConnections: CallQuery?
  /// Count the calls of the last client run that rode an upstream connection the sidecar already had.
  public var reusedConnections: CallQuery?
  /// Count the Routes matching a selector.
  public var routes: ObjectQuery?
  /// Count the gRPC calls from the learner's workstation (grpcurl) that match.
  public var workstationCalls: WorkstationCallQuery?
  public var expect: Expectation

  /// Pods by namespace and label selector.
  public struct PodQuery: Codable, Equatable, Sendable {
    public var namespace: String
    public var selector: String
    public var status: String?
    public var ready: String?
  }

  /// Objects by namespace and label selector.
  public struct ObjectQuery: Codable, Equatable, Sendable {
    /// The namespace to look in.
    public var namespace: String
    /// A label selector, as `-l` takes it.
    public var selector: String
  }

  /// Workstation calls: all of them or the last one, that got a reply, a response header, or a refusal.
  public struct WorkstationCallQuery: Codable, Equatable, Sendable {
    /// Look only at the last call.
    public var last: Bool?
    /// The reply's `message`.
    public var reply: String?
    /// A response header, as `name: value`.
    public var header: String?
    /// Why the ingress gateway refused the client's certificate: `missing` or `untrusted`.
    public var refused: String?

    func matches(_ record: WorkstationCallRecord) -> Bool {
      let reply: GRPCReply? = if case .completed(let value) = record.outcome { value } else { nil }
      let refusal: String? = switch record.refusal {
      case .missing: "missing"
      case .untrusted: "untrusted"
      case nil: nil
      }
      return (self.reply.map { $0 == reply?.message } ?? true)
        && (header.map { wanted in reply?.headers.contains { "\($0.name): \($0.value)" == wanted } == true } ?? true)
        && (refused.map { $0 == refusal } ?? true)
    }
  }

  /// The client runs to look at: the last one, optionally only from one namespace.
  public struct CallQuery: Codable, Equatable, Sendable {
    public var namespace: String?
  }

  /// What the observed figure must be.
  public struct Expectation: Codable, Equatable, Sendable {
    public var equals: Int?
    public var atLeast: Int?
    public var atMost: Int?
    /// Every pod of the query's selector, and at least one: for `pods` and `servingPods`.
    public var all: Bool?

    func accepts(_ value: Int, of total: Int?) -> Bool {
      if all == true, let total { return total > 0 && value == total }
      return (equals.map { value == $0 } ?? true) && (atLeast.map { value >= $0 } ?? true) && (atMost.map { value <= $0 } ?? true)
    }
  }

  /// What a check's figure counts.
  public enum Unit: String, Codable, Sendable {
    case pods, calls, connections, routes
  }

  /// What the figure counts: pods, calls, connections or routes.
  public var unit: Unit {
    if pods != nil || servingPods != nil || idlePods != nil { return .pods }
    if newConnections != nil { return .connections }
    if routes != nil { return .routes }
    return .calls
  }

  /// The figure this check observes in `cluster`.
  public func observe(_ cluster: Cluster) -> Int {
    if let query = pods {
      return matchingPods(query, in: cluster).filter { pod in
        (query.status.map { pod.displayStatus == $0 } ?? true)
          && (query.ready.map { "\(pod.readyCount.ready)/\(pod.readyCount.total)" == $0 } ?? true)
      }.count
    }
    if let query = calls {
      guard let run = lastRun(query.namespace, in: cluster) else { return 0 }
      return cluster.telemetry.calls(of: run).filter { $0.status == .ok }.count
    }
    if let query = servingPods ?? idlePods {
      let names = Set(matchingPods(query, in: cluster).map(\.metadata.name))
      guard let run = lastRun(nil, in: cluster) else { return servingPods == nil ? names.count : 0 }
      let servers = Set(cluster.telemetry.calls(of: run).compactMap(\.server).filter { $0.namespace == query.namespace }.map(\.name))
      return servingPods == nil ? names.subtracting(servers).count : servers.intersection(names).count
    }
    if let query = newConnections ?? reusedConnections {
      guard let run = lastRun(query.namespace, in: cluster) else { return 0 }
      let upstream = cluster.telemetry.calls(of: run).compactMap(\.upstream).filter { $0.connection != nil }
      return upstream.filter { $0.newConnection == (newConnections != nil) }.count
    }
    if let query = routes {
      guard let selector = try? LabelSelector(parsing: query.selector) else { return 0 }
      return cluster.store.list(.route, namespace: query.namespace).filter { selector.matches($0.metadata.labelSet) }.count
    }
    if let query = workstationCalls {
      let calls = cluster.telemetry.workstationCalls
      return (query.last == true ? Array(calls.suffix(1)) : Array(calls)).filter(query.matches).count
    }
    return 0
  }

  /// How many pods the selector of a pod query matches, for an expectation of `all`; nil for other queries.
  func population(_ cluster: Cluster) -> Int? {
    (pods ?? servingPods ?? idlePods).map { matchingPods($0, in: cluster).count }
  }

  /// Evaluates the check in `language`.
  public func evaluate(_ cluster: Cluster, language: Language) -> CheckResult {
    let observed = observe(cluster)
    let total = expect.all == true ? population(cluster) : nil
    let passed = expect.accepts(observed, of: total)
    let query = pods ?? servingPods ?? idlePods
    let figure = Message.figure(
      observed: observed, total: total, unit: unit, expect: expect, selector: query?.selector ?? "", namespace: query?.namespace ?? "")
    return CheckResult(
      id: id, text: text.text(language), passed: passed, observed: observed, total: total, expect: expect, unit: unit,
      figure: figure.text(language))
  }

  private func matchingPods(_ query: PodQuery, in cluster: Cluster) -> [Pod] {
    guard let selector = try? LabelSelector(parsing: query.selector) else { return [] }
    return cluster.store.pods(in: query.namespace).filter { selector.matches($0.metadata.labelSet) }
  }

  private func lastRun(_ namespace: String?, in cluster: Cluster) -> ClientRun? {
    cluster.telemetry.clientRuns.last { namespace == nil || $0.client.namespace == namespace }
  }
}

/// The outcome of one check, with the figure that decided it.
public struct CheckResult: Codable, Equatable, Sendable {
  public var id: String
  public var text: String
  public var passed: Bool
  public var observed: Int
  /// How many pods the selector matched, for an expectation of `all`.
  public var total: Int?
  public var expect: Check.Expectation
  public var unit: Check.Unit
  /// The figure in the check's own terms, as one sentence: `observed 3 pods; expected exactly 1`.
  public var figure: String
}
