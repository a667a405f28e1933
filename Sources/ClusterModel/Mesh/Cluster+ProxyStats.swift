extension Cluster {
  /// What `pilot-agent request GET stats` prints for the sidecar of `pod`, or nil when it has none.
  ///
  /// Istio keeps Envoy's per-cluster `cluster.outbound|…` counters only when the pod asks for them with
  /// `proxy.istio.io/config: proxyStatsMatcher: inclusionPrefixes: [cluster.outbound]` (or the older
  /// `sidecar.istio.io/statsInclusionPrefixes`); the server's own counters are always there.
  public func proxyStats(of pod: PodRef) -> String? {
    guard let object = store.pod(pod), object.hasSidecar, let runtime = runtimes[object.metadata.uid ?? ""],
      case .running(let since) = runtime.phase
    else { return nil }
    let annotations = object.metadata.annotations ?? [:]
    let included = [annotations["proxy.istio.io/config"], annotations["sidecar.istio.io/statsInclusionPrefixes"]]
      .compactMap { $0 }.contains { $0.contains("cluster.outbound") }
    var lines = [
      "server.concurrency: 2", "server.live: 1", "server.state: 0", "server.uptime: \((now - since).seconds)",
    ]
    if included, let stats = runtime.proxy?.stats(at: now) {
      lines += stats.map { "\($0.name): \($0.value)" }
    }
    return lines.sorted().map { $0 + "\n" }.joined()
  }

  /// The sum of one per-cluster stat (`upstream_rq_pending_overflow`, named after `cluster.<name>.`) over
  /// the Envoy clusters of the pod's sidecar, whether or not the pod asked Istio to show it; nil when the
  /// pod has no running sidecar.
  public func proxyStat(_ name: String, of pod: PodRef) -> Int? {
    guard let object = store.pod(pod), object.hasSidecar, let proxy = runtimes[object.metadata.uid ?? ""]?.proxy else { return nil }
    return proxy.clusterStats(at: now).filter { $0.name == name }.reduce(0) { $0 + $1.value }
  }

  /// The per-cluster stats a sidecar keeps, as `proxyStat` names them.
  public static let proxyStatNames: Set<String> = {
    var outlier = UpstreamCluster(name: "")
    outlier.policy = UpstreamPolicy(nil)
    outlier.policy?.outlier = UpstreamPolicy.OutlierPolicy()
    return Set(outlier.stats.stats(now: outlier.gauges(at: SimTime(nanoseconds: 0))).map(\.name))
  }()

  /// Envoy's admin endpoint on the pod's loopback (`curl localhost:15000/stats`): `GET /stats`, narrowed by
  /// a `filter` regular expression as Envoy's is; other paths are not found.
  static func envoyAdmin(_ request: HTTPRequest, stats: String) -> HTTPResponse {
    let text = [HTTPHeader("content-type", "text/plain; charset=UTF-8")]
    let path = request.path.prefix { $0 != "?" }
    let query = request.path.drop { $0 != "?" }.dropFirst()
    guard request.method == "GET", path == "/stats" else { return HTTPResponse(status: 404, headers: text, body: "") }
    let filter = query.split(separator: "&").first { $0.hasPrefix("filter=") }.map { String($0.dropFirst(7)).removingPercentEncodingOrSelf }
    guard let filter else { return HTTPResponse(status: 200, headers: text, body: stats) }
    guard let regex = try? Regex(filter) else {
      return HTTPResponse(status: 400, headers: text, body: "Invalid re2 regex")
    }
    let lines = stats.split(separator: "\n").filter { $0.contains(regex) }
    return HTTPResponse(status: 200, headers: text, body: lines.map { $0 + "\n" }.joined())
  }
}

extension String {
  /// The text with `%XX` escapes decoded, as a URL's query carries them; the text itself when one is malformed.
  var removingPercentEncodingOrSelf: String {
    var bytes: [UInt8] = []
    var rest = utf8[...]
    while let byte = rest.first {
      rest = rest.dropFirst()
      guard byte == UInt8(ascii: "%") else {
        bytes.append(byte)
        continue
      }
      guard rest.count >= 2, let value = UInt8(String(decoding: rest.prefix(2), as: UTF8.self), radix: 16) else { return self }
      bytes.append(value)
      rest = rest.dropFirst(2)
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
