// Package logs keeps each app's log: what its replicas print, the logs
// of its builds and rollouts, and the router's access log, merged into
// one stream of api.LogLines in time order.
//
// The log pipeline runs in three steps. A Collector follows the output
// of every replica through the runtime (phase 7 keeps each container's
// output in a JSON-lines file of its own, which a follow request polls),
// and joins new replicas as the runtime reports their start. Each line
// is appended to the app's Store: JSON lines under ROOT/logs/APP/,
// rotated by size so that an app keeps a bounded amount, and outlives
// the replicas that wrote it. Readers of the Store get the kept lines
// first, then, when they follow, each new line as it is appended.
package logs
