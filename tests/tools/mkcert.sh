#!/bin/sh
# tests/tools/mkcert.sh DIR - test certificates for the relay's TLS, made
# with the openssl command line into DIR:
#   ca.pem ca.key              a test CA
#   server.pem server.key      for 127.0.0.1 and localhost, signed by the CA
#   chain.pem                  server.pem followed by ca.pem (a full chain)
#   expired.pem expired.key    the same names, expired in 2001
#   wrongname.pem wrongname.key  signed by the CA, for relay.invalid only
#   other-ca.pem other-ca.key  a second CA that signed nothing here
# For tests only: the keys are unencrypted and the CA key stays next to it.
set -eu
d=${1:?usage: mkcert.sh DIR}
mkdir -p "$d"
cd "$d"
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
ca() {
	key "$1.key"
	openssl req -x509 -new -key "$1.key" -out "$1.pem" -days 3650 -subj "/CN=$2" \
	    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
}
ca ca "Fernsicht test CA"
ca other-ca "Fernsicht other test CA"
# `openssl ca` is the one that takes explicit dates (x509 -days must be > 0)
mkdir -p ca.db
: >ca.db/index.txt
cat >ca.cnf <<CNF
[ca]
default_ca = test
[test]
database = ca.db/index.txt
new_certs_dir = ca.db
certificate = ca.pem
private_key = ca.key
default_md = sha256
policy = any
unique_subject = no
rand_serial = yes
copy_extensions = none
[any]
commonName = supplied
[server]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = \$ENV::SAN
CNF
# leaf NAME CN SAN START END
leaf() {
	key "$1.key"
	openssl req -new -key "$1.key" -out "$1.csr" -subj "/CN=$2"
	SAN=$3 openssl ca -batch -config ca.cnf -extensions server -in "$1.csr" -out "$1.pem" \
	    -notext -startdate "$4" -enddate "$5" 2>/dev/null
	rm -f "$1.csr"
}
leaf server localhost "DNS:localhost,IP:127.0.0.1" 20200101000000Z 20491231000000Z
leaf expired localhost "DNS:localhost,IP:127.0.0.1" 20000101000000Z 20010101000000Z
leaf wrongname relay.invalid "DNS:relay.invalid" 20200101000000Z 20491231000000Z
cat server.pem ca.pem >chain.pem
