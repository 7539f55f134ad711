// Package source moves an application's source from a developer's
// working directory to the PaaS: Pack writes it as a gzip-compressed
// tarball, leaving out what .dockerignore and .gitignore name and the
// .git directory, which is what `shibafu-paas deploy` uploads; Unpack
// extracts such an upload (or a `git archive`) on the server, refusing
// anything that could write outside the build directory or exceed the
// size allowed.
package source
