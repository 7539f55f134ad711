package api

import (
	"fmt"
	"regexp"
	"strings"
)

// The grammar of names. An app's name becomes part of its containers'
// names (APP-PROCESS-vN-I), its DNS name and its host name under
// shibafu.localhost, so it is a short DNS label.
var (
	appName     = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)
	processName = regexp.MustCompile(`^[a-z][a-z0-9]*$`)
	envName     = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	domainLabel = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?$`)
)

// Limits on names and values.
const (
	MaxAppName     = 30
	MaxProcessName = 15
	MaxReplicas    = 20
	MaxEnvValue    = 32 << 10
)

// ValidateAppName checks an app's name.
func ValidateAppName(name string) error {
	if len(name) > MaxAppName || !appName.MatchString(name) {
		return WithCategory(ErrInvalid, fmt.Errorf("app name %q: want at most %d lowercase"+
			" letters, digits and inner dashes, starting with a letter", name, MaxAppName))
	}
	return nil
}

// ValidateProcessName checks a process type's name, such as "web".
func ValidateProcessName(name string) error {
	if len(name) > MaxProcessName || !processName.MatchString(name) {
		return WithCategory(ErrInvalid, fmt.Errorf("process type %q: want at most %d"+
			" lowercase letters and digits, starting with a letter", name, MaxProcessName))
	}
	return nil
}

// ValidateEnvName checks the name of a config var or secret. PORT and
// names starting SHIBAFU_ are the PaaS's own: it sets them itself.
func ValidateEnvName(name string) error {
	switch {
	case !envName.MatchString(name):
		return WithCategory(ErrInvalid, fmt.Errorf("config var name %q: want letters,"+
			" digits and underscores, not starting with a digit", name))
	case name == "PORT" || strings.HasPrefix(name, "SHIBAFU_"):
		return WithCategory(ErrInvalid, fmt.Errorf("config var name %q is set by the PaaS"+
			" itself", name))
	}
	return nil
}

// ValidateConfigChange checks every name and value of a change.
func ValidateConfigChange(change ConfigChange) error {
	if len(change) == 0 {
		return WithCategory(ErrInvalid, fmt.Errorf("no config var to set or unset"))
	}
	for name, value := range change {
		if err := ValidateEnvName(name); err != nil {
			return err
		}
		if value != nil && (len(*value) > MaxEnvValue || strings.ContainsRune(*value, 0)) {
			return WithCategory(ErrInvalid, fmt.Errorf("value of %s: want at most %d bytes"+
				" and no NUL byte", name, MaxEnvValue))
		}
	}
	return nil
}

// ValidateScale checks a scale request.
func ValidateScale(req ScaleRequest) error {
	if len(req) == 0 {
		return WithCategory(ErrInvalid, fmt.Errorf("no process type to scale"))
	}
	for name, n := range req {
		if err := ValidateProcessName(name); err != nil {
			return err
		}
		if n < 0 || n > MaxReplicas {
			return WithCategory(ErrInvalid, fmt.Errorf("scale %s=%d: want 0 to %d replicas",
				name, n, MaxReplicas))
		}
	}
	return nil
}

// ValidateDomain checks a custom domain name, such as www.example.com.
func ValidateDomain(name string) error {
	bad := WithCategory(ErrInvalid, fmt.Errorf("domain %q: want a DNS name such as"+
		" www.example.com, lowercase, of at most 253 characters", name))
	labels := strings.Split(name, ".")
	if len(name) > 253 || len(labels) < 2 {
		return bad
	}
	for _, l := range labels {
		if len(l) > 63 || !domainLabel.MatchString(l) {
			return bad
		}
	}
	return nil
}
