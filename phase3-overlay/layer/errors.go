package layer

import "errors"

// The error categories of this package; test for them with errors.Is.
var (
	// ErrUnsafePath means a tar entry's name or link target is absolute,
	// climbs out with "..", or reaches outside the target through a
	// symbolic link.
	ErrUnsafePath = errors.New("unsafe path in layer")
	// ErrDevice means a layer holds a device node and Options.Devices
	// is not set.
	ErrDevice = errors.New("device node in layer")
	// ErrUnsupported means an entry type or compression this package
	// does not handle.
	ErrUnsupported = errors.New("unsupported layer content")
)
