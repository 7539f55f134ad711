// Package build turns an application's source into an image of the
// phase 7 runtime, the first thing the PaaS does with a push.
//
// A Builder reads a source directory and picks how to build it: a
// Dockerfile is run step by step (parsed by BuildKit's own Dockerfile
// parser, each RUN in a real container with memory and CPU limits, each
// RUN and COPY committed as one layer, the other steps changing only the
// image's settings; stage after stage, COPY --from reading out of an
// earlier stage's image); without one, a Go module is compiled by the host's
// Go toolchain, mounted read-only into a build container, and a static
// site is served by busybox httpd. A Procfile names the processes of any
// of them.
//
// The builder talks to the runtime daemon only through its Go client:
// containers to run steps in, commits to make layers, copies into
// created containers for COPY, and image names for the layer cache.
// Every step's result is kept as an image named
// build-cache/APP:KEY, where KEY hashes the parent image, the step after
// variable expansion and, for COPY, the files copied; a rebuild whose
// steps are unchanged finds them all and runs nothing.
package build
