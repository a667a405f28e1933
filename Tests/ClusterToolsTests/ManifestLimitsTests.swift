import ClusterModel
import Testing

@testable import ClusterTools

/// Multi-document files, and the sizes the API server and etcd refuse, as kubectl reports them.
@Suite struct ManifestLimitsTests {
  var session = ToolSession(cluster: Cluster(seed: 11))

  init() {
    _ = session.run("oc new-project grpc", files: MemoryFiles(files: [:]), workingDirectory: "/lab")
  }

  mutating func run(_ line: String, files: [String: String] = [:]) -> ToolResult {
    session.run(line, files: MemoryFiles(files: files), workingDirectory: "/lab").0
  }

  static func configMap(_ name: String, data: String = "a: b") -> String {
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \(name)\ndata:\n  \(data)\n"
  }

  @Test mutating func documentsBeforeASyntaxErrorAreAppliedAndTheRestOfTheFileIsNot() {
    let file = Self.configMap("one") + "---\nkind: ConfigMap\napiVersion: v1\nmetadata:\n  name: x\n  labels: a: b\n---\n" + Self.configMap("three")
    let result = run("oc apply -f all.yaml", files: ["/lab/all.yaml": file])
    #expect(result.stdout == "configmap/one created\n")
    #expect(result.stderr.hasPrefix("error: error parsing all.yaml: error converting YAML to JSON: yaml: line "))
    #expect(result.exitCode == 1)
    #expect(session.cluster.store.configMap("three", in: "grpc") == nil)
  }

  @Test mutating func anUnknownKindSkipsOnlyItsDocument() {
    let file = Self.configMap("one") + "---\nkind: Frob\napiVersion: v1\nmetadata:\n  name: x\n---\n" + Self.configMap("three")
    #expect(run("oc apply -f all.yaml", files: ["/lab/all.yaml": file]) == ToolResult(
      stdout: "configmap/one created\nconfigmap/three created\n",
      stderr: "error: resource mapping not found for name: \"x\" namespace: \"\" from \"all.yaml\": no matches for kind \"Frob\" in version \"v1\"\nensure CRDs are installed first\n",
      exitCode: 1))
  }

  @Test mutating func severalErrorsArePrintedOnePerLineWithoutTheirPrefix() {
    let file = "kind: Frob\napiVersion: v1\nmetadata:\n  name: x\n---\n" + Self.configMap("one") + "---\nmetadata:\n  name: y\n"
    #expect(run("oc apply -f all.yaml", files: ["/lab/all.yaml": file]) == ToolResult(
      stdout: "configmap/one created\n",
      stderr: """
        resource mapping not found for name: "x" namespace: "" from "all.yaml": no matches for kind "Frob" in version "v1"
        ensure CRDs are installed first
        error validating "all.yaml": error validating data: [apiVersion not set, kind not set]; if you choose to ignore these errors, turn validation off with --validate=false

        """,
      exitCode: 1))
  }

  @Test mutating func aTypeErrorIsTheServersAndTheOtherDocumentsGoOn() {
    let deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: many\n"
    let result = run("oc apply -f all.yaml", files: ["/lab/all.yaml": deployment + "---\n" + Self.configMap("one")])
    #expect(result.stdout == "configmap/one created\n")
    #expect(result.stderr.hasPrefix("Error from server (BadRequest): error when creating \"all.yaml\": Deployment in version \"v1\" cannot be handled as a Deployment: "))
  }

  @Test mutating func anAliasBombIsRefusedAsAnOversizedRequestBeforeItIsExpanded() {
    var bomb = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\ndata:\n  a: &a \(String(repeating: "x", count: 500_000))\n"
    for index in 0..<2_000 { bomb += "  k\(index): *a\n" }
    let before = session
    #expect(run("oc apply -f bomb.yaml", files: ["/lab/bomb.yaml": bomb]) == ToolResult(
      stderr: "Error from server (RequestEntityTooLarge): error when creating \"bomb.yaml\": Request entity too large: limit is 3145728\n",
      exitCode: 1))
    #expect(session == before)
  }

  @Test mutating func aConfigMapOverOneMebibyteIsInvalid() {
    let big = Self.configMap("big", data: "a: \(String(repeating: "x", count: 1_048_577))")
    #expect(run("oc create -f big.yaml", files: ["/lab/big.yaml": big]) == ToolResult(
      stderr: "The ConfigMap \"big\" is invalid: []: Too long: must have at most 1048576 bytes\n", exitCode: 1))
  }

  @Test mutating func applyRefusesAnObjectWhoseLastAppliedAnnotationIsTooLong() {
    let big = Self.configMap("big", data: "a: \(String(repeating: "x", count: 300_000))")
    #expect(run("oc apply -f big.yaml", files: ["/lab/big.yaml": big]) == ToolResult(
      stderr: "The ConfigMap \"big\" is invalid: metadata.annotations: Too long: must have at most 262144 bytes\n", exitCode: 1))
    #expect(run("oc create -f big.yaml", files: ["/lab/big.yaml": big]).stdout == "configmap/big created\n")
  }

  @Test mutating func etcdRefusesAnObjectOverItsRequestLimit() {
    let value = String(repeating: "x", count: 1_600_000)
    let deployment = PodTerminationTests.deployment.replacingOccurrences(of: "namespace: demo", with: "namespace: grpc")
      + "\n        env: [{name: BIG, value: \(value)}]"
    let before = session
    #expect(run("oc create -f web.yaml", files: ["/lab/web.yaml": deployment]) == ToolResult(
      stderr: "Error from server: error when creating \"web.yaml\": etcdserver: request is too large\n", exitCode: 1))
    #expect(session == before)
    #expect(run("oc create -f web.yaml", files: ["/lab/web.yaml": deployment]).exitCode == 1, "refused again, its bound recalled")
    #expect(session == before)
  }

  @Test mutating func largeMapsDecodeWhole() {
    let labels = (0..<20_000).map { "    k\($0): v\($0)\n" }.joined()
    let file = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: wide\n  labels:\n" + labels + "data:\n  a: b\n"
    #expect(run("oc create -f wide.yaml", files: ["/lab/wide.yaml": file]).stdout == "configmap/wide created\n")
    #expect(session.cluster.store.configMap("wide", in: "grpc")?.metadata.labels?.count == 20_000)
  }
}
