/// What a container image runs, as far as the model knows it.
public enum AppBehaviour: Equatable, Sendable {
  /// The Quarkus gRPC greeter of the lab: a `helloworld.Greeter` server on 9000 and `GET /hello/grpc` on 8080.
  case quarkusGreeter
  /// A platform component that runs and stays ready, with no modelled traffic.
  case platform(startupLog: [String])
  /// Istio's proxy (pilot-agent and Envoy): a sidecar or a gateway.
  case istioProxy
  /// fortio: its image runs `fortio server`, and `fortio load` runs from `exec`.
  case fortio
  /// httpbin: an HTTP/1.1 service on port 80 (`HTTPBinApp`).
  case httpbin
}

/// An image the modelled registry can pull.
public struct ContainerImage: Equatable, Sendable {
  /// The reference as written in manifests, without a tag.
  public var repository: String
  /// The digest that `imageID` reports.
  public var digest: String
  /// How long a first pull on a node takes.
  public var pullTime: SimDuration
  /// What the image runs.
  public var behaviour: AppBehaviour

  /// The images the modelled registries serve.
  public static let catalog: [ContainerImage] = [
    ContainerImage(
      repository: "quay.io/shrishs/grpc-plain-text-quickstart-jvm",
      digest: "sha256:5b1c0e3f6d8a47e29b0c6a3f4e1d2c7b8a9f0e1d2c3b4a5968778695a4b3c2d1",
      pullTime: .milliseconds(3_200), behaviour: .quarkusGreeter),
    ContainerImage(
      repository: "fortio/fortio",
      digest: "sha256:7a0f3c5d9b1e2a4c6f8d0b2e4a6c8e0f1a3b5d7f9e1c3a5b7d9f1e3c5a7b9d1f",
      pullTime: .milliseconds(2_600), behaviour: .fortio),
    ContainerImage(
      repository: "docker.io/kong/httpbin",
      digest: "sha256:c546c8b06c542b615f053b577707cb72ddc875a0731d56d0ffaf840f767322ad",
      pullTime: .milliseconds(4_100), behaviour: .httpbin),
    platform("registry.redhat.io/openshift4/ose-haproxy-router", "e4f9a1c2", [
      "router \"msg\"=\"starting router\" \"version\"=\"4.12.0\"",
      "template \"msg\"=\"router reloaded\"",
    ]),
    platform("registry.redhat.io/openshift-service-mesh/pilot-rhel8", "0a7d3e11", [
      "info\tFLAG: --domain=\"cluster.local\"", "info\tistiod ready",
    ]),
    ContainerImage(
      repository: "registry.redhat.io/openshift-service-mesh/proxyv2-rhel8",
      digest: "sha256:9c2b7f40" + String(repeating: "0", count: 56), pullTime: .seconds(4), behaviour: .istioProxy),
    platform("registry.redhat.io/openshift-service-mesh/kiali-rhel8", "71e0c9a3", [
      "{\"level\":\"info\",\"message\":\"Server endpoint will start at [:20001/]\"}",
    ]),
    platform("registry.redhat.io/distributed-tracing/jaeger-all-in-one-rhel8", "3f8a2d6c", [
      "{\"level\":\"info\",\"msg\":\"Query server started\",\"port\":16686}",
    ]),
    platform("registry.redhat.io/openshift4/ose-oauth-proxy", "c5d1e8b9", [
      "oauthproxy.go:204: mapping path \"/\" => upstream \"http://localhost:16686/\"",
    ]),
    platform("registry.redhat.io/openshift-service-mesh/prometheus-rhel8", "58b6a4f2", [
      "level=info msg=\"Server is ready to receive web requests.\"",
    ]),
  ]

  private static func platform(_ repository: String, _ short: String, _ log: [String]) -> ContainerImage {
    ContainerImage(
      repository: repository, digest: "sha256:\(short)" + String(repeating: "0", count: 56),
      pullTime: .seconds(5), behaviour: .platform(startupLog: log))
  }

  /// The image a reference names (`repo`, `repo:tag` or `repo@digest`), if the registry has it.
  public static func lookup(_ reference: String) -> ContainerImage? {
    byRepository[repository(of: reference)]
  }

  private static let byRepository = Dictionary(catalog.map { ($0.repository, $0) }) { first, _ in first }

  /// The tag or digest a reference names, `latest` when it names neither (as the registry reads it).
  static func tag(of reference: String) -> String {
    let bytes = reference.utf8
    if let at = bytes.firstIndex(of: UInt8(ascii: "@")) { return String(reference[bytes.index(after: at)...]) }
    guard let colon = tagColon(in: bytes[...]) else { return "latest" }
    return String(reference[bytes.index(after: colon)...])
  }

  /// The reference without its tag or digest.
  static func repository(of reference: String) -> String {
    let bytes = reference.utf8
    var end = bytes.firstIndex(of: UInt8(ascii: "@")) ?? bytes.endIndex
    if let colon = tagColon(in: bytes[..<end]) { end = colon }
    return end == bytes.endIndex ? reference : String(reference[..<end])
  }

  /// The `:` before the tag of `name` (a reference without its digest): its last `:`, unless a `/` follows,
  /// as after a registry's port. References are read as bytes, as registries parse them (a combining mark
  /// after `@` or `:` does not hide it), and quickly: the kubelet reads every container's on every sync.
  private static func tagColon(in name: Substring.UTF8View) -> String.Index? {
    guard let colon = name.lastIndex(of: UInt8(ascii: ":")), !name[colon...].contains(UInt8(ascii: "/")) else { return nil }
    return colon
  }
}
