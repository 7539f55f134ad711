// Package reference parses the names the distribution spec gives to
// things: repository names ("library/busybox"), tags ("v1.36"), digests
// ("sha256:..."), and the image references users type, which join them
// to a registry host ("127.0.0.1:5000/library/busybox:v1.36" or
// "...@sha256:...").
//
// The grammars are those of the OCI distribution spec, section "Pulling
// manifests": a name is <name> = [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*
// (\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*, and a tag is
// [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}. Everything the registry puts in a
// file path goes through this package first, which is why a name such as
// "../etc" can never reach the file system.
package reference
