package client

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"time"
)

// dialTimeout bounds how long connecting to the daemon may take.
const dialTimeout = 5 * time.Second

// dial connects to the daemon: to its unix socket, or with TLS to its
// TCP address. Requests go through httpClient, which dials this way too;
// exec with stdin dials itself, to keep the connection once it is
// upgraded.
func (c *Client) dial(ctx context.Context) (net.Conn, error) {
	d := &net.Dialer{Timeout: dialTimeout}
	if c.TCP == "" {
		return d.DialContext(ctx, "unix", c.socket())
	}
	if c.TLS == nil {
		return nil, errors.New("no TLS configuration for tcp://" + c.TCP +
			": give --tlscacert, --tlscert and --tlskey")
	}
	td := &tls.Dialer{NetDialer: d, Config: c.TLS}
	return td.DialContext(ctx, "tcp", c.TCP)
}

// where names the daemon's address in messages.
func (c *Client) where() string {
	if c.TCP != "" {
		return "tcp://" + c.TCP
	}
	return c.socket()
}
