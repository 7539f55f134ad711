// Package cli holds the conventions every Shibafu command shares, so that
// they behave alike: a command that runs a container exits with the
// container's exit code, and a command's own failure prints
// "NAME: error" and exits 125, as docker's do, so that the two can be
// told apart.
package cli

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"
)

// ErrorExit is the exit code of a command's own failure.
const ErrorExit = 125

// ExitError carries a container's exit code out of a command. Main exits
// with Code and prints nothing: the container's output already said what
// happened.
type ExitError struct{ Code int }

func (e ExitError) Error() string { return fmt.Sprintf("exited with code %d", e.Code) }

// Exit turns a container's exit code into a command's result: nil for 0,
// an ExitError otherwise.
func Exit(code int) error {
	if code == 0 {
		return nil
	}
	return ExitError{Code: code}
}

// Main runs the root command and exits the process as described above.
func Main(root *cobra.Command) {
	err := root.Execute()
	var exit ExitError
	if errors.As(err, &exit) {
		os.Exit(exit.Code)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", root.Name(), err)
		os.Exit(ErrorExit)
	}
	os.Exit(0)
}
