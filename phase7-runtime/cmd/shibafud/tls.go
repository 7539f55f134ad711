package main

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"shibafu.dev/phase7-runtime/server"
)

// tlsOptions are the flags of the TCP listener.
type tlsOptions struct {
	listen, ca, cert, key string
}

func (o *tlsOptions) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&o.listen, "tls-listen", "",
		"also serve the API on this TCP address, such as 127.0.0.1:2376, with TLS;"+
			" clients need a certificate signed by --tlscacert")
	f.StringVar(&o.ca, "tlscacert", "", "CA that signs the clients' certificates")
	f.StringVar(&o.cert, "tlscert", "", "the daemon's certificate")
	f.StringVar(&o.key, "tlskey", "", "the daemon's key")
}

// config checks the flags and loads the certificates; nil without
// --tls-listen.
func (o *tlsOptions) config() (*tls.Config, error) {
	if o.listen == "" {
		if o.ca != "" || o.cert != "" || o.key != "" {
			return nil, errors.New("--tlscacert, --tlscert and --tlskey need --tls-listen")
		}
		return nil, nil
	}
	if o.ca == "" || o.cert == "" || o.key == "" {
		return nil, errors.New("--tls-listen needs --tlscacert, --tlscert and --tlskey:" +
			" the API is never served on TCP without client certificates")
	}
	return server.TLSConfig(o.ca, o.cert, o.key)
}

// serveTLS serves handler on the TCP address with cfg until ctx ends or
// the returned server is closed; a failure goes to errc.
func serveTLS(ctx context.Context, addr string, cfg *tls.Config, handler http.Handler,
	errc chan<- error) (*http.Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	go func() { errc <- srv.Serve(tls.NewListener(ln, cfg)) }()
	return srv, nil
}
