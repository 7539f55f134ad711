package api

import "time"

// The states of a domain's certificate.
const (
	// CertNone: TLS or ACME is off; HTTPS, if on, shows the self-signed
	// certificate.
	CertNone = "none"
	// CertSelfSigned: the app's default host, under the self-signed
	// certificate for *.DOMAIN.
	CertSelfSigned = "self-signed"
	// CertPending: an order with the ACME CA is under way.
	CertPending = "pending"
	// CertIssued: a certificate from the CA serves the name.
	CertIssued = "issued"
	// CertFailed: the last order failed; see Problem and Error. A
	// certificate issued before, if any, still serves.
	CertFailed = "failed"
)

// Domain is one host name an app is served at, with the state of its
// TLS certificate: the answer of GET /v1/apps/{app}/domains.
type Domain struct {
	Name string `json:"name"`
	// Default is true for APP.DOMAIN, the name every app has.
	Default bool `json:"default,omitempty"`
	// Status is one of the Cert constants.
	Status string `json:"status"`
	// Issuer, NotAfter and Serial describe the certificate that serves.
	Issuer   string    `json:"issuer,omitempty"`
	NotAfter time.Time `json:"notAfter,omitzero"`
	Serial   string    `json:"serial,omitempty"`
	// Next is when the certificate is renewed, or the next try after a
	// failure.
	Next time.Time `json:"next,omitzero"`
	// Problem is the ACME problem type of the last failure, such as
	// urn:ietf:params:acme:error:connection (RFC 8555 section 6.7), and
	// Error the whole message.
	Problem string `json:"problem,omitempty"`
	Error   string `json:"error,omitempty"`
}

// TLSSettings are an app's HTTPS options, off by default: the body of
// PUT /v1/apps/{app}/tls.
type TLSSettings struct {
	// Redirect answers plain HTTP requests with 308 Permanent Redirect
	// to the same URL over HTTPS (ACME challenges excepted).
	Redirect bool `json:"redirect"`
	// HSTS adds Strict-Transport-Security to HTTPS answers, telling
	// browsers to use HTTPS only for a year (RFC 6797).
	HSTS bool `json:"hsts"`
}
