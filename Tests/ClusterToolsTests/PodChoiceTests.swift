import ClusterModel
import Foundation
import Testing

@testable import ClusterTools

/// The pod kubectl picks among a workload's pods: `podutils.ByLogging` for `logs`, the most active for `exec`.
@Suite struct PodChoiceTests {
  /// A pod made from a JSON status; `ready` gives the second its Ready condition holds since.
  static func pod(
    _ name: String, node: String? = "worker-0", phase: String = "Running", ready: Int64? = 100, restarts: Int = 0,
    created: Int64 = 0
  ) throws -> Pod {
    let condition = ready.map { #"{"type":"Ready","status":"True","lastTransitionTime":"\#(Self.time($0))"}"# } ?? ""
    let json = """
      {"apiVersion":"v1","kind":"Pod","metadata":{"name":"\(name)","creationTimestamp":"\(Self.time(created))"},
       "spec":{\(node.map { #""nodeName":"\#($0)","# } ?? "")"containers":[{"name":"app","image":"x"}]},
       "status":{"phase":"\(phase)","conditions":[\(condition)],
                 "containerStatuses":[{"name":"app","state":{},"ready":true,"restartCount":\(restarts),"image":"x","imageID":""}]}}
      """
    return try JSONDecoder().decode(Pod.self, from: Data(json.utf8))
  }

  /// An RFC 3339 time `second` seconds into the lab's day.
  static func time(_ second: Int64) -> String { SimTime(seconds: 1_684_500_000 + second).rfc3339 }

  struct Case: CustomTestStringConvertible, Sendable {
    var label: String
    /// The pod kubectl picks, and the one it passes over.
    var first: @Sendable () throws -> Pod
    var second: @Sendable () throws -> Pod
    /// Whether the pick is for `logs` (else for `exec`).
    var forLogs = true
    var testDescription: String { label }
  }

  /// In each case the first pod is the one kubectl picks.
  static let cases: [Case] = [
    Case(label: "scheduled before unscheduled", first: { try pod("a") }, second: { try pod("b", node: nil, created: -5) }),
    Case(label: "running before pending", first: { try pod("a") }, second: { try pod("b", phase: "Pending", created: -5) }),
    Case(label: "ready before not ready", first: { try pod("a") }, second: { try pod("b", ready: nil, created: -5) }),
    Case(label: "ready the longest first", first: { try pod("a", ready: 50, created: 9) }, second: { try pod("b", ready: 60) }),
    Case(label: "logs: the most restarted", first: { try pod("a", restarts: 2, created: 9) }, second: { try pod("b") }),
    Case(label: "exec: the least restarted", first: { try pod("a", created: 9) }, second: { try pod("b", restarts: 2) }, forLogs: false),
    Case(label: "then the oldest", first: { try pod("b", created: 1) }, second: { try pod("a", created: 2) }),
    Case(label: "logs: a failed pod before a pending one", first: { try pod("a", phase: "Failed", ready: nil) }, second: { try pod("b", phase: "Pending", ready: nil) }),
    Case(
      label: "exec: an unknown pod before a failed one", first: { try pod("a", phase: "Unknown", ready: nil, created: 9) },
      second: { try pod("b", phase: "Failed", ready: nil) }, forLogs: false),
  ]

  @Test(arguments: cases)
  func kubectlPicksAsItsSortsDo(_ test: Case) throws {
    let (first, second) = (try test.first(), try test.second())
    #expect(Kubectl.picksFirst(first, over: second, forLogs: test.forLogs))
    #expect(!Kubectl.picksFirst(second, over: first, forLogs: test.forLogs))
  }
}
