package container

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/opencontainers/runc/libcontainer"
	"golang.org/x/sys/unix"
)

// drainWait bounds how long Exec copies a terminal's output after its
// process has exited: a process it left in the background may hold the
// terminal open for ever.
const drainWait = 2 * time.Second

// eot is the byte a terminal in canonical mode reads as the end of
// input (^D): closing the writer's side does not end a terminal's input,
// so Exec types it when the caller's stdin ends.
const eot = 0x04

// console is the pseudo-terminal of an exec'd process, as `runc exec
// -t --console-socket` makes it: libcontainer opens /dev/ptmx inside
// the container, makes the new pts the process's stdin, stdout and
// stderr, and sends the master end back over a unix socket
// (SCM_RIGHTS). The caller reads and writes the master.
type console struct {
	parent, child *os.File
	received      chan error
	master        *os.File
	copied        chan struct{}
}

// newConsole makes the socket pair for p's terminal and starts waiting
// for the master end.
func newConsole(p *libcontainer.Process, opts ExecOptions) (*console, error) {
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("console socket: %w", err)
	}
	c := &console{
		parent:   os.NewFile(uintptr(fds[0]), "console-parent"),
		child:    os.NewFile(uintptr(fds[1]), "console-child"),
		received: make(chan error, 1),
	}
	p.ConsoleSocket = c.child
	p.ConsoleWidth, p.ConsoleHeight = opts.Width, opts.Height
	go func() {
		master, err := receiveFile(c.parent)
		c.master = master
		c.received <- err
	}()
	return c, nil
}

// attach waits for the master end, once the process has started, and
// starts copying stdio.Stdin to it and its output to stdio.Stdout.
func (c *console) attach(stdio Stdio) error {
	c.child.Close() // the process has its copy now
	if err := <-c.received; err != nil {
		return fmt.Errorf("receive terminal: %w", err)
	}
	if stdio.Stdin != nil {
		go func() {
			if _, err := io.Copy(c.master, stdio.Stdin); err == nil {
				c.master.Write([]byte{eot})
			}
		}()
	}
	c.copied = make(chan struct{})
	out := stdio.Stdout
	if out == nil {
		out = io.Discard
	}
	go func() {
		defer close(c.copied)
		// The read ends with EIO once every process has closed the
		// terminal: that is its end of file.
		io.Copy(out, c.master)
	}()
	return nil
}

// drain waits, for a little while, for the output of the terminal to
// be copied to its end.
func (c *console) drain() {
	select {
	case <-c.copied:
	case <-time.After(drainWait):
	}
}

// close releases the sockets and the master end, which ends the copies.
func (c *console) close() {
	c.parent.Close()
	c.child.Close()
	if c.copied != nil {
		c.master.Close()
		<-c.copied
	}
}

// receiveFile receives one file descriptor sent over socket with
// SCM_RIGHTS (unix(7)), as runc's console socket protocol sends the
// terminal's master end with the name of its pts as the message. The
// descriptor is made non-blocking, so that closing the file ends a read
// in progress.
func receiveFile(socket *os.File) (*os.File, error) {
	name := make([]byte, 4096)
	oob := make([]byte, unix.CmsgSpace(4))
	n, oobn, _, _, err := unix.Recvmsg(int(socket.Fd()), name, oob, 0)
	if err != nil {
		return nil, err
	}
	msgs, err := unix.ParseSocketControlMessage(oob[:oobn])
	if err != nil || len(msgs) != 1 {
		return nil, errors.New("no file descriptor received")
	}
	fds, err := unix.ParseUnixRights(&msgs[0])
	if err != nil || len(fds) != 1 {
		return nil, errors.New("no file descriptor received")
	}
	if err := unix.SetNonblock(fds[0], true); err != nil {
		unix.Close(fds[0])
		return nil, err
	}
	return os.NewFile(uintptr(fds[0]), string(name[:n])), nil
}
