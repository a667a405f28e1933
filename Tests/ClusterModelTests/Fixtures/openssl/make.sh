#!/bin/sh
# Remakes the certificates the TLS tests read, the way a learner makes them with openssl.
set -e
cd "$(dirname "$0")"
host=grpc-istio-system.apps.cluster.example.com
openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 -subj "/O=example Inc./CN=example.com" \
  -keyout ca.key -out ca.crt
openssl req -newkey rsa:2048 -nodes -subj "/CN=$host/O=grpc organization" -keyout server.key -out server.csr
printf 'subjectAltName=DNS:%s\n' "$host" > server.ext
openssl x509 -req -sha256 -days 3650 -CA ca.crt -CAkey ca.key -set_serial 1 -in server.csr -extfile server.ext -out server.crt
openssl req -newkey rsa:2048 -nodes -subj "/CN=client.example.com/O=client organization" \
  -keyout client.example.com.key -out client.csr
openssl x509 -req -sha256 -days 3650 -CA ca.crt -CAkey ca.key -set_serial 2 -in client.csr -out client.example.com.crt
openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 -subj "/CN=rogue.example.com" \
  -keyout rogue.key -out rogue.crt
rm -f server.csr client.csr server.ext ca.srl
