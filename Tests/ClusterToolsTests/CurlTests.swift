import ClusterModel
import Testing

@testable import ClusterTools

/// curl as the lab's container image ships it (7.61).
@Suite struct CurlTests {
  /// curl 7.61's timeouts take a number of seconds, which no lab call reaches.
  @Test func curlTakesTimeouts() {
    var curl = Curl(cluster: Cluster(seed: 5), pod: PodRef(namespace: "default", name: "none"))
    let usage = "curl: try 'curl --help' or 'curl --manual' for more information\n"
    #expect(curl.run(["-m", "soon", "http://x"]) == ToolResult(
      stderr: "curl: option -m: expected a proper numerical parameter\n" + usage, exitCode: 2))
    #expect(curl.run(["--max-time", "-1", "http://x"]) == ToolResult(
      stderr: "curl: option --max-time: expected a positive numerical parameter\n" + usage, exitCode: 2))
    #expect(curl.run(["--connect-timeout"]) == ToolResult(stderr: "curl: option --connect-timeout: requires parameter\n" + usage, exitCode: 2))
    #expect(curl.run(["-sm", "2.5", "--max-time", "3", "http://x"]) == curl.run(["-s", "http://x"]), "the timeouts change nothing")
  }

  /// A URL curl cannot read exits 3, silently with `-s` unless `-S` shows the error; curl 7.61 names a port
  /// past 65535 as such.
  @Test func aMalformedURLExitsThreeAndSilentlyWithS() {
    var curl = Curl(cluster: Cluster(seed: 5), pod: PodRef(namespace: "default", name: "none"))
    #expect(curl.run(["-s", "http://localhost:99999/"]) == ToolResult(exitCode: 3))
    #expect(curl.run(["-sS", "http://localhost:99999/"]) == ToolResult(stderr: "curl: (3) Port number out of range\n", exitCode: 3))
    #expect(curl.run(["http://:80/"]) == ToolResult(stderr: "curl: (3) URL using bad/illegal format or missing URL\n", exitCode: 3))
  }
}
