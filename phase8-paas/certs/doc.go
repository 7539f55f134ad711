// Package certs gets and keeps the router's TLS certificates. A Manager
// obtains a certificate for each custom domain from an ACME certificate
// authority (RFC 8555: Let's Encrypt, or Pebble in tests) through the
// lego client library, answers the CA's HTTP-01 or TLS-ALPN-01
// challenges on the router's own ports, stores each certificate and key
// under the state root, renews them well before they expire and picks
// the right one for each TLS handshake by its server name (SNI).
//
// Names it has no certificate for, such as APP.shibafu.localhost, get a
// self-signed certificate for *.DOMAIN, made once, so that HTTPS works
// with no CA at all (a browser warns about it; curl needs -k).
//
// On disk, under Dir (ROOT/certs):
//
//	account.key           the ACME account's key (ECDSA P-256), 0600
//	fallback/cert.pem     the self-signed certificate, and key.pem, 0600
//	live/NAME/cert.pem    NAME's certificate chain, and key.pem, 0600
//
// The lesson is docs/plan/08-paas-tls.md.
package certs
