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
            image: registry.redhat.io/openshift4/ose-oauth-proxy:v4.12
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
    let result = session.run("oc -n demo delete pod \(name)", files: MemoryFiles(files: [:]), workingDirectory: "/lab").0
    #expect(result.waitsUntil == before + .seconds(1), "the caller follows the cluster until the app stopped")
    #expect(session.cluster.now == before)
    #expect(session.run("oc -n demo delete pod \(name) --wait=false", files: MemoryFiles(files: [:]), workingDirectory: "/lab").0.waitsUntil == nil)
  }
}

/// `oc get pods -w` after its listing: a row per change, aligned on its own as kubectl's watch rows are.
@Suite struct WatchTests {
  @Test func aWatchPrintsEachChangeOfThePodsItLists() throws {
    var (session, name) = PodTerminationTests.running()
    let files = MemoryFiles(files: [:])
    var watch = try #require(Watch(line: "oc -n demo get pods -w", workstation: session.workstation))
    watch.start(in: session.cluster)
    #expect(watch.changes(in: session.cluster) == "")
    #expect(!watch.isPending(in: session.cluster))
    _ = session.run("oc -n demo delete pod \(name) --wait=false", files: files, workingDirectory: "/lab")
    let replacement = try #require(session.cluster.store.pods(in: "demo").first { $0.metadata.name != name }?.metadata.name)
    let first = watch.changes(in: session.cluster)
    #expect(first.contains("\(name)   1/1   Terminating   0     60s\n"))
    #expect(watch.isPending(in: session.cluster))
    var rest = ""
    for _ in 0..<20 where watch.isPending(in: session.cluster) {
      session.cluster.advance(by: .seconds(1))
      rest += watch.changes(in: session.cluster)
    }
    #expect(rest.contains("\(name)   0/1   Terminating   0     61s\n"), "the deletion prints the stopped pod")
    #expect(rest.contains("\(replacement)   1/1   Running   0     "))
    #expect(!watch.isPending(in: session.cluster))
  }

  @Test(arguments: ["oc get pods", "oc get pods -w | grep x", "oc get pods -w -o yaml", "oc logs -w x", "kubectl get deploy --watch -n x"])
  func onlyAGetWithWatchAloneIsAWatch(line: String) {
    #expect((Watch(line: line, workstation: Workstation()) != nil) == line.hasPrefix("kubectl get deploy"))
  }
}

/// Grace periods the API server takes, whatever their size, and the negative one it refuses.
@Suite struct GracePeriodTests {
  @Test func aPodWithTheLargestGracePeriodStillStops() {
    var session = ToolSession(cluster: Cluster(seed: 5))
    let deployment = PodTerminationTests.deployment + "\n      terminationGracePeriodSeconds: 9223372036854775807"
    let files = MemoryFiles(files: ["/lab/web.yaml": deployment])
    _ = session.run("oc new-project demo", files: files, workingDirectory: "/lab")
    #expect(session.run("oc apply -f web.yaml", files: files, workingDirectory: "/lab").0.exitCode == 0)
    session.cluster.advance(by: .seconds(60))
    let name = session.cluster.store.pods(in: "demo").first?.metadata.name ?? ""
    #expect(session.run("oc -n demo delete pod \(name) --wait=false", files: files, workingDirectory: "/lab").0.exitCode == 0)
    session.cluster.advance(by: .seconds(5))
    #expect(session.cluster.store.pods(in: "demo").allSatisfy { $0.metadata.name != name })
  }

  @Test func aNegativeGracePeriodIsInvalid() {
    var session = ToolSession(cluster: Cluster(seed: 5))
    let deployment = PodTerminationTests.deployment + "\n      terminationGracePeriodSeconds: -1"
    let files = MemoryFiles(files: ["/lab/web.yaml": deployment])
    _ = session.run("oc new-project demo", files: files, workingDirectory: "/lab")
    #expect(session.run("oc apply -f web.yaml", files: files, workingDirectory: "/lab").0 == ToolResult(
      stderr: "The Deployment \"web\" is invalid: spec.template.spec.terminationGracePeriodSeconds: Invalid value: -1: must be greater than or equal to 0\n",
      exitCode: 1))
  }
}

/// `describe` with a name prefix, as kubectl takes it.
@Suite struct DescribePrefixTests {
  @Test func aNameThatMatchesNothingDescribesTheObjectsItBegins() {
    var (session, name) = PodTerminationTests.running()
    let files = MemoryFiles(files: [:])
    let described = session.run("oc -n demo describe pod web", files: files, workingDirectory: "/lab").0
    #expect(described.exitCode == 0)
    #expect(described.stdout.hasPrefix("Name:             \(name)\nNamespace:        demo\n"))
    #expect(session.run("oc -n demo describe pod nope", files: files, workingDirectory: "/lab").0 == ToolResult(
      stderr: "Error from server (NotFound): pods \"nope\" not found\n", exitCode: 1))
  }
}

/// `rollout restart` of every Deployment of a namespace, or of those a selector picks; `rollout status`.
@Suite struct RolloutRestartTests {
  @Test func aTypeWithoutANameRestartsEveryDeploymentOrThoseSelected() {
    var (session, _) = PodTerminationTests.running()
    let files = MemoryFiles(files: [:])
    #expect(session.run("oc -n demo rollout restart deploy", files: files, workingDirectory: "/lab").0.stdout == "deployment.apps/web restarted\n")
    _ = session.run("oc -n demo label deploy web tier=front", files: files, workingDirectory: "/lab")
    #expect(session.run("oc -n demo rollout restart deploy -l tier=front", files: files, workingDirectory: "/lab").0.stdout
      == "deployment.apps/web restarted\n")
    #expect(session.run("oc -n demo rollout restart deploy -l app=none", files: files, workingDirectory: "/lab").0 == ToolResult(
      stderr: "error: no objects passed to restart\n", exitCode: 1))
    #expect(session.run("oc -n demo rollout status deploy", files: files, workingDirectory: "/lab").0 == ToolResult(
      stderr: "error: resource(s) were provided, but no name was specified\n", exitCode: 1))
  }

  /// `rollout status` of a Deployment whose image cannot be pulled waits out its progress deadline and
  /// fails, so that `rollout status … && next` stops; one that rolls out succeeds.
  @Test func rolloutStatusFailsPastTheProgressDeadline() {
    var (session, _) = PodTerminationTests.running()
    let broken = PodTerminationTests.deployment.replacingOccurrences(of: "name: web,", with: "name: broken,")
      .replacingOccurrences(of: "registry.redhat.io/openshift4/ose-oauth-proxy:v4.12", with: "quay.io/nobody/nothing:1")
    let files = MemoryFiles(files: ["/lab/broken.yaml": broken])
    _ = session.run("oc apply -f broken.yaml", files: files, workingDirectory: "/lab")
    let failed = session.run("oc -n demo rollout status deploy/broken && echo next", files: files, workingDirectory: "/lab").0
    #expect(failed.stdout == "Waiting for deployment \"broken\" rollout to finish: 0 of 1 updated replicas are available...\n")
    #expect(failed.stderr == "error: deployment \"broken\" exceeded its progress deadline\n")
    #expect(failed.exitCode == 1)
    #expect(session.run("oc -n demo rollout status deploy/web", files: files, workingDirectory: "/lab").0 == ToolResult(
      stdout: "deployment \"web\" successfully rolled out\n"))
  }
}

/// `scale` and `label` act on the objects that exist and report the others after, as kubectl's visitor
/// continues on error.
@Suite struct ContinueOnErrorTests {
  @Test func aMissingObjectDoesNotStopTheOthers() {
    var (session, _) = PodTerminationTests.running()
    let files = MemoryFiles(files: [:])
    #expect(session.run("oc -n demo scale deploy/nope deploy/web --replicas=2", files: files, workingDirectory: "/lab").0 == ToolResult(
      stdout: "deployment.apps/web scaled\n", stderr: "Error from server (NotFound): deployments.apps \"nope\" not found\n", exitCode: 1))
    #expect(session.run("oc -n demo label deploy web nope tier=back", files: files, workingDirectory: "/lab").0 == ToolResult(
      stdout: "deployment.apps/web labeled\n", stderr: "Error from server (NotFound): deployments.apps \"nope\" not found\n", exitCode: 1))
    guard case .deployment(let web)? = session.cluster.store[ObjectKey(kind: .deployment, namespace: "demo", name: "web")] else {
      Issue.record("no deployment")
      return
    }
    #expect(web.spec.replicas == 2 && web.metadata.labels?["tier"] == "back")
  }
}

/// `logs -l`: every matching pod's log, the last 10 lines of each by default, `--prefix` naming the source.
@Suite struct LogsSelectorTests {
  @Test func aSelectorPrintsEachPodsLastLinesWithTheirSource() {
    var (session, name) = PodTerminationTests.running()
    let files = MemoryFiles(files: [:])
    let whole = session.run("oc -n demo logs \(name)", files: files, workingDirectory: "/lab").0.stdout
    let lines = whole.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { $0 + "\n" }
    #expect(!lines.isEmpty)
    let selected = session.run("oc -n demo logs -l app=web --prefix", files: files, workingDirectory: "/lab").0
    #expect(selected == ToolResult(stdout: lines.suffix(10).map { "[pod/\(name)/web] " + $0 }.joined()))
    #expect(session.run("oc -n demo logs -l app=web --tail=1", files: files, workingDirectory: "/lab").0.stdout == lines.last.map(String.init))
    #expect(session.run("oc -n demo logs -l app=none", files: files, workingDirectory: "/lab").0 == ToolResult(
      stderr: "No resources found in demo namespace.\n"))
  }

  /// Following more logs than kubectl follows at once (`--max-log-requests`, 5) is refused before any prints.
  @Test func followingMoreThanFiveLogsIsRefused() {
    var (session, _) = PodTerminationTests.running()
    let files = MemoryFiles(files: [:])
    _ = session.run("oc -n demo scale deploy web --replicas=6", files: files, workingDirectory: "/lab")
    session.cluster.advance(by: .seconds(60))
    #expect(session.run("oc -n demo logs -l app=web -f", files: files, workingDirectory: "/lab").0 == ToolResult(
      stderr: "error: you are attempting to follow 6 log streams, but maximum allowed concurrency is 5, use --max-log-requests to increase the limit\n",
      exitCode: 1))
    #expect(session.run("oc -n demo logs -l app=web --tail=1", files: files, workingDirectory: "/lab").0.exitCode == 0)
    #expect(session.run("oc -n demo logs -l app=web -f --tail=1 --max-log-requests=6", files: files, workingDirectory: "/lab").0.exitCode == 0)
    var refused = LogFollow(line: "oc -n demo logs -l app=web -f", workstation: session.workstation)
    refused?.start(in: session.cluster)
    #expect(refused?.hasEnded(in: session.cluster) == true, "after kubectl's refusal, nothing is followed")
    var allowed = LogFollow(line: "oc -n demo logs -l app=web -f --max-log-requests 6", workstation: session.workstation)
    allowed?.start(in: session.cluster)
    #expect(allowed?.hasEnded(in: session.cluster) == false)
  }
}

/// `apply`'s three-way merge: what others set stays, what the previous apply set and this one drops goes.
@Suite struct ThreeWayMergeTests {
  @Test func reapplyingAfterARolloutRestartKeepsItAndChangesNothing() {
    var (session, _) = PodTerminationTests.running()
    let files = MemoryFiles(files: ["/lab/web.yaml": PodTerminationTests.deployment])
    _ = session.run("oc -n demo rollout restart deploy/web", files: files, workingDirectory: "/lab")
    session.cluster.advance(by: .seconds(60))
    let pods = session.cluster.store.pods(in: "demo").map(\.metadata.name)
    #expect(session.run("oc apply -f web.yaml", files: files, workingDirectory: "/lab").0.stdout == "deployment.apps/web unchanged\n")
    session.cluster.advance(by: .seconds(60))
    #expect(session.cluster.store.pods(in: "demo").map(\.metadata.name) == pods)
  }

  @Test func whatThePreviousApplySetAndThisOneDropsIsRemovedAndOthersStay() {
    var (session, _) = PodTerminationTests.running()
    let labelled = PodTerminationTests.deployment.replacingOccurrences(of: "metadata: {name: web, namespace: demo}", with: "metadata: {name: web, namespace: demo, labels: {team: a, tier: front}}")
    _ = session.run("oc apply -f web.yaml", files: MemoryFiles(files: ["/lab/web.yaml": labelled]), workingDirectory: "/lab")
    _ = session.run("oc -n demo label deploy web owner=ops", files: MemoryFiles(files: [:]), workingDirectory: "/lab")
    let dropped = labelled.replacingOccurrences(of: ", tier: front", with: "")
    #expect(session.run("oc apply -f web.yaml", files: MemoryFiles(files: ["/lab/web.yaml": dropped]), workingDirectory: "/lab").0.stdout
      == "deployment.apps/web configured\n")
    let labels = session.cluster.store[ObjectKey(kind: .deployment, namespace: "demo", name: "web")]?.metadata.labels
    #expect(labels == ["team": "a", "owner": "ops"])
  }
}

/// `rollout history` and the revisions the deployment controller numbers, as kubectl 1.32 and the
/// controller show them.
@Suite struct RolloutHistoryTests {
  @Test func revisionsCountTemplatesAndATemplateThatComesBackTakesTheNextNumber() {
    var (session, _) = PodTerminationTests.running()
    func run(_ line: String, _ files: [String: String] = [:]) -> ToolResult {
      let result = session.run(line, files: MemoryFiles(files: files), workingDirectory: "/lab").0
      session.cluster.advance(by: .seconds(30))
      return result
    }
    #expect(run("oc -n demo rollout history deploy/web") == ToolResult(
      stdout: "deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n\n"))
    _ = run("oc -n demo annotate deploy web kubernetes.io/change-cause=v2")
    let second = PodTerminationTests.deployment.replacingOccurrences(of: "{labels: {app: web}}", with: "{labels: {app: web, v: \"2\"}}")
    _ = run("oc apply -f web.yaml", ["/lab/web.yaml": second])
    _ = run("oc apply -f web.yaml", ["/lab/web.yaml": PodTerminationTests.deployment])
    #expect(run("oc -n demo rollout history deployment") == ToolResult(
      stdout: "deployment.apps/web \nREVISION  CHANGE-CAUSE\n2         v2\n3         v2\n\n"))
    #expect(run(#"oc -n demo get rs -o 'custom-columns=REV:.metadata.annotations.deployment\.kubernetes\.io/revision,HISTORY:.metadata.annotations.deployment\.kubernetes\.io/revision-history,CAUSE:.metadata.annotations.kubernetes\.io/change-cause' --no-headers"#)
      .stdout.split(separator: "\n").sorted() == ["2     <none>   v2", "3     1        v2"])
    #expect(run(#"oc -n demo get deploy web -o 'jsonpath={.metadata.annotations.deployment\.kubernetes\.io/revision}'"#).stdout == "3")
  }
}

/// A list runs a pipeline only once the one before it has waited for what it deleted.
@Suite struct ListWaitTests {
  @Test func theNextPipelineSeesThePodGone() {
    var (session, pod) = PodTerminationTests.running()
    let result = session.run("oc -n demo delete pod \(pod) && oc -n demo get pods -o name", files: MemoryFiles(files: [:]), workingDirectory: "/lab").0
    let lines = result.stdout.split(separator: "\n").map(String.init)
    #expect(lines.first == "pod \"\(pod)\" deleted")
    #expect(lines.count == 2 && lines[1].hasPrefix("pod/web-") && lines[1] != "pod/\(pod)")
    #expect(result.waitsUntil == nil)
  }
}

/// Deleting a namespace or a project: it is `Terminating` while its pods stop, refuses new content, and
/// goes with its last pod.
@Suite struct NamespaceDeletionTests {
  @Test func aProjectTerminatesWithItsPodsAndRefusesNewContentMeanwhile() {
    var (session, pod) = PodTerminationTests.running()
    func run(_ line: String, _ files: [String: String] = [:]) -> ToolResult {
      session.run(line, files: MemoryFiles(files: files), workingDirectory: "/lab").0
    }
    let deleted = run("oc delete project demo")
    #expect(deleted.stdout == "project.project.openshift.io \"demo\" deleted\n")
    #expect(deleted.waitsUntil == session.cluster.now + .seconds(1))
    #expect(run("oc get ns demo --no-headers").stdout == "demo   Terminating   60s\n")
    #expect(run("oc get projects").stdout.split(separator: "\n").contains { $0.hasPrefix("demo ") && $0.hasSuffix(" Terminating") })
    #expect(run("oc -n demo get pods -o name").stdout == "pod/\(pod)\n")
    #expect(run("oc -n demo get deploy").stderr == "No resources found in demo namespace.\n")
    let map = "kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: cfg\n"
    #expect(run("oc -n demo apply -f cm.yaml", ["/lab/cm.yaml": map]) == ToolResult(
      stderr: "Error from server (Forbidden): error when creating \"cm.yaml\": configmaps \"cfg\" is forbidden: unable to create new content in namespace demo because it is being terminated\n",
      exitCode: 1))
    #expect(run("oc new-project demo").stderr == "Error from server (AlreadyExists): project.project.openshift.io \"demo\" already exists\n")
    session.cluster.advance(by: .seconds(1))
    #expect(run("oc get ns demo").stderr == "Error from server (NotFound): namespaces \"demo\" not found\n")
    #expect(run("oc delete project demo").stderr == "Error from server (NotFound): projects.project.openshift.io \"demo\" not found\n")
    #expect(run("kubectl delete project x").stderr == "error: the server doesn't have a resource type \"project\"\n")
  }
}
