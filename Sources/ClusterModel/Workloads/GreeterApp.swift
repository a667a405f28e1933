/// The lab's Quarkus app (`quay.io/shrishs/grpc-plain-text-quickstart-jvm`): what it logs and how it is configured.
///
/// Each pod of the image runs both halves: a `helloworld.Greeter` gRPC server on 9000, and a REST endpoint
/// on 8080 whose `GET /hello/grpc` opens a gRPC channel to the configured host and makes `numrequest`
/// sequential blocking calls on it.
enum GreeterApp {
  static let httpPort = 8080
  static let grpcPort = 9000
  static let configPath = "/deployments/config"
  static let configFile = "application.properties"
  static let method = "/helloworld.Greeter/SayHello"

  /// The REST resource's reply to `method path`: `GET /hello`, 405 for its other methods, 404 elsewhere;
  /// nil for `GET /hello/grpc`, whose reply comes from running the client.
  static func restReply(method: String, path: String) -> HTTPResponse? {
    func reply(_ status: Int, _ headers: [HTTPHeader] = [], _ body: String = "") -> HTTPResponse {
      HTTPResponse(status: status, headers: headers + [HTTPHeader("content-length", String(body.utf8.count))], body: body)
    }
    switch (method, path) {
    case ("GET", "/hello"): return reply(200, [HTTPHeader("content-type", "text/plain;charset=UTF-8")], "Hello from RESTEasy Reactive")
    case ("GET", "/hello/grpc"): return nil
    case (_, "/hello"), (_, "/hello/grpc"): return reply(405)
    default: return reply(404)
    }
  }

  /// A Quarkus console log line: `2023-05-19 15:40:14,123 INFO  [io.quarkus] (main) …`.
  static func line(_ time: SimTime, _ level: String, _ category: String, _ thread: String, _ message: String) -> String {
    let padded = level.count >= 5 ? level : level + String(repeating: " ", count: 5 - level.count)
    return "\(time.quarkusLogTimestamp) \(padded) [\(category)] (\(thread)) \(message)"
  }

  /// The properties files read lately, by their bytes: a replay under another seed starts the app with
  /// the same file again.
  private static let parsed = RecentResults<UTF8Key, [String: String]>(capacity: 16)

  /// Parses Java properties text: `key=value`, `key: value` or `key value`; `#` and `!` start comments.
  static func parseProperties(_ text: String) -> [String: String] {
    parsed.result(for: UTF8Key(text)) { properties(in: text) }
  }

  /// The properties `text` sets, read afresh.
  private static func properties(in text: String) -> [String: String] {
    var result: [String: String] = [:]
    for raw in text.split(whereSeparator: \.isNewline) {
      let line = raw.trimmingSpaces()
      guard let first = line.first, first != "#", first != "!" else { continue }
      let separator = line.firstIndex { $0 == "=" || $0 == ":" || $0 == " " } ?? line.endIndex
      let key = String(line[..<separator]).trimmingSpaces()
      var value = line[separator...].drop { $0 == " " }
      if let s = value.first, s == "=" || s == ":" { value = value.dropFirst() }
      result[key] = value.trimmingSpaces()
    }
    return result
  }
}

extension Cluster {
  /// Reads the app's configuration from the files its container mounts; a failure carries the start-up error log.
  func readGreeterConfig(of pod: Pod, container: Container, at start: SimTime) -> Result<AppConfig, StartupFailure> {
    let namespace = pod.metadata.namespace ?? ""
    var properties: [String: String] = [:]
    if let mount = container.volumeMounts?.first(where: { $0.mountPath == GreeterApp.configPath }),
      let volume = pod.spec.volumes?.first(where: { $0.name == mount.name }),
      let source = volume.configMap, let text = store.configMap(source.name, in: namespace)?.data?[GreeterApp.configFile]
    {
      properties = GreeterApp.parseProperties(text)
    }
    func failure(_ problem: String) -> StartupFailure {
      StartupFailure(log: [
        GreeterApp.line(start, "ERROR", "io.quarkus.runtime.Application", "main", "Failed to start application (with profile [prod])"),
        "java.lang.RuntimeException: Failed to start quarkus",
        "\tat io.quarkus.runner.ApplicationImpl.doStart(Unknown Source)",
        "Caused by: io.smallrye.config.ConfigValidationException: Configuration validation failed:",
        "\t\(problem)",
      ])
    }
    let keys = ["numrequest", "quarkus.grpc.clients.hello.host", "teststring"]
    if let missing = keys.first(where: { properties[$0] == nil }) {
      return .failure(failure("SRCFG00014: The config property \(missing) is required but it could not be found in any config source"))
    }
    let raw = properties["numrequest"] ?? ""
    guard let count = Int32(raw).map(Int.init) else {
      return .failure(failure(
        "SRCFG00039: The config property numrequest with the config value \"\(raw)\" threw an Exception whose message is \"For input string: \"\(raw)\"\""))
    }
    return .success(AppConfig(
      numRequest: count, host: properties["quarkus.grpc.clients.hello.host"] ?? "", testString: properties["teststring"] ?? ""))
  }

  /// The lines Quarkus prints while starting, ending at `start`.
  static func greeterStartupLog(at start: SimTime, rng: inout SplitMix64) -> [LogLine] {
    let boot = rng.duration(in: .milliseconds(1_100)...(.milliseconds(2_300)))
    let bootStart = SimTime(nanoseconds: start.nanoseconds - boot.nanoseconds)
    let seconds = Double(boot.milliseconds) / 1000
    let elapsed = String(Int(seconds)) + "." + String(boot.milliseconds % 1000).leftPadded(to: 3, with: "0")
    let banner = [
      "__  ____  __  _____   ___  __ ____  ______ ",
      " --/ __ \\/ / / / _ | / _ \\/ //_/ / / / __/ ",
      " -/ /_/ / /_/ / __ |/ , _/ ,< / /_/ /\\ \\   ",
      "--\\___\\_\\____/_/ |_/_/|_/_/|_|\\____/___/   ",
    ]
    let before = start + .milliseconds(-40)
    return [
      LogLine(time: bootStart, text: "INFO exec -a \"java\" java -XX:MaxRAMPercentage=80.0 -XX:+UseParallelGC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:GCTimeRatio=4 -XX:AdaptiveSizePolicyWeight=90 -XX:+ExitOnOutOfMemoryError -cp \".\" -jar /deployments/quarkus-run.jar "),
      LogLine(time: bootStart, text: "INFO running in /deployments"),
    ] + banner.map { LogLine(time: bootStart, text: $0) } + [
      LogLine(time: before, text: GreeterApp.line(before, "INFO", "io.qua.grp.run.GrpcServerRecorder", "main", "Started gRPC server on 0.0.0.0:9000 [TLS enabled: false]")),
      LogLine(time: start, text: GreeterApp.line(start, "INFO", "io.quarkus", "main", "grpc-plain-text-quickstart 1.0.0-SNAPSHOT on JVM (powered by Quarkus 3.0.3.Final) started in \(elapsed)s. Listening on: http://0.0.0.0:8080")),
      LogLine(time: start, text: GreeterApp.line(start, "INFO", "io.quarkus", "main", "Profile prod activated. ")),
      LogLine(time: start, text: GreeterApp.line(start, "INFO", "io.quarkus", "main", "Installed features: [cdi, grpc-client, grpc-server, resteasy-reactive, smallrye-context-propagation, vertx]")),
    ]
  }
}

/// Why the app could not start, with what it printed.
struct StartupFailure: Error, Equatable {
  var log: [String]
}
