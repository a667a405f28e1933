import ClusterModel
import Testing

@testable import ClusterTools

/// Files held in memory, by absolute path.
struct MemoryFiles: FileSource {
  var files: [String: String]

  func contents(of path: String) -> FileContents {
    if let text = files[path] { return .file(text) }
    let children = Set(files.keys.filter { $0.hasPrefix(path + "/") }.compactMap { $0.dropFirst(path.count + 1).split(separator: "/").first })
    return children.isEmpty ? .missing : .directory(children.map(String.init).sorted())
  }
}

@Suite struct KubectlTests {
  /// Names on the command line, as kubectl 1.32 resolves them against this cluster's API resources.
  @Test(arguments: [
    ("pods", ResourceKind.pod), ("POD", .pod), ("po", .pod), ("deploy", .deployment), ("deployments.apps", .deployment),
    ("deployment.apps", .deployment), ("svc", .service), ("ep", .endpoints), ("rs", .replicaSet), ("ev", .event),
    ("vs", .virtualService), ("virtualservice.networking.istio.io", .virtualService), ("virtualservices.networking", .virtualService),
    ("dr", .destinationRule), ("gw", .gateway), ("smmr", .serviceMeshMemberRoll), ("smcp", .serviceMeshControlPlane),
    ("ingresses.config", .ingressConfig), ("ingress.config.openshift.io", .ingressConfig), ("routes", .route),
    ("project", nil), ("ingresses", nil), ("deploy.apps.example", nil), ("", nil),
  ])
  func resourceNamesResolveAsKubectlResolvesThem(name: String, kind: ResourceKind?) {
    #expect(Kubectl.kind(named: name) == kind)
  }

  var session = ToolSession(cluster: Cluster(seed: 11))

  mutating func run(_ line: String, files: [String: String] = [:]) -> ToolResult {
    session.run(line, files: MemoryFiles(files: files), workingDirectory: "/lab").0
  }

  /// Quantities written as numbers and probes on named ports are read as the API server reads them, a
  /// second apply changes nothing (its lists merge by name, keeping what admission added), and describe
  /// survives a quantity too large to count.
  @Test mutating func numericQuantitiesAndNamedProbePorts() {
    _ = run("oc new-project grpc")
    let pod = """
      apiVersion: v1
      kind: Pod
      metadata: {name: sized}
      spec:
        containers:
        - name: app
          image: quay.io/shrishs/grpc-plain-text-quickstart-jvm
          ports: [{name: http, containerPort: 8080}]
          resources: {limits: {cpu: 1, memory: 1e400}, requests: {cpu: 0.25}}
          readinessProbe: {httpGet: {path: /ready, port: http}, periodSeconds: 90}
          env:
          - {name: MEMORY, valueFrom: {resourceFieldRef: {resource: limits.memory, divisor: 1}}}
      """
    #expect(run("oc apply -f pod.yaml", files: ["/lab/pod.yaml": pod]).stdout == "pod/sized created\n")
    let yaml = run("oc get pod sized -o yaml").stdout
    #expect(yaml.contains("    resources:\n      limits:\n        cpu: \"1\"\n        memory: \"1e400\"\n      requests:\n        cpu: 250m\n"))
    #expect(yaml.contains("divisor: \"1\"") && yaml.contains("        port: http\n"))
    #expect(run("oc apply -f pod.yaml", files: ["/lab/pod.yaml": pod]).stdout == "pod/sized unchanged\n")
    #expect(run("oc get pod sized -o yaml").stdout == yaml, "what admission added stays: the token's volume and mount")
    let described = run("oc describe pod sized").stdout
    #expect(described.contains("http-get http://:http/ready delay=0s timeout=1s period=1m30s #success=1 #failure=3"))
    #expect(described.contains("MEMORY:") && described.contains("node allocatable (limits.memory)"))
    let canonical = pod.replacingOccurrences(of: "sized", with: "canonical").replacingOccurrences(of: "memory: 1e400", with: "memory: 1024Mi")
    _ = run("oc apply -f pod.yaml", files: ["/lab/pod.yaml": canonical])
    #expect(run("oc get pod canonical -o jsonpath={.spec.containers[0].resources.limits.memory}").stdout == "1Gi")
    let refused = run("oc apply -f pod.yaml", files: ["/lab/pod.yaml": pod.replacingOccurrences(of: "cpu: 1,", with: "cpu: abc,")])
    #expect(refused.exitCode == 1 && refused.stderr.contains("quantities must match the regular expression"))
  }

  @Test mutating func newProjectThenDuplicate() {
    #expect(run("oc new-project grpc").stdout.hasPrefix("Now using project \"grpc\" on server \"https://api.cluster.example.com:6443\".\n"))
    #expect(run("oc new-project grpc") == ToolResult(stderr: "Error from server (AlreadyExists): project.project.openshift.io \"grpc\" already exists\n", exitCode: 1))
    #expect(run("oc project").stdout == "Using project \"grpc\" on server \"https://api.cluster.example.com:6443\".\n")
  }

  @Test(arguments: [
    ("oc get pods -n nosuchns", ToolResult(stderr: "No resources found in nosuchns namespace.\n")),
    ("oc get foo", ToolResult(stderr: "error: the server doesn't have a resource type \"foo\"\n", exitCode: 1)),
    ("oc get nodes", ToolResult(stderr: "grpclab: resource type \"nodes\" is not part of the lab's oc; it has namespaces, configmaps, secrets, serviceaccounts, pods, services, endpoints, deployments, replicasets, events, routes, ingresses.config.openshift.io, servicemeshcontrolplanes, servicemeshmemberrolls, virtualservices, destinationrules, gateways, peerauthentications\n", exitCode: 1)),
    ("oc describe no/worker-0.ocp.example.com", ToolResult(stderr: "grpclab: resource type \"no\" is not part of the lab's oc; it has namespaces, configmaps, secrets, serviceaccounts, pods, services, endpoints, deployments, replicasets, events, routes, ingresses.config.openshift.io, servicemeshcontrolplanes, servicemeshmemberrolls, virtualservices, destinationrules, gateways, peerauthentications\n", exitCode: 1)),
    ("kubectl get pods,sts", ToolResult(stderr: "grpclab: resource type \"sts\" is not part of the lab's kubectl; it has namespaces, configmaps, secrets, serviceaccounts, pods, services, endpoints, deployments, replicasets, events, routes, ingresses.config.openshift.io, servicemeshcontrolplanes, servicemeshmemberrolls, virtualservices, destinationrules, gateways, peerauthentications\n", exitCode: 1)),
    ("oc get pods nope", ToolResult(stderr: "Error from server (NotFound): pods \"nope\" not found\n", exitCode: 1)),
    ("oc get pods --bogus", ToolResult(stderr: "Error: unknown flag: --bogus\nSee 'oc get --help' for usage.\n", exitCode: 1)),
    ("oc frobnicate", ToolResult(stderr: "Error: unknown command \"frobnicate\" for \"oc\"\nRun 'oc --help' for usage.\n", exitCode: 1)),
    ("kubectl new-project x", ToolResult(stderr: "Error: unknown command \"new-project\" for \"kubectl\"\n", exitCode: 1)),
    ("kubectl aply -f x", ToolResult(stderr: "Error: unknown command \"aply\" for \"kubectl\"\n\nDid you mean this?\n\tapply\n\n", exitCode: 1)),
    ("kubectl ge pods", ToolResult(stderr: "Error: unknown command \"ge\" for \"kubectl\"\n\nDid you mean this?\n\tset\n\tget\n\tcp\n\n", exitCode: 1)),
    ("kubectl get pods -Z", ToolResult(stderr: "Error: unknown shorthand flag: 'Z' in -Z\nSee 'kubectl get --help' for usage.\n", exitCode: 1)),
    ("oc projcet", ToolResult(stderr: "Error: unknown command \"projcet\" for \"oc\"\n\nDid you mean this?\n\tproject\n\nRun 'oc --help' for usage.\n", exitCode: 1)),
    ("oc rollout histroy deploy/x", ToolResult(stderr: "error: unknown command \"histroy deploy/x\"\nSee 'oc rollout -h' for help and examples\n", exitCode: 1)),
    ("oc create secret tls t --cert=no.crt --key=no.key", ToolResult(stderr: "error: Cannot read file no.crt, open no.crt: no such file or directory\n", exitCode: 1)),
    ("oc create secret generic s --from-file=/nonexist", ToolResult(stderr: "Error: error reading /nonexist: no such file or directory\n", exitCode: 1)),
    ("oc create secret generic s --from-literal=a=b --from-literal=a=c", ToolResult(stderr: "error: cannot add key a, another key by that name already exists\n", exitCode: 1)),
    ("oc create secret generic s --from-literal=a=b --from-literal=a=c --dry-run=client -o yaml", ToolResult(stderr: "error: cannot add key a, another key by that name already exists\n", exitCode: 1)),
    ("oc edit deploy/x", ToolResult(stderr: "grpclab: 'oc edit' is not part of the lab's oc; it has get, describe, apply, create, delete, logs, exec, scale, rollout, label, annotate, new-project, project, projects, whoami\n", exitCode: 1)),
    ("oc apply -f missing.yaml", ToolResult(stderr: "error: the path \"missing.yaml\" does not exist\n", exitCode: 1)),
    ("oc exec deploy/x", ToolResult(stderr: "error: you must specify at least one command for the container\n", exitCode: 1)),
    ("kubectl exec deploy/x --", ToolResult(stderr: "error: you must specify at least one command for the container\n", exitCode: 1)),
    ("kubectl exec deploy/x ls", ToolResult(stderr: "error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples\n", exitCode: 1)),
    ("rm -rf /", ToolResult(stderr: "grpclab: rm: command not found\n", exitCode: 127)),
  ])
  func errorsMatchTheRealTools(line: String, expected: ToolResult) {
    var session = ToolSession(cluster: Cluster(seed: 11))
    let (result, _) = session.run(line, files: MemoryFiles(files: [:]), workingDirectory: "/lab")
    #expect(result == expected)
  }

  @Test mutating func malformedYAMLFailsAndChangesNothing() {
    _ = run("oc new-project grpc")
    let before = session
    let result = run("oc apply -f bad.yaml", files: ["/lab/bad.yaml": "kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: x\n  labels: a: b\n"])
    #expect(result.exitCode == 1)
    #expect(result.stderr.hasPrefix("error: error parsing bad.yaml: error converting YAML to JSON: yaml: line "))
    #expect(result.stderr.hasSuffix(": mapping values are not allowed in this context\n"))
    #expect(session == before)
    let duplicate = run("oc apply -f dup.yaml", files: ["/lab/dup.yaml": "kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: a\n  name: b\n"])
    #expect(duplicate == ToolResult(
      stderr: "error: error parsing dup.yaml: error converting YAML to JSON: yaml: line 4: mapping key \"name\" already defined\n", exitCode: 1))
    #expect(session == before)
  }

  @Test mutating func applyReportsCreatedUnchangedConfigured() {
    _ = run("oc new-project grpc")
    let map = "kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: cfg\ndata:\n  a: \"1\"\n"
    #expect(run("oc apply -f cm.yaml", files: ["/lab/cm.yaml": map]).stdout == "configmap/cfg created\n")
    #expect(run("oc apply -f cm.yaml", files: ["/lab/cm.yaml": map]).stdout == "configmap/cfg unchanged\n")
    let changed = map.replacingOccurrences(of: "\"1\"", with: "\"2\"")
    #expect(run("oc apply -f cm.yaml", files: ["/lab/cm.yaml": changed]).stdout == "configmap/cfg configured\n")
    #expect(run("oc get cm cfg -o name").stdout == "configmap/cfg\n")
  }

  @Test mutating func heredocApplyAndPipes() {
    _ = run("oc new-project grpc")
    let result = run("oc apply -f - <<EOF\nkind: ConfigMap\napiVersion: v1\nmetadata:\n  name: from-stdin\nEOF")
    #expect(result.stdout == "configmap/from-stdin created\n")
    #expect(run("oc get cm | grep -c from-stdin").stdout == "1\n")
  }

  @Test mutating func projectsAreTheNamespacesAsOpenShiftShowsThem() {
    _ = run("oc new-project grpc --display-name=gRPC")
    let table = run("oc get projects").stdout
    #expect(table.hasPrefix("NAME                DISPLAY NAME   STATUS\ndefault                            Active\ngrpc                gRPC           Active\n"))
    #expect(run("kubectl get project grpc -o name") == ToolResult(stdout: "project.project.openshift.io/grpc\n"))
    #expect(run("oc get project grpc -o yaml").stdout.hasPrefix("apiVersion: project.openshift.io/v1\nkind: Project\n"))
    #expect(run("oc get project nope") == ToolResult(
      stderr: "Error from server (NotFound): projects.project.openshift.io \"nope\" not found\n", exitCode: 1))
  }

  @Test mutating func unknownKindInAFileIsRefused() {
    _ = run("oc new-project grpc")
    let result = run("oc apply -f x.yaml", files: ["/lab/x.yaml": "kind: Frob\napiVersion: v1\nmetadata:\n  name: x\n"])
    #expect(result.stderr == "error: resource mapping not found for name: \"x\" namespace: \"\" from \"x.yaml\": no matches for kind \"Frob\" in version \"v1\"\nensure CRDs are installed first\n")
  }
}

/// Times the model's clock cannot hold, or with a field out of its range, refused while decoding with
/// nothing changed; times it can hold age and expire without overflow.
@Suite struct TimeFieldTests {
  /// An Event reported at `last`.
  static func event(last: String) -> String {
    """
    apiVersion: v1
    kind: Event
    metadata:
      name: e1
      namespace: demo
    involvedObject: {kind: Pod, name: p, namespace: demo, apiVersion: v1}
    reason: Tested
    message: m
    source: {component: tester}
    firstTimestamp: "2023-05-19T15:00:00Z"
    lastTimestamp: "\(last)"
    count: 1
    type: Normal
    reportingComponent: tester
    reportingInstance: ""

    """
  }

  @Test(arguments: ["9999-01-01T00:00:00Z", "2262-04-11T23:00:00Z", "0001-01-01T00:00:00Z", "2023-13-01T00:00:00Z", "2023-05-19T24:00:00Z"])
  func aTimeTheClockCannotHoldIsRefused(time: String) {
    var session = ToolSession(cluster: Cluster(seed: 5))
    _ = session.run("oc new-project demo", files: MemoryFiles(files: [:]), workingDirectory: "/lab")
    let before = session
    let files = MemoryFiles(files: ["/lab/e.yaml": Self.event(last: time)])
    let result = session.run("oc apply -f e.yaml", files: files, workingDirectory: "/lab").0
    #expect(result.stderr == "Error from server (BadRequest): error when creating \"e.yaml\": Event in version \"v1\" cannot be handled as a Event: invalid value at `lastTimestamp`: parsing time \"\(time)\" as RFC 3339\n")
    #expect(result.exitCode == 1)
    #expect(session == before)
  }

  @Test func anEventFromTheFarFutureOutlivesTheSession() {
    var session = ToolSession(cluster: Cluster(seed: 5))
    _ = session.run("oc new-project demo", files: MemoryFiles(files: [:]), workingDirectory: "/lab")
    let files = MemoryFiles(files: ["/lab/e.yaml": Self.event(last: "2200-12-31T23:59:59Z")])
    #expect(session.run("oc apply -f e.yaml", files: files, workingDirectory: "/lab").0.exitCode == 0)
    session.cluster.advance(by: .seconds(3 * 3_600))
    #expect(session.cluster.store.list(.event, namespace: "demo").map(\.metadata.name) == ["e1"])
  }
}

/// Numbers the API server refuses while decoding, refused the same way, with nothing changed.
@Suite struct Int32FieldTests {
  /// The web Deployment of the termination tests, with its replica count to fill in.
  static let deployment = PodTerminationTests.deployment.replacingOccurrences(of: "replicas: 1", with: "replicas: REPLICAS")

  @Test(arguments: ["9223372036854775807", "2147483648", "-2147483649", "99999999999999999999"])
  func aReplicaCountOutsideInt32IsRefusedAsTheAPIServerDecodes(replicas: String) {
    var session = ToolSession(cluster: Cluster(seed: 5))
    _ = session.run("oc new-project demo", files: MemoryFiles(files: [:]), workingDirectory: "/lab")
    let before = session
    let files = MemoryFiles(files: ["/lab/web.yaml": Self.deployment.replacingOccurrences(of: "REPLICAS", with: replicas)])
    #expect(session.run("oc apply -f web.yaml", files: files, workingDirectory: "/lab").0 == ToolResult(
      stderr: "Error from server (BadRequest): error when creating \"web.yaml\": Deployment in version \"v1\" cannot be handled as a Deployment: json: cannot unmarshal number \(replicas) into Go struct field DeploymentSpec.spec.replicas of type int32\n",
      exitCode: 1))
    #expect(session == before)
  }

  /// Only a plain number of ASCII digits is a number to Go's decoder: a quoted one is a string, and other
  /// scripts' digits are no number at all.
  @Test(arguments: ["\"99999999999\"", "'99999999999'", "٣٣٣٣٣٣٣٣٣٣٣", "1-2", "+-3"])
  func aReplicaCountThatIsNoPlainNumberIsNotCalledOne(replicas: String) {
    var session = ToolSession(cluster: Cluster(seed: 5))
    _ = session.run("oc new-project demo", files: MemoryFiles(files: [:]), workingDirectory: "/lab")
    let before = session
    let files = MemoryFiles(files: ["/lab/web.yaml": Self.deployment.replacingOccurrences(of: "REPLICAS", with: replicas)])
    let result = session.run("oc apply -f web.yaml", files: files, workingDirectory: "/lab").0
    #expect(result.exitCode == 1)
    #expect(!result.stderr.contains("cannot unmarshal number"))
    #expect(session == before)
  }

  @Test func anEventCountOutsideInt32IsRefusedAsTheAPIServerDecodes() {
    var session = ToolSession(cluster: Cluster(seed: 5))
    _ = session.run("oc new-project demo", files: MemoryFiles(files: [:]), workingDirectory: "/lab")
    let before = session
    let event = TimeFieldTests.event(last: "2023-05-19T15:21:07Z").replacingOccurrences(of: "count: 1", with: "count: 9223372036854775807")
    #expect(session.run("oc apply -f e.yaml", files: MemoryFiles(files: ["/lab/e.yaml": event]), workingDirectory: "/lab").0 == ToolResult(
      stderr: "Error from server (BadRequest): error when creating \"e.yaml\": Event in version \"v1\" cannot be handled as a Event: json: cannot unmarshal number 9223372036854775807 into Go struct field Event.count of type int32\n",
      exitCode: 1))
    #expect(session == before)
  }

  /// More manifests than are remembered, each asked for twice, changed between: each gets its own JSON.
  @Test func lastAppliedIsEachManifestsOwnJSON() {
    for round in 0..<2 {
      for number in 0..<40 {
        let manifest = APIObject.configMap(ConfigMap(
          metadata: ObjectMeta(name: "c\(number)", namespace: "test"), data: ["round": String(round), "n": String(number)]))
        #expect(Kubectl.lastApplied(manifest) == ObjectEncoding.compactJSON(manifest))
      }
    }
  }

  @Test func scaleRefusesWhatNoInt32Holds() {
    var session = ToolSession(cluster: Cluster(seed: 5))
    let files = MemoryFiles(files: ["/lab/web.yaml": Self.deployment.replacingOccurrences(of: "REPLICAS", with: "1")])
    _ = session.run("oc new-project demo", files: files, workingDirectory: "/lab")
    _ = session.run("oc apply -f web.yaml", files: files, workingDirectory: "/lab")
    let before = session
    #expect(session.run("oc scale deploy/web --replicas=9223372036854775807", files: files, workingDirectory: "/lab").0 == ToolResult(
      stderr: "Error from server (BadRequest): Scale in version \"v1\" cannot be handled as a Scale: json: cannot unmarshal number 9223372036854775807 into Go struct field ScaleSpec.spec.replicas of type int32\n",
      exitCode: 1))
    #expect(session.run("oc scale deploy/web --replicas=99999999999999999999", files: files, workingDirectory: "/lab").0 == ToolResult(
      stderr: "Error: invalid argument \"99999999999999999999\" for \"--replicas\" flag: strconv.ParseInt: parsing \"99999999999999999999\": value out of range\nSee 'oc scale --help' for usage.\n",
      exitCode: 1))
    #expect(session == before)
  }

  /// A flag value pflag cannot parse gets cobra's flag error, as kubectl 1.32 prints it, whichever command has
  /// the flag; a negative count of replicas parses, and scale refuses it. A flag or command kubectl has that
  /// the lab does not model is said to be outside the lab, not unknown.
  @Test(arguments: [
    ("oc scale deploy/web --replicas=abc", "Error: invalid argument \"abc\" for \"--replicas\" flag: strconv.ParseInt: parsing \"abc\": invalid syntax\nSee 'oc scale --help' for usage.\n"),
    ("kubectl logs deploy/web --tail 1.5", "Error: invalid argument \"1.5\" for \"--tail\" flag: strconv.ParseInt: parsing \"1.5\": invalid syntax\nSee 'kubectl logs --help' for usage.\n"),
    ("oc get pods --no-headers=maybe", "Error: invalid argument \"maybe\" for \"--no-headers\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax\nSee 'oc get --help' for usage.\n"),
    ("oc get pods -A=maybe", "Error: invalid argument \"maybe\" for \"-A, --all-namespaces\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax\nSee 'oc get --help' for usage.\n"),
    ("oc delete pod x --grace-period=0x", "Error: invalid argument \"0x\" for \"--grace-period\" flag: strconv.ParseInt: parsing \"0x\": invalid syntax\nSee 'oc delete --help' for usage.\n"),
    ("oc scale deploy/web --replicas=-1", "error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0\n"),
    ("oc get pods --sort-by=.metadata.name", "grpclab: 'oc get --sort-by' is not part of the lab's oc; its get has -n, -A, -l, -o, --show-labels, -f, -w, --no-headers\n"),
    ("kubectl apply -k .", "grpclab: 'kubectl apply -k' is not part of the lab's kubectl; its apply has -n, -o, -f, --dry-run, -R\n"),
    ("oc rollout status deploy/x --timeout=60s", "grpclab: 'oc rollout status --timeout' is not part of the lab's oc; its rollout has -n, -l\n"),
    ("oc get pods --frob", "Error: unknown flag: --frob\nSee 'oc get --help' for usage.\n"),
    ("oc rollout status deploy/x --frob", "Error: unknown flag: --frob\nSee 'oc rollout status --help' for usage.\n"),
    ("oc rollout status deploy/x -o name", "Error: unknown shorthand flag: 'o' in -o\nSee 'oc rollout status --help' for usage.\n"),
    ("oc rollout restart deploy/x -o name", "grpclab: 'oc rollout restart -o' is not part of the lab's oc; its rollout has -n, -l\n"),
    ("istioctl proxy-status", "grpclab: 'istioctl proxy-status' is not part of the lab's istioctl; it has proxy-config (pc)\n"),
    ("istioctl pc listener x", "grpclab: 'istioctl proxy-config listener' is not part of the lab's istioctl; it has cluster, endpoint and route\n"),
  ])
  func aFlagTheCommandCannotTakeGetsKubectlsErrorOrTheLabsWord(line: String, stderr: String) {
    var session = ToolSession(cluster: Cluster(seed: 5))
    #expect(session.run(line, files: MemoryFiles(files: [:]), workingDirectory: "/lab").0 == ToolResult(stderr: stderr, exitCode: 1))
  }

  @Test func aShorthandBooleanTakesAValueAfterAnEqualsSign() throws {
    let flags = try Flags(parsing: ["-A=false", "-w=true", "pods"], allowed: Kubectl.Verb.get.flags)
    #expect(!flags.isSet("all-namespaces") && flags.isSet("watch") && flags.positional == ["pods"])
  }
}

/// The shell's variables: `NAME=value`, `export`, `$NAME` and `$(command)` over lab commands only.
@Suite struct ShellVariableTests {
  var session = ToolSession(cluster: Cluster(seed: 11))

  mutating func run(_ line: String) -> ToolResult {
    session.run(line, files: MemoryFiles(files: [:]), workingDirectory: "/lab").0
  }

  @Test mutating func aSubstitutionsOutputBecomesAVariableOtherCommandsRead() {
    _ = run("oc new-project grpc")
    #expect(run("export NS=$(oc project -q)") == ToolResult())
    #expect(session.workstation.variables == ["NS": "grpc"])
    #expect(run("echo \"in $NS\" ${NS}x") == ToolResult(stdout: "in grpc grpcx\n"))
    #expect(run("oc get pods -n $NS") == ToolResult(stderr: "No resources found in grpc namespace.\n"))
    #expect(run("export -p") == ToolResult(stdout: "declare -x NS=\"grpc\"\n"))
  }

  /// As bash parses each command substitution with its line, a line whose substitution cannot parse runs
  /// nothing, not even the commands before it.
  @Test mutating func aSubstitutionThatCannotParseStopsTheWholeLine() {
    _ = run("oc new-project grpc")
    let before = session
    #expect(run("oc delete project grpc $((1+2))") == ToolResult(
      stderr: "grpclab: `$((' is not supported by the lab shell: it has no arithmetic\n", exitCode: 2))
    #expect(run("A=1; oc delete project grpc; echo $(echo ;;)") == ToolResult(
      stderr: "grpclab: syntax error near unexpected token `;;'\n", exitCode: 2))
    #expect(session == before)
  }

  @Test mutating func anAssignmentAloneSetsAVariableAndKeepsItsSubstitutionsStatus() {
    #expect(run("P=$(oc get pods nope) Q='a \"b\"'") == ToolResult(
      stderr: "Error from server (NotFound): pods \"nope\" not found\n", exitCode: 1))
    #expect(session.workstation.variables == ["P": "", "Q": "a \"b\""])
    #expect(session.workstation.exported.isEmpty)
    _ = run("export Q")
    #expect(run("export") == ToolResult(stdout: "declare -x Q=\"a \\\"b\\\"\"\n"))
    #expect(run("unset Q P") == ToolResult())
    #expect(session.workstation == Workstation())
  }

  @Test mutating func assignmentsBeforeAProgramAndBuiltinsInAPipelineLeaveTheShellAlone() {
    #expect(run("X=1 echo $X") == ToolResult(stdout: "\n"))
    #expect(run("export Y=2 | cat") == ToolResult())
    #expect(session.workstation == Workstation())
  }

  @Test(arguments: [
    ("export 9x=1", ToolResult(stderr: "grpclab: export: `9x=1': not a valid identifier\n", exitCode: 1)),
    ("export -z", ToolResult(stderr: "grpclab: export: -z: invalid option\nexport: usage: export [-fn] [name[=value] ...] or export -p\n", exitCode: 2)),
    ("unset a-b", ToolResult(stderr: "grpclab: unset: `a-b': not a valid identifier\n", exitCode: 1)),
    ("echo ${a-b}", ToolResult(stderr: "grpclab: ${a-b}: the lab shell expands only $NAME, ${NAME} and $(command)\n", exitCode: 2)),
    ("echo ${}", ToolResult(stderr: "grpclab: ${}: bad substitution\n", exitCode: 2)),
    ("echo -n a  b", ToolResult(stdout: "a b")),
    ("echo -e 'a\\tb\\cignored'", ToolResult(stdout: "a\tb")),
    ("echo -x", ToolResult(stdout: "-x\n")),
  ])
  mutating func builtinsAnswerAsBashDoes(line: String, expected: ToolResult) {
    #expect(run(line) == expected)
  }

  @Test mutating func aSubstitutionRunsInASubshellAndNothingRunsWhenTheLineDoesNotParse() {
    #expect(run("echo $(export Z=1) $(Y=2)") == ToolResult(stdout: "\n"))
    #expect(run("X=$(Y=2)") == ToolResult())
    #expect(session.workstation.variables == ["X": ""] && session.workstation.exported.isEmpty)
    #expect(run("X=1 | export Y=1") == ToolResult())
    #expect(session.workstation.variables == ["X": ""] && session.workstation.exported.isEmpty)
    let before = session
    #expect(run("echo $(oc new-project side) |") == ToolResult(stderr: "grpclab: syntax error near unexpected token `|'\n", exitCode: 2))
    #expect(session == before)
  }

  @Test mutating func aListRunsItsPipelinesAsTheirOperatorsSay() {
    _ = run("oc new-project a")
    #expect(run("A=$(oc project -q); echo $A && echo yes || echo no") == ToolResult(stdout: "a\nyes\n"))
    #expect(run("oc get pods nope && echo never") == ToolResult(
      stderr: "Error from server (NotFound): pods \"nope\" not found\n", exitCode: 1))
    let fallback = run("oc get pods nope || echo fallback")
    #expect(fallback.exitCode == 0)
    #expect(Self.transcript(fallback) == ["2> Error from server (NotFound): pods \"nope\" not found\n", "1> fallback\n"])
  }

  /// What a result wrote, in order, each piece marked with its stream.
  static func transcript(_ result: ToolResult) -> [String] {
    result.written.map { ($0.isError ? "2> " : "1> ") + $0.text }
  }

  @Test mutating func substitutionsNestOnlySoDeep() {
    let deep = String(repeating: "$(echo ", count: 20) + "x" + String(repeating: ")", count: 20)
    #expect(run("echo " + deep) == ToolResult(stderr: "grpclab: command substitutions nested more than 16 deep\n", exitCode: 2))
    let shallow = String(repeating: "$(echo ", count: 3) + "x" + String(repeating: ")", count: 3)
    #expect(run("echo " + shallow) == ToolResult(stdout: "x\n"))
  }

  @Test func onlyLinesThatReadAloneAreLocal() {
    #expect(ToolSession.isLocal("echo $X | grep a"))
    #expect(!ToolSession.isLocal("echo $(oc get pods)"))
    #expect(!ToolSession.isLocal("X=1"))
    #expect(!ToolSession.isLocal("export X=1"))
    #expect(ToolSession.isLocal("X=1 echo a"))
  }
}
