package main

import (
	"os"

	"github.com/spf13/cobra"
	"golang.org/x/sys/unix"

	"shibafu.dev/phase0-runc/cli"
	"shibafu.dev/phase7-runtime/api"
)

func newExecCmd(g *globals) *cobra.Command {
	var req api.ExecRequest
	cmd := &cobra.Command{
		Use:   "exec [flags] CONTAINER COMMAND [ARG...]",
		Short: "Run a command in a running container",
		Long: `exec runs a command in a running container, shows its output and exits
with its exit code.

-i gives it this command's standard input. -t runs it on a terminal in
the container (its output, stderr too, comes back as one stream, with
the terminal's line endings); with -i on a terminal here, this terminal
is put in raw mode, so that keys such as ^C reach the command. Without
a terminal here, the end of the input is typed to it as ^D.`,
		Args: cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			req.Cmd = args[1:]
			if req.TTY {
				req.Width, req.Height = terminalSize(int(os.Stdout.Fd()))
			}
			c := g.client()
			var code int
			var err error
			if req.Stdin {
				if req.TTY {
					if restore, err := makeRaw(int(os.Stdin.Fd())); err == nil {
						defer restore()
					}
				}
				code, err = c.ExecAttached(cmd.Context(), args[0], req, os.Stdin, os.Stdout,
					os.Stderr)
			} else {
				code, err = c.Exec(cmd.Context(), args[0], req, os.Stdout, os.Stderr)
			}
			if err != nil {
				return err
			}
			return cli.Exit(code)
		},
	}
	cmd.Flags().SetInterspersed(false)
	cmd.Flags().StringArrayVarP(&req.Env, "env", "e", nil, "set an environment variable")
	cmd.Flags().StringVarP(&req.WorkingDir, "workdir", "w", "", "working directory")
	cmd.Flags().StringVarP(&req.User, "user", "u", "", "user as UID or UID:GID")
	cmd.Flags().BoolVarP(&req.Stdin, "interactive", "i", false, "pass standard input on")
	cmd.Flags().BoolVarP(&req.TTY, "tty", "t", false, "run the command on a terminal")
	return cmd
}

// terminalSize returns the size of the terminal at fd, zeros if fd is
// not a terminal.
func terminalSize(fd int) (width, height uint16) {
	ws, err := unix.IoctlGetWinsize(fd, unix.TIOCGWINSZ)
	if err != nil {
		return 0, 0
	}
	return ws.Col, ws.Row
}

// makeRaw puts the terminal at fd in raw mode, as cfmakeraw(3) does:
// no echo, no line editing, no signals from keys, bytes passed as they
// are. It fails if fd is not a terminal. restore puts it back.
func makeRaw(fd int) (restore func(), err error) {
	old, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	if err != nil {
		return nil, err
	}
	raw := *old
	raw.Iflag &^= unix.IGNBRK | unix.BRKINT | unix.PARMRK | unix.ISTRIP | unix.INLCR |
		unix.IGNCR | unix.ICRNL | unix.IXON
	raw.Oflag &^= unix.OPOST
	raw.Lflag &^= unix.ECHO | unix.ECHONL | unix.ICANON | unix.ISIG | unix.IEXTEN
	raw.Cflag &^= unix.CSIZE | unix.PARENB
	raw.Cflag |= unix.CS8
	raw.Cc[unix.VMIN], raw.Cc[unix.VTIME] = 1, 0
	if err := unix.IoctlSetTermios(fd, unix.TCSETS, &raw); err != nil {
		return nil, err
	}
	return func() { unix.IoctlSetTermios(fd, unix.TCSETS, old) }, nil
}
