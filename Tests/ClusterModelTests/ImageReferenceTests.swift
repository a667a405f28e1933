import Testing

@testable import ClusterModel

/// An image reference read as the registry reads it: the repository, and the tag or digest.
@Suite struct ImageReferenceTests {
  @Test(arguments: [
    ("quay.io/shrishs/grpc-plain-text-quickstart-jvm", "quay.io/shrishs/grpc-plain-text-quickstart-jvm", "latest"),
    ("fortio/fortio:latest_release", "fortio/fortio", "latest_release"),
    ("localhost:5000/team/app", "localhost:5000/team/app", "latest"),
    ("localhost:5000/team/app:v1", "localhost:5000/team/app", "v1"),
    ("repo@sha256:abc", "repo", "sha256:abc"),
    ("repo:tag@sha256:abc", "repo", "sha256:abc"),
    ("", "", "latest"),
  ])
  func aReferenceNamesItsRepositoryAndTag(reference: String, repository: String, tag: String) {
    #expect(ContainerImage.repository(of: reference) == repository)
    #expect(ContainerImage.tag(of: reference) == tag)
  }

  @Test func theRegistryKnowsARepositoryWhateverItsTag() {
    #expect(ContainerImage.lookup("docker.io/kong/httpbin:0.1.0")?.behaviour == .httpbin)
    #expect(ContainerImage.lookup("docker.io/kong/httpbin@sha256:1") == ContainerImage.lookup("docker.io/kong/httpbin"))
    #expect(ContainerImage.lookup("docker.io/kong/httpbin2") == nil)
  }
}
