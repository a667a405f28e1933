import ClusterTools
import LabKit
import Testing

@testable import GrpcLabCLI

/// What Tab offers, position by position, on a cluster where step 1 is solved.
@Suite struct CompleterTests {
  struct Case: CustomTestStringConvertible, Sendable {
    var line: String
    var expected: Expected
    var testDescription: String { "'\(line)'" }
  }

  enum Expected: Sendable {
    /// Exactly these candidates.
    case exactly([String])
    /// One candidate, with this prefix.
    case one(prefix: String)
    /// At least these, and none of those.
    case including([String], excluding: [String])
  }

  static let completer: Completer? = {
    guard let lab = try? LabCatalog.lab("grpc-lb") else { return nil }
    var files: [String: String] = [:]
    for file in LabCatalog.files(of: lab) { files["/w/" + file.name] = file.contents }
    files["/w/extra/more.yaml"] = "kind: ConfigMap\n"
    files["/w/extra/notes.txt"] = "notes\n"
    var session = LabSession(lab: lab, state: SessionState(lab: lab.id, seed: 7))
    session.land(on: 1, files: LabCatalog.fileSource(of: lab), workingDirectory: "/w")
    return Completer(session: session, workspace: "/w", files: MemoryWorkspaceFiles(files: files))
  }()

  @Test(arguments: [
    Case(line: "oc -n grpc logs grpc-v1", expected: .one(prefix: "grpc-v1-")),
    Case(line: "oc apply -f grpc-d", expected: .exactly(["grpc-dr-relaxed.yaml", "grpc-dr.yaml"])),
    Case(line: "oc get pods && oc apply -f grpc-d", expected: .exactly(["grpc-dr-relaxed.yaml", "grpc-dr.yaml"])),
    Case(line: "oc get pods || gr", expected: .exactly(["grep", "grpcurl"])),
    Case(line: "oc apply -f ", expected: .including(["extra/", "grpc-v1.yaml", "smmr.yaml"], excluding: ["helloworld.proto", "-proto", "goto"])),
    Case(line: "oc apply -f extra/", expected: .exactly(["extra/more.yaml"])),
    Case(line: "lang ", expected: .exactly(["en", "zh"])),
    Case(line: "goto ", expected: .exactly(["1", "2", "3", "4", "5", "add-mesh", "ingress-mtls", "plain-kubernetes", "relaxed-pool", "strict-pool"])),
    Case(line: "reset --step str", expected: .exactly(["strict-pool"])),
    Case(line: "oc get ", expected: .including(["pods", "deployments", "services", "virtualservices"], excluding: ["po", "pod", "-proto"])),
    Case(line: "oc -n grpc get deployments ", expected: .exactly(["grpc-v1", "grpc-v2", "grpc-v3"])),
    Case(line: "oc get proj", expected: .exactly(["projects"])),
    Case(line: "oc get projects gr", expected: .exactly(["grpc"])),
    Case(line: "oc logs -l app=grpc --pre", expected: .exactly(["--prefix", "--previous"])),
    Case(line: "oc rollout restart deploy -", expected: .including(["--selector", "-l"], excluding: ["--replicas"])),
    Case(line: "oc -n grpc get deploy/grpc-v", expected: .exactly(["deploy/grpc-v1", "deploy/grpc-v2", "deploy/grpc-v3"])),
    Case(line: "oc -n ", expected: .including(["grpc", "test", "default"], excluding: ["pods"])),
    Case(line: "oc get pods --namespace=te", expected: .exactly(["--namespace=test"])),
    Case(line: "oc get pods -o ", expected: .including(["json", "yaml", "wide", "name"], excluding: ["grpc"])),
    Case(line: "oc -n test logs deploy/grpc-client -c ", expected: .exactly(["custom-grpc-hello"])),
    Case(line: "oc apply --", expected: .exactly(["--dry-run", "--filename", "--namespace", "--output", "--recursive"])),
    Case(line: "oc ", expected: .including(["apply", "get", "logs", "new-project"], excluding: ["goto", "pods"])),
    Case(line: "kubectl ", expected: .including(["apply", "get"], excluding: ["new-project"])),
    Case(line: "oc get pods | gr", expected: .exactly(["grep"])),
    Case(line: "cat grpc-v", expected: .exactly(["grpc-v1.yaml", "grpc-v2.yaml", "grpc-v3.yaml", "grpc-vs.yaml"])),
    Case(line: "grpcurl -pro", expected: .exactly(["-proto", "-protoset", "-protoset-out"])),
    Case(line: "grpcurl -proto hel", expected: .exactly(["helloworld.proto"])),
    Case(line: "grpcurl -proto helloworld.proto -d '{}' localhost:9000 ", expected: .exactly(["describe", "helloworld.Greeter/SayHello", "list"])),
    Case(line: "grpcurl -proto helloworld.proto localhost:9000 list ", expected: .including(["helloworld.Greeter"], excluding: ["list"])),
    Case(line: "ghz --co", expected: .exactly(["--concurrency", "--connect-timeout", "--connections"])),
    Case(line: "ghz --proto hel", expected: .exactly(["helloworld.proto"])),
    Case(line: "ghz --proto helloworld.proto --call ", expected: .exactly(["helloworld.Greeter/SayHello"])),
    Case(line: "ghz -c 5 --call helloworld.Greeter.SayHello ", expected: .exactly([])),
    Case(line: "istioctl proxy-config ", expected: .exactly(["cluster", "endpoint", "route"])),
    Case(line: "check --", expected: .exactly(["--json"])),
    Case(line: "help go", expected: .exactly(["goto"])),
    Case(line: "sta", expected: .exactly(["start", "status"])),
  ])
  func tabOffersWhatFitsThePosition(_ test: Case) throws {
    let candidates = try #require(Self.completer).candidates(for: test.line)
    switch test.expected {
    case .exactly(let words): #expect(candidates == words)
    case .one(let prefix): #expect(candidates.count == 1 && candidates[0].hasPrefix(prefix), "\(candidates)")
    case .including(let words, let excluded):
      for word in words { #expect(candidates.contains(word), "\(word) in \(candidates)") }
      for word in excluded { #expect(!candidates.contains(word), "\(word) not in \(candidates)") }
    }
  }
}
