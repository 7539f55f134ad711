package rootfs

import (
	"bytes"
	"debug/elf"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// DefaultBusybox is where Debian's busybox-static package installs its
// binary.
const DefaultBusybox = "/bin/busybox"

// baseDirs are the directories every root filesystem made here has, with
// their modes. runc mounts proc, sys and dev over the first three.
var baseDirs = []struct {
	path string
	mode os.FileMode
}{
	{"proc", 0o555}, {"sys", 0o555}, {"dev", 0o755},
	{"bin", 0o755}, {"sbin", 0o755}, {"usr/bin", 0o755}, {"usr/sbin", 0o755},
	{"etc", 0o755}, {"root", 0o700}, {"home", 0o755}, {"var/www", 0o755},
	{"tmp", os.ModeSticky | 0o777}, {"var/tmp", os.ModeSticky | 0o777}, {"run", 0o755},
}

// baseFiles give the root filesystem users and groups, so that a process
// can run as "nobody" and tools such as id and ps show names.
var baseFiles = map[string]string{
	"etc/passwd": "root:x:0:0:root:/root:/bin/sh\n" +
		"nobody:x:65534:65534:nobody:/home:/bin/false\n",
	"etc/group":    "root:x:0:\nnobody:x:65534:\n",
	"etc/hostname": "shibafu\n",
	"etc/hosts":    "127.0.0.1\tlocalhost\n::1\tlocalhost\n",
}

// Busybox builds a minimal root filesystem in dst from a statically linked
// busybox binary: the binary itself in /bin and a symbolic link for every
// applet it contains (sh, ls, wget, httpd, ...), plus the base directories
// and files above. An empty busybox path means DefaultBusybox.
//
// The binary must be static: the root filesystem holds no C library for a
// dynamic one to load.
func Busybox(busybox, dst string) error {
	if busybox == "" {
		busybox = DefaultBusybox
	}
	if err := checkStatic(busybox); err != nil {
		return err
	}
	applets, err := listApplets(busybox)
	if err != nil {
		return err
	}
	if err := makeBase(dst); err != nil {
		return err
	}

	if err := copyFile(busybox, filepath.Join(dst, "bin/busybox"), 0o755); err != nil {
		return fmt.Errorf("copy busybox: %w", err)
	}
	for _, applet := range applets {
		if err := linkApplet(dst, applet); err != nil {
			return err
		}
	}
	return nil
}

// checkStatic refuses a busybox that needs a dynamic loader.
func checkStatic(path string) error {
	f, err := elf.Open(path)
	if err != nil {
		return fmt.Errorf("busybox %s: %w (install busybox-static)", path, err)
	}
	defer f.Close()
	for _, prog := range f.Progs {
		if prog.Type == elf.PT_INTERP {
			return fmt.Errorf("busybox %s is dynamically linked: install busybox-static", path)
		}
	}
	return nil
}

// listApplets asks busybox for the install path of each applet it
// contains, such as "bin/sh" or "usr/bin/wget".
func listApplets(busybox string) ([]string, error) {
	out, err := exec.Command(busybox, "--list-full").Output()
	if err != nil {
		return nil, fmt.Errorf("list busybox applets: %w", err)
	}
	var applets []string
	for _, line := range strings.Split(string(bytes.TrimSpace(out)), "\n") {
		if line == "" || line == "bin/busybox" {
			continue
		}
		applets = append(applets, line)
	}
	return applets, nil
}

// linkApplet makes dst/applet a symbolic link to /bin/busybox, which picks
// the applet to run from the name it was called by.
func linkApplet(dst, applet string) error {
	if filepath.IsAbs(applet) || strings.Contains(applet, "..") {
		return fmt.Errorf("busybox applet path %q is not a plain relative path", applet)
	}
	link := filepath.Join(dst, applet)
	if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
		return err
	}
	err := os.Symlink("/bin/busybox", link)
	if err != nil && !os.IsExist(err) {
		return fmt.Errorf("link applet %s: %w", applet, err)
	}
	return nil
}

// makeBase creates the base directories and files under dst. Existing
// files are kept, so a user's tree is never overwritten.
func makeBase(dst string) error {
	for _, d := range baseDirs {
		path := filepath.Join(dst, d.path)
		if err := os.MkdirAll(path, d.mode); err != nil {
			return err
		}
		// MkdirAll applies the umask; the sticky /tmp needs its exact mode.
		if err := os.Chmod(path, d.mode); err != nil {
			return err
		}
	}
	for name, content := range baseFiles {
		path := filepath.Join(dst, name)
		if _, err := os.Lstat(path); err == nil {
			continue
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			return err
		}
	}
	return nil
}
