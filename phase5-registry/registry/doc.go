// Package registry is an HTTP server for the OCI distribution spec
// (v1.1): the API that `docker push`, `skopeo copy` and every other
// image tool speak to a registry. It stores content through package
// storage and checks names and manifests with packages reference and
// manifest.
//
// One file per resource of the API, as the spec groups its endpoints:
//
//	routes.go     /v2/ and the dispatch of every path    end-1
//	blobs.go      /v2/<name>/blobs/<digest>              end-2, end-10
//	uploads.go    /v2/<name>/blobs/uploads/[<id>]        end-4a..end-6, end-11, end-13
//	manifests.go  /v2/<name>/manifests/<reference>       end-3, end-7, end-9
//	tags.go       /v2/<name>/tags/list                   end-8a, end-8b
//	referrers.go  /v2/<name>/referrers/<digest>          end-12a, end-12b
//	errors.go     the spec's error codes and JSON body
//
// Around them sit basic authentication (auth.go), Prometheus metrics
// (metrics.go) and a structured access log (accesslog.go). The server
// itself never logs anything but the access log.
package registry
