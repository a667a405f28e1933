extension Cluster {
  /// What `pilot-agent` prints while an `istio-proxy` container starts (Istio 1.18): its flags, its
  /// identity, certificates from istiod, and `Envoy proxy is ready`.
  func istioProxyStartupLog(of pod: Pod, at start: SimTime) -> [LogLine] {
    let namespace = pod.metadata.namespace ?? ""
    let sidecar = pod.spec.containers.count > 1
    let level = pod.proxyLogLevel
    let flags = [
      "--concurrency=\"\(sidecar ? 2 : 0)\"", "--domain=\"\(namespace).svc.cluster.local\"", "--help=\"false\"",
      "--log_as_json=\"false\"", "--log_caller=\"\"", "--log_output_level=\"default:info\"", "--log_rotate=\"\"",
      "--log_rotate_max_age=\"30\"", "--log_rotate_max_backups=\"1000\"", "--log_rotate_max_size=\"104857600\"",
      "--log_stacktrace_level=\"default:none\"", "--log_target=\"[stdout]\"", "--meshConfig=\"./etc/istio/config/mesh\"",
      "--outlierLogPath=\"\"", "--profiling=\"true\"", "--proxyComponentLogLevel=\"misc:error\"",
      "--proxyLogLevel=\"\(level)\"", "--serviceCluster=\"istio-proxy\"", "--stsPort=\"0\"", "--templateFile=\"\"",
      "--tokenManagerPlugin=\"GoogleTokenExchange\"", "--vklog=\"0\"",
    ].map { "info\tFLAG: \($0)" }
    let ip = pod.status?.podIP ?? ""
    let id = "\(pod.metadata.name).\(namespace)"
    let rest = [
      "info\tVersion 1.18.2-\(Self.meshVersion)",
      "info\tMaximum file descriptors (ulimit -n): 1048576",
      "info\tProxy role\tips=[\(ip)] type=\(sidecar ? "sidecar" : "router") id=\(id) domain=\(namespace).svc.cluster.local",
      "info\tJWT policy is third-party-jwt",
      "info\tWorkload SDS socket not found. Starting Istio SDS Server",
      "info\tCA Endpoint istiod-basic.istio-system.svc:15012, provider Citadel",
      "info\tOpening status port 15020",
      "info\tUsing CA istiod-basic.istio-system.svc:15012 cert with certs: var/run/secrets/istio/root-cert.pem",
      "info\txdsproxy\tInitializing with upstream address \"istiod-basic.istio-system.svc:15012\" and cluster \"Kubernetes\"",
      "info\tPilot SAN: [istiod-basic.istio-system.svc]",
      "info\tStarting proxy agent",
      "info\tEnvoy command: [-c etc/istio/proxy/envoy-rev.json --drain-time-s 45 --drain-strategy immediate --local-address-ip-version v4 --file-flush-interval-msec 1000 --disable-hot-restart --allow-unknown-static-fields --log-format %Y-%m-%dT%T.%fZ\t%l\tenvoy %n %g:%#\t%v\tthread=%t -l \(level) --component-log-level misc:error --concurrency 2]",
      "info\tsds\tStarting SDS grpc server",
      "info\tcache\tgenerated new workload certificate\tlatency=118.35ms ttl=23h59m59s",
      "info\tcache\tRoot cert has changed, start rotating root cert",
      "info\txdsproxy\tconnected to upstream XDS server: istiod-basic.istio-system.svc:15012",
      "info\tads\tADS: new connection for node:\(id)-1",
      "info\tads\tSDS: PUSH request for node:\(id) resources:1 size:4.0kB resource:default",
      "info\tReadiness succeeded in 1.475679178s",
      "info\tEnvoy proxy is ready",
    ]
    return (flags + rest).enumerated().map { offset, text in
      let time = start + .microseconds(Int64(offset) * (offset < flags.count ? 4 : 70_000))
      return LogLine(time: time, text: "\(time.rfc3339(fractionDigits: 6))\t\(text)")
    }
  }
}
