package daemon

import "errors"

// undo is the rollback of a sequence of steps: each step that succeeds
// pushes the function that reverses it, and if a later step fails, run
// calls them newest first. It is the containerd and runc pattern of one
// deferred rollback driven by the function's named error.
type undo []func() error

// push records how to reverse the step just done.
func (u *undo) push(fn func() error) { *u = append(*u, fn) }

// run reverses every recorded step and returns what failed.
func (u *undo) run() error {
	var errs []error
	for i := len(*u) - 1; i >= 0; i-- {
		errs = append(errs, (*u)[i]())
	}
	*u = nil
	return errors.Join(errs...)
}
