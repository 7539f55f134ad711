package layer

import (
	"fmt"
	"path"
	"strings"
)

// cleanName turns a tar entry name into a relative, clean path inside
// the target, or refuses it. Tar writers commonly prefix names with "./"
// and end directories with "/", which is fine; an absolute name, a ".."
// component anywhere, or a NUL byte is not. The target itself is ".".
func cleanName(name string) (string, error) {
	if name == "" || strings.ContainsRune(name, 0) {
		return "", fmt.Errorf("%w: %q: empty or holds a NUL byte", ErrUnsafePath, name)
	}
	if strings.HasPrefix(name, "/") {
		return "", fmt.Errorf("%w: %q: absolute path", ErrUnsafePath, name)
	}
	for _, part := range strings.Split(name, "/") {
		if part == ".." {
			return "", fmt.Errorf("%w: %q: a .. component climbs out of the target", ErrUnsafePath, name)
		}
	}
	return path.Clean(name), nil
}

// Whiteout names (image-spec "layer.md", Whiteouts).
const (
	// WhiteoutPrefix marks a deleted entry: .wh.NAME deletes NAME.
	WhiteoutPrefix = ".wh."
	// WhiteoutMeta prefixes names reserved for whiteout bookkeeping;
	// apart from WhiteoutOpaque they carry nothing and are skipped.
	WhiteoutMeta = WhiteoutPrefix + WhiteoutPrefix
	// WhiteoutOpaque in a directory hides every entry that lower layers
	// have in it.
	WhiteoutOpaque = WhiteoutMeta + ".opq"
)

// The markers overlayfs itself uses for the same two ideas.
const (
	// OverlayOpaqueXattr set to "y" on a directory of an upper or lower
	// layer hides the same directory in the layers below it.
	OverlayOpaqueXattr = "trusted.overlay.opaque"
	// overlayXattrPrefix names the attributes overlayfs reserves; a
	// layer may not set them, or it could forge opaque directories.
	overlayXattrPrefix = "trusted.overlay."
)
