import Testing

@testable import ClusterModel

@Suite struct RandomStreamsTests {
  /// A journal must replay into the same cluster: the streams' derivation from the seed is pinned.
  @Test func eachSubsystemDrawsFromItsOwnPinnedStream() {
    var streams = RandomStreams(seed: 7)
    let first = [
      streams.names.next(), streams.kubelet.next(), streams.network.next(), streams.tracing.next(), streams.kubeProxy.next(),
      streams.envoy.next(),
    ]
    #expect(first == Self.pinned)
    #expect(Set(first).count == first.count)
  }

  /// A draw added to one subsystem leaves the others' draws as they were.
  @Test func aNewDrawInOneSubsystemLeavesTheOthersAlone() {
    var plain = Cluster(seed: 7)
    var drawn = Cluster(seed: 7)
    _ = drawn.random.network.next()
    _ = drawn.random.envoy.next()
    #expect(drawn.newUID() == plain.newUID())
    #expect(drawn.random.kubeProxy == plain.random.kubeProxy && drawn.random.kubelet == plain.random.kubelet)
    #expect(drawn.random.network != plain.random.network)
  }

  /// The platform was installed with streams of its own, pinned too: subsystems 7 to 12 of seed 0.
  @Test func thePlatformDrawsFromItsOwnPinnedStreams() {
    var streams = RandomStreams.platform
    let first = [
      streams.names.next(), streams.kubelet.next(), streams.network.next(), streams.tracing.next(), streams.kubeProxy.next(),
      streams.envoy.next(),
    ]
    #expect(first == Self.pinnedPlatform)
  }

  /// Every lab starts on the same platform, whatever its seed; only the lab's own streams differ.
  @Test func everySeedStartsOnTheSamePlatform() {
    let one = Cluster(seed: 1)
    let other = Cluster(seed: 0)
    #expect(one.store == other.store && one.runtimes == other.runtimes && one.telemetry == other.telemetry)
    #expect(!one.store.pods(in: "istio-system").isEmpty)
    #expect(one.random != other.random && other.random != .platform)
    #expect(one == Cluster(seed: 1))
  }

  /// A lab that starts at another time starts on a platform installed as long before it.
  @Test func aLaterStartHasAPlatformInstalledLater() throws {
    let later = Cluster.labStartTime + .seconds(86_400)
    let early = try #require(Cluster(seed: 1).store.pods(in: "istio-system").first?.metadata.creationTimestamp)
    let late = try #require(Cluster(seed: 1, start: later).store.pods(in: "istio-system").first?.metadata.creationTimestamp)
    #expect(late.time == early.time + .seconds(86_400))
  }

  /// Worked out apart from the model: each stream is seeded with the first draw of a SplitMix64 seeded
  /// with `seed ^ (subsystem &* 0xD1B5_4A32_D192_ED03)`, subsystems numbered 1 to 6.
  static let pinned: [UInt64] = [
    13_277_272_462_217_296_312, 13_988_929_273_702_678_840, 15_279_880_449_357_748_040, 10_217_600_526_588_883_024,
    1_565_052_642_869_611_195, 1_631_594_870_173_230_047,
  ]

  /// The same with seed 0 and subsystems 7 to 12.
  static let pinnedPlatform: [UInt64] = [
    15_991_376_853_121_349_544, 16_599_650_407_218_386_198, 8_236_199_571_759_305_244, 15_210_578_612_640_009_714,
    11_592_801_398_884_337_071, 13_669_503_590_354_090_588,
  ]
}
