// Package proxy is Shibafu's user-space load balancer: an HTTP reverse
// proxy and a TCP proxy that spread connections over pools of backends.
//
// Where package portmap asks the kernel to rewrite packets (one DNAT rule
// to one container), this package accepts each connection itself, so it
// can choose among many backends and see what it carries:
//
//   - A Frontend listens on an address. An HTTP frontend routes each
//     request by its Host header and path prefix to a pool (layer 7); a
//     TCP frontend hands whole connections to one pool (layer 4).
//   - A Pool balances by round-robin or least-connections over backends
//     that are up. Active health checks (an HTTP GET or a TCP connect,
//     with rise and fall thresholds as in haproxy) and passive failure
//     detection (max_fails and fail_timeout as in nginx) decide which are.
//   - Pool.Set swaps a pool's backends in one atomic step: requests under
//     way finish on the old backends, which drain, while new ones go to
//     the new. Later phases move traffic this way (blue-green), through
//     the Go API or the admin HTTP API of the Server.
//   - A running Server changes without a restart (live.go): AddPool and
//     RemovePool start and retire whole pools, and SetRoutes replaces an
//     HTTP frontend's route table. The table is immutable and swapped
//     through an atomic pointer, so each request reads it once and sees
//     the old routes or the new ones; a pool is removed only when no
//     route uses it, and drains. An HTTP frontend may start with no
//     routes at all and answer 404 until it gets some: phase 8 starts
//     its router this way and routes each app's host as it deploys.
//   - An HTTP frontend with FrontendConfig.TLS is an HTTPS one: it
//     terminates TLS (choosing the certificate by SNI if the tls.Config
//     says so) and then serves the decrypted connection like any other,
//     with X-Forwarded-Proto: https.
//   - A Route's Headers are set on every response of its backends, on
//     both paths: phase 8 sends Strict-Transport-Security this way.
//
// The HTTP side has three paths, each handing what it leaves alone to
// the next. Plain HTTP/1.1 requests without a body are served by event
// loops (loop.go), one per CPU with an epoll set each, as in nginx: they
// parse each request head in the read buffer, pass it over a keep-alive
// connection from the loop's pool to the backend, and copy the answer
// back with its framing kept, never blocking. Requests with a body,
// requests to a backend given by host name (a lookup would block), and
// every request of an HTTPS frontend take a goroutine per connection
// (fastpath.go) that does the same with blocking reads and writes.
// Everything else (WebSocket upgrades, Expect: 100-continue, HTTP/1.0,
// unusual targets, huge heads) is handed with its connection to
// net/http/httputil's ReverseProxy, with a RoundTripper that picks the
// backend, a pooled Transport and a buffer pool. The package does not
// log: a Server reports each request, on any path, with the pool and
// backend it went to, to its AccessLog function, if any.
package proxy
