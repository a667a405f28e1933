import ClusterModel
import ClusterTools
import Testing

@testable import LabKit

/// fortio (`fortio/fortio`, the lab's `fortio.yaml`) as a learner runs it with `oc exec`.
@Suite struct FortioTests {
  /// The lab after the solutions of its first `steps` steps, with the lab's fortio deployment running in
  /// `test` (with a sidecar once `test` is in the mesh).
  static func session(steps: Int = 1, seed: UInt64 = 9) throws -> LabSession {
    let lab = try LabCatalog.lab("grpc-lb")
    var session = LabSession(lab: lab, state: SessionState(lab: lab.id, seed: seed))
    for line in lab.steps[..<steps].flatMap(\.solution) + ["oc -n test apply -f fortio.yaml"] {
      session.executeWaiting(line, files: LabFiles(lab: lab), workingDirectory: "/workspace")
    }
    session.execute("oc -n test get pods", files: LabFiles(lab: lab), workingDirectory: "/workspace", at: session.cluster.now + .seconds(30))
    return session
  }

  static func run(_ session: inout LabSession, _ line: String) -> ToolResult {
    session.executeWaiting(line, files: LabFiles(lab: session.lab), workingDirectory: "/workspace")
  }

  static func fortio(_ session: inout LabSession, _ arguments: String) -> ToolResult {
    run(&session, "oc -n test exec deploy/fortio-deploy -c fortio -- fortio \(arguments)")
  }

  /// At fortio's default level (Info) its JSON info lines come between its summary's lines: the start, the
  /// runner's start, each thread's end and the run's end, each at its time.
  @Test func aLoadPrintsFortiosSummaryAndInfoLinesOnStandardError() throws {
    var session = try Self.session()
    let result = Self.fortio(&session, "load -grpc -c 2 -qps 0 -n 21 grpc.grpc:9000")
    #expect(result.exitCode == 0 && result.stdout.isEmpty)
    let lines = result.stderr.split(separator: "\n").map(String.init)
    let logs = lines.map { $0.hasPrefix("{\"ts\":") ? String($0.drop { $0 != "," }) : $0 }
    #expect(Array(logs.prefix(9)) == [
      #","level":"info","r":1,"file":"scli.go","line":123,"msg":"Starting","command":"Φορτίο","version":"1.60.3 h1:adR0uf/69M5xxKaMLAautVf9FIVkEpMwuEWyMaaSnI0= go1.20.10 amd64 linux"}"#,
      "Fortio 1.60.3 running at 0 queries per second, 2->2 procs, for 21 calls: grpc.grpc:9000",
      #","level":"info","r":1,"file":"grpcrunner.go","line":162,"msg":"Starting GRPC Health for '' test for grpc.grpc:9000 with 1*2 threads at -1.0 qps, compression: false"}"#,
      #","level":"info","r":1,"file":"grpcrunner.go","line":342,"msg":"Extracted dial options: []"}"#,
      "Starting at max qps with 2 thread(s) [gomax 2] for exactly 21 calls (10 per thread + 1)",
      logs[5], logs[6], logs[7], logs[8],
    ])
    let threads = logs[5...6].sorted()
    #expect(threads[0].hasPrefix(#","level":"info","r":51,"file":"periodic.go","line":850,"msg":"T000 ended after "#) && threads[0].contains(" : 11 calls. qps="))
    #expect(threads[1].hasPrefix(#","level":"info","r":52,"file":"periodic.go","line":850,"msg":"T001 ended after "#) && threads[1].contains(" : 10 calls. qps="))
    #expect(logs[7].hasPrefix("Ended after ") && logs[7].contains(" : 21 calls. qps="))
    #expect(logs[8].hasPrefix(#","level":"info","r":1,"file":"periodic.go","line":581,"msg":"Run ended","run":0,"elapsed":""#) && logs[8].contains(#","calls":21,"qps":"#))
    #expect(lines[9].hasPrefix("Aggregated Function Time : count 21 avg "))
    #expect(lines.contains("# range, mid point, percentile, count"))
    #expect(lines.contains { $0.hasPrefix("# target 99.9% ") })
    #expect(lines.suffix(4).dropLast() == ["Error cases : no data", "Jitter: false", "Health SERVING : 21"])
    #expect(lines.last?.hasPrefix("All done 21 calls (plus 0 warmup) ") == true)
  }

  /// `-quiet` sets the level to Error without a word: no info lines, no start and end lines, and the
  /// histograms as counters and targets only.
  @Test func quietKeepsOnlyTheCountersTargetsAndCounts() throws {
    var session = try Self.session()
    let result = Self.fortio(&session, "load -quiet -grpc -c 2 -qps 0 -n 21 grpc.grpc:9000")
    let lines = result.stderr.split(separator: "\n").map(String.init)
    #expect(lines.count == 11, "\(lines)")
    #expect(lines.first == "Fortio 1.60.3 running at 0 queries per second, 2->2 procs, for 21 calls: grpc.grpc:9000")
    #expect(lines[1].hasPrefix("Aggregated Function Time : count 21 avg "))
    #expect(lines[2...6].map { String($0.prefix(13)) } == ["# target 50% ", "# target 75% ", "# target 90% ", "# target 99% ", "# target 99.9"])
    #expect(Array(lines[7...9]) == ["Error cases : count 0 avg NaN +/- NaN min 0 max 0 sum 0", "Jitter: false", "Health SERVING : 21"])
    #expect(lines.last?.hasPrefix("All done 21 calls (plus 0 warmup) ") == true)
  }

  @Test func pingIsNotAServiceTheGreeterServes() throws {
    var session = try Self.session()
    let result = Self.fortio(&session, "load -grpc -ping -n 4 -qps 0 -loglevel Warning grpc.grpc:9000")
    #expect(result.stderr.hasPrefix("{\"ts\":"))
    #expect(result.stderr.contains("\"msg\":\"Log level is now 3 Warning (was 2 Info)\"}\n"))
    #expect(result.stderr.components(separatedBy: "Error making grpc call: rpc error: code = Unimplemented desc = unknown service fgrpc.PingServer").count == 5)
    #expect(result.stderr.contains("\nPing ERROR : 4\n"))
  }

  @Test func aWarmupCallThatFailsAbortsTheLoad() throws {
    var session = try Self.session()
    let result = Self.fortio(&session, "load -grpc -t 1s nosuch.grpc:9000")
    #expect(result.exitCode == 1)
    #expect(result.stderr.contains("Error in first grpc call (ping = false) for nosuch.grpc:9000: rpc error: code = Unavailable"))
    #expect(result.stderr.hasSuffix("command terminated with exit code 1\n"))
  }

  @Test func aDurationAndARateSetTheCallsAndTheirWarmup() throws {
    var session = try Self.session()
    let result = Self.fortio(&session, "load -grpc -c 2 -qps 20 -t 2s grpc.grpc:9000")
    #expect(result.stderr.contains("Starting at 20 qps with 2 thread(s) [gomax 2] for 2s : 20 calls each (total 40)\n"))
    #expect(result.stderr.contains("\nSleep times : count 38 avg "))
    #expect(result.stderr.contains("\nHealth SERVING : 40\n"))
    #expect(result.stderr.contains("All done 40 calls (plus 2 warmup) "))
  }

  @Test(arguments: [
    ("load -x grpc:9000", "flag provided but not defined: -x"),
    ("load -grpc", "Error: fortio load needs a url or destination"),
    ("load -grpc a:1 b:2", "Error: too many arguments (typo in a flag?)"),
    ("load -grpc -c", "flag needs an argument: -c"),
    ("load -grpc -c two grpc:9000", "invalid value \"two\" for flag -c: parse error"),
    ("load -grpc -t 5 grpc:9000", "invalid value \"5\" for flag -t: parse error"),
    ("load -grpc -c 2.5 grpc:9000", "invalid value \"2.5\" for flag -c: parse error"),
    ("launch", "Error: unknown command launch"),
  ])
  func badInputGetsFortiosUsageAndExit1(arguments: String, message: String) throws {
    var session = try Self.session()
    let revision = session.cluster.revision
    let result = Self.fortio(&session, arguments)
    #expect(result.exitCode == 1)
    #expect(result.stderr.hasPrefix("Φορτίο 1.60.3 usage:\n"))
    #expect(result.stderr.hasSuffix(message + "\ncommand terminated with exit code 1\n"))
    #expect(session.cluster.revision == revision)
  }

  @Test func loadsTheModelCannotRunQuicklyAreRefusedInOneLine() throws {
    var session = try Self.session()
    for arguments in [
      "load -grpc -t 0 grpc:9000", "load -grpc -n 1000000 grpc:9000", "load -grpc -t 2m grpc:9000", "load http://grpc-client.test:8080/hello/grpc",
      "load -grpc -c 1000 -qps 0 -t 60s grpc:9000", "load -grpc -qps 1e10 -t 30s grpc:9000",
    ] {
      let result = Self.fortio(&session, arguments)
      #expect(result.exitCode == 1)
      #expect(result.stderr.hasPrefix("grpclab: "), "\(arguments)")
      #expect(result.stderr.filter { $0 == "\n" }.count == 2, "\(arguments)")
    }
  }

  @Test func numbersOutOfRangeNeverTrap() throws {
    var session = try Self.session()
    for flag in ["-c", "-n", "-qps", "-r", "-t", "-p"] {
      for value in ["1e20", "-1", "nan", "inf", "1e-300", "0", "99999999", "-inf", "1e308", "-1e20", "-99999999999999999999"] {
        let result = Self.fortio(&session, "load -grpc -n 2 \(flag) \(value) grpc.grpc:9000")
        #expect([0, 1].contains(result.exitCode), "\(flag) \(value): \(result.stderr.suffix(200))")
      }
    }
  }

  @Test func fortioRunsOnlyInFortiosContainer() throws {
    var session = try Self.session()
    let result = Self.run(&session, "oc -n grpc exec deploy/grpc-v1 -- fortio version")
    #expect(result.exitCode != 0)
    #expect(result.stderr.contains("exec: \"fortio\": executable file not found in $PATH"))
    #expect(Self.fortio(&session, "version").stdout == "1.60.3\n")
  }

  /// As fortio's fast client does, curl writes the reply's headers to standard error and its body to
  /// standard output.
  @Test func curlWritesTheHeadersToStandardErrorAndTheBodyToStandardOutput() throws {
    var session = try Self.session()
    let ip = try #require(session.cluster.store.pods(in: "grpc").first?.status?.podIP)
    let result = Self.fortio(&session, "curl http://\(ip):8080/hello")
    #expect(result.exitCode == 0)
    #expect(result.stderr.hasPrefix("HTTP/1.1 200 OK\r\n") && result.stderr.hasSuffix("\r\n\r\n"))
    #expect(result.stdout == "Hello from RESTEasy Reactive")
    #expect(result.written.map(\.isError) == [true, false])
    #expect(Self.fortio(&session, "curl http://\(ip):8080/hello 2>&1").stdout == result.stderr + result.stdout, "in the order written")
  }

  /// Checks and `why` look at the lab client's own calls: a load beside them is an experiment, even when
  /// it spreads over every pod.
  @Test func aLoadDoesNotStandInForTheClientsCallsInChecks() throws {
    var session = try Self.session(steps: 1)
    #expect(session.check(step: 0).allSatisfy { $0.passed })
    let load = Self.fortio(&session, "load -grpc -c 8 -qps 0 -n 80 grpc.grpc:9000")
    #expect(load.stderr.contains("Health SERVING : 80"))
    let run = try #require(session.cluster.telemetry.clientRuns.last)
    #expect(Set(session.cluster.telemetry.calls(of: run).compactMap(\.server)).count > 1, "eight connections, balanced one by one")
    #expect(session.check(step: 0).allSatisfy { $0.passed })
    #expect(Observation.lastClientCall(in: session.cluster, language: .en).contains("from grpc-client-"))
  }

  /// After step 3's strict rule, four threads at once trip the sidecar's circuit breakers. Step 4's
  /// relaxed rule lets them through once its pools are warm: while the first connections connect, the
  /// streams waiting for them count against `http1MaxPendingRequests: 1`, as Envoy counts them.
  @Test func theStrictPoolOverflowsUnderConcurrencyAndTheRelaxedOneDoesNot() throws {
    var session = try Self.session(steps: 3, seed: 7)
    let strict = Self.fortio(&session, "load -grpc -c 4 -qps 0 -n 200 grpc.grpc:9000").stderr
    let failed = strict.split(separator: "\n").first { $0.hasPrefix("Health ERROR : ") }.flatMap { Int($0.dropFirst(15)) } ?? 0
    #expect(failed > 0 && failed < 200)
    #expect(strict.contains("Error making grpc call: rpc error: code = Unavailable desc = upstream connect error or disconnect/reset before headers. reset reason: overflow"))
    let log = Self.run(&session, "oc -n test logs deploy/fortio-deploy -c istio-proxy").stdout
    #expect(log.components(separatedBy: "\" 200 UO upstream_reset_before_response_started{overflow} ").count - 1 == failed)
    let stats = Self.run(&session, "oc -n test exec deploy/fortio-deploy -c istio-proxy -- pilot-agent request GET stats").stdout
    let overflow = stats.split(separator: "\n").first { $0.contains("grpc.grpc.svc.cluster.local.upstream_rq_pending_overflow: ") }
    #expect(overflow.flatMap { Int($0.split(separator: " ").last ?? "") } == failed)
    _ = Self.run(&session, "oc apply -f grpc-dr-relaxed.yaml")
    let cold = Self.fortio(&session, "load -grpc -c 4 -qps 0 -n 200 grpc.grpc:9000").stderr
    let coldFailures = cold.split(separator: "\n").first { $0.hasPrefix("Health ERROR : ") }.flatMap { Int($0.dropFirst(15)) } ?? 0
    #expect(coldFailures < failed)
    let warm = Self.fortio(&session, "load -grpc -c 4 -qps 0 -n 200 grpc.grpc:9000").stderr
    #expect(warm.contains("\nError cases : no data\nJitter: false\nHealth SERVING : 200\n"))
  }

  /// Envoy's admin endpoint answers on the pod's loopback, as `pilot-agent request GET stats` reads it.
  @Test func theSidecarsAdminPortServesItsStats() throws {
    var session = try Self.session(steps: 3, seed: 7)
    _ = Self.fortio(&session, "load -grpc -c 4 -qps 0 -n 40 grpc.grpc:9000")
    let agent = Self.run(&session, "oc -n test exec deploy/fortio-deploy -c istio-proxy -- pilot-agent request GET stats").stdout
    let admin = Self.run(&session, "oc -n test exec deploy/fortio-deploy -c istio-proxy -- curl -s localhost:15000/stats")
    func counters(_ text: String) -> [Substring] { text.split(separator: "\n").filter { $0.hasPrefix("cluster.") } }
    #expect(admin.exitCode == 0 && !counters(agent).isEmpty && counters(admin.stdout) == counters(agent))
    let filtered = Self.run(&session, "oc -n test exec deploy/fortio-deploy -c istio-proxy -- curl -s 'http://127.0.0.1:15000/stats?filter=rq_pending_(overflow|total)'")
    #expect(filtered.stdout.split(separator: "\n").count == 2)
    #expect(filtered.stdout.split(separator: "\n").allSatisfy { $0.contains("upstream_rq_pending_") })
    let bad = Self.run(&session, "oc -n test exec deploy/fortio-deploy -c istio-proxy -- curl -s 'localhost:15000/stats?filter=('")
    #expect(bad.stdout == "Invalid re2 regex")
    let pod = try #require(session.cluster.store.pods(in: "grpc").first?.metadata.name)
    let noSidecar = Self.run(&session, "oc -n grpc exec \(pod) -c istio-proxy -- curl -s localhost:15000/stats")
    #expect(noSidecar.exitCode == 0 && noSidecar.stdout.contains("server.live: 1"), "the server's sidecar has its admin port too")
  }

  /// The learner's view of the overflow, byte for byte.
  @Test func overflowWithSeed7() throws {
    var session = try Self.session(steps: 3, seed: 7)
    let text = transcript([
      "oc -n test exec deploy/fortio-deploy -c fortio -- fortio load -grpc -c 3 -qps 0 -n 12 grpc.grpc:9000",
      "oc -n test exec deploy/fortio-deploy -c istio-proxy -- pilot-agent request GET stats | grep grpc.grpc | grep -e pending -e overflow",
      "oc -n test logs deploy/fortio-deploy -c istio-proxy | grep UO | head -n 2",
      "oc apply -f grpc-dr-relaxed.yaml",
      "oc -n test exec deploy/fortio-deploy -c fortio -- fortio load -grpc -c 3 -qps 0 -n 12 -loglevel Warning grpc.grpc:9000",
      "oc -n test exec deploy/fortio-deploy -c fortio -- fortio load -grpc -c 3 -qps 0 -n 12 -loglevel Warning grpc.grpc:9000",
    ], in: &session)
    try assertGolden(text, "fortio-overflow-seed7.txt")
  }
}

/// curl in the greeter's image: `-o` sends the body to a file in the container, `-w` writes what curl
/// measured, as curl 7.61 does.
@Suite struct CurlWriteOutTests {
  @Test func writeOutReportsTheTransferAndAFailureAlike() throws {
    var session = try FortioTests.session()
    let exec = "oc -n test exec deploy/grpc-client -- curl"
    #expect(FortioTests.run(&session, "\(exec) -s -o /dev/null -w '%{http_code} %{size_download} %{content_type} %{num_connects}\\n' localhost:8080/hello")
      == ToolResult(stdout: "200 28 text/plain;charset=UTF-8 1\n"))
    #expect(FortioTests.run(&session, "\(exec) -s -w '%{http_code}|%{URL_effective}|%{time_connect}|%{nope}\\n' localhost:8081")
      == ToolResult(
        stdout: "000|http://localhost:8081/||\n",
        stderr: "grpclab: curl -w %{time_connect} is not measured in the lab\ncurl: unknown --write-out variable: 'nope'\ncommand terminated with exit code 7\n",
        exitCode: 7))
    #expect(FortioTests.run(&session, "\(exec) -sf -o /dev/null -w '%{http_code} %{num_connects}' localhost:8080/nope")
      == ToolResult(stdout: "404 1", stderr: "command terminated with exit code 22\n", exitCode: 22))
    #expect(FortioTests.run(&session, #"\#(exec) -s -o /dev/null -w '\\n|%x|\%{http_code}|%{http_code' localhost:8080/hello"#).stdout
      == #"\\n|%x|\%{http_code}|%{http_code"#)
    let total = FortioTests.run(&session, "\(exec) -s -o out.txt -w '%{time_total}' localhost:8080/hello").stdout
    #expect(total.count == 8 && total.hasPrefix("0.00"))
  }
}

/// `curl -v` in the greeter's image: the connection, the request and the response head, as curl 7.61 traces
/// them on standard error.
@Suite struct CurlVerboseTests {
  @Test func verboseTracesTheExchangeAndAFailure() throws {
    var session = try FortioTests.session()
    let exec = "oc -n test exec deploy/grpc-client -- curl"
    let hello = FortioTests.run(&session, "\(exec) -sv localhost:8080/hello")
    #expect(hello.stderr == """
      *   Trying 127.0.0.1...
      * TCP_NODELAY set
      * Connected to localhost (127.0.0.1) port 8080 (#0)
      > GET /hello HTTP/1.1\r
      > Host: localhost:8080\r
      > User-Agent: curl/7.61.1\r
      > Accept: */*\r
      > \r
      < HTTP/1.1 200 OK\r
      < content-type: text/plain;charset=UTF-8\r
      < content-length: 28\r
      < \r
      { [28 bytes data]
      * Connection #0 to host localhost left intact

      """)
    #expect(FortioTests.run(&session, "\(exec) -v localhost:8081").stderr.hasSuffix("""
      --:--:--     0*   Trying 127.0.0.1...
      * TCP_NODELAY set
      * connect to 127.0.0.1 port 8081 failed: Connection refused
      * Failed to connect to localhost port 8081: Connection refused
      * Closing connection 0
      curl: (7) Failed to connect to localhost port 8081: Connection refused
      command terminated with exit code 7

      """))
    #expect(FortioTests.run(&session, "\(exec) -sSv nosuch/").stderr
      == "* Could not resolve host: nosuch\n* Closing connection 0\ncurl: (6) Could not resolve host: nosuch\ncommand terminated with exit code 6\n")
  }
}

/// `ls` and `cat` in the greeter's container: the mounted ConfigMap, and the files the kubelet writes.
@Suite struct ContainerFilesTests {
  @Test func theMountedConfigAndTheKubeletsFilesCanBeRead() throws {
    var session = try FortioTests.session()
    let exec = "oc -n test exec deploy/grpc-client --"
    #expect(FortioTests.run(&session, "\(exec) ls /deployments/config/") == ToolResult(stdout: "application.properties\n"))
    #expect(FortioTests.run(&session, "\(exec) cat /deployments/config/application.properties").stdout.hasPrefix("numrequest: 25\n"))
    #expect(FortioTests.run(&session, "\(exec) cat /etc/resolv.conf")
      == ToolResult(stdout: "search test.svc.cluster.local svc.cluster.local cluster.local\nnameserver 172.30.0.10\noptions ndots:5\n"))
    let hosts = FortioTests.run(&session, "\(exec) cat /etc/hosts").stdout
    #expect(hosts.hasPrefix("# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n"))
    let pod = session.cluster.store.pods(in: "test").first { $0.metadata.name.hasPrefix("grpc-client-") }
    #expect(hosts.hasSuffix("\(pod?.status?.podIP ?? "?")\t\(pod?.metadata.name ?? "?")\n"))
    #expect(FortioTests.run(&session, "\(exec) ls /") == ToolResult(
      stderr: "grpclab: ls in a container lists only the folders of mounted volumes, with no option but -1\ncommand terminated with exit code 2\n",
      exitCode: 2))
  }

  /// The service account's projected volume (the CA bundles, the namespace, a token the lab does not issue)
  /// and the sidecar's downward-API files.
  @Test func projectedAndDownwardAPIVolumesCanBeRead() throws {
    var session = try FortioTests.session()
    let exec = "oc -n test exec deploy/grpc-client --"
    let account = "/var/run/secrets/kubernetes.io/serviceaccount"
    #expect(FortioTests.run(&session, "\(exec) ls \(account)") == ToolResult(stdout: "ca.crt\nnamespace\nservice-ca.crt\ntoken\n"))
    #expect(FortioTests.run(&session, "\(exec) cat \(account)/namespace") == ToolResult(stdout: "test"))
    #expect(FortioTests.run(&session, "\(exec) cat \(account)/ca.crt").stdout.hasPrefix("-----BEGIN CERTIFICATE-----\n"))
    #expect(FortioTests.run(&session, "\(exec) cat \(account)/token").exitCode == 1)
    var mesh = try FortioTests.session(steps: 2)
    let labels = FortioTests.run(&mesh, "oc -n test exec deploy/grpc-client -c istio-proxy -- cat /etc/istio/pod/labels").stdout
    #expect(labels.hasPrefix("app=\"grpc\"\napp.kubernetes.io/version=\"client\"\n") && !labels.hasSuffix("\n"))
  }
}
