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
}
