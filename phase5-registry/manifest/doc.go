// Package manifest parses and checks the JSON documents a registry
// stores by digest: image manifests (a config and layers) and image
// indexes (a list of manifests, one per platform, or of artifacts), in
// their OCI forms and the older Docker forms that are the same shape.
//
// The registry needs three things from a manifest before it accepts one
// (distribution-spec "Pushing Manifests"): that it is JSON of a known
// media type, which blobs or manifests it points to (so they can be
// checked and kept by garbage collection), and its subject, which makes
// it a referrer of another manifest (the referrers API).
package manifest
