/// fortio, the load tester Istio's tasks deploy (`fortio/fortio`): its image runs `fortio server`.
public enum FortioApp {
  /// The version the image ships, as its output names it.
  public static let version = "1.60.3"
  /// The version with its build: the module's checksum, Go's version and the platform, as fortio logs it.
  public static let buildVersion = "\(version) h1:adR0uf/69M5xxKaMLAautVf9FIVkEpMwuEWyMaaSnI0= go1.20.10 amd64 linux"
  /// The `User-Agent` of its HTTP client.
  public static let userAgent = "fortio.org/fortio-\(version)"

  /// Whether fortio counts an HTTP status as OK (`codeIsOK`): a 2xx, or 418. It keeps its socket only
  /// after such a reply.
  public static func isOK(_ status: Int) -> Bool { (200...299).contains(status) || status == 418 }

  /// What `fortio server` prints as it starts.
  static let startupLog = [
    "Fortio \(version) tcp-echo server listening on tcp [::]:8078",
    "Fortio \(version) udp-echo server listening on udp [::]:8078",
    "Fortio \(version) grpc 'ping' server listening on tcp [::]:8079",
    "Fortio \(version) https redirector server listening on tcp [::]:8081",
    "Fortio \(version) http-echo server listening on tcp [::]:8080",
    "Data directory is /var/lib/fortio",
    "\t UI started - visit:",
    "\t\thttp://localhost:8080/fortio/",
    "\t (or any host/ip reachable on this server)",
  ]
}
