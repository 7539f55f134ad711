// Package metrics samples the apps: every Interval (10 seconds by
// default) it asks the runtime for each replica's resource use, which
// phase 7 reads from the replica's cgroup (its CPU time and memory in
// use, as the kernel accounts them), and it sums up the requests the
// router (phase 4's proxy) saw in the meantime: how many, how many
// failed with a 5xx, and the percentiles of their latency. Each app's
// points go to a Ring of an hour's worth, which the API serves as JSON
// and the autoscaler reads; the latest values are also exported in the
// Prometheus text format.
package metrics
