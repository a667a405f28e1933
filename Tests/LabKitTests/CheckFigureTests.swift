import ClusterModel
import Testing

@testable import LabKit

/// A check's figure reads in its own terms, as one sentence in each language.
@Suite struct CheckFigureTests {
  struct Case: CustomTestStringConvertible, Sendable {
    var message: Message
    var en: String
    var zh: String
    var testDescription: String { en }
  }

  static func figure(_ observed: Int, total: Int? = nil, _ unit: Check.Unit, _ expect: Check.Expectation) -> Message {
    .figure(observed: observed, total: total, unit: unit, expect: expect, selector: "app=grpc", namespace: "grpc")
  }

  @Test(arguments: [
    Case(message: figure(3, .pods, .init(equals: 1)), en: "observed 3 pods; expected exactly 1", zh: "观察到 3 个 Pod，应恰好为 1 个"),
    Case(message: figure(1, .pods, .init(equals: 3)), en: "observed 1 pod; expected exactly 3", zh: "观察到 1 个 Pod，应恰好为 3 个"),
    Case(message: figure(0, .calls, .init(atLeast: 13)), en: "observed 0 calls; expected at least 13", zh: "观察到 0 次调用，应至少为 13 次"),
    Case(message: figure(25, .connections, .init(atMost: 3)), en: "observed 25 connections; expected at most 3",
      zh: "观察到 25 条连接，应至多为 3 条"),
    Case(message: figure(7, .routes, .init(atLeast: 1, atMost: 2)), en: "observed 7 routes; expected 1 to 2", zh: "观察到 7 个 Route，应在 1 到 2 个之间"),
    Case(message: figure(1, total: 3, .pods, .init(all: true)), en: "1 of 3 pods; expected all 3", zh: "3 个 Pod 中有 1 个，应为全部 3 个"),
    Case(message: figure(0, total: 0, .pods, .init(all: true)), en: "no pods match app=grpc in grpc; expected at least one",
      zh: "grpc 中没有匹配 app=grpc 的 Pod，应至少有一个"),
  ])
  func figuresAreWholeSentences(_ test: Case) {
    #expect(test.message.text(.en) == test.en)
    #expect(test.message.text(.zh) == test.zh)
  }

  @Test func aCheckAboutEveryPodFailsWhenThereAreNone() throws {
    let check = Check(
      id: "every-pod-served", text: LocalizedText(en: "every grpc pod served at least one call", zh: "每个 grpc Pod 至少处理了一次调用"),
      query: .servingPods(Check.PodQuery(namespace: "grpc", selector: "app=grpc")), expect: Check.Expectation(all: true))
    let result = check.evaluate(Cluster(seed: 1), language: .en)
    #expect(!result.passed)
    #expect(result.figure == "no pods match app=grpc in grpc; expected at least one")
  }
}
