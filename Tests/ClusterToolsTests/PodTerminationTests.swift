import ClusterModel
import Testing

@testable import ClusterTools

/// A deleted pod terminates as the kubelet stops it: Terminating, replaced at once, gone when its
/// containers have stopped; `oc delete` waits for that unless told `--wait=false`.
@Suite struct PodTerminationTests {
  static let deployment = """
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web, namespace: demo}
    spec:
      replicas: 1
      selector: {matchLabels: {app: web}}
      template:
        metadata: {labels: {app: web}}
        spec:
          containers:
          - name: web
            image: quay.io/shrishs/grpc-plain-text-quickstart-jvm
    """

  static func running() -> (ToolSession, String) {
    var session = ToolSession(cluster: Cluster(seed: 5))
    _ = session.run("oc new-project demo", files: MemoryFiles(files: [:]), workingDirectory: "/lab")
    _ = session.run("oc apply -f web.yaml", files: MemoryFiles(files: ["/lab/web.yaml": deployment]), workingDirectory: "/lab")
    session.cluster.advance(by: .seconds(60))
    let name = session.cluster.store.pods(in: "demo").first?.metadata.name ?? ""
    return (session, name)
  }

  @Test func withoutWaitingThePodShowsTerminatingBesideItsReplacement() {
    var (session, name) = Self.running()
    let files = MemoryFiles(files: [:])
    #expect(session.run("oc -n demo delete pod \(name) --wait=false", files: files, workingDirectory: "/lab").0.stdout == "pod \"\(name)\" deleted\n")
    let pods = session.cluster.store.pods(in: "demo")
    #expect(pods.count == 2)
    #expect(pods.first { $0.metadata.name == name }?.displayStatus == "Terminating")
    #expect(pods.contains { $0.metadata.name != name && $0.displayStatus != "Terminating" })
    let events = session.run("oc -n demo get events", files: files, workingDirectory: "/lab").0.stdout
    #expect(events.contains("Killing") && events.contains("Stopping container web"))
    session.cluster.advance(by: .seconds(1))
    #expect(!session.cluster.store.pods(in: "demo").contains { $0.metadata.name == name }, "gone once the app stopped")
  }

  @Test func deleteWaitsUntilThePodIsGone() {
    var (session, name) = Self.running()
    let before = session.cluster.now
    _ = session.run("oc -n demo delete pod \(name)", files: MemoryFiles(files: [:]), workingDirectory: "/lab")
    #expect(!session.cluster.store.pods(in: "demo").contains { $0.metadata.name == name })
    #expect(session.cluster.now == before + .seconds(1))
  }
}
