package bundle

import (
	"fmt"
	"strconv"
	"strings"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// ParseSize parses a size such as "64m", "1g", "512k" or "1048576" (bytes)
// with binary units, as docker's --memory flag does.
func ParseSize(s string) (int64, error) {
	units := map[byte]int64{'b': 1, 'k': 1 << 10, 'm': 1 << 20, 'g': 1 << 30}
	num := strings.ToLower(strings.TrimSpace(s))
	mult := int64(1)
	if n := len(num); n > 0 {
		if u, ok := units[num[n-1]]; ok {
			mult, num = u, num[:n-1]
		}
	}
	v, err := strconv.ParseInt(num, 10, 64)
	if err != nil || v < 0 || v > (1<<62)/mult {
		return 0, fmt.Errorf("size %q: want a number of bytes with an optional k, m or g suffix", s)
	}
	return v * mult, nil
}

// ParseUser parses "UID" or "UID:GID" as numbers. Names are not looked up:
// they would have to be resolved in the container's /etc/passwd.
func ParseUser(s string) (uid, gid uint32, err error) {
	u, g, hasGID := strings.Cut(s, ":")
	uid64, err := strconv.ParseUint(u, 10, 32)
	if err != nil {
		return 0, 0, fmt.Errorf("user %q: want UID or UID:GID as numbers", s)
	}
	gid64 := uid64
	if hasGID {
		if gid64, err = strconv.ParseUint(g, 10, 32); err != nil {
			return 0, 0, fmt.Errorf("user %q: want UID or UID:GID as numbers", s)
		}
	}
	return uint32(uid64), uint32(gid64), nil
}

// ParseRlimit parses "nofile=SOFT:HARD" or "nofile=N" (soft and hard
// equal), as docker's --ulimit flag does.
func ParseRlimit(s string) (specs.POSIXRlimit, error) {
	name, limits, ok := strings.Cut(s, "=")
	if !ok || name == "" {
		return specs.POSIXRlimit{}, fmt.Errorf("ulimit %q: want NAME=SOFT[:HARD]", s)
	}
	softS, hardS, hasHard := strings.Cut(limits, ":")
	if !hasHard {
		hardS = softS
	}
	soft, err1 := strconv.ParseUint(softS, 10, 64)
	hard, err2 := strconv.ParseUint(hardS, 10, 64)
	if err1 != nil || err2 != nil {
		return specs.POSIXRlimit{}, fmt.Errorf("ulimit %q: limits must be numbers", s)
	}
	return specs.POSIXRlimit{
		Type: "RLIMIT_" + strings.ToUpper(name),
		Soft: soft,
		Hard: hard,
	}, nil
}
