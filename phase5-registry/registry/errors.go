package registry

import (
	"encoding/json"
	"errors"
	"net/http"

	"shibafu.dev/phase5-registry/manifest"
	"shibafu.dev/phase5-registry/reference"
	"shibafu.dev/phase5-registry/storage"
)

// errorCode is one row of the table below: a code of the spec's "Error
// Codes" section, and the HTTP status this server sends it with.
type errorCode struct {
	Code    string
	Status  int
	Message string
}

// The error codes of distribution-spec "Error Codes", and the statuses
// the endpoints call for. RANGE is BLOB_UPLOAD_INVALID sent with 416, as
// end-5 asks for a chunk out of order; TOO_LARGE is sent with 413.
var (
	codeBlobUnknown       = errorCode{"BLOB_UNKNOWN", 404, "blob unknown to registry"}
	codeRangeInvalid      = errorCode{"BLOB_UPLOAD_INVALID", 416, "chunk out of order"}
	codeBlobUploadUnknown = errorCode{"BLOB_UPLOAD_UNKNOWN", 404, "blob upload unknown to registry"}
	codeDigestInvalid     = errorCode{"DIGEST_INVALID", 400,
		"provided digest did not match uploaded content"}
	codeManifestBlobUnknown = errorCode{"MANIFEST_BLOB_UNKNOWN", 404,
		"manifest references a manifest or blob unknown to registry"}
	codeManifestInvalid  = errorCode{"MANIFEST_INVALID", 400, "manifest invalid"}
	codeManifestTooLarge = errorCode{"MANIFEST_INVALID", 413, "manifest too large"}
	codeManifestUnknown  = errorCode{"MANIFEST_UNKNOWN", 404, "manifest unknown to registry"}
	codeNameInvalid      = errorCode{"NAME_INVALID", 400, "invalid repository name"}
	codeNameUnknown      = errorCode{"NAME_UNKNOWN", 404, "repository name not known to registry"}
	codeSizeInvalid      = errorCode{"SIZE_INVALID", 400,
		"provided length did not match content length"}
	codeTooLarge          = errorCode{"SIZE_INVALID", 413, "content over the size limit"}
	codeUnauthorized      = errorCode{"UNAUTHORIZED", 401, "authentication required"}
	codeDenied            = errorCode{"DENIED", 403, "requested access to the resource is denied"}
	codeUnsupported       = errorCode{"UNSUPPORTED", 405, "the operation is unsupported"}
	codeNotFound          = errorCode{"UNSUPPORTED", 404, "no such endpoint"}
	codePaginationInvalid = errorCode{"UNSUPPORTED", 400, "invalid pagination parameter"}
	codeUnknown           = errorCode{"UNKNOWN", 500, "internal error"}
)

// apiError is an error the handlers return: a code, and the error that
// explains it, sent as the detail.
type apiError struct {
	code errorCode
	err  error
}

func (e *apiError) Error() string { return e.code.Code + ": " + e.err.Error() }
func (e *apiError) Unwrap() error { return e.err }

// fail wraps err with code, for a handler to return.
func fail(code errorCode, err error) error { return &apiError{code: code, err: err} }

// errorTable maps the errors of the lower packages to codes, so that
// handlers may return them unwrapped.
var errorTable = []struct {
	err  error
	code errorCode
}{
	{storage.ErrBlobUnknown, codeBlobUnknown},
	{storage.ErrManifestUnknown, codeManifestUnknown},
	{storage.ErrNameUnknown, codeNameUnknown},
	{storage.ErrUploadUnknown, codeBlobUploadUnknown},
	{storage.ErrDigestMismatch, codeDigestInvalid},
	{storage.ErrRangeInvalid, codeRangeInvalid},
	{storage.ErrTooLarge, codeTooLarge},
	{storage.ErrManifestBlobUnknown, codeManifestBlobUnknown},
	{manifest.ErrInvalid, codeManifestInvalid},
	{reference.ErrInvalid, codeNameInvalid},
}

// codeOf returns the code that err is sent with.
func codeOf(err error) errorCode {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae.code
	}
	for _, row := range errorTable {
		if errors.Is(err, row.err) {
			return row.code
		}
	}
	return codeUnknown
}

// errorBody is the JSON the spec gives every error response:
// {"errors":[{"code":..., "message":..., "detail":...}]}.
type errorBody struct {
	Errors []errorEntry `json:"errors"`
}

type errorEntry struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Detail  string `json:"detail,omitempty"`
}

// writeError sends err as the spec's error body. Internal errors keep
// their detail out of the response, which the access log still shows.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := codeOf(err)
	entry := errorEntry{Code: code.Code, Message: code.Message}
	if code != codeUnknown {
		entry.Detail = err.Error()
	}
	if code == codeUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="shibafu-registry"`)
	}
	noteError(r, err)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code.Status)
	if r.Method != http.MethodHead {
		json.NewEncoder(w).Encode(errorBody{Errors: []errorEntry{entry}})
	}
}
