// Package client moves images between the phase 3 image store (an OCI
// image layout on disk) and any registry that speaks the OCI
// distribution spec: this phase's server, the Debian docker-registry, or
// another.
//
// A push sends the blobs first, then the manifests that name them, then
// the index that names the manifests, so that the registry never holds a
// manifest whose content is missing. Each blob is skipped if the
// registry has it (HEAD, end-2), mounted if it holds it in another
// repository (POST ?mount=, end-11), and uploaded otherwise (POST, PATCH,
// PUT: end-4a, end-5, end-6); an upload cut short resumes from the offset
// the registry reports (GET, end-13). A pull does the reverse, checking
// every digest before anything lands in the store, and resumes cut-short
// downloads with Range requests.
package client
