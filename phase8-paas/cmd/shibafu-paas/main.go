// Command shibafu-paas is Shibafu's Heroku-like PaaS, as one binary:
// `shibafu-paas serve` runs the API server, the router, the git endpoint
// and an embedded registry, on top of the shibafud runtime; every other
// command is a client of that API.
package main

import "shibafu.dev/phase0-runc/cli"

func main() {
	cli.Main(newRootCmd())
}
