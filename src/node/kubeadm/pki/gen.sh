#!/bin/sh
# Generates the kubeadm lab's certificates once, at development time (the files are shipped
# as data; nothing is generated at run time). EC P-256 keys keep them small. Subjects, SANs
# and key usages are the ones kubeadm gives a control-plane node named `controlplane` with
# advertise address 172.30.1.2 and the default service CIDR 10.96.0.0/12.
# Usage: sh gen.sh   (from this directory; needs openssl)
set -eu
NODE=controlplane
IP=172.30.1.2
DAYS_CA=3650
DAYS=365
key() { openssl ecparam -name prime256v1 -genkey -noout -out "$1" 2>/dev/null; }
ca() { # $1 path without suffix, $2 CN
  key "$1.key"
  openssl req -x509 -new -key "$1.key" -sha256 -days $DAYS_CA -subj "/CN=$2" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign" \
    -addext "subjectKeyIdentifier=hash" -out "$1.crt"
}
leaf() { # $1 path, $2 CA path, $3 subject, $4 extKeyUsage, $5 subjectAltName or ""
  key "$1.key"
  ext=$(mktemp)
  {
    echo "basicConstraints=critical,CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=$4"
    echo "authorityKeyIdentifier=keyid"
    [ -n "$5" ] && echo "subjectAltName=$5"
  } > "$ext"
  openssl req -new -key "$1.key" -subj "$3" -out "$1.csr"
  openssl x509 -req -in "$1.csr" -CA "$2.crt" -CAkey "$2.key" -CAcreateserial -sha256 -days $DAYS \
    -extfile "$ext" -out "$1.crt" 2>/dev/null
  rm -f "$1.csr" "$ext"
}
ETCD_SAN="DNS:$NODE,DNS:localhost,IP:$IP,IP:127.0.0.1,IP:0:0:0:0:0:0:0:1"
ca etcd/ca etcd-ca
leaf etcd/server etcd/ca "/CN=$NODE" "serverAuth,clientAuth" "$ETCD_SAN"
leaf etcd/peer etcd/ca "/CN=$NODE" "serverAuth,clientAuth" "$ETCD_SAN"
leaf etcd/healthcheck-client etcd/ca "/CN=kube-etcd-healthcheck-client" "clientAuth" ""
leaf apiserver-etcd-client etcd/ca "/CN=kube-apiserver-etcd-client" "clientAuth" ""
ca ca kubernetes
leaf apiserver ca "/CN=kube-apiserver" "serverAuth" \
  "DNS:$NODE,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:10.96.0.1,IP:$IP"
leaf apiserver-kubelet-client ca "/O=kubeadm:cluster-admins/CN=kube-apiserver-kubelet-client" "clientAuth" ""
ca front-proxy-ca front-proxy-ca
leaf front-proxy-client front-proxy-ca "/CN=front-proxy-client" "clientAuth" ""
key sa.key
openssl ec -in sa.key -pubout -out sa.pub 2>/dev/null
rm -f ./*.srl etcd/*.srl
