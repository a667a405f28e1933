import Testing

@testable import ClusterModel

/// The kubelet's decisions for one pod, from the pod, the store and the node's image cache alone.
@Suite struct KubeletTests {
  static let greeter = "quay.io/shrishs/grpc-plain-text-quickstart-jvm"
  static let proxy = "registry.redhat.io/openshift-service-mesh/proxyv2-rhel8:2.4"
  static let start = SimTime(seconds: 1_000)

  static func pod(_ images: [String], volumes: [Volume]? = nil) -> Pod {
    let containers = images.enumerated().map { Container(name: "c\($0.offset)", image: $0.element) }
    var metadata = ObjectMeta(name: "p", namespace: "grpc")
    metadata.uid = "u1"
    return Pod(metadata: metadata, spec: PodSpec(containers: containers, volumes: volumes))
  }

  static func store(configMap: String? = nil) throws -> ObjectStore {
    var cluster = Cluster(seed: 1)
    try cluster.createProject("grpc")
    if let configMap { try cluster.create(.configMap(ConfigMap(metadata: ObjectMeta(name: configMap, namespace: "grpc"), data: [:]))) }
    return cluster.store
  }

  @Test func aMissingVolumeSourceWaitsAndAnOptionalOneDoesNot() throws {
    var rng = SplitMix64(seed: 1)
    let config = Volume(name: "config", configMap: ConfigMapVolumeSource(name: "grpcconfig"))
    var optional = config
    optional.configMap?.optional = true
    var secret = Volume(name: "certs")
    secret.secret = SecretVolumeSource(secretName: "tls")
    let store = try Self.store()
    #expect(
      Kubelet.prepare(Self.pod([Self.greeter], volumes: [config]), in: store, cachedImages: [], at: Self.start, rng: &rng)
        == .waitForVolume(volume: "config", source: "configmap \"grpcconfig\" not found"))
    #expect(
      Kubelet.prepare(Self.pod([Self.greeter], volumes: [secret]), in: store, cachedImages: [], at: Self.start, rng: &rng)
        == .waitForVolume(volume: "certs", source: "secret \"tls\" not found"))
    guard case .start = Kubelet.prepare(Self.pod([Self.greeter], volumes: [optional]), in: store, cachedImages: [], at: Self.start, rng: &rng)
    else {
      Issue.record("an optional source that is missing blocks nothing")
      return
    }
    guard case .start = Kubelet.prepare(Self.pod([Self.greeter], volumes: [config]), in: try Self.store(configMap: "grpcconfig"), cachedImages: [], at: Self.start, rng: &rng)
    else {
      Issue.record("the source exists")
      return
    }
  }

  @Test func anUnknownImageFailsToPull() throws {
    var rng = SplitMix64(seed: 1)
    #expect(
      Kubelet.prepare(Self.pod([Self.greeter, "quay.io/nobody/nothing:1"]), in: try Self.store(), cachedImages: [], at: Self.start, rng: &rng)
        == .pullFails(container: "c1", image: "quay.io/nobody/nothing:1"))
  }

  @Test func eachRepositoryTheNodeLacksIsPulledOnceBeforeTheContainersStart() throws {
    var rng = SplitMix64(seed: 3)
    let images = [Self.greeter, Self.proxy, Self.greeter + ":latest"]
    guard case .start(let at, let pulls) = Kubelet.prepare(Self.pod(images), in: try Self.store(), cachedImages: [], at: Self.start, rng: &rng)
    else {
      Issue.record("the images exist")
      return
    }
    #expect(pulls.map(\.container) == ["c0", "c1"])
    #expect((3_200...4_700).contains(pulls[0].duration.milliseconds) && (4_000...5_500).contains(pulls[1].duration.milliseconds))
    let waited = (at - Self.start).milliseconds - pulls[0].duration.milliseconds - pulls[1].duration.milliseconds
    #expect((600...1_400).contains(waited))
    guard case .start(let cachedAt, let none) = Kubelet.prepare(
      Self.pod(images), in: try Self.store(), cachedImages: [Self.greeter, "registry.redhat.io/openshift-service-mesh/proxyv2-rhel8"],
      at: Self.start, rng: &rng)
    else {
      Issue.record("the images exist")
      return
    }
    #expect(none.isEmpty)
    #expect((600...1_400).contains((cachedAt - Self.start).milliseconds))
  }

  @Test func theStatusFollowsTheRuntime() {
    let pod = Self.pod([Self.greeter])
    let running = Kubelet.status(of: pod, runtime: PodRuntime(phase: .running(since: Self.start)), at: Self.start + .seconds(5))
    #expect(running.phase == "Running")
    #expect(running.conditions?.first { $0.type == "Ready" }?.status == "True")
    let starting = Kubelet.status(of: pod, runtime: PodRuntime(phase: .starting(startAt: Self.start)), at: Self.start)
    #expect(starting.phase == "Pending" && starting.containerStatuses?.first?.state.waiting?.reason == "ContainerCreating")
    let missing = "quay.io/nobody/nothing:1"
    let pulling = Self.pod([missing, Self.greeter])
    let failed = PodRuntime(phase: .imagePullFailed(image: missing, since: Self.start))
    let early = Kubelet.status(of: pulling, runtime: failed, at: Self.start + .seconds(9)).containerStatuses?.map { $0.state.waiting?.reason }
    #expect(early == ["ErrImagePull", "PodInitializing"])
    let late = Kubelet.status(of: pulling, runtime: failed, at: Self.start + .seconds(10)).containerStatuses?.map { $0.state.waiting?.reason }
    #expect(late == ["ImagePullBackOff", "PodInitializing"])
    let crashing = Kubelet.status(of: pod, runtime: PodRuntime(phase: .crashing(since: Self.start)), at: Self.start + .seconds(35))
    #expect(crashing.containerStatuses?.first?.restartCount == 2, "back-off 10 s, then 20 s")
    #expect(crashing.containerStatuses?.first?.state.waiting?.message?.hasPrefix("back-off 40s restarting failed container=c0") == true)
  }
}
