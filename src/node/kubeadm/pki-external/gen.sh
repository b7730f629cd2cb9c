#!/bin/sh
# Generates the external-etcd lab's certificates once, at development time (shipped as data).
# One CA and one certificate for etcd-server (172.30.1.3), used as etcd's server, peer and
# client certificate, the layout of the usual hand-made external etcd:
# /etc/etcd/pki/{ca.pem,etcd.pem,etcd-key.pem} on etcd-server, the same three files in
# /etc/kubernetes/pki/etcd/ on the control-plane node for kube-apiserver.
# Usage: sh gen.sh   (from this directory; needs openssl)
set -eu
openssl ecparam -name prime256v1 -genkey -noout -out ca-key.pem 2>/dev/null
openssl req -x509 -new -key ca-key.pem -sha256 -days 3650 -subj "/CN=etcd-ca" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign" \
  -addext "subjectKeyIdentifier=hash" -out ca.pem
openssl ecparam -name prime256v1 -genkey -noout -out etcd-key.pem 2>/dev/null
ext=$(mktemp)
cat > "$ext" <<X
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth,clientAuth
authorityKeyIdentifier=keyid
subjectAltName=DNS:etcd-server,DNS:localhost,IP:172.30.1.3,IP:127.0.0.1
X
openssl req -new -key etcd-key.pem -subj "/CN=etcd-server" -out etcd.csr
openssl x509 -req -in etcd.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -sha256 -days 365 \
  -extfile "$ext" -out etcd.pem 2>/dev/null
rm -f etcd.csr ./*.srl "$ext" ca-key.pem  # the CA key is not on either node
