import ClusterModel
import Testing

@testable import ClusterTools

@Suite struct MeshKubectlTests {
  var session = ToolSession(cluster: Cluster(seed: 11))

  mutating func run(_ line: String, files: [String: String] = [:]) -> ToolResult {
    session.run(line, files: MemoryFiles(files: files), workingDirectory: "/lab").0
  }

  static let rule = """
    apiVersion: networking.istio.io/v1alpha3
    kind: DestinationRule
    metadata:
      name: grpc-dr
    spec:
      host: grpc
      trafficPolicy:
        connectionPool:
          http:
            maxRetries: -1
    """

  @Test mutating func applyingTheSameMemberRollAgainChangesNothing() {
    _ = run("oc new-project grpc")
    let roll = """
      apiVersion: maistra.io/v1
      kind: ServiceMeshMemberRoll
      metadata: {name: default, namespace: istio-system}
      spec: {members: [grpc]}
      """
    #expect(run("oc apply -f smmr.yaml", files: ["/lab/smmr.yaml": roll]).stdout == "servicemeshmemberroll.maistra.io/default created\n")
    session.cluster.advance(by: .seconds(5))
    #expect(run("oc apply -f smmr.yaml", files: ["/lab/smmr.yaml": roll]).stdout == "servicemeshmemberroll.maistra.io/default unchanged\n")
    let added = roll.replacingOccurrences(of: "[grpc]", with: "[grpc, test]")
    #expect(run("oc apply -f smmr.yaml", files: ["/lab/smmr.yaml": added]).stdout == "servicemeshmemberroll.maistra.io/default configured\n")
  }

  @Test mutating func theWebhookRefusesAnInvalidRuleAndStoresNothing() {
    _ = run("oc new-project grpc")
    let before = session.cluster.store
    #expect(run("oc apply -f dr.yaml", files: ["/lab/dr.yaml": Self.rule]) == ToolResult(
      stderr: "Error from server: error when creating \"dr.yaml\": admission webhook \"validation.istio.io\" denied the request: configuration is invalid: max retries must be non-negative\n",
      exitCode: 1))
    #expect(session.cluster.store == before)
  }

  @Test mutating func dryRunServerAdmitsWithoutStoring() {
    _ = run("oc new-project grpc")
    let valid = Self.rule.replacingOccurrences(of: "maxRetries: -1", with: "maxRetries: 0")
    let before = session.cluster.store
    #expect(run("oc apply -f dr.yaml --dry-run=server", files: ["/lab/dr.yaml": valid]).stdout
      == "destinationrule.networking.istio.io/grpc-dr created (server dry run)\n")
    #expect(run("oc apply -f dr.yaml --dry-run=server", files: ["/lab/dr.yaml": Self.rule]).exitCode == 1)
    #expect(session.cluster.store == before)
  }

  /// `apply -o`: what the server stored (a custom resource has generation 1, a server dry run no
  /// resourceVersion), or with `--dry-run=client` what kubectl would send; `---` between YAML documents.
  @Test mutating func applyPrintsWhatItWrote() {
    _ = run("oc new-project grpc")
    let rule = Self.rule.replacingOccurrences(of: "maxRetries: -1", with: "maxRetries: 0")
    let files = ["/lab/dr.yaml": rule, "/lab/two.yaml": rule + "\n---\n" + rule.replacingOccurrences(of: "grpc-dr", with: "grpc-dr2")]
    let before = session.cluster.store
    let client = run("oc apply -f dr.yaml --dry-run=client -o yaml", files: files)
    #expect(client.stdout.hasPrefix("apiVersion: networking.istio.io/v1alpha3\nkind: DestinationRule\nmetadata:\n  annotations:\n    kubectl.kubernetes.io/last-applied-configuration: |\n"))
    #expect(!client.stdout.contains("uid:") && !client.stdout.contains("generation:"))
    let server = run("oc apply -f dr.yaml --dry-run=server -o yaml", files: files)
    #expect(server.stdout.contains("  generation: 1\n") && server.stdout.contains("  uid: ") && !server.stdout.contains("resourceVersion"))
    #expect(session.cluster.store == before)
    #expect(run("oc apply -f two.yaml -o name", files: files).stdout
      == "destinationrule.networking.istio.io/grpc-dr\ndestinationrule.networking.istio.io/grpc-dr2\n")
    let both = run("oc get dr -o yaml", files: files).stdout
    #expect(both.components(separatedBy: "generation: 1").count == 3)
    let twice = run("oc apply -f two.yaml -o yaml", files: files).stdout
    #expect(twice.components(separatedBy: "\n---\n").count == 2 && twice.contains("resourceVersion"))
  }

  /// Re-applying a pod the injector changed keeps its sidecar; a list item the previous apply set and this
  /// one does not is removed, item by item.
  @Test mutating func reapplyingMergesListsByName() {
    _ = run("oc new-project grpc")
    let roll = "apiVersion: maistra.io/v1\nkind: ServiceMeshMemberRoll\nmetadata: {name: default, namespace: istio-system}\nspec: {members: [grpc]}\n"
    _ = run("oc apply -f smmr.yaml", files: ["/lab/smmr.yaml": roll])
    func pod(_ env: String) -> String {
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: meshed, annotations: {sidecar.istio.io/inject: "true"}}
      spec:
        containers:
        - {name: app, image: quay.io/shrishs/grpc-plain-text-quickstart-jvm, env: [\(env)]}
      """
    }
    let two = pod("{name: A, value: a}, {name: B, value: b}")
    #expect(run("oc apply -f pod.yaml", files: ["/lab/pod.yaml": two]).stdout == "pod/meshed created\n")
    #expect(run("oc apply -f pod.yaml", files: ["/lab/pod.yaml": two]).stdout == "pod/meshed unchanged\n")
    _ = run("oc apply -f pod.yaml", files: ["/lab/pod.yaml": pod("{name: A, value: a}")])
    let stored = session.cluster.store.pod(PodRef(namespace: "grpc", name: "meshed"))
    #expect(stored?.spec.containers.map(\.name) == ["app", "istio-proxy"])
    #expect(stored?.spec.containers.first?.env?.map(\.name) == ["A"])
    #expect(stored?.spec.containers.first?.volumeMounts?.first?.name.hasPrefix("kube-api-access-") == true)
    func service(_ port: Int) -> String {
      "apiVersion: v1\nkind: Service\nmetadata: {name: grpc}\nspec:\n  selector: {app: grpc}\n  ports: [{name: grpc, port: \(port)}]\n"
    }
    _ = run("oc apply -f svc.yaml", files: ["/lab/svc.yaml": service(9000)])
    #expect(run("oc apply -f svc.yaml", files: ["/lab/svc.yaml": service(9001)]).stdout == "service/grpc configured\n")
    #expect(session.cluster.store.service("grpc", in: "grpc")?.spec.ports?.map(\.port) == [9001], "ports merge by number")
  }

  @Test mutating func meshKindsHaveTheirShortNamesAndColumns() {
    _ = run("oc new-project grpc")
    let service = """
      apiVersion: networking.istio.io/v1beta1
      kind: VirtualService
      metadata:
        name: grpc-vs
      spec:
        hosts: [grpc.grpc.svc.cluster.local]
        http:
        - route:
          - destination: {host: grpc}
      """
    #expect(run("oc apply -f vs.yaml", files: ["/lab/vs.yaml": service]).stdout == "virtualservice.networking.istio.io/grpc-vs created\n")
    session.cluster.advance(by: .seconds(5))
    #expect(run("oc get vs").stdout == """
      NAME      GATEWAYS   HOSTS                             AGE
      grpc-vs              ["grpc.grpc.svc.cluster.local"]   5s

      """)
    #expect(run("oc get smcp -n istio-system").stdout.hasPrefix("""
      NAME    READY   STATUS            PROFILES      VERSION   AGE
      basic   9/9     ComponentsReady   ["default"]   2.5.1
      """))
    #expect(run("oc get gateways.networking.istio.io").stderr == "No resources found in grpc namespace.\n")
  }

  @Test mutating func yamlOutputUsesKubectlsStyle() {
    _ = run("oc new-project grpc")
    let map = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: props\ndata:\n  app.properties: |\n    a: 1\n    b: 2\n  port: '9000'\n"
    #expect(run("oc create -f cm.yaml", files: ["/lab/cm.yaml": map]).exitCode == 0)
    let yaml = run("oc get cm props -o yaml").stdout
    #expect(yaml.hasPrefix("""
      apiVersion: v1
      data:
        app.properties: |
          a: 1
          b: 2
        port: "9000"
      kind: ConfigMap
      metadata:
        creationTimestamp: "
      """))
  }

  @Test mutating func secretsFromFilesAndTheIngressConfig() {
    _ = run("oc new-project grpc")
    let files = ["/lab/ca.crt": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", "/lab/c.key": "k\n"]
    #expect(run("oc create secret generic certs --from-file=ca.crt --from-file=tls.key=c.key --from-literal=a=b", files: files).stdout
      == "secret/certs created\n")
    #expect(run("oc get secret certs").stdout.contains("certs   Opaque   3 "))
    #expect(run("oc create secret generic certs --from-file=ca.crt", files: files).stderr
      == "error: failed to create secret secrets \"certs\" already exists\n")
    #expect(run("oc create secret tls t --cert=ca.crt --key=missing.key", files: files).stderr
      == "error: Cannot read file missing.key, open missing.key: no such file or directory\n")
    #expect(run("oc annotate ingresses.config/cluster ingress.operator.openshift.io/default-enable-http2=true").stdout
      == "ingress.config.openshift.io/cluster annotated\n")
    #expect(run("oc get ingresses").stderr.hasPrefix("grpclab: resource type \"ingresses\" is not part of the lab's oc; it has "))
  }

  @Test(arguments: ["v2", "v1"])
  mutating func aVersionTheMeshDoesNotServeIsNotMapped(version: String) {
    _ = run("oc new-project grpc")
    let service = "apiVersion: networking.istio.io/\(version)\nkind: VirtualService\nmetadata:\n  name: x\nspec: {}\n"
    #expect(run("oc apply -f vs.yaml", files: ["/lab/vs.yaml": service]).stderr.hasPrefix(
      "error: resource mapping not found for name: \"x\" namespace: \"\" from \"vs.yaml\": no matches for kind \"VirtualService\" in version \"networking.istio.io/\(version)\""))
  }

  @Test mutating func aRuleWrittenInAnyServedVersionIsReadInThePreferredOne() {
    _ = run("oc new-project grpc")
    let rule = "apiVersion: networking.istio.io/v1alpha3\nkind: DestinationRule\nmetadata:\n  name: grpc-dr\nspec:\n  host: grpc\n"
    #expect(run("oc apply -f dr.yaml", files: ["/lab/dr.yaml": rule]).stdout == "destinationrule.networking.istio.io/grpc-dr created\n")
    let yaml = run("oc get dr grpc-dr -o yaml").stdout
    #expect(yaml.hasPrefix("apiVersion: networking.istio.io/v1beta1\nkind: DestinationRule\n"))
    #expect(yaml.contains(#"{"apiVersion":"networking.istio.io/v1alpha3","kind":"DestinationRule""#), "kubectl's own record keeps what was applied")
    #expect(run("oc apply -f dr.yaml", files: ["/lab/dr.yaml": rule]).stdout == "destinationrule.networking.istio.io/grpc-dr unchanged\n")
    #expect(run("oc apply -f dr.yaml -o yaml", files: ["/lab/dr.yaml": rule]).stdout.hasPrefix("apiVersion: networking.istio.io/v1alpha3\n"),
      "a write is answered in the version it was made in")
  }
}

/// `oc create secret … --dry-run=client -o yaml`, byte for byte as kubectl 1.32 prints it, and piped into
/// `oc apply -f -`.
@Suite struct DryRunSecretTests {
  var session = ToolSession(cluster: Cluster(seed: 4))

  mutating func run(_ line: String) -> ToolResult {
    session.run(line, files: MemoryFiles(files: [:]), workingDirectory: "/lab").0
  }

  @Test mutating func aClientDryRunPrintsTheObjectKubectlBuiltAndCreatesNothing() {
    _ = run("oc new-project grpc")
    #expect(run("oc create secret generic s --from-literal=b=2 --from-literal=a=1 --type=Opaque -n grpc --dry-run=client -o json").stdout == """
      {
          "kind": "Secret",
          "apiVersion": "v1",
          "metadata": {
              "name": "s",
              "namespace": "grpc",
              "creationTimestamp": null
          },
          "data": {
              "a": "MQ==",
              "b": "Mg=="
          },
          "type": "Opaque"
      }

      """)
    #expect(run("oc create secret generic s --from-literal=a=1 --dry-run=client -o yaml").stdout
      == "apiVersion: v1\ndata:\n  a: MQ==\nkind: Secret\nmetadata:\n  creationTimestamp: null\n  name: s\n")
    #expect(run("oc get secret s").exitCode == 1)
    #expect(run("oc create secret generic s --from-literal=a=1 --dry-run=client -o yaml | oc apply -f -").stdout == "secret/s created\n")
    #expect(run("oc create secret generic t --from-literal=a=1 --dry-run=server -o name") == ToolResult(stdout: "secret/t\n"))
    let server = run("oc create secret generic t --from-literal=a=1 --dry-run=server -o yaml").stdout
    #expect(server.contains("  uid: ") && !server.contains("resourceVersion"))
    #expect(run("oc create secret generic t --from-literal=a=1 --dry-run=client -o ''").stdout == "secret/t created (dry run)\n")
    #expect(run("oc get secret t").exitCode == 1)
    #expect(run("oc create secret generic t --from-literal=a=1 -o custom-columns=N:.kind") == ToolResult(
      stderr: "error: unable to match a printer suitable for the output format \"custom-columns=N:.kind\", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml\n",
      exitCode: 1))
    #expect(run("oc create secret generic t --from-literal=a=1 -o wide") == ToolResult(
      stderr: "error: unable to match a printer suitable for the output format \"wide\", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml\n",
      exitCode: 1))
  }
}

/// `apply --dry-run=client` sends nothing, so what only the server checks does not stop it; a server dry
/// run is checked as a write is.
@Suite struct ClientDryRunTests {
  static let configMap = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: nowhere}\ndata: {a: b}\n"

  @Test func aClientDryRunInAMissingNamespaceCreatesNothingAndSaysCreated() {
    var session = ToolSession(cluster: Cluster(seed: 4))
    let before = session
    let files = MemoryFiles(files: ["/lab/c.yaml": Self.configMap])
    #expect(session.run("oc apply --dry-run=client -f c.yaml", files: files, workingDirectory: "/lab").0 == ToolResult(
      stdout: "configmap/c created (dry run)\n"))
    #expect(session == before)
    _ = session.run("oc new-project nowhere", files: files, workingDirectory: "/lab")
    _ = session.run("oc apply -f c.yaml", files: files, workingDirectory: "/lab")
    #expect(session.run("oc apply --dry-run=client -f c.yaml", files: files, workingDirectory: "/lab").0.stdout
      == "configmap/c configured (dry run)\n", "a client dry run does not compute what would change")
    session = before
    let server = session.run("oc apply --dry-run=server -f c.yaml", files: files, workingDirectory: "/lab").0
    #expect(server.exitCode == 1 && server.stderr.contains("namespaces \"nowhere\" not found"))
  }
}
