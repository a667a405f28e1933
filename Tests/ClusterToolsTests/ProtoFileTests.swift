import Testing

@testable import ClusterTools

@Suite struct ProtoFileTests {
  @Test func readsServicesMessagesAndLeadingComments() throws {
    let proto = try ProtoFile(parsing: """
      // Licence text, detached by the blank line below.

      syntax = "proto3";
      package demo.v1;
      /* a block comment */
      // Streams things.
      service Feed {
        rpc Watch (stream WatchRequest) returns (stream Event); // trailing, not leading
        // Says hello.
        rpc Hello (WatchRequest) returns (Event) { option deprecated = true; }
      }
      message WatchRequest {
        string topic_name = 1 [json_name = "topic"];
        repeated int32 ids = 2;
        message Inner { string x = 1; }
        map<string, string> labels = 0x3;
        oneof selector { string name = 4; int64 id = 5; }
        string note = 6 [default = "a \\"quoted\\" word"];
      }
      enum Kind { KIND_UNSPECIFIED = 0; }
      message Event {}
      """)
    #expect(proto.package == "demo.v1")
    #expect(proto.fullName("Feed") == "demo.v1.Feed")
    let feed = try #require(proto.services.first)
    #expect(feed.comment == ["// Streams things."])
    #expect(feed.methods.map(\.name) == ["Watch", "Hello"])
    #expect(feed.methods[0].clientStreaming && feed.methods[0].serverStreaming && feed.methods[0].comment.isEmpty)
    #expect(feed.methods[1].comment == ["// Says hello."])
    #expect(proto.qualify(feed.methods[1].input) == "demo.v1.WatchRequest")
    let request = try #require(proto.message(named: "demo.v1.WatchRequest"))
    #expect(request.fields.map(\.jsonName) == ["topic", "ids", "labels", "name", "id", "note"])
    #expect(request.fields[2].type == "map<string, string>" && request.fields[2].number == 3)
    #expect(request.fields[1].label == "repeated")
  }

  @Test func reportsWhereItStopped() {
    #expect(throws: ProtoFile.ParseError(line: 2, column: 14, message: "syntax error: unexpected \"}\", expecting \")\"")) {
      try ProtoFile(parsing: "service S {\n  rpc M (Req }\n")
    }
  }
  /// `-msg-template`'s JSON, as grpcurl 1.8.6 prints it for this file: enums by their first value, 64-bit
  /// numbers quoted, one element in lists and maps, and a message inside itself cut short.
  @Test func messageTemplatesAreGrpcurls() throws {
    let proto = try ProtoFile(parsing: """
      syntax = "proto3";
      package t;
      message E {}
      message M { int64 a = 1; repeated string b = 2; E e = 3; bool f = 4; double g = 5; bytes h = 6; int32 i = 7; map<string,int32> m = 8; }
      enum K { K0 = 0; K1 = 1; }
      message N { K k = 1; N again = 2; repeated M ms = 3; string user_name = 4; }
      """)
    let message = try #require(proto.message(named: "t.N"))
    #expect(Grpcurl.template(message, in: proto) == """
      {
        "k": "K0",
        "again": {
          "k": "K0",
          "again": null,
          "ms": [
            
          ],
          "userName": ""
        },
        "ms": [
          {
            "a": "0",
            "b": [
              ""
            ],
            "e": {
              
            },
            "f": false,
            "g": 0,
            "h": "",
            "i": 0,
            "m": {
              "": 0
            }
          }
        ],
        "userName": ""
      }
      """)
  }
}
