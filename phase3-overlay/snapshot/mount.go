package snapshot

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"
)

// maxMountData is the most mount(2) accepts as its options string: one
// page. Each lower directory costs about 90 bytes here, so an image of
// some 40 layers is the limit (see the lesson's Limits).
const maxMountData = 4096

// overlayOptions builds the options of an overlay mount. Lower
// directories are listed topmost first: the first one wins where
// several hold the same path.
//
//   - index=off and metacopy=off keep the upper directory a plain tree
//     of whole files, so Diff can read it as a layer.
//   - redirect_dir=off makes renaming a lower directory copy it up whole
//     instead of leaving a redirect attribute no layer format can carry.
func overlayOptions(lowers []string, upper, work string) (string, error) {
	top := make([]string, len(lowers))
	for i, l := range lowers {
		top[len(lowers)-1-i] = l
	}
	data := fmt.Sprintf("lowerdir=%s,upperdir=%s,workdir=%s,index=off,metacopy=off,redirect_dir=off",
		strings.Join(top, ":"), upper, work)
	if len(data) >= maxMountData {
		return "", fmt.Errorf("overlay options are %d bytes, over the %d mount(2) accepts: "+
			"too many layers (%d)", len(data), maxMountData, len(lowers))
	}
	return data, nil
}

// mountOverlay is `mount -t overlay overlay -o DATA TARGET`.
func mountOverlay(target, data string) error {
	if err := unix.Mount("overlay", target, "overlay", 0, data); err != nil {
		return fmt.Errorf("mount overlay on %s: %w", target, err)
	}
	return nil
}

// unmount is `umount TARGET`; a target that is not mounted is fine.
func unmount(target string) error {
	err := unix.Unmount(target, 0)
	if errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOENT) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("unmount %s: %w", target, err)
	}
	return nil
}

// isMountpoint reports whether something is mounted on dir: a mount
// point lies on another device than its parent directory.
func isMountpoint(dir string) bool {
	var st, parent unix.Stat_t
	if unix.Lstat(dir, &st) != nil || unix.Lstat(filepath.Dir(dir), &parent) != nil {
		return false
	}
	return st.Dev != parent.Dev
}

// isNotEmpty reports whether err is rename(2) refusing to replace a
// non-empty directory.
func isNotEmpty(err error) bool {
	var le *os.LinkError
	return errors.As(err, &le) && errors.Is(le.Err, unix.ENOTEMPTY)
}
