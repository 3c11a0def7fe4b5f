#!/bin/sh
# Regenerates the TLS material of TokenReviewJwtVerifierTest (test-only, never used outside tests):
#   ca.pem        a CA certificate (the verifier's kubernetes_ca_cert)
#   server.p12    the fake API server's key and certificate (SAN 127.0.0.1, localhost) signed by that CA, with chain
#   other-ca.pem  an unrelated CA, to show the verifier trusts only the configured one
# The CA private keys are thrown away. Keystore password: changeit. Valid from 2020 for about 110 years.
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
kt() { keytool -storetype PKCS12 -storepass changeit -keypass changeit "$@"; }
kt -genkeypair -keystore "$tmp/ca.p12" -alias ca -keyalg EC -groupname secp256r1 -startdate 2020/01/01 -validity 40000 \
  -dname "CN=tokenreview-test-ca" -ext bc:c=ca:true -ext ku:c=keyCertSign,cRLSign
kt -exportcert -keystore "$tmp/ca.p12" -alias ca -rfc -file ca.pem
rm -f server.p12
kt -genkeypair -keystore server.p12 -alias server -keyalg EC -groupname secp256r1 -startdate 2020/01/01 -validity 40000 \
  -dname "CN=fake-kube-apiserver"
kt -certreq -keystore server.p12 -alias server -file "$tmp/server.csr"
kt -gencert -keystore "$tmp/ca.p12" -alias ca -infile "$tmp/server.csr" -outfile "$tmp/server.pem" -rfc \
  -startdate 2020/01/01 -validity 40000 -ext san=ip:127.0.0.1,dns:localhost -ext eku=serverAuth -ext ku:c=digitalSignature
kt -importcert -keystore server.p12 -alias ca -file ca.pem -noprompt
kt -importcert -keystore server.p12 -alias server -file "$tmp/server.pem"
kt -genkeypair -keystore "$tmp/other.p12" -alias other -keyalg EC -groupname secp256r1 -startdate 2020/01/01 -validity 40000 \
  -dname "CN=unrelated-test-ca" -ext bc:c=ca:true
kt -exportcert -keystore "$tmp/other.p12" -alias other -rfc -file other-ca.pem
