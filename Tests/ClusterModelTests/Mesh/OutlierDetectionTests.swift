import Testing

@testable import ClusterModel

/// Envoy's consecutive-5xx detector: ejection times, the detector's ticks and the multiplier.
@Suite struct OutlierDetectionTests {
  @Test func anEjectionLastsLongerWhenItComesSoonAfterTheLastOneUpToFiveMinutes() {
    let policy = UpstreamPolicy.OutlierPolicy(consecutive5xx: 1, interval: .seconds(60), baseEjectionTime: .seconds(120), maxEjectionPercent: 100)
    let epoch = SimTime(nanoseconds: 0)
    var host = HostOutlier()
    host.eject(at: epoch + .seconds(30), epoch: epoch, policy: policy)
    #expect(host.ejectedUntil == epoch + .seconds(180), "2m after 0:30, at the next tick of the minute")
    host.catchUp(at: epoch + .seconds(185), epoch: epoch, interval: policy.interval)
    #expect(host.ejectedUntil == nil && host.ejections == 1)
    host.eject(at: epoch + .seconds(185), epoch: epoch, policy: policy)
    #expect(host.ejectedUntil == epoch + .seconds(480), "twice 2m, capped at 5m, at the next tick")
    host.catchUp(at: epoch + .seconds(480 + 150), epoch: epoch, interval: policy.interval)
    #expect(host.ejections == 0, "two ticks in: the multiplier is back to 0")
  }

  @Test func istiosSettingsBecomeEnvoysWithItsDefaultsAndBounds() {
    var rule = TrafficPolicy()
    rule.outlierDetection = .init(
      consecutive5xxErrors: 3, consecutiveGatewayErrors: nil, interval: "2500000h", baseEjectionTime: "1s", maxEjectionPercent: 0)
    let outlier = UpstreamPolicy(rule).outlier
    #expect(outlier?.consecutive5xx == 3)
    #expect(outlier?.maxEjectionPercent == 10, "0 leaves Envoy's default, as Istio sends nothing")
    #expect(outlier?.interval == .seconds(365 * 24 * 3600), "a year at most, so the clock's sums stay in range")
    #expect(outlier?.baseEjectionTime == .seconds(1))
    #expect(UpstreamPolicy(TrafficPolicy()).outlier == nil)
  }

  @Test func consecutiveErrorsEjectAHostUnlessTooManyAreOutAlready() {
    var cluster = UpstreamCluster(name: "outbound|8000||httpbin.default.svc.cluster.local")
    cluster.reserve(hosts: 4)
    cluster.hosts = [0, 1, 2, 3]
    cluster.policy = UpstreamPolicy(nil)
    cluster.policy?.outlier = UpstreamPolicy.OutlierPolicy(
      consecutive5xx: 2, interval: .seconds(10), baseEjectionTime: .seconds(30), maxEjectionPercent: 50)
    let now = SimTime(seconds: 100)
    cluster.outlierEpoch = now
    for status in [503, 200, 503] { cluster.recordOutcome(status, host: 0, at: now) }
    #expect(cluster.balanced([0, 1, 2, 3], at: now) == [0, 1, 2, 3], "a success in between starts the count again")
    cluster.recordOutcome(503, host: 0, at: now)
    #expect(cluster.balanced([0, 1, 2, 3], at: now) == [1, 2, 3])
    for _ in 0..<5 { cluster.recordOutcome(503, host: 0, at: now) }
    #expect(cluster.stats.ejectionsDetected5xx == 1, "an ejected host's replies do not count")
    for host in [1, 2] { for _ in 0..<2 { cluster.recordOutcome(503, host: host, at: now) } }
    #expect(cluster.balanced([0, 1, 2, 3], at: now) == [2, 3], "half the hosts at most")
    #expect(cluster.stats.ejectionsEnforced5xx == 2 && cluster.stats.ejectionsOverflow == 1)
    #expect(cluster.balanced([0, 1, 2, 3], at: now + .seconds(30)) == [0, 1, 2, 3], "back at the first tick after 30 s")
  }
}
