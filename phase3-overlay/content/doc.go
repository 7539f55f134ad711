// Package content is a content-addressable blob store: every blob is a
// file named by the SHA-256 digest of its bytes, as the OCI image layout
// keeps them (blobs/sha256/HEX, image-spec "image-layout.md").
//
// Addressing by digest gives three properties the rest of phase 3 leans
// on. A blob is written once, however many images share it. A blob can be
// checked at any time by hashing it again, so a corrupted or tampered file
// is detected on read. And a blob never changes in place: writes go to a
// temporary file that is verified and then renamed(2) into place, so a
// reader sees either no blob or the whole one.
//
// The store does not know which blobs are in use; the image package
// decides that and deletes the rest (mark and sweep, see image.Store.GC).
package content
