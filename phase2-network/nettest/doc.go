// Package nettest holds the helpers of the phase 2 lab tests: fresh
// subnets that overlap nothing on the host, throw-away network
// namespaces, sockets opened inside a namespace, a namespace that plays
// "the outside world" for egress tests, and a check that a test left no
// link, namespace or iptables chain behind.
//
// Everything it makes is named uniquely per test and removed when the
// test ends, and traffic only ever goes to namespaces the test created.
package nettest
