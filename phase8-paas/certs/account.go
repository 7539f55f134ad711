package certs

import (
	"context"
	"crypto"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"path/filepath"
	"time"

	"github.com/go-acme/lego/v5/acme"
	"github.com/go-acme/lego/v5/lego"
	"github.com/go-acme/lego/v5/registration"
)

// DirectoryURL turns the name of a well-known CA ("letsencrypt",
// "letsencrypt-staging") into its ACME directory URL; any other value
// is taken as a URL.
func DirectoryURL(name string) string {
	switch name {
	case "letsencrypt":
		return lego.DirectoryURLLetsEncrypt
	case "letsencrypt-staging":
		return lego.DirectoryURLLetsEncryptStaging
	}
	return name
}

// account is the PaaS's ACME account (RFC 8555 section 7.3): a key,
// made once and kept, that signs every request to the CA, and the
// account URL the CA gave it. It is lego's registration.User.
type account struct {
	email string
	key   crypto.Signer
	reg   *acme.ExtendedAccount
}

var _ registration.User = (*account)(nil)

func (a *account) GetEmail() string                       { return a.email }
func (a *account) GetRegistration() *acme.ExtendedAccount { return a.reg }
func (a *account) GetPrivateKey() crypto.Signer           { return a.key }

// httpClient returns the client that talks to the CA, trusting roots
// (nil: the system's).
func httpClient(roots *x509.CertPool) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{RootCAs: roots}
	return &http.Client{Timeout: time.Minute, Transport: tr}
}

// newClient loads (or makes) the account key, registers the account
// with the CA, agreeing to its terms, and returns a lego client acting
// for it. Registering an existing key again only returns its account
// (RFC 8555 section 7.3.1), so the key alone is enough to keep.
func (m *Manager) newClient(ctx context.Context) (*lego.Client, error) {
	key, err := loadOrCreateKey(filepath.Join(m.Dir, "account.key"))
	if err != nil {
		return nil, fmt.Errorf("acme account: %w", err)
	}
	acct := &account{email: m.Email, key: key}
	cfg := lego.NewConfig(acct)
	cfg.CADirURL = m.DirectoryURL
	cfg.UserAgent = "shibafu-paas"
	cfg.HTTPClient = httpClient(m.CARoots)
	client, err := lego.NewClient(cfg)
	if err != nil {
		return nil, fmt.Errorf("acme directory %s: %w", m.DirectoryURL, err)
	}
	acct.reg, err = client.Registration.Register(ctx,
		registration.RegisterOptions{TermsOfServiceAgreed: true})
	if err != nil {
		return nil, fmt.Errorf("acme account: %w", err)
	}
	if err := m.setSolvers(client); err != nil {
		return nil, err
	}
	return client, nil
}
