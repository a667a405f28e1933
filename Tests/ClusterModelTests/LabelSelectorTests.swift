import Testing

@testable import ClusterModel

@Suite struct LabelSelectorTests {
  @Test(arguments: [
    ("app=grpc", ["app": "grpc"], true),
    ("app=grpc", ["app": "web"], false),
    ("app!=grpc", ["app": "web"], true),
    ("app in (grpc,web)", ["app": "web"], true),
    ("app notin (grpc)", ["app": "grpc"], false),
    ("!legacy", ["app": "grpc"], true),
    ("version", ["app": "grpc"], false),
    ("app=grpc,app.kubernetes.io/version=l1", ["app": "grpc", "app.kubernetes.io/version": "l1"], true),
  ])
  func matches(text: String, labels: [String: String], expected: Bool) throws {
    #expect(try LabelSelector(parsing: text).matches(labels) == expected)
  }

  @Test(arguments: ["a b", "=x", "app=(", ""])
  func rejectsMalformedSelectors(text: String) {
    #expect(throws: ClusterError.self) { try LabelSelector(parsing: text) }
  }
}
