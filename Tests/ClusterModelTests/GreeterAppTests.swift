import Testing

@testable import ClusterModel

/// The greeter reads `application.properties` as Java's `Properties.load` reads it.
@Suite struct GreeterAppTests {
  @Test(arguments: [
    ("numrequest=25\nteststring=hi\n", ["numrequest": "25", "teststring": "hi"]),
    ("# a comment\n! another\n\n  key : value  \n", ["key": "value"]),
    ("quarkus.grpc.clients.hello.host grpc-server", ["quarkus.grpc.clients.hello.host": "grpc-server"]),
    ("a = b\r\nc:=d\ne=f=g", ["a": "b", "c": "=d", "e": "f=g"]),
    ("a=\nb\na=2", ["a": "2", "b": ""]),
  ])
  func propertiesReadAsJavaReadsThem(text: String, properties: [String: String]) {
    #expect(GreeterApp.parseProperties(text) == properties)
  }

  @Test func aFileReadAgainGivesTheSameProperties() {
    let text = "numrequest=7\nteststring=again\n"
    #expect(GreeterApp.parseProperties(text) == GreeterApp.parseProperties(String(decoding: Array(text.utf8), as: UTF8.self)))
    #expect(GreeterApp.parseProperties(text + "numrequest=8\n")["numrequest"] == "8")
  }
}
