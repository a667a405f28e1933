import ClusterModel
import ClusterTools

/// A declarative assertion over what the model observed. Checks never read the learner's commands.
///
///     pods: {namespace: grpc, selector: app=grpc, status: Running}
///     expect: {equals: 3}
public struct Check: Codable, Equatable, Sendable {
  public var id: String
  public var text: LocalizedText
  /// What the check counts.
  public var query: Query
  public var expect: Expectation

  /// What a check counts; in `lab.yaml`, exactly one key names it.
  public enum Query: Equatable, Sendable {
    /// Pods matching a selector (and optionally a `STATUS` and `READY` value).
    case pods(PodQuery)
    /// The successful calls of the last client run.
    case calls(CallQuery)
    /// The pods of a selector that served calls in the last client run.
    case servingPods(PodQuery)
    /// The pods of a selector that served no call of the last client run.
    case idlePods(PodQuery)
    /// The calls of the last client run for which the client's sidecar opened a new upstream connection.
    case newConnections(CallQuery)
    /// The calls of the last client run that rode an upstream connection the sidecar already had.
    case reusedConnections(CallQuery)
    /// The Routes matching a selector.
    case routes(ObjectQuery)
    /// The gRPC calls from the learner's workstation (grpcurl) that match.
    case workstationCalls(WorkstationCallQuery)
    /// The calls of the last client run that the client's sidecar refused because a circuit breaker
    /// overflowed (response flag `UO`).
    case overflowedCalls(CallQuery)
    /// A per-cluster stat of the sidecars of a selector's pods, summed over their Envoy clusters.
    case proxyStat(StatQuery)

    /// The keys that name a query in `lab.yaml`.
    public static let keys = Key.allCases.map(\.rawValue)

    enum Key: String, CodingKey, CaseIterable {
      case pods, calls, servingPods, idlePods, newConnections, reusedConnections, routes, workstationCalls, overflowedCalls,
        proxyStat
    }

    /// Whether the query counts what the lab's own client (`/hello/grpc`) did in its last run, rather than
    /// pods, objects, stats, grpcurl or a load tool.
    public var readsLabClient: Bool {
      switch self {
      case .calls(let query), .newConnections(let query), .reusedConnections(let query), .overflowedCalls(let query): query.tool == nil
      case .servingPods, .idlePods: true
      case .pods, .routes, .workstationCalls, .proxyStat: false
      }
    }

    /// The pod query, for the queries that have one.
    var pods: PodQuery? {
      switch self {
      case .pods(let query), .servingPods(let query), .idlePods(let query): query
      default: nil
      }
    }
  }

  /// A check counting what `query` names.
  public init(id: String, text: LocalizedText, query: Query, expect: Expectation) {
    self.id = id
    self.text = text
    self.query = query
    self.expect = expect
  }

  private enum CodingKeys: String, CodingKey {
    case id, text, expect
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    id = try container.decode(String.self, forKey: .id)
    text = try container.decode(LocalizedText.self, forKey: .text)
    expect = try container.decode(Expectation.self, forKey: .expect)
    let queries = try decoder.container(keyedBy: Query.Key.self)
    let named = Query.Key.allCases.filter { queries.contains($0) }
    guard named.count == 1, let key = named.first else {
      throw DecodingError.dataCorrupted(.init(
        codingPath: decoder.codingPath,
        debugDescription: "check '\(id)' must name exactly one query of \(Query.keys.joined(separator: ", ")); it names \(named.count)"))
    }
    switch key {
    case .pods: query = .pods(try queries.decode(PodQuery.self, forKey: key))
    case .calls: query = .calls(try queries.decode(CallQuery.self, forKey: key))
    case .servingPods: query = .servingPods(try queries.decode(PodQuery.self, forKey: key))
    case .idlePods: query = .idlePods(try queries.decode(PodQuery.self, forKey: key))
    case .newConnections: query = .newConnections(try queries.decode(CallQuery.self, forKey: key))
    case .reusedConnections: query = .reusedConnections(try queries.decode(CallQuery.self, forKey: key))
    case .routes: query = .routes(try queries.decode(ObjectQuery.self, forKey: key))
    case .workstationCalls: query = .workstationCalls(try queries.decode(WorkstationCallQuery.self, forKey: key))
    case .overflowedCalls: query = .overflowedCalls(try queries.decode(CallQuery.self, forKey: key))
    case .proxyStat: query = .proxyStat(try queries.decode(StatQuery.self, forKey: key))
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(id, forKey: .id)
    try container.encode(text, forKey: .text)
    try container.encode(expect, forKey: .expect)
    var queries = encoder.container(keyedBy: Query.Key.self)
    switch query {
    case .pods(let value): try queries.encode(value, forKey: .pods)
    case .calls(let value): try queries.encode(value, forKey: .calls)
    case .servingPods(let value): try queries.encode(value, forKey: .servingPods)
    case .idlePods(let value): try queries.encode(value, forKey: .idlePods)
    case .newConnections(let value): try queries.encode(value, forKey: .newConnections)
    case .reusedConnections(let value): try queries.encode(value, forKey: .reusedConnections)
    case .routes(let value): try queries.encode(value, forKey: .routes)
    case .workstationCalls(let value): try queries.encode(value, forKey: .workstationCalls)
    case .overflowedCalls(let value): try queries.encode(value, forKey: .overflowedCalls)
    case .proxyStat(let value): try queries.encode(value, forKey: .proxyStat)
    }
  }

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

  /// The client runs to look at: the last one, optionally only from one namespace; the lab client's own
  /// `/hello/grpc`, or a load tool's (`fortio`).
  public struct CallQuery: Codable, Equatable, Sendable {
    /// The client's namespace; any when nil.
    public var namespace: String?
    /// The load tool whose runs count (`fortio`); nil for the lab client's `/hello/grpc`.
    public var tool: String?
  }

  /// One stat of the sidecars of the pods a selector matches: `upstream_rq_pending_overflow`.
  public struct StatQuery: Codable, Equatable, Sendable {
    /// The pods' namespace.
    public var namespace: String
    /// A label selector, as `-l` takes it.
    public var selector: String
    /// The stat's name after `cluster.<name>.` (`Cluster.proxyStatNames`).
    public var stat: String

    /// The pods whose sidecars the query reads.
    var podQuery: PodQuery { PodQuery(namespace: namespace, selector: selector) }
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
    case pods, calls, connections, routes, requests, ejections
  }

  /// What the figure counts: pods, calls, connections, routes, requests or ejections.
  public var unit: Unit {
    switch query {
    case .pods, .servingPods, .idlePods: .pods
    case .newConnections: .connections
    case .routes: .routes
    case .calls, .reusedConnections, .workstationCalls, .overflowedCalls: .calls
    case .proxyStat(let query):
      query.stat.hasPrefix("outlier_detection.") ? .ejections : query.stat.hasPrefix("upstream_cx") ? .connections : .requests
    }
  }

  /// Whether the figure can change while the cluster's revision stays as it was: Envoy's stats live in the
  /// sidecars, not in stored objects or telemetry, and its gauges (`ejections_active`) move with the clock alone.
  public var movesWithTheClock: Bool {
    if case .proxyStat = query { true } else { false }
  }

  /// The figure this check observes in `cluster`.
  public func observe(_ cluster: Cluster) -> Int {
    switch query {
    case .pods(let query):
      return Self.countPods(matching: query, in: cluster) { pod in
        (query.status.map { pod.displayStatus == $0 } ?? true)
          && (query.ready.map { "\(pod.readyCount.ready)/\(pod.readyCount.total)" == $0 } ?? true)
      }
    case .calls(let query):
      guard let run = Self.lastRun(of: query, in: cluster) else { return 0 }
      return cluster.telemetry.calls(of: run).filter { $0.status == .ok }.count
    case .overflowedCalls(let query):
      guard let run = Self.lastRun(of: query, in: cluster) else { return 0 }
      return cluster.telemetry.calls(of: run).filter { $0.upstream?.responseFlags == "UO" }.count
    case .proxyStat(let query):
      return Self.pods(matching: query.podQuery, in: cluster).reduce(0) { total, pod in
        total + (cluster.proxyStat(query.stat, of: PodRef(namespace: query.namespace, name: pod.metadata.name)) ?? 0)
      }
    case .servingPods(let query), .idlePods(let query):
      let serving = if case .servingPods = self.query { true } else { false }
      let names = Self.servers(of: query, in: cluster)
      var matched = 0
      let servers = Self.countPods(matching: query, in: cluster) { pod in
        matched += 1
        return names.contains(pod.metadata.name)
      }
      return serving ? servers : matched - servers
    case .newConnections(let query), .reusedConnections(let query):
      let new = if case .newConnections = self.query { true } else { false }
      guard let run = Self.lastRun(of: query, in: cluster) else { return 0 }
      let upstream = cluster.telemetry.calls(of: run).compactMap(\.upstream).filter { $0.connection != nil }
      return upstream.filter { $0.newConnection == new }.count
    case .routes(let query):
      guard let selector = try? LabelSelector(parsing: query.selector) else { return 0 }
      return cluster.store.list(.route, namespace: query.namespace).filter { selector.matches($0.metadata.labelSet) }.count
    case .workstationCalls(let query):
      let calls = cluster.telemetry.workstationCalls
      return (query.last == true ? Array(calls.suffix(1)) : Array(calls)).filter(query.matches).count
    }
  }

  /// How many pods the selector of a pod query matches, for an expectation of `all`; nil for other queries.
  func population(_ cluster: Cluster) -> Int? {
    query.pods.map { Self.countPods(matching: $0, in: cluster) }
  }

  /// Evaluates the check in `language`.
  public func evaluate(_ cluster: Cluster, language: Language) -> CheckResult {
    let observed = observe(cluster)
    let total = expect.all == true ? population(cluster) : nil
    let passed = expect.accepts(observed, of: total)
    let pods = query.pods
    let figure = Message.figure(
      observed: observed, total: total, unit: unit, expect: expect, selector: pods?.selector ?? "", namespace: pods?.namespace ?? "")
    return CheckResult(
      id: id, text: text.text(language), passed: passed, observed: observed, total: total, expect: expect, unit: unit,
      figure: figure.text(language))
  }

  /// The pods `query`'s namespace and selector match.
  static func pods(matching query: PodQuery, in cluster: Cluster) -> [Pod] {
    guard let selector = try? LabelSelector(parsing: query.selector) else { return [] }
    return cluster.store.pods(in: query.namespace) { selector.matches($0.metadata.labelSet) }
  }

  /// How many of the pods `query` matches `isIncluded` accepts, counted as they are found: none is copied
  /// into a list or sorted.
  static func countPods(matching query: PodQuery, in cluster: Cluster, where isIncluded: (Pod) -> Bool = { _ in true }) -> Int {
    guard let selector = try? LabelSelector(parsing: query.selector) else { return 0 }
    return cluster.store.countPods(in: query.namespace) { selector.matches($0.metadata.labelSet) && isIncluded($0) }
  }

  /// The pods `query` matches that served calls of the lab client's last run.
  static func servingPods(matching query: PodQuery, in cluster: Cluster) -> [Pod] {
    let names = servers(of: query, in: cluster)
    return pods(matching: query, in: cluster).filter { names.contains($0.metadata.name) }
  }

  /// The names of the pods in `query`'s namespace that served calls of the lab client's last run.
  private static func servers(of query: PodQuery, in cluster: Cluster) -> Set<String> {
    guard let run = lastRun(of: nil, in: cluster) else { return [] }
    return Set(cluster.telemetry.calls(of: run).compactMap(\.server).filter { $0.namespace == query.namespace }.map(\.name))
  }

  /// The lab client's last `/hello/grpc` run, of a client in `namespace` when one is given. A load tool's
  /// runs are experiments beside the steps, which are about the client.
  static func lastRun(of namespace: String?, in cluster: Cluster) -> ClientRun? {
    lastRun(of: CallQuery(namespace: namespace, tool: nil), in: cluster)
  }

  /// The last run `query` names: the lab client's `/hello/grpc`, or the load tool's it names.
  static func lastRun(of query: CallQuery, in cluster: Cluster) -> ClientRun? {
    cluster.telemetry.clientRuns.last { run in
      let origin = query.tool.map { run.origin == .loadTool($0) } ?? run.isHelloEndpoint
      return origin && (query.namespace == nil || run.client.namespace == query.namespace)
    }
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

extension Check.Unit {
  /// `number` of the unit: `3 pods`, `1 call`, or `3 个 Pod`.
  func count(_ number: Int, zh: Bool) -> String {
    guard zh else { return Message.counted(number, String(rawValue.dropLast())) }
    switch self {
    case .pods: return "\(number) 个 Pod"
    case .calls: return "\(number) 次调用"
    case .connections: return "\(number) 条连接"
    case .routes: return "\(number) 个 Route"
    case .requests: return "\(number) 个请求"
    case .ejections: return "\(number) 次驱逐"
    }
  }
}
