package nettest

import (
	"io"
	"net"
	"strings"
	"time"
)

// ServeSource answers every connection to l with the address it came
// from, then closes it: a server that shows whether a connection was
// masqueraded.
func ServeSource(l net.Listener) {
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			io.WriteString(c, c.RemoteAddr().String()+"\n")
			c.Close()
		}
	}()
}

// AskSource connects to a ServeSource server from the namespace at path
// and returns the source address, without port, that the server saw.
func AskSource(path, addr string) (string, error) {
	c, err := Dial(path, addr, 2*time.Second)
	if err != nil {
		return "", err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(2 * time.Second))
	data, err := io.ReadAll(c)
	if err != nil {
		return "", err
	}
	host, _, err := net.SplitHostPort(strings.TrimSpace(string(data)))
	return host, err
}
