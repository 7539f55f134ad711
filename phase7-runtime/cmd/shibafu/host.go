package main

import (
	"crypto/tls"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"shibafu.dev/phase7-runtime/client"
)

// tlsFlags are the flags of a daemon on TCP: the CA that signed its
// certificate, and this client's certificate and key. They default to
// ca.pem, cert.pem and key.pem in $SHIBAFU_CERT_PATH, as docker's do in
// $DOCKER_CERT_PATH.
type tlsFlags struct {
	ca, cert, key string
	config        *tls.Config
}

func (f *tlsFlags) register(root *cobra.Command) {
	var ca, cert, key string
	if dir := os.Getenv("SHIBAFU_CERT_PATH"); dir != "" {
		ca, cert, key = filepath.Join(dir, "ca.pem"), filepath.Join(dir, "cert.pem"),
			filepath.Join(dir, "key.pem")
	}
	pf := root.PersistentFlags()
	pf.StringVar(&f.ca, "tlscacert", ca, "CA of the daemon's certificate, for tcp://")
	pf.StringVar(&f.cert, "tlscert", cert, "this client's certificate, for tcp://")
	pf.StringVar(&f.key, "tlskey", key, "this client's key, for tcp://")
	root.PersistentPreRunE = func(cmd *cobra.Command, args []string) error {
		return f.load(cmd.Flag("host").Value.String())
	}
}

// load reads the certificates when host is a tcp:// address.
func (f *tlsFlags) load(host string) error {
	if !strings.HasPrefix(host, "tcp://") {
		return nil
	}
	if f.ca == "" {
		return fmt.Errorf("--host %s: give --tlscacert (and --tlscert, --tlskey)"+
			" or set $SHIBAFU_CERT_PATH", host)
	}
	cfg, err := client.TLSConfig(f.ca, f.cert, f.key)
	if err != nil {
		return err
	}
	f.config = cfg
	return nil
}

// client returns a client for host: a socket path, unix:///PATH, or
// tcp://HOST:PORT.
func (f *tlsFlags) client(host string) *client.Client {
	if addr, ok := strings.CutPrefix(host, "tcp://"); ok {
		return &client.Client{TCP: addr, TLS: f.config}
	}
	return &client.Client{Socket: strings.TrimPrefix(host, "unix://")}
}
