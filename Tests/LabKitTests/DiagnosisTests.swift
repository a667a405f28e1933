import ClusterModel
import ClusterTools
import Testing

@testable import LabKit

/// `why` on a cluster off the step's path names the first difference from what the step needs, found in
/// what the model holds, with the command that fixes it, in both languages.
@Suite struct DiagnosisTests {
  static let curl = "oc -n test exec deploy/grpc-client -- curl -s http://localhost:8080/hello/grpc"

  /// The first difference for step `step` (from 1) after `lines`.
  static func difference(step: Int, after lines: [String], language: Language = .en) throws -> String? {
    let lab = try LabCatalog.lab("grpc-lb")
    let session = try transcript(lines, seed: 5).1
    return Diagnosis.firstDifference(for: lab.steps[step - 1], in: session.cluster, language: language)
  }

  static func solutions(through step: Int) throws -> [String] {
    try LabCatalog.lab("grpc-lb").steps.prefix(step).flatMap(\.solution)
  }

  @Test func aClientThatWasNotRestartedHasNoSidecar() throws {
    let lines = try Self.solutions(through: 1) + [
      "oc apply -f smmr.yaml", "oc apply -f grpc-vs.yaml", "oc -n grpc delete pod -l app=grpc", Self.curl,
    ]
    let english = try #require(try Self.difference(step: 2, after: lines))
    #expect(english.hasPrefix("Pod grpc-client-"))
    #expect(english.contains(
      "has no sidecar (1/1): injection happens when a pod is created, and this one was created before test joined the mesh."))
    #expect(english.contains("`oc -n test delete pod grpc-client-"))
    let chinese = try #require(try Self.difference(step: 2, after: lines, language: .zh))
    #expect(chinese.contains("没有 sidecar（1/1）：注入只发生在创建 Pod 时，而它创建于 test 加入网格之前。"))
  }

  @Test func podsOutsideTheMeshAreNotInjected() throws {
    let english = try #require(try Self.difference(step: 2, after: Self.solutions(through: 1) + ["oc -n grpc delete pod -l app=grpc"]))
    #expect(english.contains(" has no sidecar ("))
    #expect(english.contains("/1): its namespace grpc is not a member of the mesh."))
    let chinese = try #require(
      try Self.difference(step: 2, after: Self.solutions(through: 1) + ["oc -n grpc delete pod -l app=grpc"], language: .zh))
    #expect(chinese.contains("它的命名空间 grpc 不是网格成员"))
  }

  @Test func withoutADestinationRuleConnectionsAreReused() throws {
    let english = try #require(try Self.difference(step: 3, after: Self.solutions(through: 2)))
    #expect(english == "No DestinationRule sets a connection pool for grpc.grpc.svc.cluster.local: the sidecar keeps each connection for many requests. Apply the step's DestinationRule, then call the client again.")
    #expect(try Self.difference(step: 3, after: Self.solutions(through: 2), language: .zh)?.hasPrefix("没有 DestinationRule 为 grpc.grpc.svc.cluster.local 设置连接池") == true)
  }

  /// A rule for `grpc` in the client's namespace names `grpc.test`, not the server's Service: the sidecar,
  /// and so `why`, does not apply it.
  @Test func aRuleForAnotherHostIsNotTheOneInForce() throws {
    let rule = """
      oc -n test apply -f - <<EOF
      apiVersion: networking.istio.io/v1alpha3
      kind: DestinationRule
      metadata: {name: grpc-dr}
      spec:
        host: grpc
        trafficPolicy: {connectionPool: {http: {maxRequestsPerConnection: 1}}}
      EOF
      """
    let english = try #require(try Self.difference(step: 3, after: Self.solutions(through: 2) + [rule, Self.curl]))
    #expect(english.hasPrefix("No DestinationRule sets a connection pool for grpc.grpc.svc.cluster.local"), "\(english)")
  }

  @Test func theStrictRuleStillAppliedOpensAConnectionPerCall() throws {
    let english = try #require(try Self.difference(step: 4, after: Self.solutions(through: 3)))
    #expect(english.hasPrefix("DestinationRule grpc-dr still allows 1 request per connection (`maxRequestsPerConnection: 1`)"))
    #expect(try Self.difference(step: 4, after: Self.solutions(through: 3), language: .zh)?.contains("仍然只允许每条连接承载 1 个请求") == true)
  }

  @Test func aCallMadeBeforeTheRuleChangedIsToBeMadeAgain() throws {
    let english = try #require(try Self.difference(step: 3, after: Self.solutions(through: 2) + ["oc apply -f grpc-dr.yaml"]))
    #expect(english.hasPrefix("DestinationRule grpc-dr has this step's setting (1 requests per connection), but your last client call ran before it was created"))
  }

  /// Calls that failed before any connection (a route to a subset the rule lacks) are named as the reason,
  /// not the time of the call.
  @Test func callsThatFailedAreTheReasonWhenTheRuleIsRight() throws {
    let route = """
      oc apply -f - <<EOF
      apiVersion: networking.istio.io/v1alpha3
      kind: VirtualService
      metadata: {name: grpc-vs, namespace: grpc}
      spec:
        hosts: [grpc.grpc.svc.cluster.local]
        http:
          - route:
              - {destination: {host: grpc, subset: v1}, weight: 80}
              - {destination: {host: grpc, subset: v4}, weight: 20}
      EOF
      """
    let english = try #require(try Self.difference(step: 3, after: Self.solutions(through: 2) + ["oc apply -f grpc-dr.yaml", route, Self.curl]))
    #expect(english.hasPrefix("DestinationRule grpc-dr has this step's setting, but "), "\(english)")
    #expect(english.contains(" calls of your last client call failed (`NC`): "), "\(english)")
    let graph = try transcript(Self.solutions(through: 2) + ["oc apply -f grpc-dr.yaml", route, Self.curl, "kiali graph -n grpc,test"], seed: 5).0
    #expect(graph.contains("──▶ unknown (svc)") && !graph.contains("──▶ -\n"), "\(graph)")
  }

  /// `why`'s account reads right when no call got through: no pods, no upstream connections.
  @Test func theAccountOfACallThatReachedNoPodSaysSo() throws {
    let lines = try Self.solutions(through: 2) + ["oc -n grpc scale deploy/grpc-v1 deploy/grpc-v2 deploy/grpc-v3 --replicas=0", Self.curl]
    let session = try transcript(lines, seed: 5).1
    let account = Observation.lastClientCall(in: session.cluster, language: .en)
    #expect(account.contains("\nNo call reached a pod.\nThe sidecar carried no call upstream.\nA call failed: "), "\(account)")
  }

  @Test func nothingDeployedYetAndNoCallYet() throws {
    #expect(try Self.difference(step: 1, after: []) == "No pod in grpc matches app=grpc: create the Deployments that make them (`oc -n grpc get deploy` lists those there are).")
    let deployed = Array(try Self.solutions(through: 1).dropLast())
    #expect(try Self.difference(step: 1, after: deployed) == "No client call yet: run `oc -n test exec deploy/grpc-client -- curl -s http://localhost:8080/hello/grpc`.")
  }

  @Test func aStepOnItsPathHasNoDifference() throws {
    for step in 1...5 {
      #expect(try Self.difference(step: step, after: Self.solutions(through: step)) == nil, "step \(step)")
    }
  }
}

/// The article's own Gateway, whose host `grpc-istio-system.apps.ocp-XXX.com` is no valid Route host,
/// leaves istiod's IOR error in its log, and `why` names it.
@Suite struct ArticleGatewayTests {
  static var articleGateway: String {
    """
    oc apply -f - <<EOF
    apiVersion: networking.istio.io/v1alpha3
    kind: Gateway
    metadata: {name: grpc-gateway, namespace: grpc}
    spec:
      selector: {istio: ingressgateway}
      servers:
      - hosts: [grpc-istio-system.apps.ocp-XXX.com]
        port: {number: 443, protocol: https, name: HTTPS}
        tls: {mode: MUTUAL, credentialName: istio-ingressgateway-certs}
    EOF
    """
  }

  static func beforeTheGateway() throws -> [String] {
    let lab = try LabCatalog.lab("grpc-lb")
    return lab.steps.prefix(4).flatMap(\.solution) + lab.steps[4].solution.prefix(2)
  }

  @Test func istiodLogsWhyItMadeNoRouteAndThenTheRouteItMade() throws {
    let logs = "oc -n istio-system logs deploy/istiod-basic --tail 4"
    let (text, _) = try transcript(try Self.beforeTheGateway() + [Self.articleGateway, logs, "oc apply -f grpc-gateway.yaml", logs], seed: 3)
    #expect(text.contains("""
      \terror\tior\t1 error occurred:
      \t* error creating a route for the host grpc-istio-system.apps.ocp-XXX.com (gateway: grpc/grpc-gateway): \
      Route.route.openshift.io "grpc-grpc-gateway-c3755e4048d10c65" is invalid: spec.host: Invalid value: \
      "grpc-istio-system.apps.ocp-XXX.com": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters
      """))
    #expect(text.contains(
      "\tinfo\tior\tCreated route istio-system/grpc-grpc-gateway-c35456c64f2d8ff9 for hostname grpc-istio-system.apps.cluster.example.com (gateway: grpc/grpc-gateway)\n"))
  }

  @Test func whyNamesTheHostNoRouteCanHave() throws {
    let lab = try LabCatalog.lab("grpc-lb")
    let session = try transcript(try Self.beforeTheGateway() + [Self.articleGateway], seed: 3).1
    let english = try #require(Diagnosis.firstDifference(for: lab.steps[4], in: session.cluster, language: .en))
    #expect(english.hasPrefix(
      "Gateway grpc/grpc-gateway names the host grpc-istio-system.apps.ocp-XXX.com, which is no valid Route host (a lowercase RFC 1123 subdomain)"))
    let chinese = try #require(Diagnosis.firstDifference(for: lab.steps[4], in: session.cluster, language: .zh))
    #expect(chinese.contains("不是合法的 Route 主机"))
  }
}

/// A MUTUAL Gateway whose secret is missing, or made with `oc create secret tls` (no `ca.crt`), leaves
/// pilot's SDS warning in istiod's log, once, as istiod words it.
@Suite struct GatewaySecretTrailTests {
  static let logs = "oc -n istio-system logs deploy/istiod-basic --tail 3"

  static func beforeTheSecret() throws -> [String] {
    let lab = try LabCatalog.lab("grpc-lb")
    return lab.steps.prefix(4).flatMap(\.solution) + [lab.steps[4].solution[0]]
  }

  @Test func aMissingSecretAndOneWithoutACertificateAuthorityAreLogged() throws {
    let tlsOnly = "oc create -n istio-system secret tls istio-ingressgateway-certs --cert=certs/gateway.crt --key=certs/gateway.key"
    let (text, session) = try transcript(
      try Self.beforeTheSecret() + ["oc apply -f grpc-gateway.yaml", Self.logs, tlsOnly, Self.logs], seed: 4)
    #expect(text.contains(
      "\twarn\tads\tfailed to fetch key and certificate for kubernetes://istio-ingressgateway-certs: secret istio-system/istio-ingressgateway-certs not found\n"))
    #expect(text.contains(
      "\twarn\tads\tfailed to fetch ca certificate for kubernetes://istio-ingressgateway-certs-cacert: secret istio-system/istio-ingressgateway-certs not found\n"))
    #expect(text.contains(
      "\twarn\tads\tfailed to fetch ca certificate for kubernetes://istio-ingressgateway-certs-cacert: found secret, but didn't have expected keys cacert or ca.crt; found: tls.crt, tls.key\n"))
    #expect(session.cluster.gatewaySecretProblems == [
      "failed to fetch ca certificate for kubernetes://istio-ingressgateway-certs-cacert: found secret, but didn't have expected keys cacert or ca.crt; found: tls.crt, tls.key"
    ])
    let lab = try LabCatalog.lab("grpc-lb")
    let difference = try #require(Diagnosis.firstDifference(for: lab.steps[4], in: session.cluster, language: .en))
    #expect(difference.contains("found secret, but didn't have expected keys cacert or ca.crt"))
  }

  @Test func theLabsSecretLeavesNoWarning() throws {
    let lab = try LabCatalog.lab("grpc-lb")
    let session = try transcript(lab.steps.flatMap(\.solution), seed: 4).1
    #expect(session.cluster.gatewaySecretProblems.isEmpty)
  }

  /// A `<name>-cacert` secret is where istiod reads the CA from once it exists: without a CA in it, istiod
  /// warns and the gateway serves the MUTUAL server no chain, though the credential's own secret has one.
  @Test func aCacertSecretWithoutACertificateAuthorityWinsForTheWarningAndTheGatewayAlike() throws {
    let lab = try LabCatalog.lab("grpc-lb")
    let call = try #require(lab.steps[4].solution.last)
    let (text, session) = try transcript(
      lab.steps.flatMap(\.solution) + ["oc create -n istio-system secret generic istio-ingressgateway-certs-cacert --from-literal=x=y", call],
      seed: 4)
    #expect(session.cluster.gatewaySecretProblems == [
      "failed to fetch ca certificate for kubernetes://istio-ingressgateway-certs-cacert: found secret, but didn't have expected keys cacert or ca.crt; found: x"
    ])
    let last = try #require(text.components(separatedBy: "$ " + call + "\n").last)
    #expect(last.contains("[exit "), "the gateway has no chain to answer the call with")
  }
}
