// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "grpclab",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "grpclab", targets: ["grpclab"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
    .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
  ],
  targets: [
    .target(
      name: "ClusterModel",
      dependencies: [
        .product(name: "DequeModule", package: "swift-collections"),
        .product(name: "HeapModule", package: "swift-collections"),
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "X509", package: "swift-certificates"),
      ]
    ),
    .target(
      name: "ClusterTools",
      dependencies: [
        "ClusterModel",
        .product(name: "X509", package: "swift-certificates"),
        .product(name: "Yams", package: "Yams"),
      ]
    ),
    .target(
      name: "LabKit",
      dependencies: [
        "ClusterModel", "ClusterTools", .product(name: "Crypto", package: "swift-crypto"), .product(name: "Yams", package: "Yams"),
      ]
    ),
    .target(
      name: "GrpcLabCLI",
      dependencies: [
        "ClusterModel",
        "ClusterTools",
        "LabKit",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "X509", package: "swift-certificates"),
      ]
    ),
    .systemLibrary(
      name: "CGrpcLabEdit",
      pkgConfig: "libedit",
      providers: [.apt(["libedit-dev"]), .brew(["libedit"])]
    ),
    .target(name: "CGrpcLabEditShim", dependencies: ["CGrpcLabEdit"]),
    .executableTarget(name: "grpclab", dependencies: ["ClusterModel", "ClusterTools", "GrpcLabCLI", "CGrpcLabEditShim"]),
    .testTarget(name: "ClusterModelTests", dependencies: ["ClusterModel", .product(name: "X509", package: "swift-certificates")], exclude: ["Fixtures"]),
    .testTarget(name: "ClusterToolsTests", dependencies: ["ClusterTools"]),
    .testTarget(
      name: "LabKitTests",
      dependencies: ["LabKit"],
      exclude: ["Golden", "Fixtures"]
    ),
    .testTarget(name: "GrpcLabCLITests", dependencies: ["GrpcLabCLI"], exclude: ["Golden"]),
  ],
  swiftLanguageModes: [.v6]
)

// Concrete type metadata through direct accessors: a mangled-name accessor looks a Codable type's
// generic containers up by name at first use, scanning every protocol conformance of the static binary,
// which made decoding a snapshot (every cold command) about 5 ms slower.
for target in package.targets where target.type == .regular || target.type == .executable {
  target.swiftSettings = (target.swiftSettings ?? []) + [
    .unsafeFlags(["-Xfrontend", "-disable-concrete-type-metadata-mangled-name-accessors"])
  ]
}
