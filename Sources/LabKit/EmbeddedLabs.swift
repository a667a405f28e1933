// Generated from Labs/ by `GRPCLAB_RECORD=1 swift test --filter EmbeddedLabsTests`. Do not edit.

/// The lab files, compiled in so the binary works from any directory.
enum EmbeddedLabs {
  /// Every file under `Labs/`, by its path relative to that folder.
  static let files: [String: String] = [
    "grpc-lb/client-configmap.yaml": ##"""
      kind: ConfigMap
      apiVersion: v1
      metadata:
        name: grpcconfig
        namespace: test
      data:
        application.properties: |
          numrequest: 25
          quarkus.grpc.clients.hello.host: grpc.grpc.svc.cluster.local
          teststring: prom

      """##,
    "grpc-lb/grpc-client.yaml": ##"""
      kind: Deployment
      apiVersion: apps/v1
      metadata:
        name: grpc-client
        namespace: test
        labels:
          app: grpc
      spec:
        replicas: 1
        selector:
          matchLabels:
            app: grpc
        template:
          metadata:
            labels:
              app: grpc
              app.kubernetes.io/version: client
            annotations:
              sidecar.istio.io/inject: 'true'
              sidecar.istio.io/logLevel: debug
          spec:
            volumes:
              - name: quarkus-config-volume
                configMap:
                  name: grpcconfig
                  defaultMode: 420
            containers:
              - name: custom-grpc-hello
                image: 'quay.io/shrishs/grpc-plain-text-quickstart-jvm'
                ports:
                  - name: grpc
                    containerPort: 9000
                    protocol: TCP
                volumeMounts:
                  - name: quarkus-config-volume
                    mountPath: /deployments/config
            restartPolicy: Always

      """##,
    "grpc-lb/grpc-configmap.yaml": ##"""
      kind: ConfigMap
      apiVersion: v1
      metadata:
        name: grpcconfig
        namespace: grpc
      data:
        application.properties: |
          numrequest: 25
          quarkus.grpc.clients.hello.host: grpc.grpc.svc.cluster.local
          teststring: prom

      """##,
    "grpc-lb/grpc-service.yaml": ##"""
      kind: Service
      apiVersion: v1
      metadata:
        name: grpc
        namespace: grpc
        labels:
          app: grpc
      spec:
        ports:
          - name: grpc
            protocol: TCP
            port: 9000
            targetPort: 9000
        selector:
          app: grpc

      """##,
    "grpc-lb/grpc-v1.yaml": ##"""
      kind: Deployment
      apiVersion: apps/v1
      metadata:
        name: grpc-v1
        namespace: grpc
        labels:
          app: grpc
      spec:
        replicas: 1
        selector:
          matchLabels:
            app: grpc
        template:
          metadata:
            labels:
              app: grpc
              app.kubernetes.io/version: l1
            annotations:
              sidecar.istio.io/inject: 'true'
              sidecar.istio.io/logLevel: debug
          spec:
            volumes:
              - name: quarkus-config-volume
                configMap:
                  name: grpcconfig
                  defaultMode: 420
            containers:
              - name: custom-grpc-hello
                image: 'quay.io/shrishs/grpc-plain-text-quickstart-jvm'
                ports:
                  - name: grpc
                    containerPort: 9000
                    protocol: TCP
                volumeMounts:
                  - name: quarkus-config-volume
                    mountPath: /deployments/config
            restartPolicy: Always

      """##,
    "grpc-lb/grpc-v2.yaml": ##"""
      kind: Deployment
      apiVersion: apps/v1
      metadata:
        name: grpc-v2
        namespace: grpc
        labels:
          app: grpc
      spec:
        replicas: 1
        selector:
          matchLabels:
            app: grpc
        template:
          metadata:
            labels:
              app: grpc
              app.kubernetes.io/version: l2
            annotations:
              sidecar.istio.io/inject: 'true'
              sidecar.istio.io/logLevel: debug
          spec:
            volumes:
              - name: quarkus-config-volume
                configMap:
                  name: grpcconfig
                  defaultMode: 420
            containers:
              - name: custom-grpc-hello
                image: 'quay.io/shrishs/grpc-plain-text-quickstart-jvm'
                ports:
                  - name: grpc
                    containerPort: 9000
                    protocol: TCP
                volumeMounts:
                  - name: quarkus-config-volume
                    mountPath: /deployments/config
            restartPolicy: Always

      """##,
    "grpc-lb/grpc-v3.yaml": ##"""
      kind: Deployment
      apiVersion: apps/v1
      metadata:
        name: grpc-v3
        namespace: grpc
        labels:
          app: grpc
      spec:
        replicas: 1
        selector:
          matchLabels:
            app: grpc
        template:
          metadata:
            labels:
              app: grpc
              app.kubernetes.io/version: l3
            annotations:
              sidecar.istio.io/inject: 'true'
              sidecar.istio.io/logLevel: debug
          spec:
            volumes:
              - name: quarkus-config-volume
                configMap:
                  name: grpcconfig
                  defaultMode: 420
            containers:
              - name: custom-grpc-hello
                image: 'quay.io/shrishs/grpc-plain-text-quickstart-jvm'
                ports:
                  - name: grpc
                    containerPort: 9000
                    protocol: TCP
                volumeMounts:
                  - name: quarkus-config-volume
                    mountPath: /deployments/config
            restartPolicy: Always

      """##,
    "grpc-lb/lab.yaml": ##"""
      id: grpc-lb
      title:
        en: gRPC load balancing in Kubernetes with Istio
        zh: 使用 Istio 在 Kubernetes 中进行 gRPC 负载均衡
      files:
        - grpc-configmap.yaml
        - grpc-v1.yaml
        - grpc-v2.yaml
        - grpc-v3.yaml
        - grpc-service.yaml
        - client-configmap.yaml
        - grpc-client.yaml
      steps:
        - id: plain-kubernetes
          title:
            en: gRPC without a mesh
            zh: 没有服务网格的 gRPC
          text:
            en: |
              Deploy three versions of the gRPC greeter behind one Service in the `grpc` project, and a
              client in the `test` project. The client's `GET /hello/grpc` opens one gRPC channel to
              `grpc.grpc.svc.cluster.local:9000` and makes 25 calls on it.

              Create both projects, apply the manifests in this folder, wait until the pods are Running,
              then call the client and read each server pod's log. Which pods served the 25 calls?
            zh: |
              在 `grpc` 项目中通过一个 Service 部署三个版本的 gRPC greeter 服务，并在 `test` 项目中部署一个客户端。
              客户端的 `GET /hello/grpc` 会打开一个到 `grpc.grpc.svc.cluster.local:9000` 的 gRPC 通道，并在其上发起 25 次调用。

              创建两个项目，应用本目录中的清单，等待 Pod 进入 Running 状态，然后调用客户端，并查看每个服务端 Pod 的日志。
              这 25 次调用由哪些 Pod 处理？
          solution:
            - oc new-project grpc
            - oc new-project test
            - oc apply -f grpc-configmap.yaml
            - oc apply -f grpc-v1.yaml -f grpc-v2.yaml -f grpc-v3.yaml
            - oc apply -f grpc-service.yaml
            - oc apply -f client-configmap.yaml -f grpc-client.yaml
            - oc -n grpc get pods -l app=grpc
            - oc -n test exec deploy/grpc-client -- curl -s http://localhost:8080/hello/grpc
          hints:
            - en: 'Projects come first: `oc new-project grpc` and `oc new-project test`.'
              zh: 先创建项目：`oc new-project grpc` 和 `oc new-project test`。
            - en: Apply the ConfigMaps before the Deployments that mount them, then the Service.
              zh: 先应用 ConfigMap，再应用挂载它们的 Deployment，最后是 Service。
            - en: Call the client with `oc -n test exec deploy/grpc-client -- curl http://localhost:8080/hello/grpc`, then compare `oc -n grpc logs` of each pod.
              zh: 用 `oc -n test exec deploy/grpc-client -- curl http://localhost:8080/hello/grpc` 调用客户端，然后比较每个 Pod 的 `oc -n grpc logs`。
          explain:
            en: |
              gRPC runs over HTTP/2, which multiplexes every call of a channel on one long-lived TCP
              connection. kube-proxy balances connections, not requests: when the client connected to the
              Service's virtual IP, the iptables rules picked one ready endpoint at random, and conntrack
              pinned the connection to it. Every call on that connection lands on the same pod.
            zh: |
              gRPC 基于 HTTP/2，一个通道的所有调用都在同一条长连接上多路复用。kube-proxy 均衡的是连接而不是请求：
              客户端连接 Service 的虚拟 IP 时，iptables 规则随机选中一个就绪的端点，conntrack 把这条连接固定到它上面。
              这条连接上的每次调用都落在同一个 Pod 上。
          checks:
            - id: three-pods-running
              text:
                en: 3 grpc pods are Running
                zh: 3 个 grpc Pod 处于 Running 状态
              pods: {namespace: grpc, selector: app=grpc, status: Running}
              expect: {equals: 3}
            - id: client-made-25-calls
              text:
                en: the last client call made 25 calls
                zh: 最近一次客户端请求发起了 25 次调用
              calls: {}
              expect: {equals: 25}
            - id: one-pod-served-all
              text:
                en: exactly one pod served all calls
                zh: 恰好一个 Pod 处理了全部调用
              servingPods: {namespace: grpc, selector: app=grpc}
              expect: {equals: 1}

      """##,
  ]
}
