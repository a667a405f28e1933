extension Cluster {
  /// Installs what a fresh OpenShift 4 cluster with OpenShift Service Mesh runs: the router and the mesh's
  /// control plane, observability and gateway, each as a Deployment behind a Service.
  mutating func installPlatform() {
    for name in ["default", "kube-system", "openshift-ingress", "istio-system"] {
      _ = try? insert(.namespace(Namespace(metadata: ObjectMeta(name: name))))
    }
    let mesh = "registry.redhat.io/openshift-service-mesh"
    let components: [(namespace: String, name: String, labels: [String: String], containers: [Container], ports: [Service.Port])] = [
      ("openshift-ingress", "router-default", ["ingresscontroller.operator.openshift.io/deployment-ingresscontroller": "default"],
       [Container(name: "router", image: "registry.redhat.io/openshift4/ose-haproxy-router:v4.12")],
       [.init(name: "http", port: 80, targetPort: .string("http")), .init(name: "https", port: 443, targetPort: .string("https"))]),
      ("istio-system", "istiod-basic", ["app": "istiod", "istio.io/rev": "basic"],
       [Container(name: "discovery", image: "\(mesh)/pilot-rhel8:2.5.1", ports: [.init(name: "grpc-xds", containerPort: 15010)])],
       [.init(name: "grpc-xds", port: 15010, targetPort: .int(15010)), .init(name: "https-webhook", port: 443, targetPort: .int(15017))]),
      ("istio-system", "istio-ingressgateway", ["app": "istio-ingressgateway", "istio": "ingressgateway"],
       [Container(name: "istio-proxy", image: "\(mesh)/proxyv2-rhel8:2.5.1", ports: [.init(name: "https", containerPort: 8443)])],
       [.init(name: "http2", port: 80, targetPort: .int(8080)), .init(name: "https", port: 443, targetPort: .int(8443))]),
      ("istio-system", "kiali", ["app": "kiali"],
       [Container(name: "kiali", image: "\(mesh)/kiali-rhel8:1.73.4", ports: [.init(name: "api-port", containerPort: 20001)])],
       [.init(name: "api-port", port: 20001, targetPort: .int(20001))]),
      ("istio-system", "jaeger", ["app": "jaeger"],
       [Container(name: "jaeger", image: "registry.redhat.io/distributed-tracing/jaeger-all-in-one-rhel8:1.47.0", ports: [.init(name: "query", containerPort: 16686)]),
        Container(name: "oauth-proxy", image: "registry.redhat.io/openshift4/ose-oauth-proxy:v4.12")],
       [.init(name: "http-query", port: 16686, targetPort: .int(16686))]),
      ("istio-system", "prometheus", ["app": "prometheus"],
       [Container(name: "prometheus", image: "\(mesh)/prometheus-rhel8:2.5.1", ports: [.init(name: "http", containerPort: 9090)]),
        Container(name: "oauth-proxy", image: "registry.redhat.io/openshift4/ose-oauth-proxy:v4.12")],
       [.init(name: "http-prometheus", port: 9090, targetPort: .int(9090))]),
    ]
    for component in components {
      let replicas = component.name == "router-default" ? 2 : 1
      let template = PodTemplateSpec(
        metadata: ObjectMeta(labels: component.labels), spec: PodSpec(containers: component.containers))
      let deployment = Deployment(
        metadata: ObjectMeta(name: component.name, namespace: component.namespace, labels: component.labels),
        spec: .init(replicas: replicas, selector: LabelSelector(matchLabels: component.labels), template: template))
      let serviceName = component.name == "router-default" ? "router-internal-default" : component.name
      let service = Service(
        metadata: ObjectMeta(name: serviceName, namespace: component.namespace, labels: component.labels),
        spec: .init(ports: component.ports, selector: component.labels))
      _ = try? insert(.deployment(deployment))
      _ = try? insert(.service(service))
    }
    _ = try? insert(.serviceMeshControlPlane(Self.basicControlPlane()))
    _ = try? insert(.ingressConfig(IngressConfig(metadata: ObjectMeta(name: "cluster"), spec: .init(domain: "apps.cluster.example.com"))))
    advance(by: .seconds(90))
  }
}
