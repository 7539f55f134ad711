package client

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"

	"shibafu.dev/phase7-runtime/api"
)

// stdinChunk is the most a stdin Frame carries.
const stdinChunk = 32 << 10

// ExecAttached runs a command in a running container with stdin as its
// input (`exec -i`), copies its output to stdout and stderr as it
// comes, and returns its exit code. The request upgrades its connection
// to api.ExecProtocol, on which stdin travels as Frames; the end of
// stdin closes the command's input. Cancelling ctx hangs up, which
// kills the command.
func (c *Client) ExecAttached(ctx context.Context, id string, req api.ExecRequest,
	stdin io.Reader, stdout, stderr io.Writer) (int, error) {
	req.Stdin = true
	body, err := json.Marshal(req)
	if err != nil {
		return 0, fmt.Errorf("encode request: %w", err)
	}
	conn, err := c.dial(ctx)
	if err != nil {
		return 0, c.dialError(err)
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()

	hreq, err := http.NewRequest(http.MethodPost, "http://shibafud"+api.Version+
		"/containers/"+url.PathEscape(id)+"/exec", bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	hreq.Header.Set("Content-Type", "application/json")
	hreq.Header.Set("Connection", "Upgrade")
	hreq.Header.Set("Upgrade", api.ExecProtocol)
	if err := hreq.Write(conn); err != nil {
		return 0, fmt.Errorf("exec: send request: %w", err)
	}
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, hreq)
	if err != nil {
		return 0, fmt.Errorf("exec: read response: %w", err)
	}
	if resp.StatusCode != http.StatusSwitchingProtocols {
		defer resp.Body.Close()
		return 0, responseError(resp)
	}

	go sendStdin(conn, stdin)
	exit, err := copyFrames(br, stdout, stderr)
	if err != nil {
		return 0, err
	}
	if exit == nil {
		return 0, errors.New("exec: the daemon did not report an exit code")
	}
	return *exit, nil
}

// sendStdin sends what r yields as stdin Frames on conn, then the Frame
// without data that ends the input.
func sendStdin(conn net.Conn, r io.Reader) {
	enc := json.NewEncoder(conn)
	buf := make([]byte, stdinChunk)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			if enc.Encode(api.Frame{Stream: api.Stdin, Data: buf[:n]}) != nil {
				return
			}
		}
		if err != nil {
			enc.Encode(api.Frame{Stream: api.Stdin})
			return
		}
	}
}
