package dns

import (
	"errors"
	"net"
	"slices"
	"sync"

	"github.com/miekg/dns"
	"golang.org/x/net/ipv4"
	"golang.org/x/net/ipv6"
)

// udpWorkers is how many goroutines read each UDP socket. A worker
// only answers what takes a microsecond or two (zone names and cached
// answers) and hands queries that must wait on an upstream to a
// goroutine of their own (see answer). Two are enough: while one is in
// the kernel, reading or sending a batch, the other answers its own;
// more would only take turns at the socket, which admits one reader at a
// time, and park and wake for nothing.
const udpWorkers = 2

// batchSize is how many datagrams a worker reads with one recvmmsg(2)
// call and answers with one sendmmsg(2) call. Under load a socket's
// queue holds many queries at once, and two system calls per batch
// instead of two per query save much of the cost of entering the
// kernel; when the queue holds a single query, the batch is that one.
const batchSize = 32

// headerSize is the size of a DNS message header (RFC 1035 section 4.1.1).
const headerSize = 12

// udpServer answers the queries arriving on one UDP socket.
//
// It plays the part of miekg/dns's Server for UDP, for speed: that one
// reads one packet per system call, and starts a goroutine and
// allocates a new message, a response writer and an output buffer for
// every packet; at a hundred thousand packets a second that work and
// the garbage it leaves cost more than answering. Here a fixed set of
// workers each read a batch of packets at once, answer them with
// buffers they use again for every batch, and send the answers at once.
type udpServer struct {
	conn *net.UDPConn
	// mmsg reads and writes conn a batch at a time. recvmmsg and
	// sendmmsg work the same on sockets of both families, so the ipv4
	// package serves IPv6 sockets too. (On a dual-stack socket it gives
	// sendmmsg an IPv4 client's address as AF_INET, which Linux takes.)
	mmsg    *ipv4.PacketConn
	handler dns.Handler
	// waiting bounds the queries handed off to wait on an upstream; see
	// handOff.
	waiting chan struct{}
	// wildcard is set when conn is bound to 0.0.0.0 or [::]: see
	// replySource.
	wildcard bool
	wg       sync.WaitGroup
}

// serveUDP starts the workers of a udpServer on conn.
func serveUDP(conn *net.UDPConn, h dns.Handler) *udpServer {
	ap := conn.LocalAddr().(*net.UDPAddr).AddrPort()
	s := &udpServer{conn: conn, mmsg: ipv4.NewPacketConn(conn), handler: h,
		wildcard: ap.Addr().IsUnspecified(), waiting: make(chan struct{}, maxWaiting)}
	for range udpWorkers {
		s.wg.Go(s.work)
	}
	return s
}

// close closes the socket and waits for the workers to finish the
// queries they are answering.
func (s *udpServer) close() error {
	err := s.conn.Close()
	s.wg.Wait()
	return err
}

// batch is one worker's buffers: the datagrams it reads, a writer for
// each, and the responses it sends, all used again for every batch.
type batch struct {
	in      []ipv4.Message
	writers []udpWriter
	out     []ipv4.Message
}

func (s *udpServer) newBatch() *batch {
	b := &batch{in: make([]ipv4.Message, batchSize), writers: make([]udpWriter, batchSize),
		out: make([]ipv4.Message, 0, batchSize)}
	for i := range b.in {
		b.in[i].Buffers = [][]byte{make([]byte, MaxUDPSize)}
		if s.wildcard {
			b.in[i].OOB = make([]byte, 128)
		}
		w := &b.writers[i]
		w.server, w.local, w.held = s, s.conn.LocalAddr(), true
	}
	return b
}

// work reads, answers and sends batches of queries until the socket is
// closed. Several workers read the same socket: each packet goes to one
// of them.
func (s *udpServer) work() {
	b := s.newBatch()
	for {
		n, err := s.mmsg.ReadBatch(b.in, 0)
		if errors.Is(err, net.ErrClosed) {
			return
		}
		if err != nil {
			continue // a passing error, such as the kernel short of memory
		}
		s.send(b.answer(s, n))
	}
}

// answer answers the first n datagrams of b, read from s, and returns
// the responses to send. Packets that get no answer (see serve) and
// queries handed off to wait on an upstream have none in the batch.
func (b *batch) answer(s *udpServer, n int) []ipv4.Message {
	b.out = b.out[:0]
	for i, m := range b.in[:n] {
		from, ok := m.Addr.(*net.UDPAddr)
		if !ok {
			continue
		}
		w := &b.writers[i]
		w.reset(from.AddrPort())
		if s.wildcard {
			w.oob = replySource(m.OOB[:m.NN])
		}
		w.serve(s.handler, m.Buffers[0][:m.N])
		if w.reply != nil {
			b.out = append(b.out,
				ipv4.Message{Buffers: w.replies[:], OOB: w.oob, Addr: m.Addr})
		}
	}
	return b.out
}

// send sends the responses of a batch. sendmmsg may stop short of the
// end, and reports an error only when it sent nothing: the datagram it
// failed on is then dropped, as a network may drop any, and the rest
// still go.
func (s *udpServer) send(ms []ipv4.Message) {
	for len(ms) > 0 {
		n, err := s.mmsg.WriteBatch(ms, 0)
		if errors.Is(err, net.ErrClosed) {
			return
		}
		if err != nil {
			n = 1
		}
		ms = ms[n:]
	}
}

// receiveDestination asks the kernel to tell, with every packet read
// from conn, the address it was sent to (IP_PKTINFO, ip(7), and
// IPV6_RECVPKTINFO, ipv6(7)). A socket bound to 0.0.0.0 or [::] needs
// it to answer from that address: otherwise the kernel picks a source
// by the route to the client, and a client that asked 10.0.0.1 and gets
// an answer from 10.0.0.2 drops it. One of the two may fail on a socket
// of the other family.
func receiveDestination(conn *net.UDPConn) error {
	err4 := ipv4.NewPacketConn(conn).SetControlMessage(ipv4.FlagDst, true)
	err6 := ipv6.NewPacketConn(conn).SetControlMessage(ipv6.FlagDst, true)
	if err4 != nil && err6 != nil {
		return err4
	}
	return nil
}

// replySource turns the control message read with a query, which
// holds the address the query was sent to, into one that sends the
// response from that address (nil when it holds none).
func replySource(oob []byte) []byte {
	var cm6 ipv6.ControlMessage
	if cm6.Parse(oob) == nil && cm6.Dst != nil && cm6.Dst.To4() == nil {
		return (&ipv6.ControlMessage{Src: cm6.Dst}).Marshal()
	}
	var cm4 ipv4.ControlMessage
	if cm4.Parse(oob) == nil && cm4.Dst != nil {
		return (&ipv4.ControlMessage{Src: cm4.Dst}).Marshal()
	}
	if cm6.Dst != nil {
		return (&ipv4.ControlMessage{Src: cm6.Dst}).Marshal()
	}
	return nil
}

// maxWaiting is how many queries of one socket may wait on upstream
// servers at once. Past it, a query is answered SERVFAIL at once rather
// than queue: a dead upstream must not make the server hoard memory.
const maxWaiting = 1024

// localServer is a handler that can tell a query it answers at once
// from one that must wait on an upstream server (see Handler.ServeLocal).
type localServer interface {
	ServeLocal(w dns.ResponseWriter, req *dns.Msg) bool
}

// answer has h answer w.req. A query that must wait on an upstream
// server goes to a goroutine of its own, so that a worker only ever does
// work that takes microseconds: otherwise a few queries to a dead
// upstream would hold every worker of the socket, and names of the zone
// would wait behind them.
func (w *udpWriter) answer(h dns.Handler) {
	local, ok := h.(localServer)
	if !ok {
		h.ServeDNS(w, &w.req)
		return
	}
	if !local.ServeLocal(w, &w.req) {
		w.handOff(h)
	}
}

// handOff answers w.req with h in a new goroutine, on a copy of the
// writer: the worker reuses its own for the next packet.
func (w *udpWriter) handOff(h dns.Handler) {
	select {
	case w.server.waiting <- struct{}{}:
	default:
		resp := new(dns.Msg)
		resp.SetRcode(&w.req, dns.RcodeServerFailure)
		w.WriteMsg(resp)
		return
	}
	c := &udpWriter{server: w.server, local: w.local, remote: w.remote,
		oob: slices.Clone(w.oob)}
	w.req.CopyTo(&c.req)
	w.server.wg.Go(func() {
		defer func() { <-w.server.waiting }()
		h.ServeDNS(c, &c.req)
	})
}
