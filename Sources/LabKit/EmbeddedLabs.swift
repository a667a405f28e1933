// Generated from Labs/ by `GRPCLAB_RECORD=1 swift test --filter EmbeddedLabsTests`. Do not edit.

/// The lab files, compiled in so the binary works from any directory.
enum EmbeddedLabs {
  /// Every file under `Labs/`, by its path relative to that folder.
  static let files: [String: String] = [
    "circuit-breaking/demos/circuit-breaking.demo": ##"""
      # Istio's Circuit Breaking task, typed as its docs give it.
      # step 1
      # say: httpbin is an HTTP/1.1 service. Its project joins the mesh first, so that its pod gets a sidecar.
      # say.zh: httpbin 是一个 HTTP/1.1 服务。先把它的项目加入网格，这样它的 Pod 才会得到 sidecar。
      oc new-project circuit-breaking
      oc apply -f smmr.yaml
      kubectl apply -f httpbin.yaml
      # expect: serviceaccount/httpbin created
      kubectl rollout status deployment/httpbin
      kubectl get pods
      # expect: 2/2
      # pause
      # step 2
      # say: The breaker: one connection, one request waiting for it, one request per connection.
      # say.zh: 熔断器：一条连接，一个等待连接的请求，每条连接一个请求。
      kubectl apply -f - <<EOF
      apiVersion: networking.istio.io/v1alpha3
      kind: DestinationRule
      metadata:
        name: httpbin
      spec:
        host: httpbin
        trafficPolicy:
          connectionPool:
            tcp:
              maxConnections: 1
            http:
              http1MaxPendingRequests: 1
              maxRequestsPerConnection: 1
          outlierDetection:
            consecutive5xxErrors: 1
            interval: 1s
            baseEjectionTime: 3m
            maxEjectionPercent: 100
      EOF
      # expect: destinationrule.networking.istio.io/httpbin created
      kubectl apply -f fortio-deploy.yaml
      kubectl rollout status deployment/fortio-deploy
      export FORTIO_POD=$(kubectl get pods -l app=fortio -o 'jsonpath={.items[0].metadata.name}')
      # say: One request meets no limit. httpbin echoes the headers the sidecars added: the trace and the client's identity.
      # say.zh: 单个请求不会触及任何限制。httpbin 回显了 sidecar 添加的请求头：追踪信息和客户端的身份。
      kubectl exec "$FORTIO_POD" -c fortio -- /usr/bin/fortio curl -quiet http://httpbin:8000/get
      # expect: X-Forwarded-Client-Cert
      # pause
      # step 3
      # say: Two threads at full speed. Each reply closes its connection; a request that finds the queue full gets a 503 at once.
      # say.zh: 两个线程全速发送。每个响应都会关闭它的连接；发现队列已满的请求会立即得到 503。
      kubectl exec "$FORTIO_POD" -c fortio -- /usr/bin/fortio load -c 2 -qps 0 -n 20 -loglevel Warning http://httpbin:8000/get
      # expect: Code 503
      # pause
      # say: Three threads fill the queue more often.
      # say.zh: 三个线程更常把队列占满。
      kubectl exec "$FORTIO_POD" -c fortio -- /usr/bin/fortio load -c 3 -qps 0 -n 30 -loglevel Warning http://httpbin:8000/get
      # expect: Sockets used
      # say: The client's sidecar counted every request it turned away.
      # say.zh: 客户端的 sidecar 统计了它拒绝的每一个请求。
      kubectl exec "$FORTIO_POD" -c istio-proxy -- pilot-agent request GET stats | grep httpbin | grep pending
      # expect: upstream_rq_pending_overflow

      """##,
    "circuit-breaking/fortio-deploy.yaml": ##"""
      # fortio, as Istio's samples/httpbin/sample-client/fortio-deploy.yaml deploys it, with the
      # annotation OpenShift Service Mesh needs to inject a sidecar.
      apiVersion: v1
      kind: Service
      metadata:
        name: fortio
        labels:
          app: fortio
          service: fortio
      spec:
        ports:
        - port: 8080
          name: http
        selector:
          app: fortio
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: fortio-deploy
      spec:
        replicas: 1
        selector:
          matchLabels:
            app: fortio
        template:
          metadata:
            annotations:
              sidecar.istio.io/inject: "true"
              # This annotation makes Envoy serve cluster.outbound statistics via 15000/stats
              # in addition to the stats Istio serves.
              proxy.istio.io/config: |-
                proxyStatsMatcher:
                  inclusionPrefixes:
                  - "cluster.outbound"
                  - "cluster_manager"
                  - "listener_manager"
                  - "server"
                  - "cluster.xds-grpc"
            labels:
              app: fortio
          spec:
            containers:
            - name: fortio
              image: fortio/fortio:latest_release
              imagePullPolicy: Always
              ports:
              - containerPort: 8080
                name: http-fortio
              - containerPort: 8079
                name: grpc-ping

      """##,
    "circuit-breaking/httpbin.yaml": ##"""
      # httpbin, as Istio's samples/httpbin/httpbin.yaml deploys it, with the annotation
      # OpenShift Service Mesh needs to inject a sidecar.
      apiVersion: v1
      kind: ServiceAccount
      metadata:
        name: httpbin
      ---
      apiVersion: v1
      kind: Service
      metadata:
        name: httpbin
        labels:
          app: httpbin
          service: httpbin
      spec:
        ports:
        - name: http
          port: 8000
          targetPort: 8080
        selector:
          app: httpbin
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: httpbin
      spec:
        replicas: 1
        selector:
          matchLabels:
            app: httpbin
            version: v1
        template:
          metadata:
            annotations:
              sidecar.istio.io/inject: "true"
            labels:
              app: httpbin
              version: v1
          spec:
            serviceAccountName: httpbin
            containers:
            - image: docker.io/kong/httpbin
              imagePullPolicy: IfNotPresent
              name: httpbin
              command:
              - gunicorn
              - -b
              - 0.0.0.0:8080
              - httpbin:app
              - -k
              - gevent
              ports:
              - containerPort: 8080

      """##,
    "circuit-breaking/lab.yaml": ##"""
      id: circuit-breaking
      title:
        en: Circuit breaking with Istio
        zh: 使用 Istio 进行熔断
      files:
        - smmr.yaml
        - httpbin.yaml
        - fortio-deploy.yaml
      steps:
        - id: deploy-httpbin
          title:
            en: httpbin in the mesh
            zh: 网格中的 httpbin
          text:
            en: |
              This lab follows Istio's "Circuit Breaking" task. Its backend is `httpbin`, an HTTP/1.1
              service on port 8000 (`httpbin.yaml`, Istio's sample with the `sidecar.istio.io/inject`
              annotation OpenShift Service Mesh needs).

              Create the project `circuit-breaking`, make it a member of the mesh with `smmr.yaml`, then
              apply `httpbin.yaml` and wait until its pod shows `2/2` (`kubectl rollout status deployment/httpbin` waits for it).
            zh: |
              本实验按照 Istio 的 “Circuit Breaking（熔断）” 任务进行。后端是 `httpbin`，一个监听 8000 端口的 HTTP/1.1 服务
              （`httpbin.yaml`，即 Istio 的示例，加上了 OpenShift Service Mesh 需要的 `sidecar.istio.io/inject` 注解）。

              创建项目 `circuit-breaking`，用 `smmr.yaml` 把它加入网格，然后应用 `httpbin.yaml`，等待它的 Pod 显示 `2/2`（`kubectl rollout status deployment/httpbin` 会等到那时）。
          solution:
            - oc new-project circuit-breaking
            - oc apply -f smmr.yaml
            - kubectl apply -f httpbin.yaml
            - kubectl rollout status deployment/httpbin
            - kubectl get pods
          hints:
            - en: '`oc new-project circuit-breaking` creates the project and makes it the current one.'
              zh: '`oc new-project circuit-breaking` 会创建项目并把它设为当前项目。'
            - en: 'The mesh injects sidecars only into member namespaces: apply `smmr.yaml` before `httpbin.yaml`, or delete the pod afterwards so that a new one is injected.'
              zh: 网格只向成员命名空间注入 sidecar：先应用 `smmr.yaml` 再应用 `httpbin.yaml`，或者之后删除 Pod，让新 Pod 被注入。
          explain:
            en: |
              `httpbin.yaml` holds a ServiceAccount, a Service and a Deployment. The Service names its port
              `http`, so Istio treats it as HTTP/1.1: a sidecar that calls it keeps a pool of HTTP/1.1
              connections, each carrying one request at a time. That is what the circuit breakers of the
              next steps limit.
            zh: |
              `httpbin.yaml` 包含一个 ServiceAccount、一个 Service 和一个 Deployment。Service 把端口命名为 `http`，所以 Istio
              把它当作 HTTP/1.1：调用它的 sidecar 维护一个 HTTP/1.1 连接池，每条连接一次只承载一个请求。下一步的熔断器限制的正是这个连接池。
          checks:
            - id: httpbin-has-sidecar
              text:
                en: the httpbin pod is Running with 2/2 containers
                zh: httpbin Pod 处于 Running 状态且容器为 2/2
              pods: {namespace: circuit-breaking, selector: app=httpbin, status: Running, ready: 2/2}
              expect: {equals: 1}
        - id: configure-breaker
          title:
            en: Configure the circuit breaker
            zh: 配置熔断器
          text:
            en: |
              Create a DestinationRule for `httpbin` with the task's settings: one connection
              (`maxConnections: 1`), one request waiting for it (`http1MaxPendingRequests: 1`), one
              request per connection (`maxRequestsPerConnection: 1`), and the task's `outlierDetection`
              (`consecutive5xxErrors: 1`, `interval: 1s`, `baseEjectionTime: 3m`,
              `maxEjectionPercent: 100`). Look at it with `kubectl get destinationrule httpbin -o yaml`.

              Then deploy the fortio client (`fortio-deploy.yaml`), keep its pod's name in `FORTIO_POD`,
              and fetch `http://httpbin:8000/get` once with `fortio curl -quiet`. Does one request get through?
            zh: |
              为 `httpbin` 创建一个使用任务中设置的 DestinationRule：一条连接（`maxConnections: 1`）、一个等待连接的请求
              （`http1MaxPendingRequests: 1`）、每条连接一个请求（`maxRequestsPerConnection: 1`），以及任务中的
              `outlierDetection`（`consecutive5xxErrors: 1`、`interval: 1s`、`baseEjectionTime: 3m`、`maxEjectionPercent: 100`）。
              用 `kubectl get destinationrule httpbin -o yaml` 查看它。

              然后部署 fortio 客户端（`fortio-deploy.yaml`），把它的 Pod 名保存到 `FORTIO_POD`，并用 `fortio curl -quiet`
              请求一次 `http://httpbin:8000/get`。单个请求能通过吗？
          solution:
            - |-
              kubectl apply -f - <<EOF
              apiVersion: networking.istio.io/v1alpha3
              kind: DestinationRule
              metadata:
                name: httpbin
              spec:
                host: httpbin
                trafficPolicy:
                  connectionPool:
                    tcp:
                      maxConnections: 1
                    http:
                      http1MaxPendingRequests: 1
                      maxRequestsPerConnection: 1
                  outlierDetection:
                    consecutive5xxErrors: 1
                    interval: 1s
                    baseEjectionTime: 3m
                    maxEjectionPercent: 100
              EOF
            - kubectl get destinationrule httpbin -o yaml
            - kubectl apply -f fortio-deploy.yaml
            - kubectl rollout status deployment/fortio-deploy
            - export FORTIO_POD=$(kubectl get pods -l app=fortio -o 'jsonpath={.items[0].metadata.name}')
            - kubectl exec "$FORTIO_POD" -c fortio -- /usr/bin/fortio curl -quiet http://httpbin:8000/get
          hints:
            - en: 'Write the rule in a here-document: `kubectl apply -f - <<EOF`, the YAML, then `EOF` on a line of its own.'
              zh: '用 here-document 写规则：`kubectl apply -f - <<EOF`，然后是 YAML，最后单独一行 `EOF`。'
            - en: '`export FORTIO_POD=$(kubectl get pods -l app=fortio -o ''jsonpath={.items[0].metadata.name}'')` keeps the pod name; wait until `kubectl get pods` shows it `2/2`.'
              zh: '`export FORTIO_POD=$(kubectl get pods -l app=fortio -o ''jsonpath={.items[0].metadata.name}'')` 会保存 Pod 名；等 `kubectl get pods` 显示它为 `2/2`。'
            - en: '`kubectl exec "$FORTIO_POD" -c fortio -- /usr/bin/fortio curl -quiet http://httpbin:8000/get`'
              zh: '`kubectl exec "$FORTIO_POD" -c fortio -- /usr/bin/fortio curl -quiet http://httpbin:8000/get`'
          explain:
            en: |
              One request never meets the limits: the fortio pod's sidecar opens a connection to httpbin's
              pod, sends the request, and closes the connection when the reply ends, because it may carry
              only one request. The reply's `server: envoy` and `x-envoy-upstream-service-time` come from
              that sidecar, and httpbin echoes the headers the sidecars added on the way: the trace ids and
              `X-Forwarded-Client-Cert`, the client's identity from Istio's mutual TLS.
            zh: |
              单个请求不会触及限制：fortio Pod 的 sidecar 打开一条到 httpbin Pod 的连接，发送请求，并在响应结束时关闭连接，因为这条连接只能承载一个请求。
              响应中的 `server: envoy` 和 `x-envoy-upstream-service-time` 来自这个 sidecar，而 httpbin 回显了沿途 sidecar 添加的请求头：
              追踪 ID，以及 `X-Forwarded-Client-Cert`，即 Istio 双向 TLS 中客户端的身份。
          checks:
            - id: fortio-has-sidecar
              text:
                en: the fortio pod is Running with 2/2 containers
                zh: fortio Pod 处于 Running 状态且容器为 2/2
              pods: {namespace: circuit-breaking, selector: app=fortio, status: Running, ready: 2/2}
              expect: {equals: 1}
            - id: one-request-through
              text:
                en: fortio's last run got a successful reply
                zh: fortio 最近一次运行得到了成功的响应
              calls: {namespace: circuit-breaking, tool: fortio}
              expect: {atLeast: 1}
            - id: rule-closes-connections
              text:
                en: the fortio pod's sidecar closed a connection after its one request (upstream_cx_max_requests)
                zh: fortio Pod 的 sidecar 在连接承载一个请求后关闭了它（upstream_cx_max_requests）
              proxyStat: {namespace: circuit-breaking, selector: app=fortio, stat: upstream_cx_max_requests}
              expect: {atLeast: 1}
        - id: trip-breaker
          title:
            en: Trip the circuit breaker
            zh: 触发熔断
          text:
            en: |
              Call httpbin with two concurrent connections (`-c 2`) and 20 requests, then with three
              (`-c 3`) and 30: `fortio load -c 2 -qps 0 -n 20 -loglevel Warning http://httpbin:8000/get`.
              How many requests got `503`? Then ask the client's sidecar what it counted:
              `kubectl exec "$FORTIO_POD" -c istio-proxy -- pilot-agent request GET stats | grep httpbin | grep pending`.
            zh: |
              用两个并发连接（`-c 2`）发送 20 个请求调用 httpbin，再用三个（`-c 3`）发送 30 个：
              `fortio load -c 2 -qps 0 -n 20 -loglevel Warning http://httpbin:8000/get`。有多少请求得到了 `503`？
              然后看看客户端 sidecar 统计了什么：
              `kubectl exec "$FORTIO_POD" -c istio-proxy -- pilot-agent request GET stats | grep httpbin | grep pending`。
          solution:
            - kubectl exec "$FORTIO_POD" -c fortio -- /usr/bin/fortio load -c 2 -qps 0 -n 20 -loglevel Warning http://httpbin:8000/get
            - kubectl exec "$FORTIO_POD" -c fortio -- /usr/bin/fortio load -c 3 -qps 0 -n 30 -loglevel Warning http://httpbin:8000/get
            - kubectl exec "$FORTIO_POD" -c istio-proxy -- pilot-agent request GET stats | grep httpbin | grep pending
          hints:
            - en: '`kubectl exec "$FORTIO_POD" -c fortio -- /usr/bin/fortio load -c 3 -qps 0 -n 30 -loglevel Warning http://httpbin:8000/get` runs three threads at full speed.'
              zh: '`kubectl exec "$FORTIO_POD" -c fortio -- /usr/bin/fortio load -c 3 -qps 0 -n 30 -loglevel Warning http://httpbin:8000/get` 会以最快速度运行三个线程。'
            - en: The `Code 503` line counts the requests the sidecar refused; `kubectl logs deploy/fortio-deploy -c istio-proxy` shows each one flagged `UO`.
              zh: '`Code 503` 一行统计了被 sidecar 拒绝的请求；`kubectl logs deploy/fortio-deploy -c istio-proxy` 显示每个这样的请求都带有 `UO` 标志。'
            - en: '`kubectl exec "$FORTIO_POD" -c istio-proxy -- pilot-agent request GET stats | grep httpbin | grep pending` shows `upstream_rq_pending_overflow`.'
              zh: '`kubectl exec "$FORTIO_POD" -c istio-proxy -- pilot-agent request GET stats | grep httpbin | grep pending` 会显示 `upstream_rq_pending_overflow`。'
          explain:
            en: |
              An HTTP/1.1 connection carries one request at a time, and this rule lets it carry only one
              before it closes. When a request finds no ready connection, it waits in the pool's queue while
              the sidecar opens one, and only one request may wait (`http1MaxPendingRequests: 1`). Each reply
              closes its connection; while the waiting request's new connection is still in its handshakes,
              the thread that just got its reply sends again, finds the queue full and gets `503` at once,
              flagged `UO` (upstream overflow) with `x-envoy-overloaded: true`. fortio closes its socket after
              a reply that is not OK and opens a new one, so the `Sockets used` grow with the `503`s. More
              threads fill the queue more often, so the share of `503` grows with `-c`. Overflowed requests
              never reach httpbin: the sidecar counts them in `upstream_rq_pending_overflow`, and those that
              waited in `upstream_rq_pending_total`.
            zh: |
              一条 HTTP/1.1 连接一次只承载一个请求，而这条规则只允许它承载一个请求就关闭。请求找不到就绪连接时，会在连接池的队列中等待，
              同时 sidecar 新建一条连接，而队列中只能有一个请求（`http1MaxPendingRequests: 1`）。每个响应都会关闭它的连接；
              当等待中的请求的新连接还在握手时，刚收到响应的线程再次发送请求，发现队列已满，立即得到 `503`，
              并带有 `UO`（上游溢出）标志和 `x-envoy-overloaded: true`。fortio 在收到非成功响应后关闭套接字并新建一个，
              所以 `Sockets used` 随 `503` 增加。线程越多，队列越常被占满，所以 `503` 的比例随 `-c` 增长。溢出的请求不会到达 httpbin：
              sidecar 把它们计入 `upstream_rq_pending_overflow`，把等待过的请求计入 `upstream_rq_pending_total`。
          checks:
            - id: some-calls-tripped
              text:
                en: some requests of fortio's last run tripped the breaker
                zh: fortio 最近一次运行中有请求触发了熔断器
              overflowedCalls: {namespace: circuit-breaking, tool: fortio}
              expect: {atLeast: 1}
            - id: sidecar-counted-overflow
              text:
                en: the fortio pod's sidecar counted upstream_rq_pending_overflow
                zh: fortio Pod 的 sidecar 统计到了 upstream_rq_pending_overflow
              proxyStat: {namespace: circuit-breaking, selector: app=fortio, stat: upstream_rq_pending_overflow}
              expect: {atLeast: 1}
        - id: eject-failing-host
          title:
            en: Outlier detection ejects a failing host
            zh: 异常检测驱逐出错的主机
          text:
            en: |
              Beyond the task: the rule also sets `outlierDetection` with `consecutive5xxErrors: 1`. Make
              httpbin itself answer `503` (`http://httpbin:8000/status/503`) a few times, then, within
              three minutes, fetch `/get` again. What does the client's sidecar answer now, and for how
              long? Look at its
              endpoints with `istioctl proxy-config endpoint "$FORTIO_POD" --cluster
              "outbound|8000||httpbin.circuit-breaking.svc.cluster.local"` and at its `outlier_detection`
              stats.
            zh: |
              超出原任务的部分：这条规则还设置了 `outlierDetection`，其中 `consecutive5xxErrors: 1`。让 httpbin 自己返回几次
              `503`（`http://httpbin:8000/status/503`），然后在三分钟内再请求一次 `/get`。客户端的 sidecar 现在返回什么？会持续多久？
              用 `istioctl proxy-config endpoint "$FORTIO_POD" --cluster "outbound|8000||httpbin.circuit-breaking.svc.cluster.local"`
              查看它的端点，并查看它的 `outlier_detection` 统计。
          solution:
            - kubectl exec "$FORTIO_POD" -c fortio -- /usr/bin/fortio load -c 1 -qps 0 -n 5 -loglevel Warning http://httpbin:8000/status/503
            - istioctl proxy-config endpoint "$FORTIO_POD" --cluster "outbound|8000||httpbin.circuit-breaking.svc.cluster.local"
            - kubectl exec "$FORTIO_POD" -c istio-proxy -- pilot-agent request GET stats | grep httpbin | grep outlier_detection.ejections
            - run: kubectl exec "$FORTIO_POD" -c fortio -- /usr/bin/fortio curl -quiet http://httpbin:8000/get
              exit: 1
          hints:
            - en: 'If your rule has no `outlierDetection`, apply the task''s rule again (`kubectl get destinationrule httpbin -o yaml` shows it). Then `kubectl exec "$FORTIO_POD" -c fortio -- /usr/bin/fortio load -c 1 -qps 0 -n 5 -loglevel Warning http://httpbin:8000/status/503`: only the first request reaches httpbin.'
              zh: '如果你的规则没有 `outlierDetection`，请重新应用任务中的规则（`kubectl get destinationrule httpbin -o yaml` 可以查看）。然后运行 `kubectl exec "$FORTIO_POD" -c fortio -- /usr/bin/fortio load -c 1 -qps 0 -n 5 -loglevel Warning http://httpbin:8000/status/503`：只有第一个请求到达 httpbin。'
            - en: The `OUTLIER CHECK` column of `istioctl proxy-config endpoint` says `FAILED` for an ejected host.
              zh: 对于被驱逐的主机，`istioctl proxy-config endpoint` 的 `OUTLIER CHECK` 列显示 `FAILED`。
            - en: 'Fetch `/get` once more: `kubectl exec "$FORTIO_POD" -c fortio -- /usr/bin/fortio curl -quiet http://httpbin:8000/get`.'
              zh: '再请求一次 `/get`：`kubectl exec "$FORTIO_POD" -c fortio -- /usr/bin/fortio curl -quiet http://httpbin:8000/get`。'
          explain:
            en: |
              The client's sidecar feeds every reply from a host to its outlier detector. httpbin's first
              `503` is one 5xx in a row, which is all `consecutive5xxErrors: 1` allows: the host leaves the
              cluster's balancing for `baseEjectionTime` (3m), up to 5 minutes (`max_ejection_time`) when
              it is ejected again soon after, and comes back at the detector's next tick (`interval`).
              `maxEjectionPercent: 100` lets every host go, not only the first. Istio turns Envoy's panic
              threshold off (`minHealthPercent` 0), so with every host ejected the sidecar answers `503 no
              healthy upstream` itself, flagged `UH`, even for `/get`, which httpbin would serve. The
              circuit breaker's own `503`s (`UO`) never counted: they were the sidecar's replies, not the
              host's.
            zh: |
              客户端的 sidecar 会把主机的每个响应交给异常检测器。httpbin 的第一个 `503` 就是连续一次 5xx，正好达到
              `consecutive5xxErrors: 1` 的上限：这个主机被移出集群的负载均衡，时长为 `baseEjectionTime`（3 分钟）；如果回来后不久再次被驱逐，
              时长会增加，最多 5 分钟（`max_ejection_time`）；它在检测器的下一个时刻（`interval`）回来。`maxEjectionPercent: 100`
              允许驱逐所有主机，而不只是第一个。Istio 关闭了 Envoy 的恐慌阈值（`minHealthPercent` 为 0），所以所有主机都被驱逐后，
              sidecar 自己返回 `503 no healthy upstream`，标记为 `UH`，即使是 httpbin 本可以处理的 `/get` 也一样。
              熔断器自己的 `503`（`UO`）从不计入：那是 sidecar 的响应，不是主机的。
          checks:
            - id: host-ejected
              text:
                en: the fortio pod's sidecar ejected a host
                zh: fortio Pod 的 sidecar 驱逐了一个主机
              proxyStat: {namespace: circuit-breaking, selector: app=fortio, stat: outlier_detection.ejections_enforced_total}
              expect: {atLeast: 1}
            - id: no-healthy-upstream
              text:
                en: fortio's last run got no successful reply
                zh: fortio 最近一次运行没有得到成功的响应
              calls: {namespace: circuit-breaking, tool: fortio}
              expect: {equals: 0}

      """##,
    "circuit-breaking/smmr.yaml": ##"""
      apiVersion: maistra.io/v1
      kind: ServiceMeshMemberRoll
      metadata:
        name: default
        namespace: istio-system
      spec:
        members:
          - circuit-breaking

      """##,
    "grpc-lb/certs/ca.crt": ##"""
      -----BEGIN CERTIFICATE-----
      MIIBfDCCASKgAwIBAgIVANluxGzgvT3hsBM8SfMMCg8iHvh5MAoGCCqGSM49BAMC
      MCsxEDAOBgNVBAoMB2dycGNsYWIxFzAVBgNVBAMMDmdycGNsYWIgbGFiIENBMB4X
      DTIzMDUxODE1MjEwN1oXDTQzMDUxMzE1MjEwN1owKzEQMA4GA1UECgwHZ3JwY2xh
      YjEXMBUGA1UEAwwOZ3JwY2xhYiBsYWIgQ0EwWTATBgcqhkjOPQIBBggqhkjOPQMB
      BwNCAAQaguimxsh6IKLGT+AewMI8qHGPMVWC5Wm6RFSfRwzu2lUMRjYEJAnkPlWf
      OBn3Ub4v7po77Yz+1eAu7ccp77t/oyMwITAPBgNVHRMBAf8EBTADAQH/MA4GA1Ud
      DwEB/wQEAwIBBjAKBggqhkjOPQQDAgNIADBFAiEAlQlryNPQrbOVsJqLeK0nrMjK
      V+y+RnoFonNi08+lxCACIC3dwQKsPTUc4XmyNTTZTJHsOR+m2q4BANBhhke7TxJb
      -----END CERTIFICATE-----

      """##,
    "grpc-lb/certs/ca.key": ##"""
      -----BEGIN PRIVATE KEY-----
      MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgFWWlt+gRiLkfM+XI
      tWNCkkCTwMudQk+ocGJtnF7E7fChRANCAAQaguimxsh6IKLGT+AewMI8qHGPMVWC
      5Wm6RFSfRwzu2lUMRjYEJAnkPlWfOBn3Ub4v7po77Yz+1eAu7ccp77t/
      -----END PRIVATE KEY-----

      """##,
    "grpc-lb/certs/client.example.com.crt": ##"""
      -----BEGIN CERTIFICATE-----
      MIIBnTCCAUSgAwIBAgIUHk9BTR0N7Kst3DvjQ1MuSgsJ57MwCgYIKoZIzj0EAwIw
      KzEQMA4GA1UECgwHZ3JwY2xhYjEXMBUGA1UEAwwOZ3JwY2xhYiBsYWIgQ0EwHhcN
      MjMwNTE4MTUyMTA3WhcNNDMwNTEzMTUyMTA3WjAdMRswGQYDVQQDDBJjbGllbnQu
      ZXhhbXBsZS5jb20wWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAATGrgV/sSMYSEQA
      Ayfv5RFKWbnJjHk7WGR5qxfMIQwP/yJTOMf607Zf7yKnLD+wXuuCsULW3VOh45Kc
      8GAANJeio1QwUjAMBgNVHRMBAf8EAjAAMA4GA1UdDwEB/wQEAwIHgDATBgNVHSUE
      DDAKBggrBgEFBQcDAjAdBgNVHREEFjAUghJjbGllbnQuZXhhbXBsZS5jb20wCgYI
      KoZIzj0EAwIDRwAwRAIgKMa9JZD/1fMT6Ouxi+QjrUseojAXZIFmDJ/NQQ9M9BUC
      IGBp/D0Mf0Jl4YdBIiLoMZECDXSQROgUSwSlyaqklO5e
      -----END CERTIFICATE-----

      """##,
    "grpc-lb/certs/client.example.com.key": ##"""
      -----BEGIN PRIVATE KEY-----
      MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgNrNJHipv4EzuXwHs
      pMxgYH5wH2tqX8svksAjAIfqF6ehRANCAATGrgV/sSMYSEQAAyfv5RFKWbnJjHk7
      WGR5qxfMIQwP/yJTOMf607Zf7yKnLD+wXuuCsULW3VOh45Kc8GAANJei
      -----END PRIVATE KEY-----

      """##,
    "grpc-lb/certs/gateway.crt": ##"""
      -----BEGIN CERTIFICATE-----
      MIIBzjCCAXSgAwIBAgIUVeUj+7RJdfYZPuW2OIjlVnag7WwwCgYIKoZIzj0EAwIw
      KzEQMA4GA1UECgwHZ3JwY2xhYjEXMBUGA1UEAwwOZ3JwY2xhYiBsYWIgQ0EwHhcN
      MjMwNTE4MTUyMTA3WhcNNDMwNTEzMTUyMTA3WjA1MTMwMQYDVQQDDCpncnBjLWlz
      dGlvLXN5c3RlbS5hcHBzLmNsdXN0ZXIuZXhhbXBsZS5jb20wWTATBgcqhkjOPQIB
      BggqhkjOPQMBBwNCAARVX6DOwGRcX7nqyLVUC2i0QGw3r45eQfHkj0qe5i/qdlen
      guqglMD6Gx5vScw3ZUEAJ8F4dlXgLnLK2MoYTPt/o2wwajAMBgNVHRMBAf8EAjAA
      MA4GA1UdDwEB/wQEAwIHgDATBgNVHSUEDDAKBggrBgEFBQcDATA1BgNVHREELjAs
      gipncnBjLWlzdGlvLXN5c3RlbS5hcHBzLmNsdXN0ZXIuZXhhbXBsZS5jb20wCgYI
      KoZIzj0EAwIDSAAwRQIgB7FXif5oyrHohU3Q48ZrzFaQnkFn6kHnrmAu+MA1xkkC
      IQD1TpHSVxJXAjLNjoeXRezoO91ljBnbWXrWR3sFEOFXcQ==
      -----END CERTIFICATE-----

      """##,
    "grpc-lb/certs/gateway.key": ##"""
      -----BEGIN PRIVATE KEY-----
      MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgL6vTttT6M3c3+4MR
      l7fV6q4mrbVeLmAgwpRMNXFNkcahRANCAARVX6DOwGRcX7nqyLVUC2i0QGw3r45e
      QfHkj0qe5i/qdlenguqglMD6Gx5vScw3ZUEAJ8F4dlXgLnLK2MoYTPt/
      -----END PRIVATE KEY-----

      """##,
    "grpc-lb/certs/rogue.crt": ##"""
      -----BEGIN CERTIFICATE-----
      MIIBjjCCATSgAwIBAgIVALqXwq39fb0cEqiWA6dsyOFKR3SXMAoGCCqGSM49BAMC
      MBwxGjAYBgNVBAMMEXJvZ3VlLmV4YW1wbGUuY29tMB4XDTIzMDUxODE1MjEwN1oX
      DTQzMDUxMzE1MjEwN1owHDEaMBgGA1UEAwwRcm9ndWUuZXhhbXBsZS5jb20wWTAT
      BgcqhkjOPQIBBggqhkjOPQMBBwNCAAQJeqqAja5KxVJMPh4Xii4ivobSPXD7z/GE
      vidm6Q95+1j9RsYeG4sCsfvWFnLzHEIpdlwbRky5allrKUcMzKIpo1MwUTAMBgNV
      HRMBAf8EAjAAMA4GA1UdDwEB/wQEAwIHgDATBgNVHSUEDDAKBggrBgEFBQcDAjAc
      BgNVHREEFTATghFyb2d1ZS5leGFtcGxlLmNvbTAKBggqhkjOPQQDAgNIADBFAiBT
      xIZ+DleJFtB2s3Che/Hqi42XNiYp1KC1BU0d5wvh6wIhANjpq0VlSO1JvwzQnHs3
      nfiLWWkGD3xNblAOrwQDEk20
      -----END CERTIFICATE-----

      """##,
    "grpc-lb/certs/rogue.key": ##"""
      -----BEGIN PRIVATE KEY-----
      MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgzb2r9sjAha1UM4ZU
      VcNGs8nox57Xj90HZqGMZGoBvbChRANCAAQJeqqAja5KxVJMPh4Xii4ivobSPXD7
      z/GEvidm6Q95+1j9RsYeG4sCsfvWFnLzHEIpdlwbRky5allrKUcMzKIp
      -----END PRIVATE KEY-----

      """##,
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
    "grpc-lb/demos/add-mesh.demo": ##"""
      # Step 2: add the mesh — Envoy sidecars spread the calls over every pod.
      # hidden
      goto 2
      # step 2
      # say: The member roll puts grpc and test in the mesh, and the VirtualService gives the client's sidecar routes for the Service.
      # say.zh: 成员列表把 grpc 和 test 加入网格，VirtualService 为客户端的 sidecar 提供到该 Service 的路由。
      oc apply -f smmr.yaml
      # expect: servicemeshmemberroll.maistra.io/default
      oc apply -f grpc-vs.yaml
      # say: Running pods keep running without a sidecar. Delete them, and their ReplicaSets create injected ones.
      # say.zh: 正在运行的 Pod 不会自动获得 sidecar。删除它们，ReplicaSet 会重新创建注入了 sidecar 的 Pod。
      oc -n grpc delete pod -l app=grpc
      oc -n test delete pod -l app=grpc
      oc -n grpc get pods -l app=grpc
      # expect: 2/2
      # pause
      # say: The same 25 calls. This time the client's Envoy picks a server for every request.
      # say.zh: 同样的 25 次调用。这一次，客户端的 Envoy 为每个请求选择服务端。
      oc -n test exec deploy/grpc-client -- curl -s http://localhost:8080/hello/grpc
      # expect-exit: 0
      kiali graph -n grpc,test
      check
      # expect: ✔

      """##,
    "grpc-lb/demos/gateway-load.demo": ##"""
      # Beyond the article: a ghz load through the ingress gateway.
      # hidden
      goto 5
      # hidden
      oc annotate ingresses.config/cluster ingress.operator.openshift.io/default-enable-http2=true
      # hidden
      oc create -n istio-system secret generic istio-ingressgateway-certs --from-file=tls.crt=certs/gateway.crt --from-file=tls.key=certs/gateway.key --from-file=ca.crt=certs/ca.crt
      # hidden
      oc apply -f grpc-gateway.yaml
      # hidden
      oc apply -f grpc-gateway-vs.yaml
      # say: The gateway of step 5 is ready, and no call has crossed it yet. ghz's defaults: 50 workers send 200 calls on one HTTP/2 connection.
      # say.zh: 第 5 步的网关已经就绪，还没有任何调用经过它。ghz 的默认设置：50 个 worker 在一条 HTTP/2 连接上发送 200 次调用。
      ghz --cacert certs/ca.crt --cert certs/client.example.com.crt --key certs/client.example.com.key --proto helloworld.proto --call helloworld.Greeter.SayHello -d '{"name":"ghz"}' grpc-istio-system.apps.cluster.example.com:443
      # expect: reset reason: overflow
      # say: The relaxed DestinationRule lets one request wait while the gateway's Envoy opens a connection to a pod; the others are turned away (UO).
      # say.zh: 宽松的 DestinationRule 只允许一个请求在网关的 Envoy 向 Pod 建立连接时等待，其余的被拒绝（UO）。
      oc -n istio-system logs deploy/istio-ingressgateway | grep -c " UO "
      # pause
      # say: One worker at a time never overflows, and the gateway still picks a pod for every call.
      # say.zh: 每次只有一个 worker 时不会溢出，而网关仍然为每次调用单独选择 Pod。
      ghz --cacert certs/ca.crt --cert certs/client.example.com.crt --key certs/client.example.com.key --proto helloworld.proto --call helloworld.Greeter.SayHello -d '{"name":"ghz"}' -c 1 -n 30 grpc-istio-system.apps.cluster.example.com:443
      # expect: [OK]   30 responses
      oc -n istio-system logs deploy/istio-ingressgateway --tail 3
      # pause
      # say: Without the pool limits, all 50 workers get through.
      # say.zh: 去掉连接池限制后，50 个 worker 的调用全部通过。
      oc -n grpc delete destinationrule grpc-dr
      ghz --cacert certs/ca.crt --cert certs/client.example.com.crt --key certs/client.example.com.key --proto helloworld.proto --call helloworld.Greeter.SayHello -d '{"name":"ghz"}' grpc-istio-system.apps.cluster.example.com:443
      # expect: [OK]   200 responses

      """##,
    "grpc-lb/demos/grpc-lb.demo": ##"""
      # The whole article in five steps: gRPC load balancing in Kubernetes, with and without Istio.
      # say: Five steps: plain Kubernetes, then the mesh, a strict connection pool, a relaxed one, and ingress with mutual TLS.
      # say.zh: 五个步骤：先是普通 Kubernetes，然后是服务网格、严格的连接池、宽松的连接池，最后是带双向 TLS 的入口。
      # pause
      # step 1
      # say: Two projects: grpc for the three greeter servers, test for the client that calls them.
      # say.zh: 两个项目：grpc 放三个 greeter 服务端，test 放调用它们的客户端。
      oc new-project grpc
      # expect: Now using project "grpc"
      oc new-project test
      # say: The servers read their port from a ConfigMap; three Deployments run versions l1, l2 and l3 behind one Service.
      # say.zh: 服务端从 ConfigMap 读取端口；三个 Deployment 运行 l1、l2、l3 三个版本，共用一个 Service。
      oc apply -f grpc-configmap.yaml
      oc apply -f grpc-v1.yaml -f grpc-v2.yaml -f grpc-v3.yaml
      # expect: deployment.apps/grpc-v3 created
      oc apply -f grpc-service.yaml
      oc apply -f client-configmap.yaml -f grpc-client.yaml
      oc -n grpc get pods -l app=grpc
      # expect: Running
      # pause
      # say: The client makes 25 gRPC calls through the Service. Watch which pods answer.
      # say.zh: 客户端通过 Service 发起 25 次 gRPC 调用。看看是哪些 Pod 在应答。
      oc -n test exec deploy/grpc-client -- curl -s http://localhost:8080/hello/grpc
      # expect-exit: 0
      check
      # expect: ✔
      # say: One HTTP/2 connection carries all 25 calls, and kube-proxy balances connections, not calls: one pod got them all.
      # say.zh: 一条 HTTP/2 连接承载了全部 25 次调用，而 kube-proxy 均衡的是连接而不是调用：所有调用都落在同一个 Pod 上。
      why
      # pause
      # step 2
      # say: The member roll puts grpc and test in the mesh, and the VirtualService gives the client's sidecar routes for the Service.
      # say.zh: 成员列表把 grpc 和 test 加入网格，VirtualService 为客户端的 sidecar 提供到该 Service 的路由。
      oc apply -f smmr.yaml
      # expect: servicemeshmemberroll.maistra.io/default
      oc apply -f grpc-vs.yaml
      # say: Running pods keep running without a sidecar. Delete them, and their ReplicaSets create injected ones.
      # say.zh: 正在运行的 Pod 不会自动获得 sidecar。删除它们，ReplicaSet 会重新创建注入了 sidecar 的 Pod。
      oc -n grpc delete pod -l app=grpc
      oc -n test delete pod -l app=grpc
      oc -n grpc get pods -l app=grpc
      # expect: 2/2
      # pause
      # say: The same 25 calls. This time the client's Envoy picks a server for every request.
      # say.zh: 同样的 25 次调用。这一次，客户端的 Envoy 为每个请求选择服务端。
      oc -n test exec deploy/grpc-client -- curl -s http://localhost:8080/hello/grpc
      # expect-exit: 0
      kiali graph -n grpc,test
      check
      # expect: ✔
      # pause
      # step 3
      # say: The DestinationRule allows one request per connection: the sidecar must open a new connection for each call.
      # say.zh: 这条 DestinationRule 规定每个连接只处理一个请求：sidecar 必须为每次调用打开一个新连接。
      oc apply -f grpc-dr.yaml
      # expect: destinationrule.networking.istio.io/grpc-dr created
      oc -n test exec deploy/grpc-client -- curl -s http://localhost:8080/hello/grpc
      # expect-exit: 0
      # pause
      # say: Count the connections the client's sidecar opened.
      # say.zh: 数一数客户端 sidecar 打开了多少个连接。
      oc -n test logs deploy/grpc-client -c istio-proxy | grep -c "creating a new connection"
      jaeger traces --service grpc.test --limit 5
      check
      # expect: ✔
      # pause
      # step 4
      # say: Now the pool lets a connection carry many requests.
      # say.zh: 现在连接池允许一个连接承载多个请求。
      oc apply -f grpc-dr-relaxed.yaml
      # expect: destinationrule.networking.istio.io/grpc-dr configured
      oc -n test exec deploy/grpc-client -- curl -s http://localhost:8080/hello/grpc
      # expect-exit: 0
      # pause
      # say: Most calls ride a connection that is already open.
      # say.zh: 大多数调用走的是已经打开的连接。
      oc -n test logs deploy/grpc-client -c istio-proxy --tail 400 | grep -c "using existing fully connected connection"
      check
      # expect: ✔
      # pause
      # step 5
      # say: HTTP/2 on the router, and the gateway's certificates as a Secret.
      # say.zh: 在路由器上启用 HTTP/2，并把网关证书存为 Secret。
      oc annotate ingresses.config/cluster ingress.operator.openshift.io/default-enable-http2=true
      oc create -n istio-system secret generic istio-ingressgateway-certs --from-file=tls.crt=certs/gateway.crt --from-file=tls.key=certs/gateway.key --from-file=ca.crt=certs/ca.crt
      # expect: secret/istio-ingressgateway-certs created
      oc apply -f grpc-gateway.yaml
      oc -n istio-system get routes -l maistra.io/gateway-name=grpc-gateway
      # expect: passthrough
      # pause
      # say: Without a client certificate the gateway refuses the handshake.
      # say.zh: 没有客户端证书，网关会拒绝握手。
      grpcurl -v -insecure -proto helloworld.proto -d '{"name":"test"}' grpc-istio-system.apps.cluster.example.com:443 helloworld.Greeter/SayHello
      # expect-exit: 1
      # say: A VirtualService bound to the gateway routes the calls; with the client's certificate, the call goes through.
      # say.zh: 绑定到网关的 VirtualService 负责路由；带上客户端证书，调用就能通过。
      oc apply -f grpc-gateway-vs.yaml
      grpcurl -v -insecure -cert certs/client.example.com.crt -key certs/client.example.com.key -proto helloworld.proto -d '{"name":"test"}' grpc-istio-system.apps.cluster.example.com:443 helloworld.Greeter/SayHello
      # expect: Hello test
      check
      # expect: ✔

      """##,
    "grpc-lb/demos/ingress-mtls.demo": ##"""
      # Step 5: ingress with mutual TLS — grpcurl through the gateway.
      # hidden
      goto 5
      # step 5
      # say: HTTP/2 on the router, and the gateway's certificates as a Secret.
      # say.zh: 在路由器上启用 HTTP/2，并把网关证书存为 Secret。
      oc annotate ingresses.config/cluster ingress.operator.openshift.io/default-enable-http2=true
      oc create -n istio-system secret generic istio-ingressgateway-certs --from-file=tls.crt=certs/gateway.crt --from-file=tls.key=certs/gateway.key --from-file=ca.crt=certs/ca.crt
      # expect: secret/istio-ingressgateway-certs created
      oc apply -f grpc-gateway.yaml
      oc -n istio-system get routes -l maistra.io/gateway-name=grpc-gateway
      # expect: passthrough
      # pause
      # say: Without a client certificate the gateway refuses the handshake.
      # say.zh: 没有客户端证书，网关会拒绝握手。
      grpcurl -v -insecure -proto helloworld.proto -d '{"name":"test"}' grpc-istio-system.apps.cluster.example.com:443 helloworld.Greeter/SayHello
      # expect-exit: 1
      # say: A VirtualService bound to the gateway routes the calls; with the client's certificate, the call goes through.
      # say.zh: 绑定到网关的 VirtualService 负责路由；带上客户端证书，调用就能通过。
      oc apply -f grpc-gateway-vs.yaml
      grpcurl -v -insecure -cert certs/client.example.com.crt -key certs/client.example.com.key -proto helloworld.proto -d '{"name":"test"}' grpc-istio-system.apps.cluster.example.com:443 helloworld.Greeter/SayHello
      # expect: Hello test
      check
      # expect: ✔

      """##,
    "grpc-lb/demos/overflow.demo": ##"""
      # Beyond the article: the strict pool under concurrent load, with fortio.
      # hidden
      goto 4
      # say: The strict DestinationRule is in place, and one client calls one at a time. Now four threads call at once.
      # say.zh: 严格的 DestinationRule 已经生效，客户端每次只发一个调用。现在让四个线程同时调用。
      oc -n test apply -f fortio.yaml
      # expect: deployment.apps/fortio-deploy created
      oc -n test get pods -l app=fortio
      # pause
      oc -n test exec deploy/fortio-deploy -c fortio -- fortio load -grpc -c 4 -qps 0 -n 200 -loglevel Error grpc.grpc:9000
      # expect: Health ERROR :
      # say: Every call beyond the one the pool allows is refused by the client's sidecar itself: UNAVAILABLE, flagged UO.
      # say.zh: 超出连接池允许的调用都被客户端 sidecar 自己拒绝了：UNAVAILABLE，标记为 UO。
      oc -n test logs deploy/fortio-deploy -c istio-proxy | grep -c " UO "
      oc -n test exec deploy/fortio-deploy -c istio-proxy -- pilot-agent request GET stats | grep grpc.grpc | grep -e pending -e overflow
      # expect: upstream_rq_pending_overflow
      # pause
      # say: With the relaxed rule, streams share connections. Only the first calls wait for the new connections, and the pending limit of 1 still turns some away.
      # say.zh: 换成宽松的规则后，各个流共用连接。只有最初的调用要等新连接建立，而待处理请求上限为 1，仍会拒绝其中一些。
      oc apply -f grpc-dr-relaxed.yaml
      oc -n test exec deploy/fortio-deploy -c fortio -- fortio load -grpc -c 4 -qps 0 -n 200 -loglevel Error grpc.grpc:9000
      # say: Once the connections are open, nothing overflows.
      # say.zh: 连接建立之后，就不再有溢出。
      oc -n test exec deploy/fortio-deploy -c fortio -- fortio load -grpc -c 4 -qps 0 -n 200 -loglevel Error grpc.grpc:9000
      # expect: Health SERVING : 200

      """##,
    "grpc-lb/demos/plain-kubernetes.demo": ##"""
      # Step 1: plain Kubernetes — every gRPC call lands on one pod.
      # step 1
      # say: Two projects: grpc for the three greeter servers, test for the client that calls them.
      # say.zh: 两个项目：grpc 放三个 greeter 服务端，test 放调用它们的客户端。
      oc new-project grpc
      # expect: Now using project "grpc"
      oc new-project test
      # say: The servers read their port from a ConfigMap; three Deployments run versions l1, l2 and l3 behind one Service.
      # say.zh: 服务端从 ConfigMap 读取端口；三个 Deployment 运行 l1、l2、l3 三个版本，共用一个 Service。
      oc apply -f grpc-configmap.yaml
      oc apply -f grpc-v1.yaml -f grpc-v2.yaml -f grpc-v3.yaml
      # expect: deployment.apps/grpc-v3 created
      oc apply -f grpc-service.yaml
      oc apply -f client-configmap.yaml -f grpc-client.yaml
      oc -n grpc get pods -l app=grpc
      # expect: Running
      # pause
      # say: The client makes 25 gRPC calls through the Service. Watch which pods answer.
      # say.zh: 客户端通过 Service 发起 25 次 gRPC 调用。看看是哪些 Pod 在应答。
      oc -n test exec deploy/grpc-client -- curl -s http://localhost:8080/hello/grpc
      # expect-exit: 0
      check
      # expect: ✔
      # say: One HTTP/2 connection carries all 25 calls, and kube-proxy balances connections, not calls: one pod got them all.
      # say.zh: 一条 HTTP/2 连接承载了全部 25 次调用，而 kube-proxy 均衡的是连接而不是调用：所有调用都落在同一个 Pod 上。
      why

      """##,
    "grpc-lb/demos/relaxed-pool.demo": ##"""
      # Step 4: a relaxed pool — connections are reused.
      # hidden
      goto 4
      # step 4
      # say: Now the pool lets a connection carry many requests.
      # say.zh: 现在连接池允许一个连接承载多个请求。
      oc apply -f grpc-dr-relaxed.yaml
      # expect: destinationrule.networking.istio.io/grpc-dr configured
      oc -n test exec deploy/grpc-client -- curl -s http://localhost:8080/hello/grpc
      # expect-exit: 0
      # pause
      # say: Most calls ride a connection that is already open.
      # say.zh: 大多数调用走的是已经打开的连接。
      oc -n test logs deploy/grpc-client -c istio-proxy --tail 400 | grep -c "using existing fully connected connection"
      check
      # expect: ✔

      """##,
    "grpc-lb/demos/strict-pool.demo": ##"""
      # Step 3: a strict connection pool — a new upstream connection for every request.
      # hidden
      goto 3
      # step 3
      # say: The DestinationRule allows one request per connection: the sidecar must open a new connection for each call.
      # say.zh: 这条 DestinationRule 规定每个连接只处理一个请求：sidecar 必须为每次调用打开一个新连接。
      oc apply -f grpc-dr.yaml
      # expect: destinationrule.networking.istio.io/grpc-dr created
      oc -n test exec deploy/grpc-client -- curl -s http://localhost:8080/hello/grpc
      # expect-exit: 0
      # pause
      # say: Count the connections the client's sidecar opened.
      # say.zh: 数一数客户端 sidecar 打开了多少个连接。
      oc -n test logs deploy/grpc-client -c istio-proxy | grep -c "creating a new connection"
      jaeger traces --service grpc.test --limit 5
      check
      # expect: ✔

      """##,
    "grpc-lb/fortio.yaml": ##"""
      apiVersion: v1
      kind: Service
      metadata:
        name: fortio
        labels:
          app: fortio
          service: fortio
      spec:
        ports:
        - port: 8080
          name: http
        selector:
          app: fortio
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: fortio-deploy
      spec:
        replicas: 1
        selector:
          matchLabels:
            app: fortio
        template:
          metadata:
            annotations:
              sidecar.istio.io/inject: "true"
              proxy.istio.io/config: |-
                proxyStatsMatcher:
                  inclusionPrefixes:
                  - "cluster.outbound"
                  - "cluster_manager"
                  - "listener_manager"
                  - "server"
                  - "cluster.xds-grpc"
            labels:
              app: fortio
          spec:
            containers:
            - name: fortio
              image: fortio/fortio:latest_release
              imagePullPolicy: Always
              ports:
              - containerPort: 8080
                name: http-fortio
              - containerPort: 8079
                name: grpc-ping

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
    "grpc-lb/grpc-dr-relaxed.yaml": ##"""
      apiVersion: networking.istio.io/v1alpha3
      kind: DestinationRule
      metadata:
        name: grpc-dr
        namespace: grpc
      spec:
        host: grpc
        trafficPolicy:
          tls:
            mode: ISTIO_MUTUAL
          connectionPool:
            http:
              http1MaxPendingRequests: 1
              http2MaxRequests: 50
              maxRequestsPerConnection: 100
            tcp:
              maxConnections: 1
        subsets:
        - name: v1
          labels:
            app.kubernetes.io/version: l1
        - name: v2
          labels:
            app.kubernetes.io/version: l2
        - name: v3
          labels:
            app.kubernetes.io/version: l3

      """##,
    "grpc-lb/grpc-dr.yaml": ##"""
      apiVersion: networking.istio.io/v1alpha3
      kind: DestinationRule
      metadata:
        name: grpc-dr
        namespace: grpc
      spec:
        host: grpc
        trafficPolicy:
          tls:
            mode: ISTIO_MUTUAL
          connectionPool:
            http:
              http1MaxPendingRequests: 1
              http2MaxRequests: 1
              maxRequestsPerConnection: 1
            tcp:
              maxConnections: 1
        subsets:
        - name: v1
          labels:
            app.kubernetes.io/version: l1
        - name: v2
          labels:
            app.kubernetes.io/version: l2
        - name: v3
          labels:
            app.kubernetes.io/version: l3

      """##,
    "grpc-lb/grpc-gateway-vs.yaml": ##"""
      apiVersion: networking.istio.io/v1alpha3
      kind: VirtualService
      metadata:
        name: grpc-gateway-vs
        namespace: grpc
      spec:
        hosts:
        - grpc-istio-system.apps.cluster.example.com
        gateways:
        - grpc-gateway
        http:
        - route:
          - destination:
              host: grpc.grpc.svc.cluster.local
              port:
                number: 9000

      """##,
    "grpc-lb/grpc-gateway.yaml": ##"""
      apiVersion: networking.istio.io/v1alpha3
      kind: Gateway
      metadata:
        name: grpc-gateway
        namespace: grpc
      spec:
        selector:
          istio: ingressgateway
        servers:
        - hosts:
          - grpc-istio-system.apps.cluster.example.com
          port:
            number: 443
            protocol: https
            name: HTTPS
          tls:
            mode: MUTUAL
            credentialName: istio-ingressgateway-certs

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
    "grpc-lb/grpc-vs.yaml": ##"""
      apiVersion: networking.istio.io/v1alpha3
      kind: VirtualService
      metadata:
        name: grpc-vs
        namespace: grpc
      spec:
        hosts:
          - grpc.grpc.svc.cluster.local
        http:
          - route:
              - destination:
                  host: grpc
                  port:
                    number: 9000

      """##,
    "grpc-lb/helloworld.proto": ##"""
      syntax = "proto3";

      option java_multiple_files = true;
      option java_package = "examples";
      option java_outer_classname = "HelloWorldProto";

      package helloworld;

      // The greeting service definition.
      service Greeter {
        // Sends a greeting
        rpc SayHello (HelloRequest) returns (HelloReply) {}
      }

      // The request message containing the user's name.
      message HelloRequest {
        string name = 1;
      }

      // The response message containing the greetings
      message HelloReply {
        string message = 1;
      }

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
        - smmr.yaml
        - grpc-vs.yaml
        - grpc-dr.yaml
        - grpc-dr-relaxed.yaml
        - grpc-gateway.yaml
        - grpc-gateway-vs.yaml
        - helloworld.proto
        - fortio.yaml
        - certs/ca.crt
        - certs/ca.key
        - certs/gateway.crt
        - certs/gateway.key
        - certs/client.example.com.crt
        - certs/client.example.com.key
        - certs/rogue.crt
        - certs/rogue.key
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
        - id: add-mesh
          title:
            en: Add the service mesh
            zh: 加入服务网格
          text:
            en: |
              Make both projects members of the mesh with the ServiceMeshMemberRoll in `smmr.yaml`, and
              route `grpc.grpc.svc.cluster.local` with the VirtualService in `grpc-vs.yaml`. The pod
              templates already ask for a sidecar (`sidecar.istio.io/inject: 'true'`), but injection happens
              only when a pod is created: restart the pods of both projects and check that they show `2/2`.

              Call the client again. Which pods served the 25 calls this time?
            zh: |
              用 `smmr.yaml` 中的 ServiceMeshMemberRoll 把两个项目加入网格，并用 `grpc-vs.yaml` 中的 VirtualService
              为 `grpc.grpc.svc.cluster.local` 配置路由。Pod 模板已经请求注入 sidecar（`sidecar.istio.io/inject: 'true'`），
              但注入只发生在创建 Pod 时：重启两个项目中的 Pod，并确认它们显示 `2/2`。

              再次调用客户端。这一次，25 次调用由哪些 Pod 处理？
          solution:
            - oc apply -f smmr.yaml
            - oc apply -f grpc-vs.yaml
            - oc -n grpc delete pod -l app=grpc
            - oc -n test delete pod -l app=grpc
            - oc -n grpc get pods -l app=grpc
            - oc -n test exec deploy/grpc-client -- curl -s http://localhost:8080/hello/grpc
            - kiali graph -n grpc,test
          hints:
            - en: The member roll lives in `istio-system`; `oc apply -f smmr.yaml` puts `grpc` and `test` in the mesh.
              zh: 成员列表位于 `istio-system`；`oc apply -f smmr.yaml` 会把 `grpc` 和 `test` 加入网格。
            - en: Running pods keep running without a sidecar. Delete them (`oc -n grpc delete pod -l app=grpc`, and the same in `test`) so that their ReplicaSets create new, injected ones.
              zh: 正在运行的 Pod 不会自动获得 sidecar。删除它们（`oc -n grpc delete pod -l app=grpc`，`test` 中同样操作），让 ReplicaSet 创建注入了 sidecar 的新 Pod。
            - en: After `curl`, count `Received request` in each server's log with `oc -n grpc logs POD -c custom-grpc-hello | grep -c Received`, or look at `kiali graph -n grpc,test`.
              zh: 执行 `curl` 后，用 `oc -n grpc logs POD -c custom-grpc-hello | grep -c Received` 统计每个服务端日志中的 `Received request`，或查看 `kiali graph -n grpc,test`。
          explain:
            en: |
              The app still opens one HTTP/2 connection, but iptables now redirects it to the client pod's own
              Envoy. Envoy ends that connection and balances every request on its own: it picks a pod per call
              (LEAST_REQUEST by default: two random pods, the one with fewer active requests wins) and keeps
              its own connections to the pods. Balancing happens in the client's sidecar; a sidecar on the
              server alone would still receive one pinned connection. No DestinationRule is needed for this.
            zh: |
              应用仍然只打开一条 HTTP/2 连接，但 iptables 现在把它重定向到客户端 Pod 自己的 Envoy。Envoy 终结这条连接，
              并对每个请求单独做负载均衡：每次调用选择一个 Pod（默认 LEAST_REQUEST：随机取两个 Pod，活跃请求少的胜出），
              并维护自己到各 Pod 的连接。负载均衡发生在客户端的 sidecar 中；只有服务端有 sidecar 时，仍然只会收到一条固定的连接。
              这一步不需要 DestinationRule。
          checks:
            - id: servers-have-sidecars
              text:
                en: 3 grpc pods are Running with 2/2 containers
                zh: 3 个 grpc Pod 处于 Running 状态且容器为 2/2
              pods: {namespace: grpc, selector: app=grpc, status: Running, ready: 2/2}
              expect: {equals: 3}
            - id: client-has-sidecar
              text:
                en: the client pod is Running with 2/2 containers
                zh: 客户端 Pod 处于 Running 状态且容器为 2/2
              pods: {namespace: test, selector: app=grpc, status: Running, ready: 2/2}
              expect: {equals: 1}
            - id: client-made-25-calls
              text:
                en: the last client call made 25 calls
                zh: 最近一次客户端请求发起了 25 次调用
              calls: {}
              expect: {equals: 25}
            - id: every-pod-served
              text:
                en: every grpc pod served at least one call
                zh: 每个 grpc Pod 至少处理了一次调用
              servingPods: {namespace: grpc, selector: app=grpc}
              expect: {all: true}
        - id: strict-pool
          title:
            en: A strict connection pool
            zh: 严格的连接池
          text:
            en: |
              Apply the DestinationRule in `grpc-dr.yaml`: Istio mutual TLS and a connection pool of one
              connection, one request at a time and one request per connection. Call the client again and
              look for `creating a new connection` in the client's `istio-proxy` log (the pods ask for
              `sidecar.istio.io/logLevel: debug`). Take an `x-request-id` from the log and find what the
              proxy did for it.
            zh: |
              应用 `grpc-dr.yaml` 中的 DestinationRule：Istio 双向 TLS，以及只有一条连接、一次一个请求、每条连接一个请求的连接池。
              再次调用客户端，在客户端的 `istio-proxy` 日志中查找 `creating a new connection`（这些 Pod 请求了
              `sidecar.istio.io/logLevel: debug`）。从日志中取一个 `x-request-id`，看看代理为它做了什么。
          solution:
            - oc apply -f grpc-dr.yaml
            - oc -n test exec deploy/grpc-client -- curl -s http://localhost:8080/hello/grpc
            - oc -n test logs deploy/grpc-client -c istio-proxy | grep -c "creating a new connection"
            - jaeger traces --service grpc.test --limit 5
          hints:
            - en: '`oc apply -f grpc-dr.yaml` changes the client sidecar''s pools at once; no restart is needed.'
              zh: '`oc apply -f grpc-dr.yaml` 会立即改变客户端 sidecar 的连接池，无需重启。'
            - en: Call the client again with the same `curl` as before.
              zh: 用之前相同的 `curl` 再次调用客户端。
            - en: '`oc -n test logs deploy/grpc-client -c istio-proxy | grep -c "creating a new connection"` counts the connections the sidecar opened; `jaeger traces --service grpc.test` and `jaeger trace ID` show a request id (`guid:x-request-id`) to grep for.'
              zh: '`oc -n test logs deploy/grpc-client -c istio-proxy | grep -c "creating a new connection"` 统计 sidecar 打开的连接数；`jaeger traces --service grpc.test` 和 `jaeger trace ID` 会显示可以用来 grep 的请求 ID（`guid:x-request-id`）。'
          explain:
            en: |
              `maxRequestsPerConnection: 1` makes Envoy drain an upstream connection as soon as its one
              stream starts (`maximum streams per connection, start draining`) and close it when the stream
              ends, so the next call finds no connection and opens a new one. `tcp.maxConnections: 1` does
              not stop that: it counts all pods of the cluster together, and a pod whose pool is empty still
              gets its connection (Envoy counts `upstream_cx_overflow`). The calls were spread before this
              rule existed: the pool settings recycle connections, they do not do the balancing.
            zh: |
              `maxRequestsPerConnection: 1` 让 Envoy 在上游连接的唯一一个流开始时就开始排空它（`maximum streams per connection,
              start draining`），并在流结束时关闭连接，因此下一次调用找不到连接，只能新建一条。`tcp.maxConnections: 1` 并不能阻止这一点：
              它把集群中所有 Pod 的连接合在一起计数，而连接池为空的 Pod 仍然会得到一条连接（Envoy 会累加 `upstream_cx_overflow`）。
              在这条规则出现之前，调用就已经被分散了：连接池设置只是回收连接，并不负责负载均衡。
          checks:
            - id: client-made-25-calls
              text:
                en: the last client call made 25 calls
                zh: 最近一次客户端请求发起了 25 次调用
              calls: {}
              expect: {equals: 25}
            - id: new-connection-per-call
              text:
                en: the client's sidecar opened a new upstream connection for every call
                zh: 客户端 sidecar 为每次调用都打开了新的上游连接
              reusedConnections: {}
              expect: {equals: 0}
            - id: connections-opened
              text:
                en: the client's sidecar opened 25 upstream connections
                zh: 客户端 sidecar 打开了 25 条上游连接
              newConnections: {}
              expect: {equals: 25}
        - id: relaxed-pool
          title:
            en: A relaxed connection pool
            zh: 宽松的连接池
          text:
            en: |
              Apply `grpc-dr-relaxed.yaml`, the same DestinationRule with `http2MaxRequests: 50` and
              `maxRequestsPerConnection: 100`. Call the client again and compare the proxy log: how many
              connections did the sidecar open now, and how did the other calls travel?
            zh: |
              应用 `grpc-dr-relaxed.yaml`，即把同一个 DestinationRule 改为 `http2MaxRequests: 50` 和 `maxRequestsPerConnection: 100`。
              再次调用客户端并对比代理日志：sidecar 这次打开了多少条连接，其余的调用又是如何传输的？
          solution:
            - oc apply -f grpc-dr-relaxed.yaml
            - oc -n test exec deploy/grpc-client -- curl -s http://localhost:8080/hello/grpc
            - oc -n test logs deploy/grpc-client -c istio-proxy --tail 400 | grep -c "using existing fully connected connection"
          hints:
            - en: '`oc apply -f grpc-dr-relaxed.yaml` reports `destinationrule.networking.istio.io/grpc-dr configured`.'
              zh: '`oc apply -f grpc-dr-relaxed.yaml` 会输出 `destinationrule.networking.istio.io/grpc-dr configured`。'
            - en: Call the client again, then look at the end of the client's `istio-proxy` log.
              zh: 再次调用客户端，然后查看客户端 `istio-proxy` 日志的末尾。
            - en: Count `using existing fully connected connection` and `creating a new connection` in the last lines of the log.
              zh: 统计日志最后几行中 `using existing fully connected connection` 和 `creating a new connection` 的数量。
          explain:
            en: |
              A changed DestinationRule gives the sidecar new pools. With up to 100 requests per connection,
              the first call to each pod opens one connection and every later call to that pod reuses it: at
              most one new connection per pod, and the calls are still balanced one by one across the pods.
            zh: |
              修改后的 DestinationRule 让 sidecar 使用新的连接池。每条连接最多可承载 100 个请求时，第一次调用某个 Pod 会打开一条连接，
              之后对该 Pod 的调用都复用这条连接：每个 Pod 最多新建一条连接，而调用仍然逐个在各 Pod 之间均衡。
          checks:
            - id: client-made-25-calls
              text:
                en: the last client call made 25 calls
                zh: 最近一次客户端请求发起了 25 次调用
              calls: {}
              expect: {equals: 25}
            - id: few-connections
              text:
                en: the client's sidecar opened at most one new connection per grpc pod
                zh: 客户端 sidecar 为每个 grpc Pod 最多新建一条连接
              newConnections: {}
              expect: {atMost: 3}
            - id: most-calls-reused
              text:
                en: most calls reused a connection
                zh: 大多数调用复用了已有连接
              reusedConnections: {}
              expect: {atLeast: 13}
        - id: ingress-mtls
          title:
            en: Through the ingress gateway with mutual TLS
            zh: 通过入口网关使用双向 TLS 访问
          text:
            en: |
              Call the greeter from your workstation with `grpcurl`, through the OpenShift router and the
              Istio ingress gateway, which asks for a client certificate (`tls.mode: MUTUAL`).

              The folder `certs/` holds a CA, the gateway's certificate for
              `grpc-istio-system.apps.cluster.example.com`, a client certificate signed by the CA, and a
              self-signed `rogue` one (`grpclab certs` makes a fresh set; `openssl` works too). Put the
              gateway's certificate, key and CA into the secret `istio-ingressgateway-certs` in
              `istio-system`, apply `grpc-gateway.yaml` and find the Route that Istio OpenShift Routing
              made for it. Then call `helloworld.Greeter/SayHello` with `-proto helloworld.proto`, first
              without a client certificate, then with `certs/client.example.com.crt`. What does the
              gateway still need before the call can reach a grpc pod?
            zh: |
              在工作站上用 `grpcurl` 调用 greeter，经过 OpenShift 路由器和 Istio 入口网关；网关要求客户端证书（`tls.mode: MUTUAL`）。

              `certs/` 目录中有一个 CA、网关用于 `grpc-istio-system.apps.cluster.example.com` 的证书、一个由该 CA
              签发的客户端证书，以及一个自签名的 `rogue` 证书（`grpclab certs` 可以重新生成一套；也可以用 `openssl`）。
              把网关的证书、私钥和 CA 放进 `istio-system` 中名为 `istio-ingressgateway-certs` 的 secret，应用
              `grpc-gateway.yaml`，并找到 Istio OpenShift Routing 为它创建的 Route。然后用 `-proto helloworld.proto`
              调用 `helloworld.Greeter/SayHello`：先不带客户端证书，再带上 `certs/client.example.com.crt`。
              在调用能到达 grpc Pod 之前，网关还缺什么？
          solution:
            - oc annotate ingresses.config/cluster ingress.operator.openshift.io/default-enable-http2=true
            - oc create -n istio-system secret generic istio-ingressgateway-certs --from-file=tls.crt=certs/gateway.crt --from-file=tls.key=certs/gateway.key --from-file=ca.crt=certs/ca.crt
            - oc apply -f grpc-gateway.yaml
            - oc -n istio-system get routes -l maistra.io/gateway-name=grpc-gateway
            - run: grpcurl -v -insecure -proto helloworld.proto -d '{"name":"test"}' grpc-istio-system.apps.cluster.example.com:443 helloworld.Greeter/SayHello
              exit: 1
            - oc apply -f grpc-gateway-vs.yaml
            - grpcurl -v -insecure -cert certs/client.example.com.crt -key certs/client.example.com.key -proto helloworld.proto -d '{"name":"test"}' grpc-istio-system.apps.cluster.example.com:443 helloworld.Greeter/SayHello
          hints:
            - en: '`oc create -n istio-system secret generic istio-ingressgateway-certs --from-file=tls.crt=certs/gateway.crt --from-file=tls.key=certs/gateway.key --from-file=ca.crt=certs/ca.crt`'
              zh: '`oc create -n istio-system secret generic istio-ingressgateway-certs --from-file=tls.crt=certs/gateway.crt --from-file=tls.key=certs/gateway.key --from-file=ca.crt=certs/ca.crt`'
            - en: 'After `oc apply -f grpc-gateway.yaml`, `oc -n istio-system get routes -l maistra.io/gateway-name=grpc-gateway` shows the passthrough Route. Without `-cert`, grpcurl waits out its connect timeout.'
              zh: '执行 `oc apply -f grpc-gateway.yaml` 后，`oc -n istio-system get routes -l maistra.io/gateway-name=grpc-gateway` 会显示一条 passthrough Route。不带 `-cert` 时，grpcurl 会一直等到连接超时。'
            - en: 'A Gateway only opens a port: routes come from a VirtualService bound to it (`istioctl pc route deploy/istio-ingressgateway -n istio-system` shows `blackhole:443` answering 404 until then). Apply `grpc-gateway-vs.yaml`, then call with `-cert certs/client.example.com.crt -key certs/client.example.com.key`.'
              zh: 'Gateway 只负责开放端口，路由来自绑定到它的 VirtualService（在此之前，`istioctl pc route deploy/istio-ingressgateway -n istio-system` 显示的是返回 404 的 `blackhole:443`）。应用 `grpc-gateway-vs.yaml`，然后带上 `-cert certs/client.example.com.crt -key certs/client.example.com.key` 调用。'
          explain:
            en: |
              The Gateway's TLS server makes Istio OpenShift Routing create a passthrough Route: the router
              forwards the TLS connection by its server name without opening it, so TLS and ALPN run end to
              end between grpcurl and the gateway's Envoy. That is why HTTP/2 works here with or without the
              `default-enable-http2` annotation, which matters only for routes the router terminates.

              With `MUTUAL` the gateway asks for a client certificate and checks it against the secret's
              `ca.crt`. Over TLS 1.3 the client finishes its handshake before the gateway judges the
              certificate, so a missing or untrusted one is not a TLS error for grpcurl: the connection
              breaks, gRPC retries, and grpcurl gives up after its connect timeout with `context deadline
              exceeded`. A Gateway alone routes nothing: until a VirtualService names it in `gateways`, the
              gateway answers 404, which gRPC reports as `Unimplemented`. The article never shows that
              VirtualService.
            zh: |
              Gateway 的 TLS server 让 Istio OpenShift Routing 创建一条 passthrough Route：路由器按服务器名转发 TLS 连接而不解开它，
              所以 TLS 和 ALPN 在 grpcurl 与网关的 Envoy 之间端到端进行。因此无论有没有 `default-enable-http2` 注解，HTTP/2 在这里都能工作；
              该注解只影响由路由器终止 TLS 的路由。

              `MUTUAL` 模式下网关要求客户端证书，并用 secret 中的 `ca.crt` 校验。在 TLS 1.3 中，客户端在网关判断证书之前就完成了握手，
              所以缺少证书或证书不受信任对 grpcurl 来说并不是 TLS 错误：连接断开，gRPC 重试，grpcurl 在连接超时后报
              `context deadline exceeded`。只有 Gateway 并不会路由任何请求：在某个 VirtualService 的 `gateways` 中引用它之前，网关返回 404，
              gRPC 将其报告为 `Unimplemented`。原文从未展示这个 VirtualService。
          checks:
            - id: ior-route
              text:
                en: Istio OpenShift Routing made a Route for the gateway
                zh: Istio OpenShift Routing 为网关创建了 Route
              routes: {namespace: istio-system, selector: maistra.io/gateway-name=grpc-gateway}
              expect: {equals: 1}
            - id: refused-without-certificate
              text:
                en: the gateway refused a call without a client certificate
                zh: 网关拒绝了一次没有客户端证书的调用
              workstationCalls: {refused: missing}
              expect: {atLeast: 1}
            - id: hello-through-gateway
              text:
                en: 'the last grpcurl call got "Hello test" with "server: istio-envoy"'
                zh: '最近一次 grpcurl 调用收到了 "Hello test" 和 "server: istio-envoy"'
              workstationCalls: {last: true, reply: Hello test, header: 'server: istio-envoy'}
              expect: {equals: 1}

      """##,
    "grpc-lb/smmr.yaml": ##"""
      apiVersion: maistra.io/v1
      kind: ServiceMeshMemberRoll
      metadata:
        name: default
        namespace: istio-system
      spec:
        members:
          - grpc
          - test

      """##,
  ]

  /// Each lab's `lab.yaml` decoded and encoded as JSON, by lab id: a lab loads from it many times faster.
  static let labs: [String: String] = [
    "circuit-breaking": ##"""
      {"files":["smmr.yaml","httpbin.yaml","fortio-deploy.yaml"],"id":"circuit-breaking","steps":[{"checks":[{"expect":{"equals":1},"id":"httpbin-has-sidecar","pods":{"namespace":"circuit-breaking","ready":"2/2","selector":"app=httpbin","status":"Running"},"text":{"en":"the httpbin pod is Running with 2/2 containers","zh":"httpbin Pod 处于 Running 状态且容器为 2/2"}}],"explain":{"en":"`httpbin.yaml` holds a ServiceAccount, a Service and a Deployment. The Service names its port\n`http`, so Istio treats it as HTTP/1.1: a sidecar that calls it keeps a pool of HTTP/1.1\nconnections, each carrying one request at a time. That is what the circuit breakers of the\nnext steps limit.\n","zh":"`httpbin.yaml` 包含一个 ServiceAccount、一个 Service 和一个 Deployment。Service 把端口命名为 `http`，所以 Istio\n把它当作 HTTP/1.1：调用它的 sidecar 维护一个 HTTP/1.1 连接池，每条连接一次只承载一个请求。下一步的熔断器限制的正是这个连接池。\n"},"hints":[{"en":"`oc new-project circuit-breaking` creates the project and makes it the current one.","zh":"`oc new-project circuit-breaking` 会创建项目并把它设为当前项目。"},{"en":"The mesh injects sidecars only into member namespaces: apply `smmr.yaml` before `httpbin.yaml`, or delete the pod afterwards so that a new one is injected.","zh":"网格只向成员命名空间注入 sidecar：先应用 `smmr.yaml` 再应用 `httpbin.yaml`，或者之后删除 Pod，让新 Pod 被注入。"}],"id":"deploy-httpbin","solution":["oc new-project circuit-breaking","oc apply -f smmr.yaml","kubectl apply -f httpbin.yaml","kubectl rollout status deployment/httpbin","kubectl get pods"],"text":{"en":"This lab follows Istio's \"Circuit Breaking\" task. Its backend is `httpbin`, an HTTP/1.1\nservice on port 8000 (`httpbin.yaml`, Istio's sample with the `sidecar.istio.io/inject`\nannotation OpenShift Service Mesh needs).\n\nCreate the project `circuit-breaking`, make it a member of the mesh with `smmr.yaml`, then\napply `httpbin.yaml` and wait until its pod shows `2/2` (`kubectl rollout status deployment/httpbin` waits for it).\n","zh":"本实验按照 Istio 的 “Circuit Breaking（熔断）” 任务进行。后端是 `httpbin`，一个监听 8000 端口的 HTTP/1.1 服务\n（`httpbin.yaml`，即 Istio 的示例，加上了 OpenShift Service Mesh 需要的 `sidecar.istio.io/inject` 注解）。\n\n创建项目 `circuit-breaking`，用 `smmr.yaml` 把它加入网格，然后应用 `httpbin.yaml`，等待它的 Pod 显示 `2/2`（`kubectl rollout status deployment/httpbin` 会等到那时）。\n"},"title":{"en":"httpbin in the mesh","zh":"网格中的 httpbin"}},{"checks":[{"expect":{"equals":1},"id":"fortio-has-sidecar","pods":{"namespace":"circuit-breaking","ready":"2/2","selector":"app=fortio","status":"Running"},"text":{"en":"the fortio pod is Running with 2/2 containers","zh":"fortio Pod 处于 Running 状态且容器为 2/2"}},{"calls":{"namespace":"circuit-breaking","tool":"fortio"},"expect":{"atLeast":1},"id":"one-request-through","text":{"en":"fortio's last run got a successful reply","zh":"fortio 最近一次运行得到了成功的响应"}},{"expect":{"atLeast":1},"id":"rule-closes-connections","proxyStat":{"namespace":"circuit-breaking","selector":"app=fortio","stat":"upstream_cx_max_requests"},"text":{"en":"the fortio pod's sidecar closed a connection after its one request (upstream_cx_max_requests)","zh":"fortio Pod 的 sidecar 在连接承载一个请求后关闭了它（upstream_cx_max_requests）"}}],"explain":{"en":"One request never meets the limits: the fortio pod's sidecar opens a connection to httpbin's\npod, sends the request, and closes the connection when the reply ends, because it may carry\nonly one request. The reply's `server: envoy` and `x-envoy-upstream-service-time` come from\nthat sidecar, and httpbin echoes the headers the sidecars added on the way: the trace ids and\n`X-Forwarded-Client-Cert`, the client's identity from Istio's mutual TLS.\n","zh":"单个请求不会触及限制：fortio Pod 的 sidecar 打开一条到 httpbin Pod 的连接，发送请求，并在响应结束时关闭连接，因为这条连接只能承载一个请求。\n响应中的 `server: envoy` 和 `x-envoy-upstream-service-time` 来自这个 sidecar，而 httpbin 回显了沿途 sidecar 添加的请求头：\n追踪 ID，以及 `X-Forwarded-Client-Cert`，即 Istio 双向 TLS 中客户端的身份。\n"},"hints":[{"en":"Write the rule in a here-document: `kubectl apply -f - <<EOF`, the YAML, then `EOF` on a line of its own.","zh":"用 here-document 写规则：`kubectl apply -f - <<EOF`，然后是 YAML，最后单独一行 `EOF`。"},{"en":"`export FORTIO_POD=$(kubectl get pods -l app=fortio -o 'jsonpath={.items[0].metadata.name}')` keeps the pod name; wait until `kubectl get pods` shows it `2/2`.","zh":"`export FORTIO_POD=$(kubectl get pods -l app=fortio -o 'jsonpath={.items[0].metadata.name}')` 会保存 Pod 名；等 `kubectl get pods` 显示它为 `2/2`。"},{"en":"`kubectl exec \"$FORTIO_POD\" -c fortio -- /usr/bin/fortio curl -quiet http://httpbin:8000/get`","zh":"`kubectl exec \"$FORTIO_POD\" -c fortio -- /usr/bin/fortio curl -quiet http://httpbin:8000/get`"}],"id":"configure-breaker","solution":["kubectl apply -f - <<EOF\napiVersion: networking.istio.io/v1alpha3\nkind: DestinationRule\nmetadata:\n  name: httpbin\nspec:\n  host: httpbin\n  trafficPolicy:\n    connectionPool:\n      tcp:\n        maxConnections: 1\n      http:\n        http1MaxPendingRequests: 1\n        maxRequestsPerConnection: 1\n    outlierDetection:\n      consecutive5xxErrors: 1\n      interval: 1s\n      baseEjectionTime: 3m\n      maxEjectionPercent: 100\nEOF","kubectl get destinationrule httpbin -o yaml","kubectl apply -f fortio-deploy.yaml","kubectl rollout status deployment/fortio-deploy","export FORTIO_POD=$(kubectl get pods -l app=fortio -o 'jsonpath={.items[0].metadata.name}')","kubectl exec \"$FORTIO_POD\" -c fortio -- /usr/bin/fortio curl -quiet http://httpbin:8000/get"],"text":{"en":"Create a DestinationRule for `httpbin` with the task's settings: one connection\n(`maxConnections: 1`), one request waiting for it (`http1MaxPendingRequests: 1`), one\nrequest per connection (`maxRequestsPerConnection: 1`), and the task's `outlierDetection`\n(`consecutive5xxErrors: 1`, `interval: 1s`, `baseEjectionTime: 3m`,\n`maxEjectionPercent: 100`). Look at it with `kubectl get destinationrule httpbin -o yaml`.\n\nThen deploy the fortio client (`fortio-deploy.yaml`), keep its pod's name in `FORTIO_POD`,\nand fetch `http://httpbin:8000/get` once with `fortio curl -quiet`. Does one request get through?\n","zh":"为 `httpbin` 创建一个使用任务中设置的 DestinationRule：一条连接（`maxConnections: 1`）、一个等待连接的请求\n（`http1MaxPendingRequests: 1`）、每条连接一个请求（`maxRequestsPerConnection: 1`），以及任务中的\n`outlierDetection`（`consecutive5xxErrors: 1`、`interval: 1s`、`baseEjectionTime: 3m`、`maxEjectionPercent: 100`）。\n用 `kubectl get destinationrule httpbin -o yaml` 查看它。\n\n然后部署 fortio 客户端（`fortio-deploy.yaml`），把它的 Pod 名保存到 `FORTIO_POD`，并用 `fortio curl -quiet`\n请求一次 `http://httpbin:8000/get`。单个请求能通过吗？\n"},"title":{"en":"Configure the circuit breaker","zh":"配置熔断器"}},{"checks":[{"expect":{"atLeast":1},"id":"some-calls-tripped","overflowedCalls":{"namespace":"circuit-breaking","tool":"fortio"},"text":{"en":"some requests of fortio's last run tripped the breaker","zh":"fortio 最近一次运行中有请求触发了熔断器"}},{"expect":{"atLeast":1},"id":"sidecar-counted-overflow","proxyStat":{"namespace":"circuit-breaking","selector":"app=fortio","stat":"upstream_rq_pending_overflow"},"text":{"en":"the fortio pod's sidecar counted upstream_rq_pending_overflow","zh":"fortio Pod 的 sidecar 统计到了 upstream_rq_pending_overflow"}}],"explain":{"en":"An HTTP/1.1 connection carries one request at a time, and this rule lets it carry only one\nbefore it closes. When a request finds no ready connection, it waits in the pool's queue while\nthe sidecar opens one, and only one request may wait (`http1MaxPendingRequests: 1`). Each reply\ncloses its connection; while the waiting request's new connection is still in its handshakes,\nthe thread that just got its reply sends again, finds the queue full and gets `503` at once,\nflagged `UO` (upstream overflow) with `x-envoy-overloaded: true`. fortio closes its socket after\na reply that is not OK and opens a new one, so the `Sockets used` grow with the `503`s. More\nthreads fill the queue more often, so the share of `503` grows with `-c`. Overflowed requests\nnever reach httpbin: the sidecar counts them in `upstream_rq_pending_overflow`, and those that\nwaited in `upstream_rq_pending_total`.\n","zh":"一条 HTTP/1.1 连接一次只承载一个请求，而这条规则只允许它承载一个请求就关闭。请求找不到就绪连接时，会在连接池的队列中等待，\n同时 sidecar 新建一条连接，而队列中只能有一个请求（`http1MaxPendingRequests: 1`）。每个响应都会关闭它的连接；\n当等待中的请求的新连接还在握手时，刚收到响应的线程再次发送请求，发现队列已满，立即得到 `503`，\n并带有 `UO`（上游溢出）标志和 `x-envoy-overloaded: true`。fortio 在收到非成功响应后关闭套接字并新建一个，\n所以 `Sockets used` 随 `503` 增加。线程越多，队列越常被占满，所以 `503` 的比例随 `-c` 增长。溢出的请求不会到达 httpbin：\nsidecar 把它们计入 `upstream_rq_pending_overflow`，把等待过的请求计入 `upstream_rq_pending_total`。\n"},"hints":[{"en":"`kubectl exec \"$FORTIO_POD\" -c fortio -- /usr/bin/fortio load -c 3 -qps 0 -n 30 -loglevel Warning http://httpbin:8000/get` runs three threads at full speed.","zh":"`kubectl exec \"$FORTIO_POD\" -c fortio -- /usr/bin/fortio load -c 3 -qps 0 -n 30 -loglevel Warning http://httpbin:8000/get` 会以最快速度运行三个线程。"},{"en":"The `Code 503` line counts the requests the sidecar refused; `kubectl logs deploy/fortio-deploy -c istio-proxy` shows each one flagged `UO`.","zh":"`Code 503` 一行统计了被 sidecar 拒绝的请求；`kubectl logs deploy/fortio-deploy -c istio-proxy` 显示每个这样的请求都带有 `UO` 标志。"},{"en":"`kubectl exec \"$FORTIO_POD\" -c istio-proxy -- pilot-agent request GET stats | grep httpbin | grep pending` shows `upstream_rq_pending_overflow`.","zh":"`kubectl exec \"$FORTIO_POD\" -c istio-proxy -- pilot-agent request GET stats | grep httpbin | grep pending` 会显示 `upstream_rq_pending_overflow`。"}],"id":"trip-breaker","solution":["kubectl exec \"$FORTIO_POD\" -c fortio -- /usr/bin/fortio load -c 2 -qps 0 -n 20 -loglevel Warning http://httpbin:8000/get","kubectl exec \"$FORTIO_POD\" -c fortio -- /usr/bin/fortio load -c 3 -qps 0 -n 30 -loglevel Warning http://httpbin:8000/get","kubectl exec \"$FORTIO_POD\" -c istio-proxy -- pilot-agent request GET stats | grep httpbin | grep pending"],"text":{"en":"Call httpbin with two concurrent connections (`-c 2`) and 20 requests, then with three\n(`-c 3`) and 30: `fortio load -c 2 -qps 0 -n 20 -loglevel Warning http://httpbin:8000/get`.\nHow many requests got `503`? Then ask the client's sidecar what it counted:\n`kubectl exec \"$FORTIO_POD\" -c istio-proxy -- pilot-agent request GET stats | grep httpbin | grep pending`.\n","zh":"用两个并发连接（`-c 2`）发送 20 个请求调用 httpbin，再用三个（`-c 3`）发送 30 个：\n`fortio load -c 2 -qps 0 -n 20 -loglevel Warning http://httpbin:8000/get`。有多少请求得到了 `503`？\n然后看看客户端 sidecar 统计了什么：\n`kubectl exec \"$FORTIO_POD\" -c istio-proxy -- pilot-agent request GET stats | grep httpbin | grep pending`。\n"},"title":{"en":"Trip the circuit breaker","zh":"触发熔断"}},{"checks":[{"expect":{"atLeast":1},"id":"host-ejected","proxyStat":{"namespace":"circuit-breaking","selector":"app=fortio","stat":"outlier_detection.ejections_enforced_total"},"text":{"en":"the fortio pod's sidecar ejected a host","zh":"fortio Pod 的 sidecar 驱逐了一个主机"}},{"calls":{"namespace":"circuit-breaking","tool":"fortio"},"expect":{"equals":0},"id":"no-healthy-upstream","text":{"en":"fortio's last run got no successful reply","zh":"fortio 最近一次运行没有得到成功的响应"}}],"explain":{"en":"The client's sidecar feeds every reply from a host to its outlier detector. httpbin's first\n`503` is one 5xx in a row, which is all `consecutive5xxErrors: 1` allows: the host leaves the\ncluster's balancing for `baseEjectionTime` (3m), up to 5 minutes (`max_ejection_time`) when\nit is ejected again soon after, and comes back at the detector's next tick (`interval`).\n`maxEjectionPercent: 100` lets every host go, not only the first. Istio turns Envoy's panic\nthreshold off (`minHealthPercent` 0), so with every host ejected the sidecar answers `503 no\nhealthy upstream` itself, flagged `UH`, even for `/get`, which httpbin would serve. The\ncircuit breaker's own `503`s (`UO`) never counted: they were the sidecar's replies, not the\nhost's.\n","zh":"客户端的 sidecar 会把主机的每个响应交给异常检测器。httpbin 的第一个 `503` 就是连续一次 5xx，正好达到\n`consecutive5xxErrors: 1` 的上限：这个主机被移出集群的负载均衡，时长为 `baseEjectionTime`（3 分钟）；如果回来后不久再次被驱逐，\n时长会增加，最多 5 分钟（`max_ejection_time`）；它在检测器的下一个时刻（`interval`）回来。`maxEjectionPercent: 100`\n允许驱逐所有主机，而不只是第一个。Istio 关闭了 Envoy 的恐慌阈值（`minHealthPercent` 为 0），所以所有主机都被驱逐后，\nsidecar 自己返回 `503 no healthy upstream`，标记为 `UH`，即使是 httpbin 本可以处理的 `/get` 也一样。\n熔断器自己的 `503`（`UO`）从不计入：那是 sidecar 的响应，不是主机的。\n"},"hints":[{"en":"If your rule has no `outlierDetection`, apply the task's rule again (`kubectl get destinationrule httpbin -o yaml` shows it). Then `kubectl exec \"$FORTIO_POD\" -c fortio -- /usr/bin/fortio load -c 1 -qps 0 -n 5 -loglevel Warning http://httpbin:8000/status/503`: only the first request reaches httpbin.","zh":"如果你的规则没有 `outlierDetection`，请重新应用任务中的规则（`kubectl get destinationrule httpbin -o yaml` 可以查看）。然后运行 `kubectl exec \"$FORTIO_POD\" -c fortio -- /usr/bin/fortio load -c 1 -qps 0 -n 5 -loglevel Warning http://httpbin:8000/status/503`：只有第一个请求到达 httpbin。"},{"en":"The `OUTLIER CHECK` column of `istioctl proxy-config endpoint` says `FAILED` for an ejected host.","zh":"对于被驱逐的主机，`istioctl proxy-config endpoint` 的 `OUTLIER CHECK` 列显示 `FAILED`。"},{"en":"Fetch `/get` once more: `kubectl exec \"$FORTIO_POD\" -c fortio -- /usr/bin/fortio curl -quiet http://httpbin:8000/get`.","zh":"再请求一次 `/get`：`kubectl exec \"$FORTIO_POD\" -c fortio -- /usr/bin/fortio curl -quiet http://httpbin:8000/get`。"}],"id":"eject-failing-host","solution":["kubectl exec \"$FORTIO_POD\" -c fortio -- /usr/bin/fortio load -c 1 -qps 0 -n 5 -loglevel Warning http://httpbin:8000/status/503","istioctl proxy-config endpoint \"$FORTIO_POD\" --cluster \"outbound|8000||httpbin.circuit-breaking.svc.cluster.local\"","kubectl exec \"$FORTIO_POD\" -c istio-proxy -- pilot-agent request GET stats | grep httpbin | grep outlier_detection.ejections",{"exit":1,"run":"kubectl exec \"$FORTIO_POD\" -c fortio -- /usr/bin/fortio curl -quiet http://httpbin:8000/get"}],"text":{"en":"Beyond the task: the rule also sets `outlierDetection` with `consecutive5xxErrors: 1`. Make\nhttpbin itself answer `503` (`http://httpbin:8000/status/503`) a few times, then, within\nthree minutes, fetch `/get` again. What does the client's sidecar answer now, and for how\nlong? Look at its\nendpoints with `istioctl proxy-config endpoint \"$FORTIO_POD\" --cluster\n\"outbound|8000||httpbin.circuit-breaking.svc.cluster.local\"` and at its `outlier_detection`\nstats.\n","zh":"超出原任务的部分：这条规则还设置了 `outlierDetection`，其中 `consecutive5xxErrors: 1`。让 httpbin 自己返回几次\n`503`（`http://httpbin:8000/status/503`），然后在三分钟内再请求一次 `/get`。客户端的 sidecar 现在返回什么？会持续多久？\n用 `istioctl proxy-config endpoint \"$FORTIO_POD\" --cluster \"outbound|8000||httpbin.circuit-breaking.svc.cluster.local\"`\n查看它的端点，并查看它的 `outlier_detection` 统计。\n"},"title":{"en":"Outlier detection ejects a failing host","zh":"异常检测驱逐出错的主机"}}],"title":{"en":"Circuit breaking with Istio","zh":"使用 Istio 进行熔断"}}
      """##,
    "grpc-lb": ##"""
      {"files":["grpc-configmap.yaml","grpc-v1.yaml","grpc-v2.yaml","grpc-v3.yaml","grpc-service.yaml","client-configmap.yaml","grpc-client.yaml","smmr.yaml","grpc-vs.yaml","grpc-dr.yaml","grpc-dr-relaxed.yaml","grpc-gateway.yaml","grpc-gateway-vs.yaml","helloworld.proto","fortio.yaml","certs/ca.crt","certs/ca.key","certs/gateway.crt","certs/gateway.key","certs/client.example.com.crt","certs/client.example.com.key","certs/rogue.crt","certs/rogue.key"],"id":"grpc-lb","steps":[{"checks":[{"expect":{"equals":3},"id":"three-pods-running","pods":{"namespace":"grpc","selector":"app=grpc","status":"Running"},"text":{"en":"3 grpc pods are Running","zh":"3 个 grpc Pod 处于 Running 状态"}},{"calls":{},"expect":{"equals":25},"id":"client-made-25-calls","text":{"en":"the last client call made 25 calls","zh":"最近一次客户端请求发起了 25 次调用"}},{"expect":{"equals":1},"id":"one-pod-served-all","servingPods":{"namespace":"grpc","selector":"app=grpc"},"text":{"en":"exactly one pod served all calls","zh":"恰好一个 Pod 处理了全部调用"}}],"explain":{"en":"gRPC runs over HTTP/2, which multiplexes every call of a channel on one long-lived TCP\nconnection. kube-proxy balances connections, not requests: when the client connected to the\nService's virtual IP, the iptables rules picked one ready endpoint at random, and conntrack\npinned the connection to it. Every call on that connection lands on the same pod.\n","zh":"gRPC 基于 HTTP/2，一个通道的所有调用都在同一条长连接上多路复用。kube-proxy 均衡的是连接而不是请求：\n客户端连接 Service 的虚拟 IP 时，iptables 规则随机选中一个就绪的端点，conntrack 把这条连接固定到它上面。\n这条连接上的每次调用都落在同一个 Pod 上。\n"},"hints":[{"en":"Projects come first: `oc new-project grpc` and `oc new-project test`.","zh":"先创建项目：`oc new-project grpc` 和 `oc new-project test`。"},{"en":"Apply the ConfigMaps before the Deployments that mount them, then the Service.","zh":"先应用 ConfigMap，再应用挂载它们的 Deployment，最后是 Service。"},{"en":"Call the client with `oc -n test exec deploy/grpc-client -- curl http://localhost:8080/hello/grpc`, then compare `oc -n grpc logs` of each pod.","zh":"用 `oc -n test exec deploy/grpc-client -- curl http://localhost:8080/hello/grpc` 调用客户端，然后比较每个 Pod 的 `oc -n grpc logs`。"}],"id":"plain-kubernetes","solution":["oc new-project grpc","oc new-project test","oc apply -f grpc-configmap.yaml","oc apply -f grpc-v1.yaml -f grpc-v2.yaml -f grpc-v3.yaml","oc apply -f grpc-service.yaml","oc apply -f client-configmap.yaml -f grpc-client.yaml","oc -n grpc get pods -l app=grpc","oc -n test exec deploy/grpc-client -- curl -s http://localhost:8080/hello/grpc"],"text":{"en":"Deploy three versions of the gRPC greeter behind one Service in the `grpc` project, and a\nclient in the `test` project. The client's `GET /hello/grpc` opens one gRPC channel to\n`grpc.grpc.svc.cluster.local:9000` and makes 25 calls on it.\n\nCreate both projects, apply the manifests in this folder, wait until the pods are Running,\nthen call the client and read each server pod's log. Which pods served the 25 calls?\n","zh":"在 `grpc` 项目中通过一个 Service 部署三个版本的 gRPC greeter 服务，并在 `test` 项目中部署一个客户端。\n客户端的 `GET /hello/grpc` 会打开一个到 `grpc.grpc.svc.cluster.local:9000` 的 gRPC 通道，并在其上发起 25 次调用。\n\n创建两个项目，应用本目录中的清单，等待 Pod 进入 Running 状态，然后调用客户端，并查看每个服务端 Pod 的日志。\n这 25 次调用由哪些 Pod 处理？\n"},"title":{"en":"gRPC without a mesh","zh":"没有服务网格的 gRPC"}},{"checks":[{"expect":{"equals":3},"id":"servers-have-sidecars","pods":{"namespace":"grpc","ready":"2/2","selector":"app=grpc","status":"Running"},"text":{"en":"3 grpc pods are Running with 2/2 containers","zh":"3 个 grpc Pod 处于 Running 状态且容器为 2/2"}},{"expect":{"equals":1},"id":"client-has-sidecar","pods":{"namespace":"test","ready":"2/2","selector":"app=grpc","status":"Running"},"text":{"en":"the client pod is Running with 2/2 containers","zh":"客户端 Pod 处于 Running 状态且容器为 2/2"}},{"calls":{},"expect":{"equals":25},"id":"client-made-25-calls","text":{"en":"the last client call made 25 calls","zh":"最近一次客户端请求发起了 25 次调用"}},{"expect":{"all":true},"id":"every-pod-served","servingPods":{"namespace":"grpc","selector":"app=grpc"},"text":{"en":"every grpc pod served at least one call","zh":"每个 grpc Pod 至少处理了一次调用"}}],"explain":{"en":"The app still opens one HTTP/2 connection, but iptables now redirects it to the client pod's own\nEnvoy. Envoy ends that connection and balances every request on its own: it picks a pod per call\n(LEAST_REQUEST by default: two random pods, the one with fewer active requests wins) and keeps\nits own connections to the pods. Balancing happens in the client's sidecar; a sidecar on the\nserver alone would still receive one pinned connection. No DestinationRule is needed for this.\n","zh":"应用仍然只打开一条 HTTP/2 连接，但 iptables 现在把它重定向到客户端 Pod 自己的 Envoy。Envoy 终结这条连接，\n并对每个请求单独做负载均衡：每次调用选择一个 Pod（默认 LEAST_REQUEST：随机取两个 Pod，活跃请求少的胜出），\n并维护自己到各 Pod 的连接。负载均衡发生在客户端的 sidecar 中；只有服务端有 sidecar 时，仍然只会收到一条固定的连接。\n这一步不需要 DestinationRule。\n"},"hints":[{"en":"The member roll lives in `istio-system`; `oc apply -f smmr.yaml` puts `grpc` and `test` in the mesh.","zh":"成员列表位于 `istio-system`；`oc apply -f smmr.yaml` 会把 `grpc` 和 `test` 加入网格。"},{"en":"Running pods keep running without a sidecar. Delete them (`oc -n grpc delete pod -l app=grpc`, and the same in `test`) so that their ReplicaSets create new, injected ones.","zh":"正在运行的 Pod 不会自动获得 sidecar。删除它们（`oc -n grpc delete pod -l app=grpc`，`test` 中同样操作），让 ReplicaSet 创建注入了 sidecar 的新 Pod。"},{"en":"After `curl`, count `Received request` in each server's log with `oc -n grpc logs POD -c custom-grpc-hello | grep -c Received`, or look at `kiali graph -n grpc,test`.","zh":"执行 `curl` 后，用 `oc -n grpc logs POD -c custom-grpc-hello | grep -c Received` 统计每个服务端日志中的 `Received request`，或查看 `kiali graph -n grpc,test`。"}],"id":"add-mesh","solution":["oc apply -f smmr.yaml","oc apply -f grpc-vs.yaml","oc -n grpc delete pod -l app=grpc","oc -n test delete pod -l app=grpc","oc -n grpc get pods -l app=grpc","oc -n test exec deploy/grpc-client -- curl -s http://localhost:8080/hello/grpc","kiali graph -n grpc,test"],"text":{"en":"Make both projects members of the mesh with the ServiceMeshMemberRoll in `smmr.yaml`, and\nroute `grpc.grpc.svc.cluster.local` with the VirtualService in `grpc-vs.yaml`. The pod\ntemplates already ask for a sidecar (`sidecar.istio.io/inject: 'true'`), but injection happens\nonly when a pod is created: restart the pods of both projects and check that they show `2/2`.\n\nCall the client again. Which pods served the 25 calls this time?\n","zh":"用 `smmr.yaml` 中的 ServiceMeshMemberRoll 把两个项目加入网格，并用 `grpc-vs.yaml` 中的 VirtualService\n为 `grpc.grpc.svc.cluster.local` 配置路由。Pod 模板已经请求注入 sidecar（`sidecar.istio.io/inject: 'true'`），\n但注入只发生在创建 Pod 时：重启两个项目中的 Pod，并确认它们显示 `2/2`。\n\n再次调用客户端。这一次，25 次调用由哪些 Pod 处理？\n"},"title":{"en":"Add the service mesh","zh":"加入服务网格"}},{"checks":[{"calls":{},"expect":{"equals":25},"id":"client-made-25-calls","text":{"en":"the last client call made 25 calls","zh":"最近一次客户端请求发起了 25 次调用"}},{"expect":{"equals":0},"id":"new-connection-per-call","reusedConnections":{},"text":{"en":"the client's sidecar opened a new upstream connection for every call","zh":"客户端 sidecar 为每次调用都打开了新的上游连接"}},{"expect":{"equals":25},"id":"connections-opened","newConnections":{},"text":{"en":"the client's sidecar opened 25 upstream connections","zh":"客户端 sidecar 打开了 25 条上游连接"}}],"explain":{"en":"`maxRequestsPerConnection: 1` makes Envoy drain an upstream connection as soon as its one\nstream starts (`maximum streams per connection, start draining`) and close it when the stream\nends, so the next call finds no connection and opens a new one. `tcp.maxConnections: 1` does\nnot stop that: it counts all pods of the cluster together, and a pod whose pool is empty still\ngets its connection (Envoy counts `upstream_cx_overflow`). The calls were spread before this\nrule existed: the pool settings recycle connections, they do not do the balancing.\n","zh":"`maxRequestsPerConnection: 1` 让 Envoy 在上游连接的唯一一个流开始时就开始排空它（`maximum streams per connection,\nstart draining`），并在流结束时关闭连接，因此下一次调用找不到连接，只能新建一条。`tcp.maxConnections: 1` 并不能阻止这一点：\n它把集群中所有 Pod 的连接合在一起计数，而连接池为空的 Pod 仍然会得到一条连接（Envoy 会累加 `upstream_cx_overflow`）。\n在这条规则出现之前，调用就已经被分散了：连接池设置只是回收连接，并不负责负载均衡。\n"},"hints":[{"en":"`oc apply -f grpc-dr.yaml` changes the client sidecar's pools at once; no restart is needed.","zh":"`oc apply -f grpc-dr.yaml` 会立即改变客户端 sidecar 的连接池，无需重启。"},{"en":"Call the client again with the same `curl` as before.","zh":"用之前相同的 `curl` 再次调用客户端。"},{"en":"`oc -n test logs deploy/grpc-client -c istio-proxy | grep -c \"creating a new connection\"` counts the connections the sidecar opened; `jaeger traces --service grpc.test` and `jaeger trace ID` show a request id (`guid:x-request-id`) to grep for.","zh":"`oc -n test logs deploy/grpc-client -c istio-proxy | grep -c \"creating a new connection\"` 统计 sidecar 打开的连接数；`jaeger traces --service grpc.test` 和 `jaeger trace ID` 会显示可以用来 grep 的请求 ID（`guid:x-request-id`）。"}],"id":"strict-pool","solution":["oc apply -f grpc-dr.yaml","oc -n test exec deploy/grpc-client -- curl -s http://localhost:8080/hello/grpc","oc -n test logs deploy/grpc-client -c istio-proxy | grep -c \"creating a new connection\"","jaeger traces --service grpc.test --limit 5"],"text":{"en":"Apply the DestinationRule in `grpc-dr.yaml`: Istio mutual TLS and a connection pool of one\nconnection, one request at a time and one request per connection. Call the client again and\nlook for `creating a new connection` in the client's `istio-proxy` log (the pods ask for\n`sidecar.istio.io/logLevel: debug`). Take an `x-request-id` from the log and find what the\nproxy did for it.\n","zh":"应用 `grpc-dr.yaml` 中的 DestinationRule：Istio 双向 TLS，以及只有一条连接、一次一个请求、每条连接一个请求的连接池。\n再次调用客户端，在客户端的 `istio-proxy` 日志中查找 `creating a new connection`（这些 Pod 请求了\n`sidecar.istio.io/logLevel: debug`）。从日志中取一个 `x-request-id`，看看代理为它做了什么。\n"},"title":{"en":"A strict connection pool","zh":"严格的连接池"}},{"checks":[{"calls":{},"expect":{"equals":25},"id":"client-made-25-calls","text":{"en":"the last client call made 25 calls","zh":"最近一次客户端请求发起了 25 次调用"}},{"expect":{"atMost":3},"id":"few-connections","newConnections":{},"text":{"en":"the client's sidecar opened at most one new connection per grpc pod","zh":"客户端 sidecar 为每个 grpc Pod 最多新建一条连接"}},{"expect":{"atLeast":13},"id":"most-calls-reused","reusedConnections":{},"text":{"en":"most calls reused a connection","zh":"大多数调用复用了已有连接"}}],"explain":{"en":"A changed DestinationRule gives the sidecar new pools. With up to 100 requests per connection,\nthe first call to each pod opens one connection and every later call to that pod reuses it: at\nmost one new connection per pod, and the calls are still balanced one by one across the pods.\n","zh":"修改后的 DestinationRule 让 sidecar 使用新的连接池。每条连接最多可承载 100 个请求时，第一次调用某个 Pod 会打开一条连接，\n之后对该 Pod 的调用都复用这条连接：每个 Pod 最多新建一条连接，而调用仍然逐个在各 Pod 之间均衡。\n"},"hints":[{"en":"`oc apply -f grpc-dr-relaxed.yaml` reports `destinationrule.networking.istio.io/grpc-dr configured`.","zh":"`oc apply -f grpc-dr-relaxed.yaml` 会输出 `destinationrule.networking.istio.io/grpc-dr configured`。"},{"en":"Call the client again, then look at the end of the client's `istio-proxy` log.","zh":"再次调用客户端，然后查看客户端 `istio-proxy` 日志的末尾。"},{"en":"Count `using existing fully connected connection` and `creating a new connection` in the last lines of the log.","zh":"统计日志最后几行中 `using existing fully connected connection` 和 `creating a new connection` 的数量。"}],"id":"relaxed-pool","solution":["oc apply -f grpc-dr-relaxed.yaml","oc -n test exec deploy/grpc-client -- curl -s http://localhost:8080/hello/grpc","oc -n test logs deploy/grpc-client -c istio-proxy --tail 400 | grep -c \"using existing fully connected connection\""],"text":{"en":"Apply `grpc-dr-relaxed.yaml`, the same DestinationRule with `http2MaxRequests: 50` and\n`maxRequestsPerConnection: 100`. Call the client again and compare the proxy log: how many\nconnections did the sidecar open now, and how did the other calls travel?\n","zh":"应用 `grpc-dr-relaxed.yaml`，即把同一个 DestinationRule 改为 `http2MaxRequests: 50` 和 `maxRequestsPerConnection: 100`。\n再次调用客户端并对比代理日志：sidecar 这次打开了多少条连接，其余的调用又是如何传输的？\n"},"title":{"en":"A relaxed connection pool","zh":"宽松的连接池"}},{"checks":[{"expect":{"equals":1},"id":"ior-route","routes":{"namespace":"istio-system","selector":"maistra.io/gateway-name=grpc-gateway"},"text":{"en":"Istio OpenShift Routing made a Route for the gateway","zh":"Istio OpenShift Routing 为网关创建了 Route"}},{"expect":{"atLeast":1},"id":"refused-without-certificate","text":{"en":"the gateway refused a call without a client certificate","zh":"网关拒绝了一次没有客户端证书的调用"},"workstationCalls":{"refused":"missing"}},{"expect":{"equals":1},"id":"hello-through-gateway","text":{"en":"the last grpcurl call got \"Hello test\" with \"server: istio-envoy\"","zh":"最近一次 grpcurl 调用收到了 \"Hello test\" 和 \"server: istio-envoy\""},"workstationCalls":{"header":"server: istio-envoy","last":true,"reply":"Hello test"}}],"explain":{"en":"The Gateway's TLS server makes Istio OpenShift Routing create a passthrough Route: the router\nforwards the TLS connection by its server name without opening it, so TLS and ALPN run end to\nend between grpcurl and the gateway's Envoy. That is why HTTP/2 works here with or without the\n`default-enable-http2` annotation, which matters only for routes the router terminates.\n\nWith `MUTUAL` the gateway asks for a client certificate and checks it against the secret's\n`ca.crt`. Over TLS 1.3 the client finishes its handshake before the gateway judges the\ncertificate, so a missing or untrusted one is not a TLS error for grpcurl: the connection\nbreaks, gRPC retries, and grpcurl gives up after its connect timeout with `context deadline\nexceeded`. A Gateway alone routes nothing: until a VirtualService names it in `gateways`, the\ngateway answers 404, which gRPC reports as `Unimplemented`. The article never shows that\nVirtualService.\n","zh":"Gateway 的 TLS server 让 Istio OpenShift Routing 创建一条 passthrough Route：路由器按服务器名转发 TLS 连接而不解开它，\n所以 TLS 和 ALPN 在 grpcurl 与网关的 Envoy 之间端到端进行。因此无论有没有 `default-enable-http2` 注解，HTTP/2 在这里都能工作；\n该注解只影响由路由器终止 TLS 的路由。\n\n`MUTUAL` 模式下网关要求客户端证书，并用 secret 中的 `ca.crt` 校验。在 TLS 1.3 中，客户端在网关判断证书之前就完成了握手，\n所以缺少证书或证书不受信任对 grpcurl 来说并不是 TLS 错误：连接断开，gRPC 重试，grpcurl 在连接超时后报\n`context deadline exceeded`。只有 Gateway 并不会路由任何请求：在某个 VirtualService 的 `gateways` 中引用它之前，网关返回 404，\ngRPC 将其报告为 `Unimplemented`。原文从未展示这个 VirtualService。\n"},"hints":[{"en":"`oc create -n istio-system secret generic istio-ingressgateway-certs --from-file=tls.crt=certs/gateway.crt --from-file=tls.key=certs/gateway.key --from-file=ca.crt=certs/ca.crt`","zh":"`oc create -n istio-system secret generic istio-ingressgateway-certs --from-file=tls.crt=certs/gateway.crt --from-file=tls.key=certs/gateway.key --from-file=ca.crt=certs/ca.crt`"},{"en":"After `oc apply -f grpc-gateway.yaml`, `oc -n istio-system get routes -l maistra.io/gateway-name=grpc-gateway` shows the passthrough Route. Without `-cert`, grpcurl waits out its connect timeout.","zh":"执行 `oc apply -f grpc-gateway.yaml` 后，`oc -n istio-system get routes -l maistra.io/gateway-name=grpc-gateway` 会显示一条 passthrough Route。不带 `-cert` 时，grpcurl 会一直等到连接超时。"},{"en":"A Gateway only opens a port: routes come from a VirtualService bound to it (`istioctl pc route deploy/istio-ingressgateway -n istio-system` shows `blackhole:443` answering 404 until then). Apply `grpc-gateway-vs.yaml`, then call with `-cert certs/client.example.com.crt -key certs/client.example.com.key`.","zh":"Gateway 只负责开放端口，路由来自绑定到它的 VirtualService（在此之前，`istioctl pc route deploy/istio-ingressgateway -n istio-system` 显示的是返回 404 的 `blackhole:443`）。应用 `grpc-gateway-vs.yaml`，然后带上 `-cert certs/client.example.com.crt -key certs/client.example.com.key` 调用。"}],"id":"ingress-mtls","solution":["oc annotate ingresses.config/cluster ingress.operator.openshift.io/default-enable-http2=true","oc create -n istio-system secret generic istio-ingressgateway-certs --from-file=tls.crt=certs/gateway.crt --from-file=tls.key=certs/gateway.key --from-file=ca.crt=certs/ca.crt","oc apply -f grpc-gateway.yaml","oc -n istio-system get routes -l maistra.io/gateway-name=grpc-gateway",{"exit":1,"run":"grpcurl -v -insecure -proto helloworld.proto -d '{\"name\":\"test\"}' grpc-istio-system.apps.cluster.example.com:443 helloworld.Greeter/SayHello"},"oc apply -f grpc-gateway-vs.yaml","grpcurl -v -insecure -cert certs/client.example.com.crt -key certs/client.example.com.key -proto helloworld.proto -d '{\"name\":\"test\"}' grpc-istio-system.apps.cluster.example.com:443 helloworld.Greeter/SayHello"],"text":{"en":"Call the greeter from your workstation with `grpcurl`, through the OpenShift router and the\nIstio ingress gateway, which asks for a client certificate (`tls.mode: MUTUAL`).\n\nThe folder `certs/` holds a CA, the gateway's certificate for\n`grpc-istio-system.apps.cluster.example.com`, a client certificate signed by the CA, and a\nself-signed `rogue` one (`grpclab certs` makes a fresh set; `openssl` works too). Put the\ngateway's certificate, key and CA into the secret `istio-ingressgateway-certs` in\n`istio-system`, apply `grpc-gateway.yaml` and find the Route that Istio OpenShift Routing\nmade for it. Then call `helloworld.Greeter/SayHello` with `-proto helloworld.proto`, first\nwithout a client certificate, then with `certs/client.example.com.crt`. What does the\ngateway still need before the call can reach a grpc pod?\n","zh":"在工作站上用 `grpcurl` 调用 greeter，经过 OpenShift 路由器和 Istio 入口网关；网关要求客户端证书（`tls.mode: MUTUAL`）。\n\n`certs/` 目录中有一个 CA、网关用于 `grpc-istio-system.apps.cluster.example.com` 的证书、一个由该 CA\n签发的客户端证书，以及一个自签名的 `rogue` 证书（`grpclab certs` 可以重新生成一套；也可以用 `openssl`）。\n把网关的证书、私钥和 CA 放进 `istio-system` 中名为 `istio-ingressgateway-certs` 的 secret，应用\n`grpc-gateway.yaml`，并找到 Istio OpenShift Routing 为它创建的 Route。然后用 `-proto helloworld.proto`\n调用 `helloworld.Greeter/SayHello`：先不带客户端证书，再带上 `certs/client.example.com.crt`。\n在调用能到达 grpc Pod 之前，网关还缺什么？\n"},"title":{"en":"Through the ingress gateway with mutual TLS","zh":"通过入口网关使用双向 TLS 访问"}}],"title":{"en":"gRPC load balancing in Kubernetes with Istio","zh":"使用 Istio 在 Kubernetes 中进行 gRPC 负载均衡"}}
      """##,
  ]
}
