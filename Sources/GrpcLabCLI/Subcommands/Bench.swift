import ArgumentParser
import ClusterModel

extension GrpcLab {
  /// `grpclab bench`: how fast the model runs gRPC calls, without and with sidecars; with `--journal N`,
  /// how fast commands answer in a workspace whose journal holds N commands.
  ///
  /// One client makes all calls on one channel to a Service of `--pods` server pods, exactly as the lab's
  /// client does, with every record the lab keeps (logs, calls, connections, and through sidecars pools,
  /// access logs and spans). Time and peak memory come from the machine; build with `-c release`.
  struct Bench: Executable {
    static let configuration = CommandConfiguration(
      commandName: "bench",
      abstract: "Measure the model: calls per second and peak memory, without and with sidecars; or, with --journal, commands on a long journal; or, with --seeds, a sweep.")

    @Option(help: "Calls the client makes.")
    var calls = 1_000_000

    @Option(help: "Server pods behind the Service.")
    var pods = 100

    @Option(help: "plain, mesh or both.")
    var mode = "both"

    @Option(help: "Time cold commands in a workspace whose journal holds this many commands instead.")
    var journal: Int?

    @Option(help: "Time check --seeds over this many seeds of the five steps' solutions instead.")
    var seeds: Int?

    func execute(_ environment: GrpcLabEnvironment) throws(GrpcLabError) -> Int32 {
      if let journal { return try journalFigures(entries: journal, environment) }
      if let seeds { return try seedFigures(seeds: seeds, environment) }
      guard (1...Int(Int32.max)).contains(calls), (1...Self.maxPods).contains(pods), ["plain", "mesh", "both"].contains(mode) else {
        environment.writeError(
          "grpclab: bench needs --calls from 1 to \(Int32.max), --pods from 1 to \(Self.maxPods) and --mode plain, mesh or both\n")
        return 2
      }
      for mesh in mode == "both" ? [false, true] : [mode == "mesh"] {
        var cluster: Cluster
        do {
          cluster = try Self.scenario(calls: calls, pods: pods, mesh: mesh)
        } catch {
          environment.writeError("grpclab: bench set-up failed: \(error)\n")
          return 1
        }
        let client = cluster.store.pods(in: "test").first.map { PodRef(namespace: "test", name: $0.metadata.name) }
        let start = environment.stopwatch()
        let outcome = client.flatMap { try? cluster.send(HTTPRequest(host: "localhost", port: 8080, path: "/hello/grpc"), from: $0) }
        let elapsed = Double(environment.stopwatch() - start) / 1e9
        guard case .response(let response, _) = outcome, response.status == 200, let run = cluster.telemetry.clientRuns.last else {
          environment.writeError("grpclab: bench client run failed\n")
          return 1
        }
        let served = Set(cluster.telemetry.calls(of: run).compactMap(\.server)).count
        let rate = elapsed > 0 ? Double(run.calls.count) / elapsed : 0
        let label = mesh ? "sidecars" : "plain   "
        environment.write(
          "\(label)  \(run.calls.count) calls, \(pods) server pods: \(elapsed.decimalText(digits: 3)) s, \((rate / 1e6).decimalText(digits: 3)) M calls/s; \(served) pods served the last \(cluster.telemetry.calls(of: run).count) calls\n")
      }
      environment.write("peak memory  \(environment.peakMemoryKB() / 1024) MB\n")
      return 0
    }

    /// The most server pods the modelled nodes give distinct addresses to, with room for the platform's.
    static let maxPods = 500

    /// The lab's server and client at scale: one Deployment of `pods` greeters, its Service, and a client
    /// configured for `calls` calls; with `mesh`, both namespaces are members and the pods have sidecars.
    static func scenario(calls: Int, pods: Int, mesh: Bool) throws(ClusterError) -> Cluster {
      var cluster = Cluster(seed: 1)
      try cluster.createProject("grpc")
      try cluster.createProject("test")
      if mesh {
        try cluster.create(.serviceMeshMemberRoll(ServiceMeshMemberRoll(
          metadata: ObjectMeta(name: "default", namespace: "istio-system"), spec: .init(members: ["grpc", "test"]))))
      }
      let properties = "numrequest: \(calls)\nquarkus.grpc.clients.hello.host: grpc.grpc.svc.cluster.local\nteststring: prom\n"
      for namespace in ["grpc", "test"] {
        try cluster.create(.configMap(ConfigMap(
          metadata: ObjectMeta(name: "grpcconfig", namespace: namespace), data: ["application.properties": properties])))
      }
      for (name, namespace, replicas) in [("grpc", "grpc", pods), ("grpc-client", "test", 1)] {
        var container = Container(name: "custom-grpc-hello", image: "quay.io/shrishs/grpc-plain-text-quickstart-jvm")
        container.volumeMounts = [VolumeMount(name: "config", mountPath: "/deployments/config")]
        let template = PodTemplateSpec(
          metadata: ObjectMeta(labels: ["app": name], annotations: mesh ? ["sidecar.istio.io/inject": "true"] : nil),
          spec: PodSpec(containers: [container], volumes: [Volume(name: "config", configMap: ConfigMapVolumeSource(name: "grpcconfig"))]))
        try cluster.create(.deployment(Deployment(
          metadata: ObjectMeta(name: name, namespace: namespace),
          spec: .init(replicas: replicas, selector: LabelSelector(matchLabels: ["app": name]), template: template))))
      }
      try cluster.create(.service(Service(
        metadata: ObjectMeta(name: "grpc", namespace: "grpc"),
        spec: .init(ports: [.init(name: "grpc", port: 9000, targetPort: .int(9000))], selector: ["app": "grpc"]))))
      cluster.advance(by: .seconds(60))
      return cluster
    }
  }
}
