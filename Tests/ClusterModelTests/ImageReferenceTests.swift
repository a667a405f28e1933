import Testing

@testable import ClusterModel

/// An image reference read as registries read it, byte by byte: the repository, and the tag or digest.
@Suite struct ImageReferenceTests {
  struct Case: CustomTestStringConvertible, Sendable {
    var reference: String
    var repository: String
    var tag: String
    var testDescription: String { reference.isEmpty ? "(empty)" : reference }
  }

  @Test(arguments: [
    Case(reference: "quay.io/shrishs/grpc-plain-text-quickstart-jvm", repository: "quay.io/shrishs/grpc-plain-text-quickstart-jvm", tag: "latest"),
    Case(reference: "fortio/fortio:latest_release", repository: "fortio/fortio", tag: "latest_release"),
    Case(reference: "localhost:5000/team/app", repository: "localhost:5000/team/app", tag: "latest"),
    Case(reference: "localhost:5000/team/app:v1", repository: "localhost:5000/team/app", tag: "v1"),
    Case(reference: "repo@sha256:abc", repository: "repo", tag: "sha256:abc"),
    Case(reference: "repo:tag@sha256:abc", repository: "repo", tag: "sha256:abc"),
    Case(reference: "repo@a@b", repository: "repo", tag: "a@b"),
    Case(reference: "repo:@x", repository: "repo", tag: "x"),
    Case(reference: "repo@\u{301}x", repository: "repo", tag: "\u{301}x"),
    Case(reference: "repo:\u{301}v1", repository: "repo", tag: "\u{301}v1"),
    Case(reference: "", repository: "", tag: "latest"),
  ])
  func aReferenceNamesItsRepositoryAndTag(_ example: Case) {
    #expect(ContainerImage.repository(of: example.reference) == example.repository)
    #expect(ContainerImage.tag(of: example.reference) == example.tag)
  }

  @Test func theRegistryKnowsARepositoryWhateverItsTag() {
    #expect(ContainerImage.lookup("docker.io/kong/httpbin:0.1.0")?.behaviour == .httpbin)
    #expect(ContainerImage.lookup("docker.io/kong/httpbin@sha256:1") == ContainerImage.lookup("docker.io/kong/httpbin"))
    #expect(ContainerImage.lookup("docker.io/kong/httpbin2") == nil)
  }
}
