import ClusterModel
import ClusterTools
import Foundation
import Testing

@testable import LabKit

@Suite struct IngressStepTests {
  static let host = "grpc-istio-system.apps.cluster.example.com"
  static let call = "-proto helloworld.proto -d '{\"name\":\"test\"}' \(host):443 helloworld.Greeter/SayHello"
  static let client = "-cert certs/client.example.com.crt -key certs/client.example.com.key"

  /// Step 5 after the reference solutions of steps 1–4: every way the article's call can fail, then succeed.
  static let ingress = [
    "grpcurl -proto helloworld.proto list",
    "grpcurl -proto helloworld.proto list helloworld.Greeter",
    "grpcurl -proto helloworld.proto describe helloworld.Greeter",
    "grpcurl -proto helloworld.proto describe .helloworld.HelloRequest",
    "grpcurl -v -insecure \(client) \(call)",
    "oc annotate ingresses.config/cluster ingress.operator.openshift.io/default-enable-http2=true",
    "oc create -n istio-system secret generic istio-ingressgateway-certs --from-file=tls.crt=certs/gateway.crt --from-file=tls.key=certs/gateway.key --from-file=ca.crt=certs/ca.crt",
    "oc apply -f grpc-gateway.yaml",
    "oc -n istio-system get routes -l maistra.io/gateway-name=grpc-gateway",
    "istioctl pc route deploy/istio-ingressgateway -n istio-system",
    "grpcurl -v -insecure \(call)",
    "grpcurl -v -insecure \(client) \(call)",
    "oc apply -f grpc-gateway-vs.yaml",
    "istioctl pc route deploy/istio-ingressgateway.istio-system --name https.443.HTTPS.grpc-gateway.grpc",
    "grpcurl -v -insecure \(client) \(call)",
    "grpcurl -insecure -cert certs/rogue.crt -key certs/rogue.key \(call)",
    "grpcurl \(client) \(call)",
    "grpcurl -cacert certs/ca.crt \(client) -proto helloworld.proto -d '{\"name\":\"you\"}' \(host):443 helloworld.Greeter/SayHello",
    "grpcurl -cacert certs/ca.crt \(client) -proto helloworld.proto grpc.apps.ocp-xxx.com:443 helloworld.Greeter/SayHello",
    "grpcurl -plaintext -proto helloworld.proto \(host):443 helloworld.Greeter/SayHello",
    "grpcurl -insecure \(client) -proto helloworld.proto -d '{\"nom\":\"x\"}' \(host):443 helloworld.Greeter/SayHello",
    "grpcurl -insecure \(client) -proto helloworld.proto \(host):443 helloworld.Greeter/SayGoodbye",
    "grpcurl -insecure \(client) \(host):443 helloworld.Greeter/SayHello",
    "grpcurl -insecure -cert certs/client.example.com.crt \(call)",
    "grpcurl -insecure \(client) -proto nosuch.proto \(host):443 helloworld.Greeter/SayHello",
    "grpcurl --vv -insecure \(client) \(call)",
    "grpcurl -format text -H 'X-Trace: on' -v -insecure \(client) -proto helloworld.proto -d @ \(host):443 helloworld.Greeter/SayHello <<EOF\nname: \"here-doc\"\nEOF",
    "grpcurl -H '' -v -insecure -cacert nosuch.crt \(client) \(call) | head -n 9",
    "grpcurl -insecure -cert certs/client.example.com.key -key certs/client.example.com.crt \(call)",
    "grpcurl -insecure -authority other.apps.cluster.example.com \(client) \(call)",
    "grpcurl -insecure -servername \(host) -authority \(host):443 \(client) \(call)",
    "grpcurl -plaintext=yes \(call)",
    "grpcurl",
    "grpcurl -plaintext -insecure \(host):443 list",
    "grpcurl -bogus \(host):443 list",
    "grpcurl -proto helloworld.proto \(host):443",
    "kiali graph -n grpc",
    "oc -n istio-system logs deploy/istio-ingressgateway --tail 2",
    "oc describe route -n istio-system",
    "oc -n istio-system delete pod -l app=istio-ingressgateway",
    "grpcurl -insecure \(client) \(call)",
  ]

  @Test func stepFiveWithSeed7() throws {
    let lab = try LabCatalog.lab("grpc-lb")
    let (text, session) = try transcript(lab.steps[..<4].flatMap(\.solution) + Self.ingress, seed: 7)
    let first = "$ \(Self.ingress[0])\n"
    try assertGolden(first + (text.components(separatedBy: first).last ?? ""), "step5-seed7.txt")
    #expect(session.check(step: 4).allSatisfy { $0.passed })
  }

  /// `-d` as Go's JSON decoder reads it, with its words for each mistake.
  @Test func requestDataIsReadAsGoReadsJSON() throws {
    let lab = try LabCatalog.lab("grpc-lb")
    func call(_ data: String) -> String {
      "grpcurl -insecure \(Self.client) -proto helloworld.proto -d '\(data)' \(Self.host):443 helloworld.Greeter/SayHello"
    }
    let cases: [(String, String)] = [
      ("{name:\"x\"}", "error getting request data: invalid character 'n' looking for beginning of object key string"),
      ("{\"name\":\"x\",}", "error getting request data: invalid character '}' looking for beginning of object key string"),
      ("{\"name\":\"x\"", "error getting request data: unexpected EOF"),
      ("{\"name\" \"x\"}", "error getting request data: invalid character '\"' after object key"),
      ("{\"name\": tru}", "error getting request data: invalid character '}' in literal true (expecting 'e')"),
      ("{\"name\":\"x\"} x", "error getting request data: invalid character 'x' looking for beginning of value"),
      ("{\"name\":\"a\"}{\"name\":\"b\"}", "method \"helloworld.Greeter.SayHello\" is a unary RPC, but request data contained more than 1 message"),
    ]
    let (text, _) = try transcript(lab.steps.flatMap(\.solution) + cases.map { call($0.0) } + [call("null")], seed: 7)
    for (data, message) in cases {
      #expect(text.contains("$ \(call(data))\nError invoking method \"helloworld.Greeter/SayHello\": \(message)\n[exit 1]\n"), "\(data)")
    }
    #expect(text.hasSuffix("$ \(call("null"))\n{\n  \"message\": \"Hello \"\n}\n"))
  }

  /// `-format text` reads `-d` in the protobuf text format, as protoreflect's parser reads it.
  @Test func textRequestDataIsReadAsProtoreflectReadsIt() throws {
    let lab = try LabCatalog.lab("grpc-lb")
    func call(_ data: String) -> String {
      "grpcurl -format text -insecure \(Self.client) -proto helloworld.proto -d '\(data)' \(Self.host):443 helloworld.Greeter/SayHello"
    }
    let cases: [(String, String)] = [
      ("nme: \"x\"", "line 1, col 1: \"nme\" is not a recognized field name of \"helloworld.HelloRequest\""),
      ("name \"x\"", "line 1, col 6: Expecting a colon ':'; instead got \"\\\"x\\\"\""),
      ("name: 5", "line 1, col 7: Expecting a string value; got \"5\""),
      ("name:", "unexpected EOF"),
      ("{\"name\": \"x\"}", "line 1, col 1: Expecting an identifier or tag number; instead got \"{\""),
    ]
    let (text, _) = try transcript(lab.steps.flatMap(\.solution) + cases.map { call($0.0) } + [call("name: \"a\", name: \"b\";")], seed: 7)
    for (data, message) in cases {
      #expect(text.contains("$ \(call(data))\nError invoking method \"helloworld.Greeter/SayHello\": error getting request data: \(message)\n[exit 1]\n"), "\(data)")
    }
    #expect(text.hasSuffix("$ \(call("name: \"a\", name: \"b\";"))\nmessage: \"Hello b\"\n"))
  }

  /// `-help` and a bad flag print grpcurl 1.8.6's own usage text (`Fixtures/grpcurl-help.txt`, from the binary).
  @Test func usageIsGrpcurlsOwn() throws {
    let usage = try String(
      contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/grpcurl-help.txt"),
      encoding: .utf8)
    let (text, _) = try transcript(
      ["grpcurl -help", "grpcurl -h", "grpcurl -bogus \(Self.host):443 list", "grpcurl -max-msg-sz 1.5 -plaintext x:1 list"], seed: 7)
    #expect(
      text == "$ grpcurl -help\n\(usage)$ grpcurl -h\n\(usage)$ grpcurl -bogus \(Self.host):443 list\nflag provided but not defined: -bogus\n\(usage)[exit 2]\n"
        + "$ grpcurl -max-msg-sz 1.5 -plaintext x:1 list\ninvalid value \"1.5\" for flag -max-msg-sz: parse error\n\(usage)[exit 2]\n")
  }

  /// `-msg-template` adds the request's JSON template to a message's description, as grpcurl 1.8.6 prints it.
  @Test func messageTemplate() throws {
    let (text, _) = try transcript(["grpcurl -proto helloworld.proto -msg-template describe helloworld.HelloRequest"], seed: 7)
    #expect(text.hasSuffix("""
      message HelloRequest {
        string name = 1;
      }

      Message template:
      {
        "name": ""
      }

      """))
  }

  @Test func whyTellsHowFarTheLastCallGot() throws {
    let lab = try LabCatalog.lab("grpc-lb")
    let solution = lab.steps.flatMap(\.solution)
    let beforeRoute = try transcript(Array(solution.dropLast(2)), seed: 9).1
    #expect(Observation.lastWorkstationCall(in: beforeRoute.cluster, language: .en).contains(
      "asked for a client certificate and got none"))
    let unrouted = try transcript(Array(solution.dropLast(2)) + ["grpcurl -insecure \(Self.client) \(Self.call)"], seed: 9).1
    #expect(Observation.lastWorkstationCall(in: unrouted.cluster, language: .en).contains(
      "No VirtualService bound to the gateway routed the request: the gateway answered 404"))
    let done = try transcript(solution, seed: 9).1
    #expect(Observation.lastWorkstationCall(in: done.cluster, language: .zh).contains("按 VirtualService grpc-gateway-vs.grpc"))
  }

  @Test func virtualServicesBoundToTheGatewayMergeOldestFirst() throws {
    let lab = try LabCatalog.lab("grpc-lb")
    let solution = lab.steps.flatMap(\.solution).filter { !$0.contains("grpc-gateway-vs.yaml") && !$0.hasPrefix("grpcurl") }
    let other = """
      oc apply -f - <<EOF
      apiVersion: networking.istio.io/v1beta1
      kind: VirtualService
      metadata: {name: a-other, namespace: grpc}
      spec:
        hosts: [\(Self.host)]
        gateways: [grpc/grpc-gateway]
        http:
        - match: [{uri: {prefix: /other.Service/}}]
          route: [{destination: {host: grpc, port: {number: 9000}}}]
      EOF
      """
    let call = "grpcurl -insecure \(Self.client) \(Self.call)"
    let (text, session) = try transcript(solution + [other, call, "oc apply -f grpc-gateway-vs.yaml", call], seed: 5)
    #expect(text.contains("virtualservice.networking.istio.io/a-other created"))
    #expect(text.components(separatedBy: "Code: Unimplemented").count == 2, "only the call before the catch-all route fails")
    #expect(session.cluster.telemetry.workstationCalls.last?.virtualService == "grpc-gateway-vs.grpc")
  }

  @Test func routeHostsMustBeLowercaseSubdomains() throws {
    let route = "oc apply -f - <<EOF\nkind: Route\napiVersion: route.openshift.io/v1\nmetadata: {name: r, namespace: grpc}\nspec: {host: grpc.apps.ocp-XXX.com, to: {kind: Service, name: grpc}}\nEOF"
    let (text, session) = try transcript(["oc new-project grpc", route], seed: 1)
    #expect(text.contains("The Route \"r\" is invalid: spec.host: Invalid value: \"grpc.apps.ocp-XXX.com\": a lowercase RFC 1123 subdomain"))
    #expect(session.cluster.store.list(.route, namespace: "grpc").isEmpty)
  }

  @Test func simpleTLSNeedsNoClientCertificateAndARefusalWaitsOutTheTimeout() throws {
    let lab = try LabCatalog.lab("grpc-lb")
    let setup = lab.steps.flatMap(\.solution).filter { !$0.hasPrefix("grpcurl") }
    let (_, mutual) = try transcript(setup, seed: 6)
    var cluster = mutual.cluster
    let before = cluster.now
    let outcome = cluster.callFromWorkstation(WorkstationCall(
      host: Self.host, port: 443, plaintext: false, insecure: true, roots: nil, identity: nil, authority: nil,
      path: "/helloworld.Greeter/SayHello", name: "x", connectTimeout: .milliseconds(2_500), userAgent: "test"))
    #expect(outcome == .dialFailed("context deadline exceeded"))
    let waited = cluster.now - before
    #expect(waited >= .milliseconds(2_500) && waited < .milliseconds(2_520), "the connect timeout on the simulated clock")
    let simple = "oc apply -f - <<EOF\n" + (try #require(LabCatalog.files(of: lab).first { $0.name == "grpc-gateway.yaml" })).contents
      .replacingOccurrences(of: "mode: MUTUAL", with: "mode: SIMPLE") + "EOF"
    let (text, _) = try transcript(
      setup + [simple, "grpcurl -insecure -import-path certs/.. -proto helloworld.proto -d '{\"name\":\"simple\"}' \(Self.host):443 helloworld.Greeter/SayHello"],
      seed: 6)
    #expect(text.contains("gateway.networking.istio.io/grpc-gateway configured"))
    #expect(text.hasSuffix("{\n  \"message\": \"Hello simple\"\n}\n"))
  }

  @Test func theStepsChecksPassAfterItsSolution() throws {
    let lab = try LabCatalog.lab("grpc-lb")
    let (_, session) = try transcript(lab.steps.flatMap(\.solution), seed: 9)
    #expect(session.check(step: 4).map(\.passed) == [true, true, true])
  }

  /// The issue's acceptance: certificates made by openssl today, a rogue one, the article's Gateway.
  @Test func opensslCertificatesWorkOnTheLearnersClock() throws {
    let lab = try LabCatalog.lab("grpc-lb")
    let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("ClusterModelTests/Fixtures/openssl")
    let files = ScratchFiles(lab: LabFiles(lab: lab), scratch: fixtures)
    let started = CivilTime.time(year: 2026, month: 12, day: 1)
    var session = LabSession(lab: lab, state: SessionState(lab: lab.id, seed: 4, started: started))
    for line in lab.steps[..<4].flatMap(\.solution) {
      session.execute(line, files: files, workingDirectory: "/workspace", at: started)
    }
    func run(_ line: String) -> ToolResult { session.execute(line, files: files, workingDirectory: "/workspace", at: started) }
    #expect(run("oc create -n istio-system secret generic istio-ingressgateway-certs --from-file=tls.crt=/scratch/server.crt --from-file=tls.key=/scratch/server.key --from-file=ca.crt=/scratch/ca.crt").exitCode == 0)
    #expect(run("oc apply -f grpc-gateway.yaml").exitCode == 0)
    let article = "-proto helloworld.proto -d '{\"name\":\"test\"}' \(Self.host):443 helloworld.Greeter/SayHello"
    let noRoute = run("grpcurl -v --insecure --cert /scratch/client.example.com.crt --key /scratch/client.example.com.key \(article)")
    #expect(noRoute.exitCode == 76 && noRoute.stderr == "ERROR:\n  Code: Unimplemented\n  Message: \n")
    #expect(run("oc apply -f grpc-gateway-vs.yaml").exitCode == 0)
    let hello = run("grpcurl -v --insecure --cert /scratch/client.example.com.crt --key /scratch/client.example.com.key \(article)")
    #expect(hello.exitCode == 0)
    #expect(hello.stdout.contains("\"message\": \"Hello test\"") && hello.stdout.contains("server: istio-envoy"))
    #expect(hello.stdout.contains("date: Tue, 01 Dec 2026 "))
    let verified = run("grpcurl -cacert /scratch/ca.crt -cert /scratch/client.example.com.crt -key /scratch/client.example.com.key \(article)")
    #expect(verified.exitCode == 0)
    let anonymous = run("grpcurl --insecure \(article)")
    #expect(anonymous.exitCode == 1 && anonymous.stderr.hasPrefix("Failed to dial target host"))
    let rogue = run("grpcurl --insecure --cert /scratch/rogue.crt --key /scratch/rogue.key \(article)")
    #expect(rogue.exitCode == 1 && rogue.stderr.hasPrefix("Failed to dial target host"))
    if case .untrusted(let why) = session.cluster.telemetry.workstationCalls.last?.refusal {
      #expect(why == .unknownAuthority)
    } else {
      Issue.record("the gateway did not refuse the rogue certificate as untrusted")
    }
  }

  @Test func openSSLCertificatesAreNotYetValidOnTheArticlesDate() throws {
    let lab = try LabCatalog.lab("grpc-lb")
    let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("ClusterModelTests/Fixtures/openssl")
    let files = ScratchFiles(lab: LabFiles(lab: lab), scratch: fixtures)
    var session = LabSession(lab: lab, state: SessionState(lab: lab.id, seed: 4))
    for line in lab.steps[..<4].flatMap(\.solution) + [
      "oc create -n istio-system secret generic istio-ingressgateway-certs --from-file=tls.crt=/scratch/server.crt --from-file=tls.key=/scratch/server.key --from-file=ca.crt=/scratch/ca.crt",
      "oc apply -f grpc-gateway.yaml", "oc apply -f grpc-gateway-vs.yaml",
    ] {
      session.execute(line, files: files, workingDirectory: "/workspace")
    }
    let result = session.execute(
      "grpcurl -cacert /scratch/ca.crt -cert /scratch/client.example.com.crt -key /scratch/client.example.com.key -proto helloworld.proto \(Self.host):443 helloworld.Greeter/SayHello",
      files: files, workingDirectory: "/workspace")
    #expect(result.stderr.hasPrefix(
      "Failed to dial target host \"\(Self.host):443\": x509: certificate has expired or is not yet valid: current time 2023-05-19T"))
  }
}

/// The lab's files, plus a scratch folder of the host at `/scratch`.
struct ScratchFiles: FileSource {
  let lab: LabFiles
  let scratch: URL

  func contents(of path: String) -> FileContents {
    guard path.hasPrefix("/scratch/") else { return lab.contents(of: path) }
    let url = scratch.appendingPathComponent(String(path.dropFirst("/scratch/".count)))
    return (try? String(contentsOf: url, encoding: .utf8)).map { .file($0) } ?? .missing
  }
}

/// `oc create secret tls` loads the pair as `tls.X509KeyPair` does, and refuses one that does not load.
@Suite struct TLSSecretTests {
  @Test func aKeyThatIsNotTheCertificatesIsRefusedAndNothingIsCreated() throws {
    let lab = try LabCatalog.lab("grpc-lb")
    var session = LabSession(lab: lab, state: SessionState(lab: lab.id, seed: 3))
    func run(_ line: String) -> ToolResult {
      session.execute(line, files: LabFiles(lab: lab), workingDirectory: "/workspace")
    }
    let before = session.cluster
    #expect(run("oc -n istio-system create secret tls gw --cert=certs/gateway.crt --key=certs/rogue.key")
      == ToolResult(stderr: "error: tls: private key does not match public key\n", exitCode: 1))
    #expect(run("oc -n istio-system create secret tls gw --cert=certs/gateway.key --key=certs/gateway.crt")
      == ToolResult(stderr: "error: tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched\n", exitCode: 1))
    #expect(session.cluster == before)
    #expect(run("oc -n istio-system create secret tls gw --cert=certs/gateway.crt --key=certs/gateway.key").stdout == "secret/gw created\n")
  }
}
