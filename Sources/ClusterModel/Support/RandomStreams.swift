/// The cluster's random streams, one per subsystem, each derived from the seed: a draw added to one
/// subsystem leaves the other streams' sequences as they were (though a change in timing can hand their
/// numbers to other requests).
struct RandomStreams: Equatable, Sendable, Codable {
  /// The identities the API server, the controllers and the apps hand out: UIDs, generated name suffixes,
  /// Service addresses, the greeter's error ids.
  var names: SplitMix64
  /// The kubelets' timings: image pulls, container starts, the apps' start-up, and the first connection id
  /// of each pod's Envoy.
  var kubelet: SplitMix64
  /// Latencies, service times, pauses and ephemeral ports on the network and in the apps.
  var network: SplitMix64
  /// Identifiers of requests, streams, traces and spans.
  var tracing: SplitMix64
  /// kube-proxy's pick of an endpoint for each new connection.
  var kubeProxy: SplitMix64
  /// Envoy's choices: a worker thread for each downstream connection, a weighted route and a host for
  /// each request.
  var envoy: SplitMix64

  /// The streams of the cluster made with `seed`.
  init(seed: UInt64) {
    self.init(seed: seed, firstSubsystem: 1)
  }

  /// The streams the platform was installed with, before any lab: the subsystems numbered from 7 of seed
  /// 0, so that no lab's seed draws what the platform drew.
  static let platform = RandomStreams(seed: 0, firstSubsystem: 7)

  /// Each subsystem's stream is seeded with the first draw of a SplitMix64 seeded with
  /// `seed ^ (subsystem &* 0xD1B5_4A32_D192_ED03)`, the subsystems numbered from `firstSubsystem` on.
  private init(seed: UInt64, firstSubsystem: UInt64) {
    func derived(_ offset: UInt64) -> SplitMix64 {
      var mixer = SplitMix64(seed: seed ^ (firstSubsystem + offset) &* 0xD1B5_4A32_D192_ED03)
      return SplitMix64(seed: mixer.next())
    }
    names = derived(0)
    kubelet = derived(1)
    network = derived(2)
    tracing = derived(3)
    kubeProxy = derived(4)
    envoy = derived(5)
  }
}
